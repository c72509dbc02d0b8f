#include "core/neuron_model.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace neurite::core {
namespace {
std::map<std::string, neuron_model_info, std::less<>>& registry() {
  static std::map<std::string, neuron_model_info, std::less<>> models;
  return models;
}
}  // namespace

register_neuron_model::register_neuron_model(neuron_model_info info) {
  const std::string name = info.name;
  if (!registry().emplace(name, std::move(info)).second)
    throw std::logic_error("neuron model registered twice: " + name);
}

const neuron_model_info* find_neuron_model(std::string_view name) {
  const auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<const neuron_model_info*> neuron_models() {
  std::vector<const neuron_model_info*> out;
  for (const auto& [name, info] : registry()) out.push_back(&info);
  return out;
}

}  // namespace neurite::core
