#include "core/plasticity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/registry.hpp"

namespace neurite::core {

register_plasticity_rule::register_plasticity_rule(plasticity_rule_info info) {
  registry<plasticity_rule_info>::add(std::move(info), "plasticity rule");
}

const plasticity_rule_info* find_plasticity_rule(std::string_view name) {
  return registry<plasticity_rule_info>::find(name);
}

std::vector<const plasticity_rule_info*> plasticity_rules() { return registry<plasticity_rule_info>::all(); }

decay_table::decay_table(double tau_ms, double dt_ms) : rate_(dt_ms / tau_ms), table_(4096) {
  for (std::size_t n = 0; n < table_.size(); ++n) table_[n] = std::exp(-static_cast<double>(n) * rate_);
}

double decay_table::far(step_t lag) const { return std::exp(-static_cast<double>(lag) * rate_); }

void trace_set::visit(state_visitor& v, const std::string& name) {
  v.field(name + "_value", state_, &entry::value);
  v.field(name + "_last", state_, &entry::last);
  if (!v.restoring()) return;
  for (const auto& e : state_)
    if (e.last < 0 || e.last > v.step())
      throw std::invalid_argument(name + ": a last spike at step " + std::to_string(e.last) + ", outside [0, " +
                                  std::to_string(v.step()) + "]");
}

std::size_t deferred_posts::bytes() const {
  std::size_t n = latest_.capacity() * sizeof(step_t) + events_.capacity() * sizeof(std::vector<event>);
  for (const auto& e : events_) n += e.capacity() * sizeof(event);
  return n;
}

}  // namespace neurite::core
