# The reproductions that train with learn/ (LibTorch): a layer above it, an OBJECT library so that
# each registration object is linked into the module that `neurite` loads on demand and into the
# tests that run them. One line per reproduction.
add_library(neurite_learn_repro OBJECT)
target_sources(neurite_learn_repro PRIVATE repro/dynamic_confidence/dynamic_confidence.cpp)
target_sources(neurite_learn_repro PRIVATE repro/elm_neuron/elm_neuron.cpp)
target_sources(neurite_learn_repro PRIVATE repro/rich_lazy/rich_lazy.cpp)
target_link_libraries(neurite_learn_repro PUBLIC neurite_learn PRIVATE neurite_warnings)
set_target_properties(neurite_learn_repro PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_sources(neurite_learn_repro PRIVATE repro/hlop/hlop.cpp)
target_sources(neurite_learn_repro PRIVATE repro/granet/granet.cpp)
target_sources(neurite_learn_repro PRIVATE repro/astro_snn/astro_snn.cpp)
target_sources(neurite_learn_repro PRIVATE repro/llm_feature_neurons/llm_feature_neurons.cpp)
target_sources(neurite_learn_repro PRIVATE repro/neuroformer/neuroformer.cpp)
