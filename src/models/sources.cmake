# One line per model: the file registers itself with the model registry.
target_sources(neurite PRIVATE
  models/aeif_cond_exp.cpp
  models/diehl_cook_lif.cpp
  models/astrocyte_ca.cpp
  models/iaf_cond_exp.cpp
  models/if_curr_exp_spinnaker.cpp
  models/iaf_psc_delta.cpp
  models/iaf_psc_exp.cpp
  models/izhikevich.cpp
  models/lif_discrete.cpp
  models/poisson_rates.cpp
  models/poisson_source.cpp
  models/spike_source.cpp
  models/stdp_diehl_cook.cpp
  models/stdp_pair.cpp
  models/stdp_pair_spinnaker.cpp
  models/stdp_triplet.cpp
  models/two_compartment_nmda.cpp
)
# lif_discrete computes as learn/lif.cpp does, rounding after every operation (no fused
# multiply-adds), so that a network exported from learn/ spikes identically (learn/learn.cmake).
set_source_files_properties(models/lif_discrete.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
