#pragma once
// Parameter tables of the connector rules and stimulus types, for validation and
// `neurite info`. (Neuron models carry their own tables in the model registry.)
#include <string>
#include <vector>

#include "core/params.hpp"

namespace neurite::network {

struct catalog_entry {
  std::string name;
  std::string doc;
  core::param_table params;
};

const std::vector<catalog_entry>& connector_rules();
const std::vector<catalog_entry>& stimulus_types();

}  // namespace neurite::network
