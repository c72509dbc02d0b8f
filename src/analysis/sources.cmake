# analysis/: reading structure out of spike trains and traces from any source (issue 12). Depends on
# core and io only. One line per model or measure family.
target_sources(neurite PRIVATE analysis/gain_control.cpp analysis/projected_gradient.cpp)
target_sources(neurite PRIVATE analysis/spike_stats.cpp)
target_sources(neurite PRIVATE analysis/correlograms.cpp)
target_sources(neurite PRIVATE analysis/spectrum.cpp)
target_sources(neurite PRIVATE analysis/synchrony.cpp)
target_sources(neurite PRIVATE analysis/dimension.cpp)
target_sources(neurite PRIVATE analysis/report.cpp)
target_sources(neurite PRIVATE analysis/hmm.cpp analysis/lbfgs.cpp analysis/glm.cpp analysis/hmm_glm.cpp)
target_sources(neurite PRIVATE analysis/tensor_factorisation.cpp analysis/communities.cpp analysis/lfr.cpp analysis/sbm.cpp)
target_sources(neurite PRIVATE analysis/hub_glm.cpp)
target_sources(neurite PRIVATE analysis/nested_sbm.cpp)
