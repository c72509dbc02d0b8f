// `neurite info [NAME]`: the neuron models, plasticity rules, connector rules and stimulus
// types with their parameter tables (name, unit, default, allowed values, doc), or just the one
// called NAME. The tables are the ones the model-file reader reads (network/catalog.hpp,
// core/params.hpp), shown in the form a model file takes.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "apps/commands.hpp"
#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"
#include "core/text.hpp"
#include "network/catalog.hpp"

namespace neurite::apps {
namespace {

struct row {
  std::string name, unit, default_value, allowed, doc;
};

void print_rows(const std::vector<row>& rows) {
  if (rows.empty()) return;
  fmt::print("    {:<14} {:<8} {:>10}  {:<24} {}\n", "parameter", "unit", "default", "allowed", "meaning");
  for (const auto& r : rows)
    fmt::print("    {:<14} {:<8} {:>10}  {:<24} {}\n", r.name, r.unit, r.default_value, r.allowed, r.doc);
}

row param_row(const core::param_spec& p, bool is_weight = false) {
  return {p.name, network::param_unit_text(p, is_weight), network::param_default_text(p), p.range_text(false),
          p.doc};
}

std::vector<row> option_rows(const network::option_table& options) {
  std::vector<row> rows;
  for (const auto& o : options)
    rows.push_back({o.name, network::unit_text(o), network::default_text(o), network::range_text(o), o.doc});
  return rows;
}

void print_model(const core::neuron_model_info& m) {
  fmt::print("  {}: {}\n    integration: {}\n", m.name, m.doc, m.method);
  if (!m.receptors.empty()) {
    const auto unit = core::unit_name(m.weight_dim);
    fmt::print("    synaptic weights {}; receptors: {}\n", unit.empty() ? std::string("dimensionless") : "in " + std::string(unit),
               fmt::join(m.receptors, ", "));
  }
  std::vector<std::string> state;
  for (const auto& s : m.state) state.push_back(fmt::format("{} [{}]", s.name, core::unit_name(s.dim)));
  if (!state.empty()) fmt::print("    state: {}\n", fmt::join(state, ", "));
  if (m.name == "spike_source") fmt::print("    spike_times: {{ unit = \"ms\", times = [[...], ...] }}, one list per neuron\n");
  std::vector<row> rows;
  for (const auto& p : m.params) rows.push_back(param_row(p));
  print_rows(rows);
}

void print_entry(const std::string& name, const std::string& doc, const std::vector<row>& rows) {
  fmt::print("  {}: {}\n", name, doc);
  print_rows(rows);
}

int info(const std::string& name) {
  bool found = false;
  std::vector<std::string> names;
  const auto wanted = [&](const std::string& n) {
    names.push_back(n);
    return name.empty() || n == name;
  };
  if (name.empty()) fmt::print("Neuron models\n");
  for (const auto* m : core::neuron_models())
    if (wanted(m->name)) print_model(*m), found = true;
  if (name.empty()) fmt::print("\nPlasticity rules (projections.plasticity.rule; w_min, w_max in the target's weight unit)\n");
  for (const auto* r : core::plasticity_rules()) {
    std::vector<row> rows;
    for (const auto& p : r->params) rows.push_back(param_row(p, std::ranges::count(r->weight_params, p.name) > 0));
    if (wanted(r->name)) print_entry(r->name, r->doc, rows), found = true;
  }
  if (name.empty()) fmt::print("\nConnector rules (projections.connector.rule)\n");
  for (const auto* c : network::connectors())
    if (wanted(c->name)) print_entry(c->name, c->doc, option_rows(c->options)), found = true;
  if (name.empty()) fmt::print("\nStimuli (stimuli.type; each also takes target, a population)\n");
  for (const auto* s : network::stimuli())
    if (wanted(s->name)) print_entry(s->name, s->doc, option_rows(s->options)), found = true;
  if (!found) {
    const std::string hint = core::closest(name, names);
    fmt::print(stderr, "neurite info: expected a neuron model, plasticity rule, connector or stimulus, found '{}'{} "
                       "(run `neurite info` for the list)\n",
               name, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
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
