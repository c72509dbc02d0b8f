#include "network/build.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/rng.hpp"
#include "network/catalog.hpp"
#include "network/connectors.hpp"

namespace neurite::network {
namespace {
using core::index_t;

std::size_t available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kb = 0;
  while (meminfo >> key >> kb) {
    if (key == "MemAvailable:") return kb * 1024;
    meminfo.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::numeric_limits<std::size_t>::max();  // unknown: do not refuse
}

std::map<std::string, std::uint32_t, std::less<>> population_index(const network_desc& d) {
  std::map<std::string, std::uint32_t, std::less<>> index;
  for (std::uint32_t p = 0; p < d.populations.size(); ++p) index[d.populations[p].name] = p;
  return index;
}

// A message about projection k in the promised form "FILE:LINE: KEY: expected ..., found ...".
[[noreturn]] void projection_error(const projection_desc& pd, std::uint32_t k, std::string_view key,
                                   std::string_view what) {
  throw build_error(fmt::format("{}: projections[{}]{}{}: {}", pd.where, k, key.empty() ? "" : ".", key, what));
}

const core::neuron_model_info& model_of(const population_desc& p) {
  const auto* m = core::find_neuron_model(p.model);
  if (!m)
    throw build_error(fmt::format("{}: populations.{}.model: expected a neuron model (neurite info lists them), found \"{}\"",
                                  p.where, p.name, p.model));
  return *m;
}

// The value a distribution is centred on, whose sign decides the receptor.
double centre(const value_dist& d) { return d.type == value_dist::kind::uniform ? (d.a + d.b) / 2 : d.a; }

std::uint32_t receptor_for(const core::neuron_model_info& m, const projection_desc& pd, std::uint32_t k) {
  if (pd.receptor.empty()) return m.receptors.size() >= 2 && centre(pd.weight) < 0 ? 1 : 0;
  const auto named = std::find(m.receptors.begin(), m.receptors.end(), pd.receptor);
  if (named == m.receptors.end())
    projection_error(pd, k, "receptor",
                     fmt::format("expected a receptor of {} ({}), found \"{}\"", m.name, fmt::join(m.receptors, ", "),
                                 pd.receptor));
  return static_cast<std::uint32_t>(named - m.receptors.begin());
}

// Weights keep the sign of their projection (inhibitory draws never turn excitatory) on
// two-receptor models; delays never fall below one step.
projection_plan make_plan(const network_desc& d, std::uint32_t k, const std::vector<index_t>& sizes,
                          const std::map<std::string, std::uint32_t, std::less<>>& index) {
  const projection_desc& pd = d.projections[k];
  const std::uint32_t src = index.at(pd.source), tgt = index.at(pd.target);
  projection_plan plan{&pd, k, sizes[src], sizes[tgt], src == tgt, d.simulation.dt, d.simulation.seed,
                       pd.weight, pd.delay, !pd.weight.is_constant(), !pd.delay.is_constant()};
  if (model_of(d.populations[tgt]).receptors.size() >= 2) {
    if (centre(pd.weight) < 0) plan.weight.max = std::min(plan.weight.max, 0.0);
    else plan.weight.min = std::max(plan.weight.min, 0.0);
  }
  plan.delay.min = std::max(plan.delay.min, d.simulation.dt);
  for (const auto& e : pd.connector.edges) {
    if (e.source >= plan.n_source || e.target >= plan.n_target)
      projection_error(pd, k, "connector",
                       fmt::format("expected edges within populations of {} and {} neurons, found {} -> {}",
                                   plan.n_source, plan.n_target, e.source, e.target));
    plan.weight_per_synapse = plan.weight_per_synapse || e.weight.has_value();
    plan.delay_per_synapse = plan.delay_per_synapse || e.delay.has_value();
  }
  return plan;
}

std::uint16_t delay_bound_steps(const projection_desc& pd, std::uint32_t k, double dt) {
  const double steps = std::max(1.0, std::round(pd.delay.a / dt));
  if (steps > max_delay_steps)
    projection_error(pd, k, "delay",
                     fmt::format("expected a delay of {}, found {}", max_delay_text(dt),
                                 core::format_quantity(pd.delay.a, core::dimension::time)));
  return static_cast<std::uint16_t>(steps);
}

std::unique_ptr<core::plasticity_rule> make_plasticity(const projection_desc& pd, std::uint32_t k, double dt) {
  const auto* rule = core::find_plasticity_rule(pd.plasticity->rule);
  if (!rule) projection_error(pd, k, "plasticity.rule", fmt::format("expected a plasticity rule, found \"{}\"",
                                                                    pd.plasticity->rule));
  core::param_set values(rule->params);
  for (const auto& [name, x] : pd.plasticity->params) values.set(name, x);
  if (rule->check)
    if (const auto error = rule->check(values); !error.empty()) projection_error(pd, k, "plasticity", error);
  return rule->make(values, dt);
}

// Plastic synapses share one delay, and start within the rule's weight bounds (the reader
// checks the bounds it can see; draws of an unbounded distribution are checked here).
void check_plastic(const core::projection& proj, const projection_desc& pd, std::uint32_t k, bool delay_per_synapse,
                   core::dimension weight_dim) {
  if (delay_per_synapse)
    projection_error(pd, k, "delay", "expected one delay for a plastic projection, found a delay per synapse");
  const double lo = proj.plasticity->weight_min(), hi = proj.plasticity->weight_max();
  const auto outside = [&](float w) { return w < lo || w > hi; };
  const auto fail = [&](float w) {
    projection_error(pd, k, "weight",
                     fmt::format("expected initial weights within the rule's [w_min, w_max] = [{}, {}], found {}",
                                 core::format_quantity(lo, weight_dim), core::format_quantity(hi, weight_dim),
                                 core::format_quantity(w, weight_dim)));
  };
  for (const auto& b : proj.blocks) {
    if (b.weight.empty() && b.size() > 0 && outside(proj.weight)) fail(proj.weight);
    if (const auto w = std::find_if(b.weight.begin(), b.weight.end(), outside); w != b.weight.end()) fail(*w);
  }
}

void add_projection(core::simulation& sim, const network_desc& d, std::uint32_t k,
                    const std::map<std::string, std::uint32_t, std::less<>>& index) {
  std::vector<index_t> sizes;
  for (const auto& p : d.populations) sizes.push_back(p.size);
  const projection_plan plan = make_plan(d, k, sizes, index);
  const projection_desc& pd = d.projections[k];
  core::projection proj;
  proj.name = pd.name;
  proj.source = index.at(pd.source);
  proj.target = index.at(pd.target);
  proj.receptor = receptor_for(model_of(d.populations[proj.target]), pd, k);
  proj.weight = static_cast<float>(pd.weight.a);
  proj.blocks.resize(static_cast<std::size_t>(sim.workers()));
  sim.team().run([&](int w) {
    generate_synapses(plan, sim.slice_begin(proj.target, w), sim.slice_end(proj.target, w),
                      proj.blocks[static_cast<std::size_t>(w)]);
  });
  if (plan.delay_per_synapse) {
    std::uint16_t lo = 65535, hi = 1;
    for (const auto& b : proj.blocks)
      for (const auto s : b.delay) lo = std::min(lo, s), hi = std::max(hi, s);
    proj.delay = std::min(lo, hi);
    proj.max_delay = hi;
  } else {
    proj.delay = proj.max_delay = delay_bound_steps(pd, k, d.simulation.dt);
  }
  if (pd.plasticity) {
    proj.plasticity = make_plasticity(pd, k, d.simulation.dt);
    check_plastic(proj, pd, k, plan.delay_per_synapse, model_of(d.populations[proj.target]).weight_dim);
  }
  sim.add_projection(std::move(proj));
}

void set_initial_state(core::simulation& sim, std::uint32_t p, const population_desc& pd, std::uint64_t seed) {
  auto& pop = sim.populations()[p];
  for (std::uint32_t v = 0; v < pd.initial.size(); ++v) {
    const auto& [name, dist] = pd.initial[v];
    double* x = pop.dynamics->state(name);
    if (!x)
      throw build_error(fmt::format("{}: populations.{}.initial.{}: expected a state variable of {}, found \"{}\"",
                                    pd.where, pd.name, name, pd.model, name));
    for (index_t i = 0; i < pd.size; ++i) {
      core::random_stream s(seed, core::stream_purpose(core::purpose::initial_state, p), i, v);
      x[i] = draw(dist, s);
    }
  }
}

void add_stimulus(core::simulation& sim, const network_desc& d, std::uint32_t k,
                  const std::map<std::string, std::uint32_t, std::less<>>& index) {
  const stimulus_desc& sd = d.stimuli[k];
  const auto* info = find_stimulus(sd.type);
  if (!info)
    throw build_error(fmt::format("{}: stimuli[{}].type: expected a stimulus type (neurite info lists them), found \"{}\"",
                                  sd.where, k, sd.type));
  const std::uint32_t tgt = index.at(sd.target);
  sim.add_stimulus(info->make(sd, {tgt, &model_of(d.populations[tgt]), d.simulation.dt, d.simulation.seed,
                                   core::stream_purpose(core::purpose::stimulus, k)}));
}

void add_recorders(core::simulation& sim, const network_desc& d,
                   const std::map<std::string, std::uint32_t, std::less<>>& index) {
  for (const auto& r : d.spike_recordings) {
    const std::uint32_t p = index.at(r.population);
    std::vector<std::uint8_t> mask;
    if (!r.ids.empty()) {
      mask.assign(d.populations[p].size, 0);
      for (const index_t id : r.ids) mask.at(id) = 1;
    }
    sim.record_spikes(p, std::move(mask));
  }
  for (const auto& r : d.state_recordings)
    sim.record_state(index.at(r.population), r.variable, r.ids, core::steps_of(r.interval, d.simulation.dt));
  for (std::size_t i = 0; i < d.weight_recordings.size(); ++i) {
    const auto& r = d.weight_recordings[i];
    std::uint32_t p = 0;
    while (p < d.projections.size() && d.projections[p].name != r.projection) ++p;
    auto synapses = r.synapses;
    if (!r.targets.empty())
      for (const auto& w : sim.weights(p, r.targets)) synapses.emplace_back(w.source, w.target);
    try {
      sim.record_weights(p, std::move(synapses), core::steps_of(r.interval, d.simulation.dt));
    } catch (const std::invalid_argument& e) {
      throw build_error(fmt::format("{}: record.weights[{}].synapses: expected synapses that projection {} has, "
                                    "found one it lacks ({})",
                                    r.where, i, r.projection, e.what()));
    }
  }
}

}  // namespace

std::string max_delay_text(double dt) {
  return fmt::format("at most {:.0f} steps of dt ({})", max_delay_steps,
                     core::format_quantity(max_delay_steps * dt, core::dimension::time));
}

memory_estimate estimate_memory(const network_desc& d) {
  memory_estimate m;
  const auto index = population_index(d);
  const auto threads = static_cast<double>(std::max(d.simulation.threads, 1));
  double largest_temp = 0, max_delay = 1;
  std::vector<memory_part> parts;
  for (std::size_t k = 0; k < d.projections.size(); ++k) {
    const auto& pd = d.projections[k];
    const auto& src = d.populations[index.at(pd.source)];
    const auto& tgt = d.populations[index.at(pd.target)];
    const double n = expected_synapses(pd.connector, src.size, tgt.size, pd.source == pd.target);
    const bool w = !pd.weight.is_constant() || pd.connector.type == connector_desc::rule::explicit_list;
    const bool dl = !pd.delay.is_constant() || pd.connector.type == connector_desc::rule::explicit_list;
    const bool plastic = pd.plasticity.has_value();  // a weight each and a by-target index entry
    parts.push_back({pd.where, fmt::format("projections[{}]", k), pd.name,
                     n * (4.0 + (w || plastic ? 4 : 0) + (dl ? 2 : 0) + (plastic ? 8 : 0)) + 4.0 * src.size * threads});
    largest_temp = std::max(largest_temp, n * (8.0 + (w ? 4 : 0) + (dl ? 2 : 0)));
    max_delay = std::max(max_delay, (pd.delay.is_constant() ? pd.delay.a : pd.delay.max) / d.simulation.dt);
    m.synapses += static_cast<std::size_t>(n);
  }
  for (const auto& p : d.populations)  // state (~16 doubles), ISI statistics, ring buffers
    parts.push_back({p.where, "populations." + p.name, "",
                     static_cast<double>(p.size) * (16 * 8 + 40 + 2 * 8 * std::min(max_delay + 1, max_delay_steps + 1))});
  // Recorded data streams to spikes.h5 (run_options::drain, 2 MB at a time, and io's copies while
  // it writes); state recorders also hold the rows of one interval (at most max_delay steps).
  double bytes = largest_temp + 3 * 2e6;
  const double interval = std::min(max_delay, max_delay_steps + 1);
  for (const auto& r : d.state_recordings)
    bytes += static_cast<double>(r.ids.size()) * 8 * (interval / std::max(1.0, r.interval / d.simulation.dt) + 1);
  for (auto& part : parts) {
    bytes += part.bytes;
    part.bytes = std::min(part.bytes, 1e19);  // as the total: no more digits than a size_t holds
  }
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  parts.resize(std::min<std::size_t>(parts.size(), 3));
  m.largest = std::move(parts);
  m.bytes = static_cast<std::size_t>(std::min(bytes, 1e19));
  m.available = available_memory();
  return m;
}

namespace {
std::string gigabytes(double bytes) { return fmt::format("{:.3g} GB", bytes / 1e9); }

// Located at the entry that needs the most, naming the largest ones and both figures.
[[noreturn]] void memory_error(const network_desc& d, const memory_estimate& m) {
  std::vector<std::string> parts;
  for (const auto& p : m.largest)
    parts.push_back(fmt::format("{}{} {}", p.key, p.name.empty() ? "" : fmt::format(" ({})", p.name), gigabytes(p.bytes)));
  const bool located = !m.largest.empty() && !m.largest[0].where.empty();
  throw build_error(fmt::format(
      "{}: {}: expected a network that fits in the {} of memory available, found one that needs about {} ({:.3g} "
      "synapses), most of it for {}",
      located ? m.largest[0].where : d.file, m.largest.empty() ? "network" : m.largest[0].key,
      gigabytes(static_cast<double>(m.available)), gigabytes(static_cast<double>(m.bytes)),
      static_cast<double>(m.synapses), fmt::join(parts, ", ")));
}
}  // namespace

build_result build(const network_desc& d) {
  const auto t0 = std::chrono::steady_clock::now();
  build_result r;
  r.estimate = estimate_memory(d);
  if (r.estimate.bytes > r.estimate.available) memory_error(d, r.estimate);
  const auto index = population_index(d);
  r.sim = std::make_unique<core::simulation>(d.simulation.dt, d.simulation.seed, d.simulation.threads);
  r.sim->set_rate_bin(core::steps_of(d.rate_bin, d.simulation.dt));
  for (std::uint32_t p = 0; p < d.populations.size(); ++p) {
    const auto& pd = d.populations[p];
    const auto& model = model_of(pd);
    core::param_set params(model.params);
    for (const auto& [name, value] : pd.params) params.set(name, value);
    r.sim->add_population(pd.name, model, params, pd.size, pd.data);
    set_initial_state(*r.sim, p, pd, d.simulation.seed);
  }
  for (std::uint32_t k = 0; k < d.projections.size(); ++k) add_projection(*r.sim, d, k, index);
  for (std::uint32_t k = 0; k < d.stimuli.size(); ++k) add_stimulus(*r.sim, d, k, index);
  add_recorders(*r.sim, d, index);
  r.build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace neurite::network
