#include "core/neuron_model.hpp"

#include "core/registry.hpp"

namespace neurite::core {

register_neuron_model::register_neuron_model(neuron_model_info info) {
  registry<neuron_model_info>::add(std::move(info), "neuron model");
}

const neuron_model_info* find_neuron_model(std::string_view name) { return registry<neuron_model_info>::find(name); }

std::vector<const neuron_model_info*> neuron_models() { return registry<neuron_model_info>::all(); }

}  // namespace neurite::core
