// `neurite info [NAME]`: the neuron models, plasticity rules, connector rules and stimulus
// types with their parameter tables (name, unit, default, allowed range, doc), or just the one called NAME.
#include <cmath>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"
#include "network/catalog.hpp"

namespace neurite::apps {
namespace {

void print_table(const core::param_table& table) {
  if (table.empty()) return;
  fmt::print("    {:<12} {:<6} {:>10}  {:<22} {}\n", "parameter", "unit", "default", "allowed", "meaning");
  for (const auto& p : table) {
    const std::string def = !p.choices.empty() ? p.choices.at(static_cast<std::size_t>(p.default_value))
                            : std::isinf(p.default_value) ? (p.default_value < 0 ? "-inf" : "inf")
                                                         : fmt::format("{:g}", p.default_value);
    fmt::print("    {:<12} {:<6} {:>10}  {:<22} {}\n", p.name, core::unit_name(p.dim), def, p.range_text(), p.doc);
  }
}

void print_model(const core::neuron_model_info& m) {
  fmt::print("  {}: {}\n    integration: {}\n", m.name, m.doc, m.method);
  if (!m.receptors.empty())
    fmt::print("    synaptic weights in {}; receptors: {}\n", core::unit_name(m.weight_dim), fmt::join(m.receptors, ", "));
  std::vector<std::string> state;
  for (const auto& s : m.state) state.push_back(fmt::format("{} [{}]", s.name, core::unit_name(s.dim)));
  if (!state.empty()) fmt::print("    state: {}\n", fmt::join(state, ", "));
  print_table(m.params);
}

void print_entry(const network::catalog_entry& e) {
  fmt::print("  {}: {}\n", e.name, e.doc);
  print_table(e.params);
}

int info(const std::string& name) {
  bool found = false;
  const auto wanted = [&](const std::string& n) { return name.empty() || n == name; };
  if (name.empty()) fmt::print("Neuron models\n");
  for (const auto* m : core::neuron_models())
    if (wanted(m->name)) print_model(*m), found = true;
  if (name.empty()) fmt::print("\nPlasticity rules (projections.plasticity.rule; w_min, w_max in the target's weight unit)\n");
  for (const auto* r : core::plasticity_rules())
    if (wanted(r->name)) print_entry({r->name, r->doc, r->params}), found = true;
  if (name.empty()) fmt::print("\nConnector rules (projections.connector.rule)\n");
  for (const auto& e : network::connector_rules())
    if (wanted(e.name)) print_entry(e), found = true;
  if (name.empty()) fmt::print("\nStimuli (stimuli.type)\n");
  for (const auto& e : network::stimulus_types())
    if (wanted(e.name)) print_entry(e), found = true;
  if (!found) {
    fmt::print(stderr, "no neuron model, plasticity rule, connector or stimulus named '{}' (run `neurite info` for the list)\n", name);
    return exit_bad_input;
  }
  return 0;
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto name = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("info", "List neuron models, plasticity rules, connectors and stimuli with their parameters");
  cmd->add_option("name", *name, "Show only this model, rule, connector or stimulus");
  cmd->callback([name] { exit_with(info(*name)); });
}

}  // namespace neurite::apps
