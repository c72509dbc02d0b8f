# One line per model: the file registers itself with the model registry.
target_sources(neurite PRIVATE
  models/iaf_psc_delta.cpp
  models/poisson_source.cpp
  models/spike_source.cpp
)
