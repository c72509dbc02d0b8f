#include "memory/ca3_cam.hpp"

#include <chrono>
#include <stdexcept>

#include "network/build.hpp"

namespace neurite::memory {
namespace {
using core::index_t;
using network::connector_desc;
using network::value_dist;

// The paper's neuron parameters (PyNN IF_curr_exp; cm in nF there, pF here).
network::population_desc layer(const std::string& name, index_t size, double c_m, double tau_m, double v_th = -57) {
  network::population_desc p;
  p.name = name;
  p.model = "if_curr_exp_spinnaker";
  p.size = size;
  p.params = {{"C_m", c_m}, {"tau_m", tau_m}, {"t_ref", 1.0}, {"tau_syn_ex", 0.3}, {"tau_syn_in", 0.3},
              {"E_L", -60.0}, {"V_reset", -60.0}, {"V_th", v_th}};
  p.where = "ca3_cam " + name;
  return p;
}

connector_desc rule(connector_desc::rule r) {
  connector_desc c;
  c.type = r;
  return c;
}

// Explicit edges i -> i + shift (shift may be negative), for source ids [from, from + n).
connector_desc shifted(index_t from, index_t n, std::int64_t shift) {
  connector_desc c = rule(connector_desc::rule::explicit_list);
  for (index_t i = from; i < from + n; ++i) c.edges.push_back({i, static_cast<index_t>(i + shift), {}, {}});
  return c;
}

// Every i -> j with i != j: the code's AllToAllConnector(allow_self_connections=False).
connector_desc all_but_same_index(index_t n) {
  connector_desc c = rule(connector_desc::rule::explicit_list);
  for (index_t i = 0; i < n; ++i)
    for (index_t j = 0; j < n; ++j)
      if (i != j) c.edges.push_back({i, j, {}, {}});
  return c;
}

// Weights in nA as the paper gives them (negative: inhibitory), delays in ms.
void connect(network::network_desc& d, const std::string& src, const std::string& tgt, connector_desc c,
             double weight_nA, double delay_ms, std::optional<network::plasticity_desc> plasticity = {}) {
  network::projection_desc p;
  p.name = src + "->" + tgt + (weight_nA < 0 ? ":inh" : "");
  p.source = src;
  p.target = tgt;
  p.connector = std::move(c);
  p.weight = {value_dist::kind::constant, weight_nA * 1000};
  p.delay = {value_dist::kind::constant, delay_ms};
  p.plasticity = std::move(plasticity);
  p.where = "ca3_cam " + p.name;
  d.projections.push_back(std::move(p));
}

// SpikePairRule(tau 3 ms, A 6) with AdditiveWeightDependence(0, 6 nA), weights from 0; sPyNNaker
// applies A as 6 nA per pair (stdp_pair_spinnaker).
network::plasticity_desc stdp(core::index_t history) {
  return {"stdp_pair_spinnaker",
          {{"tau_plus", 3.0},
           {"tau_minus", 3.0},
           {"A_plus", 6000.0},
           {"A_minus", 6000.0},
           {"w_min", 0.0},
           {"w_max", 6000.0},
           {"history", static_cast<double>(history)}}};
}

}  // namespace

std::vector<std::string> ca3_cam_layers::all() const {
  return {cue_cue, cont_cue, cont_cond, cont_cond_int, cue_cont, cont_cont, merge_cue, merge_cont};
}

ca3_cam_layers add_ca3_cam(network::network_desc& d, const ca3_cam_size& size, const std::string& input,
                           const std::string& prefix) {
  if (d.simulation.dt != 1.0) throw std::invalid_argument("the CA3 memory runs at dt = 1 ms");
  if (size.cues == 0 || size.bits == 0) throw std::invalid_argument("the CA3 memory needs at least one cue and one bit");
  const index_t n = size.cues, m = size.bits;
  ca3_cam_layers l{prefix + "cueCueRecall", prefix + "contCueRecall", prefix + "contCond", prefix + "contCondInt",
                   prefix + "cueContRecall", prefix + "contContRecall", prefix + "mergeCue", prefix + "mergeCont",
                   "", ""};
  for (auto p : {layer(l.cue_cue, n, 270, 3), layer(l.cue_cont, n, 140, 0.5), layer(l.cont_cue, m, 270, 3),
                 layer(l.cont_cont, m, 270, 3), layer(l.cont_cond, m, 140, 0.5), layer(l.cont_cond_int, 1, 140, 0.5),
                 layer(l.merge_cue, n, 270, 3), layer(l.merge_cont, m, 270, 3)})
    d.populations.push_back(std::move(p));
  using r = connector_desc::rule;
  const double inh = -6.0 * m;  // lateral inhibition scales with the content size
  connect(d, input, l.cue_cue, shifted(0, n, 0), 6, 1);
  connect(d, input, l.cont_cue, shifted(n, m, -static_cast<std::int64_t>(n)), 6, 1);
  connect(d, l.cue_cue, l.cue_cont, rule(r::one_to_one), 6, 2);
  connect(d, l.cue_cue, l.cue_cont, all_but_same_index(n), inh, 3);
  connect(d, l.cue_cue, l.cont_cond, rule(r::all_to_all), -6, 2);
  connect(d, l.cont_cue, l.cont_cond, rule(r::one_to_one), 9, 1);
  connect(d, l.cont_cue, l.cont_cond_int, rule(r::all_to_all), 6, 1);
  connect(d, l.cont_cond_int, l.cont_cond, rule(r::all_to_all), 2, 1);
  connect(d, l.cont_cond, l.cont_cont, rule(r::one_to_one), 6, 1);
  connect(d, l.cue_cont, l.cue_cont, all_but_same_index(n), inh, 2);
  connect(d, l.cue_cue, l.cont_cue, rule(r::all_to_all), 0, 1, stdp(size.stdp_history));
  l.cue_to_content = d.projections.back().name;
  connect(d, l.cont_cont, l.cue_cont, rule(r::all_to_all), 0, 1, stdp(size.stdp_history));
  l.content_to_cue = d.projections.back().name;
  connect(d, l.cue_cue, l.merge_cue, rule(r::one_to_one), 6, 3);
  connect(d, l.cue_cont, l.merge_cue, rule(r::one_to_one), 6, 1);
  connect(d, l.cont_cue, l.merge_cont, rule(r::one_to_one), 6, 3);
  connect(d, l.cont_cont, l.merge_cont, rule(r::one_to_one), 6, 1);
  return l;
}

void connect_ca3_output(network::network_desc& d, const ca3_cam_layers& layers, const ca3_cam_size& size,
                        const std::string& output) {
  connect(d, layers.merge_cue, output, shifted(0, size.cues, 0), 6, 1);
  connect(d, layers.merge_cont, output, shifted(0, size.bits, size.cues), 6, 1);
}

std::vector<std::vector<std::int64_t>> ca3_input_steps(const std::vector<ca3_operation>& ops,
                                                       const ca3_cam_size& size) {
  std::vector<std::vector<std::int64_t>> steps(size.cues + size.bits);
  for (const auto& op : ops) {
    const int repeats = op.type == ca3_operation::kind::learn ? 3 : 1;
    if (op.cue >= static_cast<std::int64_t>(size.cues)) throw std::invalid_argument("cue out of range");
    for (int k = 0; k < repeats; ++k) {
      if (op.cue >= 0 && op.type != ca3_operation::kind::recall_by_content)
        steps[static_cast<std::size_t>(op.cue)].push_back(op.step + k);
      if (op.type == ca3_operation::kind::recall_by_cue) continue;
      for (const index_t b : op.bits) {
        if (b >= size.bits) throw std::invalid_argument("content bit out of range");
        steps[size.cues + b].push_back(op.step + k);
      }
    }
  }
  return steps;
}

ca3_run run_ca3_cam(const ca3_cam_size& size, const std::vector<ca3_operation>& ops, std::int64_t steps, int threads) {
  network::network_desc d;
  d.file = "ca3_cam";
  d.simulation = {1.0, static_cast<double>(steps), 1, threads};
  network::population_desc input{"input", "spike_source", size.cues + size.bits, {}, {}, {}, "ca3_cam input"};
  // A spike stamped t + 1 ms is emitted in step t (the kernel stamps the end of the step).
  for (const auto& neuron : ca3_input_steps(ops, size)) {
    auto& times = input.data.spike_times.emplace_back();
    for (const auto s : neuron) times.push_back(static_cast<double>(s + 1));
  }
  d.populations.push_back(std::move(input));
  const auto layers = add_ca3_cam(d, size, "input");
  d.populations.push_back(layer("output", size.cues + size.bits, 270, 3, -57.5));
  connect_ca3_output(d, layers, size, "output");
  ca3_run run;
  run.names = {"input"};
  for (const auto& name : layers.all()) run.names.push_back(name);
  run.names.push_back("output");
  for (const auto& name : run.names) d.spike_recordings.push_back({name, {}});

  auto built = network::build(d);
  const auto t0 = std::chrono::steady_clock::now();
  built.sim->run(static_cast<double>(steps));
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (std::size_t r = 0; r < run.names.size(); ++r) {
    const auto& rec = built.sim->spike_recorders()[r];
    auto& per_neuron = run.spikes.emplace_back(built.sim->populations()[rec.population].size);
    for (const auto& s : rec.spikes) per_neuron[s.id].push_back(s.step);
  }
  const auto& projs = built.sim->projections();
  for (std::uint32_t p = 0; p < projs.size(); ++p) {
    if (projs[p].name != layers.cue_to_content) continue;
    run.weights_cue_to_content.assign(size.cues, std::vector<float>(size.bits, 0.0f));
    for (const auto& s : built.sim->weights(p)) run.weights_cue_to_content[s.source][s.target] = s.weight;
  }
  return run;
}

std::vector<index_t> ca3_active(const ca3_run& run, const std::string& population, std::int64_t from,
                                std::int64_t to) {
  std::size_t p = 0;
  while (p < run.names.size() && run.names[p] != population) ++p;
  if (p == run.names.size()) throw std::invalid_argument("no population " + population + " in the CA3 run");
  std::vector<index_t> out;
  for (index_t i = 0; i < run.spikes[p].size(); ++i)
    for (const auto s : run.spikes[p][i])
      if (s >= from && s < to) {
        out.push_back(i);
        break;
      }
  return out;
}

}  // namespace neurite::memory
