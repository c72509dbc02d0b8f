# analysis/: reading structure out of spike trains and traces from any source (issue 12). Depends on
# core and io only. One line per model or measure family.
target_sources(neurite PRIVATE analysis/hmm.cpp analysis/lbfgs.cpp analysis/glm.cpp analysis/hmm_glm.cpp)
