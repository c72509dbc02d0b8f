// [populations.NAME]: model, size, params, initial, spike_times. Populations keep file order.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/text.hpp"
#include "io/sections.hpp"

namespace neurite::io::detail {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (const char ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  return true;
}

const core::neuron_model_info& read_model(const field& f) {
  std::vector<std::string> names;
  for (const auto* m : core::neuron_models()) names.push_back(m->name);
  const std::string expected = fmt::format("a neuron model ({})", join(names));
  const std::string name = f.string(expected);
  if (const auto* m = core::find_neuron_model(name)) return *m;
  const std::string hint = core::closest(name, names);
  f.fail(fmt::format("expected {}, found \"{}\"{}", expected, name,
                     hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
}

// The number of a named choice such as reset = "to_zero".
double read_choice(const field& f, const core::param_spec& spec) {
  std::vector<std::string> quoted;
  for (const auto& c : spec.choices) quoted.push_back(fmt::format("\"{}\"", c));
  const std::string expected = fmt::format("one of {}", join(quoted));
  const std::string name = f.string(expected);
  const auto it = std::find(spec.choices.begin(), spec.choices.end(), name);
  if (it == spec.choices.end()) f.fail(fmt::format("expected {}, found \"{}\"", expected, name));
  return static_cast<double>(it - spec.choices.begin());
}

}  // namespace

double read_param_value(const field& f, const core::param_spec& spec, core::dimension d) {
  if (!spec.choices.empty()) return read_choice(f, spec);
  if (spec.is_flag() && f.node()->is_boolean()) return f.boolean() ? 1 : 0;
  return f.quantity(d);
}

namespace {

void read_params(const field& f, const field& population, const core::neuron_model_info& model,
                 const model_context& c, network::population_desc& p) {
  core::param_set values(model.params);
  if (f.present()) {
    f.table("a table of parameter values such as { tau_m = \"20 ms\" }");
    std::vector<std::string> names;
    for (const auto& spec : model.params) names.push_back(spec.name);
    f.check_keys(names, fmt::format("a parameter of {}", model.name));
    for (const auto& [name, v] : f.entries()) {
      const auto* spec = core::find_param(model.params, name);
      const double x = read_param_value(v, *spec, spec->dim);
      if (const auto error = spec->check(x); !error.empty()) v.fail(error);
      if (spec->dim == core::dimension::time) c.check_steps(v, x);
      values.set(name, x);
      p.params.emplace_back(name, x);
    }
  }
  if (model.check)
    if (const auto error = model.check(values); !error.empty())
      (f.present() ? f : population).fail(error);  // the model's message names the values
}

void read_initial(const field& f, const core::neuron_model_info& model, network::population_desc& p) {
  f.table("a table of initial values such as { V_m = \"-70 mV\" }");
  std::vector<std::string> names;
  for (const auto& s : model.state) names.push_back(s.name);
  f.check_keys(names, fmt::format("a state variable of {}", model.name));
  for (const auto& [name, v] : f.entries()) {
    // An init-capture: clang 14 cannot capture a structured binding (the fuzzers build with it).
    const auto spec =
        std::find_if(model.state.begin(), model.state.end(), [&key = name](const auto& s) { return s.name == key; });
    p.initial.emplace_back(name, v.value(spec->dim));
  }
}

// spike_times = { unit = "ms", times = [[1.0, 5.0], [2.0], []] }: one list per neuron.
void read_spike_times(const field& f, const model_context& c, network::population_desc& p) {
  f.table("a table { unit = \"ms\", times = [[...], ...] } with one list of spike times per neuron");
  f.check_keys({"unit", "times"}, "a key of spike_times");
  const field unit = f["unit"];
  const std::string symbol = unit.string("a time unit such as \"ms\" or \"s\"");
  std::string error;
  const auto q = core::parse_quantity("1 " + symbol, error);
  if (!q || q->dim != core::dimension::time || symbol.empty())
    unit.fail(fmt::format("expected a time unit (s, ms, us, min), found \"{}\"", symbol));
  const double factor = q->value;

  const field times = f["times"];
  times.array(fmt::format("an array of {} arrays of spike times, one per neuron", p.size));
  const auto lists = times.elements();
  if (lists.size() != p.size)
    times.fail(fmt::format("expected {} arrays of spike times (one per neuron of {}), found {}", p.size, p.name,
                           lists.size()));
  const std::string time_text = fmt::format("a spike time in {} (a number)", symbol);
  p.data.spike_times.reserve(lists.size());
  for (const auto& list : lists) {
    list.array(fmt::format("an array of spike times in {} (numbers)", symbol));
    auto& out = p.data.spike_times.emplace_back();
    for (const auto& t : list.elements()) {
      const double ms = t.number(time_text) * factor;
      c.check_steps(t, ms);
      // A spike is emitted at the grid time nearest t; times nearer to 0 than to dt are lost.
      if (!(std::round(ms / c.dt()) >= 1))
        t.fail(fmt::format("expected a spike time >= dt/2 ({}), since times are rounded to the step grid "
                           "and the first step ends at dt, found {}",
                           core::format_quantity(c.dt() / 2, core::dimension::time),
                           core::format_quantity(ms, core::dimension::time)));
      out.push_back(ms);
    }
  }
}

void read_population(const std::string& name, const field& f, model_context& c) {
  f.table(fmt::format("a table describing population {} (model, size, ...)", name));
  if (!valid_name(name))
    f.fail(fmt::format("expected a population name of letters, digits and '_' that starts with a letter or '_', "
                       "found \"{}\"",
                       name));
  f.check_keys({"model", "size", "params", "initial", "spike_times"}, "a key of a population");
  network::population_desc p;
  p.name = name;
  p.where = f.where();
  const auto& model = read_model(f["model"]);
  p.model = model.name;
  p.size = static_cast<core::index_t>(f["size"].integer(1, std::numeric_limits<core::index_t>::max()));
  read_params(f["params"], f, model, c, p);
  if (const auto initial = f["initial"]; initial.present()) read_initial(initial, model, p);

  const field spikes = f["spike_times"];
  if (model.name == "spike_source") {
    if (!spikes.present())
      spikes.fail_expected("the spike times of each neuron, e.g. { unit = \"ms\", times = [[1.0, 5.0], [2.0]] }");
    read_spike_times(spikes, c, p);
  } else if (spikes.present()) {
    spikes.fail(fmt::format("expected no spike_times for model {} (only spike_source takes them), found {}",
                            model.name, describe(*spikes.node())));
  }
  c.desc.populations.push_back(std::move(p));
}

}  // namespace

void read_populations(const field& f, model_context& c) {
  f.table("a table of populations such as [populations.E]");
  const auto entries = f.entries();
  if (entries.empty()) f.fail("expected at least one population such as [populations.E], found none");
  for (const auto& [name, p] : entries) read_population(name, p, c);
}

}  // namespace neurite::io::detail
