#include "network/catalog.hpp"

namespace neurite::network {
namespace {
using core::dimension;
using core::unbounded;

core::param_spec flag(const char* name, const char* doc) {
  return {name, dimension::dimensionless, 1, 0, 1, doc, false, true};
}
}  // namespace

const std::vector<catalog_entry>& connector_rules() {
  static const std::vector<catalog_entry> rules{
      {"all_to_all", "every source to every target", {flag("autapses", "allow self-connections (true/false)")}},
      {"one_to_one", "source i to target i (equal sizes)", {}},
      {"fixed_probability",
       "each pair independently with probability p",
       {{"p", dimension::dimensionless, 0.1, 0, 1, "connection probability"},
        flag("autapses", "allow self-connections")}},
      {"fixed_indegree",
       "each target gets exactly `indegree` sources drawn at random",
       {{"indegree", dimension::dimensionless, 1, 0, 4294967295.0, "sources per target", false, true},
        flag("autapses", "allow self-connections"),
        flag("multapses", "allow repeated pairs")}},
      {"fixed_outdegree",
       "each source gets exactly `outdegree` targets drawn at random",
       {{"outdegree", dimension::dimensionless, 1, 0, 4294967295.0, "targets per source", false, true},
        flag("autapses", "allow self-connections"),
        flag("multapses", "allow repeated pairs")}},
      {"explicit", "pairs read from a CSV file: source,target[,weight,delay]", {}},
  };
  return rules;
}

const std::vector<catalog_entry>& stimulus_types() {
  static const std::vector<catalog_entry> types{
      {"poisson_input",
       "independent Poisson spike trains into every neuron of the target (n sources at `rate` each)",
       {{"rate", dimension::frequency, 0, 0, unbounded, "rate of each source"},
        {"n", dimension::dimensionless, 1, 1, 4294967295.0, "sources per target neuron", false, true},
        {"weight", dimension::dimensionless, 0, -unbounded, unbounded, "weight of each spike, in the target model's weight unit"},
        {"start", dimension::time, 0, 0, unbounded, "onset"},
        {"stop", dimension::time, unbounded, 0, unbounded, "offset"}}},
      {"dc",
       "constant current into every neuron of the target",
       {{"amplitude", dimension::current, 0, -unbounded, unbounded, "current"},
        {"start", dimension::time, 0, 0, unbounded, "onset"},
        {"stop", dimension::time, unbounded, 0, unbounded, "offset"}}},
  };
  return types;
}

}  // namespace neurite::network
