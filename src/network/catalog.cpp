#include "network/catalog.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/registry.hpp"

namespace neurite::network {

double option_values::number(std::string_view name) const {
  if (const auto it = numbers_.find(name); it != numbers_.end()) return it->second;
  for (const auto& o : *table_)
    if (o.name == name && o.default_value) return *o.default_value;
  return std::numeric_limits<double>::quiet_NaN();
}

register_connector::register_connector(connector_info info) {
  core::registry<connector_info>::add(std::move(info), "connector rule");
}
register_stimulus::register_stimulus(stimulus_info info) {
  core::registry<stimulus_info>::add(std::move(info), "stimulus type");
}

const connector_info* find_connector(std::string_view name) { return core::registry<connector_info>::find(name); }
std::vector<const connector_info*> connectors() { return core::registry<connector_info>::all(); }
const stimulus_info* find_stimulus(std::string_view name) { return core::registry<stimulus_info>::find(name); }
std::vector<const stimulus_info*> stimuli() { return core::registry<stimulus_info>::all(); }

namespace {
std::string value_text(const option_spec& o, double v) {
  if (o.type == option_spec::kind::quantity && !o.weight_dim) return core::format_quantity(v, o.dim);
  return fmt::format("{:.15g}", v);
}
}  // namespace

namespace {
std::string plain(double v) { return fmt::format("{:.15g}", v); }
}  // namespace

std::string param_default_text(const core::param_spec& p) {
  if (!p.choices.empty()) return p.choices.at(static_cast<std::size_t>(p.default_value));
  if (p.is_flag()) return p.default_value != 0 ? "true" : "false";
  return std::isinf(p.default_value) ? "none" : plain(p.default_value);
}

std::string param_unit_text(const core::param_spec& p, bool is_weight) {
  return is_weight ? "(weight)" : std::string(core::unit_name(p.dim));
}

std::string default_text(const option_spec& o) {
  if (!o.default_value) return o.absent_text;
  if (o.type == option_spec::kind::flag) return *o.default_value != 0 ? "true" : "false";
  return value_text(o, *o.default_value);
}

std::string range_text(const option_spec& o) {
  using kind = option_spec::kind;
  switch (o.type) {
    case kind::flag: return "true | false";
    case kind::unit: return o.weight_dim ? "a unit of the weights" : fmt::format("{} unit", core::dimension_name(o.dim));
    case kind::path: return "a file path";
    case kind::number:
    case kind::integer:
    case kind::quantity: break;
  }
  const bool low = std::isfinite(o.min), high = std::isfinite(o.max);
  if (low && high) return fmt::format("[{}, {}]", value_text(o, o.min), value_text(o, o.max));
  if (low) return fmt::format(">= {}", value_text(o, o.min));
  if (high) return fmt::format("<= {}", value_text(o, o.max));
  return "any";
}

std::string unit_text(const option_spec& o) {
  if (o.weight_dim) return o.type == option_spec::kind::quantity ? "(weight)" : "";
  return o.type == option_spec::kind::quantity ? std::string(core::unit_name(o.dim)) : "";
}

}  // namespace neurite::network
