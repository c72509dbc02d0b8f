#pragma once
// A registry of descriptors by name, filled at static-initialisation time by one registration
// line in each model's file (neuron models, plasticity rules). Sorted by name for listings.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace neurite::core {

template <class Info>
class registry {
 public:
  static void add(Info info, std::string_view kind) {
    const std::string name = info.name;
    if (!entries().emplace(name, std::move(info)).second)
      throw std::logic_error(std::string(kind) + " registered twice: " + name);
  }
  static const Info* find(std::string_view name) {
    const auto it = entries().find(name);
    return it == entries().end() ? nullptr : &it->second;
  }
  static std::vector<const Info*> all() {
    std::vector<const Info*> out;
    for (const auto& entry : entries()) out.push_back(&entry.second);
    return out;
  }

 private:
  static std::map<std::string, Info, std::less<>>& entries() {
    static std::map<std::string, Info, std::less<>> map;
    return map;
  }
};

}  // namespace neurite::core
