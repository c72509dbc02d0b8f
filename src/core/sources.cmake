target_sources(neurite PRIVATE
  core/units.cpp
  core/rng.cpp
  core/params.cpp
  core/neuron_model.cpp
  core/plasticity.cpp
  core/simulation.cpp
)
