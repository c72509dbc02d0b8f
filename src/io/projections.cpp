// [[projections]] (source, target, name, connector, weight, delay) and [[stimuli]].
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/plasticity.hpp"
#include "io/edge_list.hpp"
#include "core/text.hpp"
#include "io/sections.hpp"
#include "network/catalog.hpp"

namespace neurite::io::detail {
namespace {

// An option's bound as a whole number: an infinite (open) bound becomes the type's limit, as
// converting a double outside int64's range is undefined.
std::int64_t integer_bound(double x) {
  constexpr double two_63 = 9223372036854775808.0;
  if (x >= two_63) return std::numeric_limits<std::int64_t>::max();
  if (x <= -two_63) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(x);
}

using rule = network::connector_desc::rule;
using core::dimension;

std::string text(double v, dimension d) { return core::format_quantity(v, d); }

bool within_delay_limit(double ms, const model_context& c) {
  return std::round(ms / c.dt()) <= network::max_delay_steps;
}

// Fails at f unless a delay fits the 16-bit step counts of the synapses.
void check_delay_limit(const field& f, double ms, std::string_view what, const model_context& c) {
  if (!within_delay_limit(ms, c))
    f.fail(fmt::format("expected {} of {}, found {}", what, network::max_delay_text(c.dt()), text(ms, dimension::time)));
}

// The factor of a unit symbol such as "mV", which must be of dimension d.
double unit_factor(const field& f, dimension d) {
  const std::string expected = fmt::format("a unit of {} such as \"{}\"", dimension_text(d), core::unit_name(d));
  const std::string symbol = f.string(expected);
  std::string error;
  const auto q = core::parse_quantity("1 " + symbol, error);
  if (symbol.empty() || !q || q->dim != d)
    f.fail(fmt::format("expected {}, found \"{}\"{}", expected, symbol,
                       q ? fmt::format(" ({} unit)", core::dimension_name(q->dim)) : std::string()));
  return q->value;
}

std::vector<std::string> keys_of(const network::option_table& options, std::vector<std::string> fixed) {
  for (const auto& o : options) fixed.push_back(o.name);
  return fixed;
}

// Keys the rule does not take: unknown ones get the usual message, known ones say where they apply.
void check_connector_keys(const field& f, const network::connector_info& r) {
  const auto keys = keys_of(r.options, {"rule"});
  for (const auto& [key, child] : f.entries()) {
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::vector<std::string> takers;
    for (const auto* other : network::connectors())
      for (const auto& o : other->options)
        if (o.name == key) takers.push_back(other->name);
    if (takers.empty()) f.check_keys(keys, fmt::format("a key of the {} rule", r.name));
    child.fail(fmt::format("expected a key of the {} rule ({}), found \"{}\", which only applies to {}", r.name,
                           join(keys), key, join(takers)));
  }
}

// "in [0, 1]", ">= 0 Hz"
std::string within(const network::option_spec& o) {
  const std::string range = range_text(o);
  return range.front() == '[' ? "in " + range : range;
}

// The keys of a table that are present, read and checked as their specs say (units and paths
// are left to the code that knows what they apply to). Missing required keys are reported.
network::option_values read_options(const field& f, const network::option_table& options, dimension weight_dim,
                                    const model_context& c) {
  using kind = network::option_spec::kind;
  network::option_values values(options);
  for (const auto& o : options) {
    const field v = f[o.name];
    if (o.type == kind::unit || o.type == kind::path || (!v.present() && !o.required())) continue;
    const dimension d = o.weight_dim ? weight_dim : o.dim;
    double x = 0;
    switch (o.type) {
      case kind::flag: x = v.boolean() ? 1 : 0; break;
      case kind::integer:
        x = static_cast<double>(v.integer(integer_bound(o.min), integer_bound(o.max)));
        break;
      case kind::number: x = v.number("a number " + within(o)); break;
      case kind::quantity: x = v.quantity(d); break;
      case kind::unit:
      case kind::path: break;
    }
    if ((o.type == kind::number || o.type == kind::quantity) && !(x >= o.min && x <= o.max))
      v.fail(fmt::format("expected {} {}, found {}", o.name, within(o), text(x, d)));
    if (o.type == kind::quantity && d == dimension::time) c.check_steps(v, x);
    values.set(o.name, x);
  }
  return values;
}

struct explicit_columns {
  bool weight = false, delay = false;
};

explicit_columns read_explicit(const field& f, const network::population_desc& src, const network::population_desc& tgt,
                               const model_context& c, network::connector_desc& conn) {
  const field file = f["file"];
  const std::string name = file.string("the path of a CSV file of connections (source,target[,weight[,delay]])");
  std::filesystem::path path(name);
  if (path.is_relative()) path = c.base_dir / path;
  std::string open_error;
  auto list = read_edge_list(path.string(), file.path(), src.size, tgt.size, open_error);
  if (!open_error.empty())
    file.fail(fmt::format("expected a readable CSV file of connections, found \"{}\" ({})", path.string(), open_error));

  const auto& model = model_context::model_of(tgt);
  explicit_columns columns{list.columns >= 3, list.columns >= 4};
  const auto scale = [&](const char* unit_key, bool has_column, dimension d, const char* column) {
    const field unit = f[unit_key];
    if (!has_column) {
      if (unit.present())
        unit.fail(fmt::format("expected a {} column in {} for {} to apply to, found {} columns", column, path.string(),
                              unit_key, list.columns));
      return 1.0;
    }
    if (!unit.present() && d == dimension::dimensionless) return 1.0;
    if (!unit.present())
      unit.fail_expected(fmt::format("the unit of the {} column of {}, e.g. \"{}\"", column, path.string(),
                                     core::unit_name(d)));
    return unit_factor(unit, d);
  };
  const double weight_factor = scale("weight_unit", columns.weight, model.weight_dim, "weight");
  const double delay_factor = scale("delay_unit", columns.delay, dimension::time, "delay");
  for (std::size_t i = 0; i < list.edges.size(); ++i) {
    auto& e = list.edges[i];
    if (e.weight) *e.weight *= weight_factor;
    if (e.delay) {
      *e.delay *= delay_factor;
      const std::string where = fmt::format("{}:{}", path.string(), list.lines[i]);
      if (!at_least_step(*e.delay, c.dt()))
        fail(where, file.path(),
             fmt::format("expected a delay >= dt ({}), found {}", c.dt_text(), text(*e.delay, dimension::time)));
      if (!within_delay_limit(*e.delay, c))
        fail(where, file.path(),
             fmt::format("expected a delay of {}, found {}", network::max_delay_text(c.dt()), text(*e.delay, dimension::time)));
    }
  }
  conn.edges = std::move(list.edges);
  return columns;
}

explicit_columns read_connector(const field& f, const network::population_desc& src,
                                const network::population_desc& tgt, const model_context& c,
                                network::connector_desc& conn) {
  f.table("a connector table such as { rule = \"all_to_all\" }");
  const field rule_field = f["rule"];
  std::vector<std::string> rule_names, all_keys{"rule"};
  for (const auto* r : network::connectors()) {
    rule_names.push_back(r->name);
    for (const auto& o : r->options)
      if (std::find(all_keys.begin(), all_keys.end(), o.name) == all_keys.end()) all_keys.push_back(o.name);
  }
  if (!rule_field.present()) f.check_keys(all_keys, "a key of a connector");
  const std::string expected = fmt::format("a connection rule ({})", join(rule_names));
  const std::string name = rule_field.string(expected);
  const auto* r = network::find_connector(name);
  if (!r) {
    const std::string hint = core::closest(name, rule_names);
    rule_field.fail(fmt::format("expected {}, found \"{}\"{}", expected, name,
                                hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  check_connector_keys(f, *r);
  conn.type = r->type;
  r->apply(read_options(f, r->options, model_context::model_of(tgt).weight_dim, c), conn);
  if (r->check)
    if (const auto error = r->check(conn, {src.name, tgt.name, src.size, tgt.size, src.name == tgt.name}))
      f[error->key].fail(error->message);
  if (conn.type == rule::explicit_list) return read_explicit(f, src, tgt, c, conn);
  return {};
}

// Onto a model with two receptors the sign of a weight picks the receptor, so a distribution
// must not draw both signs.
void check_weight_sign(const field& f, const network::value_dist& w, const core::neuron_model_info& model) {
  if (model.receptors.size() != 2) return;
  using kind = network::value_dist::kind;
  double low = 0, high = 0;
  switch (w.type) {
    case kind::constant:
    case kind::lognormal: return;
    case kind::normal: low = w.min, high = w.max; break;
    case kind::uniform: low = w.a, high = w.b; break;
  }
  if (low < 0 && high > 0)
    f.fail(fmt::format("expected weights of one sign (onto {} the sign picks the receptor: + {}, - {}; set min = 0 or "
                       "max = 0, or bounds of one sign), found a {} distribution that draws both signs",
                       model.name, model.receptors[0], model.receptors[1],
                       w.type == kind::normal ? "normal" : "uniform"));
}

void check_delay(const field& f, const network::value_dist& d, const model_context& c) {
  using kind = network::value_dist::kind;
  const auto ms = [](double v) { return text(v, dimension::time); };
  switch (d.type) {
    case kind::constant:
      if (!at_least_step(d.a, c.dt()))
        f.fail(fmt::format("expected a delay >= dt ({}), found {}", c.dt_text(), ms(d.a)));
      check_delay_limit(f, d.a, "a delay", c);
      if (!is_step_multiple(d.a, c.dt()))
        f.fail(fmt::format("expected a delay that is a multiple of dt ({}), found {}", c.dt_text(), ms(d.a)));
      return;
    case kind::uniform:
      if (!at_least_step(d.a, c.dt()))
        f["low"].fail(fmt::format("expected low >= dt ({}), so that no delay is shorter than a step, found {}",
                                  c.dt_text(), ms(d.a)));
      check_delay_limit(f["high"], d.b, "a delay bound high", c);
      return;
    case kind::normal:
    case kind::lognormal:
      if (d.type == kind::lognormal && d.a < 0)
        f["mean"].fail(fmt::format("expected a positive mean delay, found {}", ms(d.a)));
      check_delay_limit(f["mean"], d.a, "a mean delay", c);
      if (std::isfinite(d.max)) check_delay_limit(f["max"], d.max, "a delay bound max", c);
      if (!at_least_step(d.min, c.dt())) {
        const field min = f["min"];
        if (min.present())
          min.fail(fmt::format("expected min >= dt ({}), so that no delay is shorter than a step, found {}",
                               c.dt_text(), ms(d.min)));
        min.fail_expected(fmt::format("a lower bound min >= dt ({}) for a {} delay distribution", c.dt_text(),
                                      d.type == kind::normal ? "normal" : "lognormal"));
      }
      return;
  }
}

// The [w_min, w_max] of a plasticity rule, with its defaults.
using weight_bounds = std::optional<std::pair<double, double>>;

// [projections.plasticity]: rule = "NAME" and the rule's parameters; its weight_params (w_min
// and w_max, for some rules the steps too) take the target model's weight unit. Sets bounds to
// the rule's [w_min, w_max] when it has them.
network::plasticity_desc read_plasticity(const field& f, const core::neuron_model_info& model, const model_context& c,
                                         weight_bounds& bounds) {
  f.table("a table such as { rule = \"stdp_pair\", tau_plus = \"20 ms\" }");
  std::vector<std::string> rules;
  for (const auto* r : core::plasticity_rules()) rules.push_back(r->name);
  const field rule_field = f["rule"];
  const std::string expected = fmt::format("a plasticity rule ({})", fmt::join(rules, ", "));
  network::plasticity_desc p;
  p.rule = rule_field.string(expected);
  const auto* info = core::find_plasticity_rule(p.rule);
  if (!info) {
    const std::string hint = core::closest(p.rule, rules);
    rule_field.fail(fmt::format("expected {}, found \"{}\"{}", expected, p.rule,
                                hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  std::vector<std::string> names{"rule"};
  for (const auto& spec : info->params) names.push_back(spec.name);
  f.check_keys(names, fmt::format("a parameter of {}", info->name));
  // The rule's table with its weight parameters in the target's weight unit, so that values
  // are read and shown (also by the rule's check) with that unit.
  core::param_table table = info->params;
  for (auto& spec : table)
    if (std::ranges::count(info->weight_params, spec.name) > 0) spec.dim = model.weight_dim;
  core::param_set values(table);
  for (const auto& [name, v] : f.entries()) {
    if (name == "rule") continue;
    const auto* spec = core::find_param(table, name);
    const double x = read_param_value(v, *spec, spec->dim);
    if (const auto error = spec->check(x); !error.empty()) v.fail(error);
    if (spec->dim == dimension::time) c.check_steps(v, x);
    values.set(name, x);
    p.params.emplace_back(name, x);
  }
  if (info->check)
    if (const auto error = info->check(values); !error.empty()) f.fail(error);
  if (core::find_param(table, "w_min") && core::find_param(table, "w_max"))
    bounds = std::pair{values["w_min"], values["w_max"]};
  return p;
}

// Plastic synapses start within the rule's [w_min, w_max]: checked for every bound of the
// weight that is known here (draws of unbounded distributions are checked when built).
void check_plastic_weight(const field& weight, const network::value_dist& w, const weight_bounds& bounds,
                          dimension weight_dim) {
  if (!bounds) return;
  const auto [lo, hi] = *bounds;
  using kind = network::value_dist::kind;
  const bool constant = w.type == kind::constant, uniform = w.type == kind::uniform;
  const double low = constant || uniform ? w.a : w.min, high = constant ? w.a : uniform ? w.b : w.max;
  const std::string range = fmt::format("the rule's [w_min, w_max] = [{}, {}]", text(lo, weight_dim), text(hi, weight_dim));
  if (constant && (low < lo || high > hi))
    weight.fail(fmt::format("expected an initial weight within {}, found {}", range, text(w.a, weight_dim)));
  const std::string what = uniform ? "low, high" : "min, max";
  if ((std::isfinite(low) && low < lo) || (std::isfinite(high) && high > hi))
    weight.fail(fmt::format("expected initial weights within {}, found a distribution with [{}] = [{}, {}]", range,
                            what, text(low, weight_dim), text(high, weight_dim)));
}

// Projection names become HDF5 group names (/weights/NAME_k), where '/' separates groups and
// '.' names the current one; a plain character set also keeps them safe in file names.
constexpr std::string_view projection_name_text =
    "a projection name of 1 to 255 letters, digits, spaces and _ - + . : < > ( ), not starting with '.' or a space";

bool valid_projection_name(std::string_view name) {
  constexpr std::string_view punctuation = " _-+.:<>()";
  if (name.empty() || name.size() > 255 || name[0] == '.' || name[0] == ' ') return false;
  return std::all_of(name.begin(), name.end(), [&](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || punctuation.find(ch) != std::string_view::npos;
  });
}

network::projection_desc read_projection(const field& e, const model_context& c) {
  e.table("a table describing a projection (source, target, connector, weight, delay, plasticity, receptor)");
  e.check_keys({"name", "source", "target", "connector", "weight", "delay", "plasticity", "receptor"},
               "a key of a projection");
  network::projection_desc p;
  p.where = e.where();
  const auto& src = c.population(e["source"]);
  const auto& tgt = c.population(e["target"]);
  const field target = e["target"];
  const auto& model = model_context::model_of(tgt);
  if (model.is_source)
    target.fail(fmt::format("expected a population that takes synaptic input, found \"{}\" (its model {} is a "
                            "spike source)",
                            tgt.name, tgt.model));
  p.source = src.name;
  p.target = tgt.name;
  p.name = src.name + "->" + tgt.name;
  if (const auto name = e["name"]; name.present()) {
    p.name = name.string(projection_name_text);
    if (!valid_projection_name(p.name)) name.fail(fmt::format("expected {}, found \"{}\"", projection_name_text, p.name));
  }
  if (const field receptor = e["receptor"]; receptor.present()) {
    const std::string expected = fmt::format("a receptor of {} ({})", model.name, fmt::join(model.receptors, ", "));
    p.receptor = receptor.string(expected);
    if (std::find(model.receptors.begin(), model.receptors.end(), p.receptor) == model.receptors.end())
      receptor.fail(fmt::format("expected {}, found \"{}\"", expected, p.receptor));
  }
  const auto columns = read_connector(e["connector"], src, tgt, c, p.connector);
  const std::string file = columns.weight || columns.delay ? e["connector"]["file"].string() : std::string();

  const field weight = e["weight"];
  if (columns.weight) {
    if (weight.present())
      weight.fail(fmt::format("expected no weight here, since {} gives one per connection, found {}", file,
                              describe(*weight.node())));
  } else {
    p.weight = weight.value(model.weight_dim);
    check_weight_sign(weight, p.weight, model);
  }
  const field delay = e["delay"];
  if (columns.delay) {
    if (delay.present())
      delay.fail(fmt::format("expected no delay here, since {} gives one per connection, found {}", file,
                             describe(*delay.node())));
    p.delay.a = c.dt();  // unused: every edge has its own
  } else {
    p.delay = delay.value(dimension::time);
    check_delay(delay, p.delay, c);
  }
  if (const field plasticity = e["plasticity"]; plasticity.present()) {
    if (!p.delay.is_constant() || columns.delay)
      plasticity.fail("expected static synapses, since plastic synapses need one delay for the whole projection, "
                      "found a delay per synapse");
    weight_bounds bounds;
    p.plasticity = read_plasticity(plasticity, model, c, bounds);
    if (!columns.weight) check_plastic_weight(weight, p.weight, bounds, model.weight_dim);
  }
  return p;
}

network::stimulus_desc read_stimulus(const field& e, const model_context& c) {
  e.table("a table describing a stimulus (type, target, ...)");
  std::vector<std::string> type_names, all_keys{"type", "target"};
  for (const auto* t : network::stimuli()) {
    type_names.push_back(t->name);
    for (const auto& o : t->options)
      if (std::find(all_keys.begin(), all_keys.end(), o.name) == all_keys.end()) all_keys.push_back(o.name);
  }
  const field type = e["type"];
  if (!type.present()) e.check_keys(all_keys, "a key of a stimulus");
  const std::string expected = fmt::format("a stimulus type ({})", join(type_names));
  network::stimulus_desc s;
  s.type = type.string(expected);
  const auto* info = network::find_stimulus(s.type);
  if (!info) {
    const std::string hint = core::closest(s.type, type_names);
    type.fail(fmt::format("expected {}, found \"{}\"{}", expected, s.type,
                          hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  e.check_keys(keys_of(info->options, {"type", "target"}), fmt::format("a key of a {} stimulus", s.type));
  s.where = e.where();
  const auto& tgt = c.input_population(e["target"]);
  s.target = tgt.name;
  info->apply(read_options(e, info->options, model_context::model_of(tgt).weight_dim, c), s);
  if (info->check)
    if (const auto error = info->check(s)) e[error->key].fail(error->message);
  return s;
}

}  // namespace

void read_projections(const field& f, model_context& c) {
  if (!f.present()) return;
  f.array("an array of tables, written [[projections]]");
  std::set<std::string> names;
  for (const auto& e : f.elements()) {
    auto p = read_projection(e, c);
    if (const auto name = e["name"]; name.present() && !names.insert(p.name).second)
      name.fail(fmt::format("expected a projection name used once, found \"{}\" again", p.name));
    c.desc.projections.push_back(std::move(p));
  }
}

void read_stimuli(const field& f, model_context& c) {
  if (!f.present()) return;
  f.array("an array of tables, written [[stimuli]]");
  for (const auto& e : f.elements()) c.desc.stimuli.push_back(read_stimulus(e, c));
}

}  // namespace neurite::io::detail
