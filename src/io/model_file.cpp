// Entry points of the model-file reader: read the file, parse TOML, apply overrides, then run
// the section readers (sections.hpp). Also [simulation] and [record].
#include "io/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "io/overrides.hpp"
#include "core/text.hpp"
#include "io/sections.hpp"

namespace neurite::io {
namespace detail {

// ---- model_context ------------------------------------------------------------------------

const network::population_desc& model_context::population(const field& f) const {
  std::vector<std::string> names;
  for (const auto& p : desc.populations) names.push_back(p.name);
  const std::string name = f.string(fmt::format("the name of a population ({})", join(names)));
  for (const auto& p : desc.populations)
    if (p.name == name) return p;
  const std::string hint = core::closest(name, names);
  f.fail(fmt::format("expected the name of a population ({}), found \"{}\"{}", join(names), name,
                     hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
}

const network::population_desc& model_context::population_named(const std::string& name) const {
  return *std::find_if(desc.populations.begin(), desc.populations.end(),
                       [&](const auto& p) { return p.name == name; });
}

const network::population_desc& model_context::input_population(const field& f) const {
  const auto& p = population(f);
  if (model_of(p).is_source)
    f.fail(fmt::format("expected a population that takes input, found \"{}\" (its model {} is a spike source)",
                       p.name, p.model));
  return p;
}

const core::neuron_model_info& model_context::model_of(const network::population_desc& p) {
  return *core::find_neuron_model(p.model);  // checked when the population was read
}

std::string model_context::dt_text() const { return core::format_quantity(dt(), core::dimension::time); }

void model_context::check_steps(const std::string& where, const std::string& key, double ms) const {
  if (!(ms / dt() <= max_steps))  // NaN fails too
    fail(where, key, fmt::format("expected a time of {}, found {}", step_limit_text(dt()),
                                 core::format_quantity(ms, core::dimension::time)));
}

// ---- [simulation] -------------------------------------------------------------------------

void read_simulation(const field& f, model_context& c) {
  auto& sim = c.desc.simulation;
  std::string duration_where = f.where();
  bool duration_given = false;
  if (f.present()) {
    f.table("a table [simulation] with dt, duration, seed, threads");
    f.check_keys({"dt", "duration", "seed", "threads"}, "a key of [simulation]");
    if (const auto dt = f["dt"]; dt.present()) {
      sim.dt = dt.quantity(core::dimension::time);
      if (!(sim.dt > 0)) dt.fail(fmt::format("expected a time step > 0 ms, found {}", c.dt_text()));
    }
    if (const auto duration = f["duration"]; duration.present()) {
      sim.duration = duration.quantity(core::dimension::time);
      duration_where = duration.where();
      duration_given = true;
    }
    if (const auto seed = f["seed"]; seed.present())
      sim.seed = seed.unsigned64();
    if (const auto threads = f["threads"]; threads.present())
      sim.threads = static_cast<int>(threads.integer(1, max_threads));
  }
  c.check_steps(duration_where, "simulation.duration", sim.duration);
  if (!is_step_multiple(sim.duration, sim.dt))
    detail::fail(duration_where, "simulation.duration",
                 fmt::format("expected a positive multiple of dt ({}), found {}{}", c.dt_text(),
                             duration_given ? "" : "the default ",
                             core::format_quantity(sim.duration, core::dimension::time)));
}

// ---- [record] -------------------------------------------------------------------------------

namespace {

std::vector<core::index_t> read_ids(const field& f, const network::population_desc& p) {
  const std::string expected = fmt::format("a list of neuron ids of {} (integers in [0, {}])", p.name, p.size - 1);
  f.array(expected);
  std::vector<core::index_t> ids;
  std::set<core::index_t> seen;
  for (const auto& e : f.elements()) {
    const std::string id_text = fmt::format("a neuron id of {}, an integer in [0, {}]", p.name, p.size - 1);
    if (!e.node()->is_integer()) e.fail_expected(id_text);
    const auto v = *e.node()->value<std::int64_t>();
    if (v < 0 || v >= static_cast<std::int64_t>(p.size)) e.fail(fmt::format("expected {}, found {}", id_text, v));
    const auto id = static_cast<core::index_t>(v);
    if (!seen.insert(id).second) e.fail(fmt::format("expected distinct ids, found {} again", id));
    ids.push_back(id);
  }
  if (ids.empty()) f.fail("expected at least one neuron id, found an empty list");
  return ids;
}

// A sampling interval: a positive multiple of dt, dt when absent.
double read_interval(const field& f, const model_context& c) {
  if (!f.present()) return c.dt();
  const double interval = f.quantity(core::dimension::time);
  c.check_steps(f, interval);
  if (!is_step_multiple(interval, c.dt()))
    f.fail(fmt::format("expected a positive multiple of dt ({}), found {}", c.dt_text(),
                       core::format_quantity(interval, core::dimension::time)));
  return interval;
}

void read_state_recording(const field& e, model_context& c) {
  e.table("a table { population = ..., variable = ..., ids = [...], interval = ... }");
  e.check_keys({"population", "variable", "ids", "interval"}, "a key of a state recording");
  const auto& p = c.population(e["population"]);
  const auto& model = model_context::model_of(p);
  std::vector<std::string> names;
  for (const auto& s : model.state) names.push_back(s.name);
  const std::string expected = names.empty()
                                   ? fmt::format("a state variable of {} (it has none)", p.model)
                                   : fmt::format("a state variable of {} ({})", p.model, join(names));
  const field var = e["variable"];
  const std::string name = var.string(expected);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    const std::string hint = core::closest(name, names);
    var.fail(fmt::format("expected {}, found \"{}\"{}", expected, name,
                         hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  network::state_recording_desc r{p.name, name, read_ids(e["ids"], p), c.dt()};
  r.interval = read_interval(e["interval"], c);
  c.desc.state_recordings.push_back(std::move(r));
}

// A pair [source, target] of neuron ids within the projection's populations.
std::pair<core::index_t, core::index_t> read_synapse(const field& e, const network::population_desc& src,
                                                     const network::population_desc& tgt) {
  const std::string expected = fmt::format("a pair [source, target] of neuron ids, within [0, {}] and [0, {}]",
                                           src.size - 1, tgt.size - 1);
  const auto* pair = e.node()->as_array();
  if (!pair || pair->size() != 2 || !(*pair)[0].is_integer() || !(*pair)[1].is_integer()) e.fail_expected(expected);
  const auto s = *(*pair)[0].value<std::int64_t>(), t = *(*pair)[1].value<std::int64_t>();
  if (s < 0 || t < 0 || s >= static_cast<std::int64_t>(src.size) || t >= static_cast<std::int64_t>(tgt.size))
    e.fail(fmt::format("expected {}, found [{}, {}]", expected, s, t));
  return {static_cast<core::index_t>(s), static_cast<core::index_t>(t)};
}

void read_weight_recording(const field& e, model_context& c) {
  e.table("a table { projection = ..., synapses = [[source, target], ...] or targets = [...], interval = ... }");
  e.check_keys({"projection", "synapses", "targets", "interval"}, "a key of a weight recording");
  const field name = e["projection"];
  const std::string wanted = name.string("the name of a plastic projection");
  std::vector<std::string> plastic;
  const network::projection_desc* proj = nullptr;
  for (const auto& p : c.desc.projections) {
    if (!p.plasticity) continue;
    plastic.push_back(p.name);
    if (p.name == wanted) proj = proj ? nullptr : &p;  // ambiguous names do not count
  }
  if (!proj)
    name.fail(fmt::format("expected the name of one plastic projection ({}), found \"{}\"",
                          plastic.empty() ? std::string("there is none") : join(plastic), wanted));
  network::weight_recording_desc r{proj->name, {}, {}, c.dt(), e.where()};
  const field synapses = e["synapses"], targets = e["targets"];
  if (targets.present()) r.targets = read_ids(targets, c.population_named(proj->target));
  if (synapses.present() || !targets.present()) {
    synapses.array("a list of pairs [source, target] (or targets = [...]: every synapse onto these neurons)");
    for (const auto& s : synapses.elements())
      r.synapses.push_back(read_synapse(s, c.population_named(proj->source), c.population_named(proj->target)));
    if (r.synapses.empty()) synapses.fail("expected at least one pair [source, target], found an empty list");
  }
  r.interval = read_interval(e["interval"], c);
  c.desc.weight_recordings.push_back(std::move(r));
}

}  // namespace

void read_record(const field& f, model_context& c) {
  // Default bin: the multiple of dt nearest 1 ms.
  c.desc.rate_bin = std::max(1.0, std::round(1.0 / c.dt())) * c.dt();
  if (!f.present()) return;
  f.table("a table [record] with spikes, state, weights and rate_bin");
  f.check_keys({"spikes", "state", "weights", "rate_bin"}, "a key of [record]");
  if (const auto spikes = f["spikes"]; spikes.present()) {
    spikes.array("a list of population names or tables { population = ..., ids = [...] }");
    std::set<std::string> seen;
    for (const auto& e : spikes.elements()) {
      network::spike_recording_desc r;
      if (e.node()->is_table()) {
        e.check_keys({"population", "ids"}, "a key of a spike recording");
        const auto& p = c.population(e["population"]);
        r.population = p.name;
        if (const auto ids = e["ids"]; ids.present()) r.ids = read_ids(ids, p);
      } else if (e.node()->is_string()) {
        r.population = c.population(e).name;
      } else {
        e.fail_expected("a population name or a table { population = ..., ids = [...] }");
      }
      if (!seen.insert(r.population).second)
        e.fail(fmt::format("expected each population at most once, found \"{}\" again", r.population));
      c.desc.spike_recordings.push_back(std::move(r));
    }
  }
  if (const auto state = f["state"]; state.present()) {
    state.array("a list of tables { population = ..., variable = ..., ids = [...], interval = ... }");
    for (const auto& e : state.elements()) read_state_recording(e, c);
  }
  if (const auto weights = f["weights"]; weights.present()) {
    weights.array("a list of tables { projection = ..., synapses = [[source, target], ...], interval = ... }");
    for (const auto& e : weights.elements()) read_weight_recording(e, c);
  }
  if (const auto bin = f["rate_bin"]; bin.present()) {
    c.desc.rate_bin = bin.quantity(core::dimension::time);
    c.check_steps(bin, c.desc.rate_bin);
    if (!is_step_multiple(c.desc.rate_bin, c.dt()))
      bin.fail(fmt::format("expected a positive multiple of dt ({}), found {}", c.dt_text(),
                           core::format_quantity(c.desc.rate_bin, core::dimension::time)));
  }
}

}  // namespace detail

// ---- entry points ---------------------------------------------------------------------------

network::network_desc parse_model(std::string_view text, const std::string& file_name,
                                  const override_list& overrides) {
  using namespace detail;
  toml::table root = parse_toml(text, file_name);
  origins o(file_name);
  apply_overrides(root, overrides, o);

  network::network_desc desc;
  desc.file = file_name;
  model_context c{desc, std::filesystem::path(file_name).parent_path()};
  const field top = field::root(o, root);
  top.check_keys({"simulation", "populations", "projections", "stimuli", "record"}, "a section of a model file");
  read_simulation(top["simulation"], c);
  read_populations(top["populations"], c);
  read_projections(top["projections"], c);
  read_stimuli(top["stimuli"], c);
  read_record(top["record"], c);
  return desc;
}

std::vector<std::string> override_texts(const override_list& overrides) {
  std::vector<std::string> texts;
  for (const auto& o : overrides) texts.push_back(o.text);
  return texts;
}

override_value option_override(std::string_view key, std::string_view text, std::string origin, bool integer) {
  const std::string_view number = text.starts_with('-') ? text.substr(1) : text;
  const bool digits =
      !number.empty() && std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (integer && digits) return {fmt::format("{}={}", key, text), std::move(origin)};
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\')
      quoted += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      quoted += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    else
      quoted += c;
  }
  return {fmt::format("{}={}\"", key, quoted), std::move(origin)};
}

std::string read_model_text(const std::string& path) { return read_config_text(path, "model file"); }

network::network_desc read_model_file(const std::string& path, const override_list& overrides) {
  return parse_model(read_model_text(path), path, overrides);
}

}  // namespace neurite::io
