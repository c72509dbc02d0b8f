#pragma once
// The registries of connector rules and stimulus types, as neuron models and plasticity rules
// have theirs (core/registry.hpp). Each entry carries the one table of its keys, which the
// model-file reader reads and `neurite info` prints, so that the two cannot disagree; its
// registration line sits beside its code (network/connectors.cpp, network/stimuli.cpp).
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/params.hpp"
#include "core/stimulus.hpp"
#include "core/units.hpp"
#include "network/description.hpp"

namespace neurite::network {

// One key of a connector or stimulus table.
struct option_spec {
  enum class kind {
    flag,      // true or false
    number,    // a plain number within [min, max]
    integer,   // a whole number within [min, max]
    quantity,  // a value with a unit of dim (or of the target's weight unit), within [min, max]
    unit,      // a unit symbol of dim (or of the target's weight unit), e.g. "mV"
    path,      // a file path, relative to the model file
  };
  std::string name;
  kind type = kind::number;
  core::dimension dim = core::dimension::dimensionless;
  bool weight_dim = false;  // the dimension is the target model's weight dimension
  std::optional<double> default_value = std::nullopt;  // absent: see absent_text
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string doc = {};
  std::string absent_text = "required";  // what leaving the key out means without a default

  bool required() const { return !default_value && absent_text == "required"; }
};
using option_table = std::vector<option_spec>;

// The values read for a table's keys: numbers (flags as 0 or 1, units as their factor); keys
// left out take their defaults.
class option_values {
 public:
  explicit option_values(const option_table& table) : table_(&table) {}
  void set(const std::string& name, double value) { numbers_[name] = value; }
  bool has(std::string_view name) const { return numbers_.count(name) != 0; }
  // The value, or the key's default (NaN when it has none).
  double number(std::string_view name) const;
  bool flag(std::string_view name) const { return number(name) != 0; }

 private:
  const option_table* table_;
  std::map<std::string, double, std::less<>> numbers_;
};

// The sizes of a projection's populations, for checks that involve them.
struct projection_ends {
  std::string source, target;
  core::index_t n_source = 0, n_target = 0;
  bool same = false;  // source == target: autapses are possible
};

// A problem with a key's value: the key, and "expected ..., found ...".
struct option_error {
  std::string key;
  std::string message;
};

struct projection_plan;  // network/connectors.hpp
class edge_sink;

struct connector_info {
  std::string name;
  std::string doc;
  connector_desc::rule type;  // how the C++ API names it
  option_table options;       // besides `rule`
  // The values into a connector_desc (whose type is set); then a check of them against the
  // populations.
  std::function<void(const option_values&, connector_desc&)> apply;
  std::function<std::optional<option_error>(const connector_desc&, const projection_ends&)> check = {};
  // The synapses it is expected to make (exact where the rule fixes the count), for the memory
  // pre-check, between populations of n_source and n_target neurons (same: one population).
  std::function<double(const connector_desc&, core::index_t n_source, core::index_t n_target, bool same)> expected;
  // The synapses onto targets [begin, end), each added to sink with the stream of its row.
  std::function<void(const projection_plan&, core::index_t begin, core::index_t end, edge_sink&)> generate;
};

// What a stimulus needs to be made, beyond its description.
struct stimulus_context {
  std::uint32_t target = 0;
  const core::neuron_model_info* model = nullptr;  // of the target population
  double dt = 0.1;
  std::uint64_t seed = 0;
  std::uint32_t stream = 0;  // its random stream
};

struct stimulus_info {
  std::string name;
  std::string doc;
  option_table options;  // besides `type` and `target`
  std::function<void(const option_values&, stimulus_desc&)> apply;
  std::function<std::optional<option_error>(const stimulus_desc&)> check = {};
  std::function<std::unique_ptr<core::stimulus>(const stimulus_desc&, const stimulus_context&)> make;
};

// Registration at static-initialisation time, one line beside each entry's code.
struct register_connector {
  explicit register_connector(connector_info info);
};
struct register_stimulus {
  explicit register_stimulus(stimulus_info info);
};

const connector_info* find_connector(std::string_view name);
std::vector<const connector_info*> connectors();  // sorted by name
const stimulus_info* find_stimulus(std::string_view name);
std::vector<const stimulus_info*> stimuli();  // sorted by name

// How `neurite info` shows a parameter of a neuron model or plasticity rule, in the form a
// model file writes it: the default ("10", "true", "subtract", "none" when infinite: that limit
// is off) and its unit ("ms", "(weight)" for a rule's weight parameters, "" when dimensionless);
// the allowed values are core::param_spec::range_text(false), as the reader's messages use them.
std::string param_default_text(const core::param_spec& p);
std::string param_unit_text(const core::param_spec& p, bool is_weight = false);

// For `neurite info` and messages: "true", "0.1", "20 ms", or the absent_text.
std::string default_text(const option_spec& o);
// "true | false", "[0, 1]", ">= 0 Hz", "any", "a time unit", "a path".
std::string range_text(const option_spec& o);
// The unit column of `neurite info`: "ms", "(weight)" for the target's weight unit, or "".
std::string unit_text(const option_spec& o);

}  // namespace neurite::network
