#include "learn/neuron_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include <ATen/ops/empty.h>

#include "core/rng.hpp"
#include "learn/spike_metrics.hpp"
#include "network/build.hpp"

namespace neurite::learn {
namespace {

// The input groups in input order; dendritic excitation is split further into clusters.
struct input_group {
  const char* name;
  const char* receptor;
  std::uint32_t size;
  double rate, weight;  // [Hz], [nS] signed (NEST's convention: inhibition negative)
};

std::vector<input_group> groups_of(const neuron_io_options& o) {
  std::vector<input_group> g = {{"soma_ex", "ex", o.soma_ex, o.rate_ex, o.w_ex},
                                {"soma_in", "in", o.soma_in, o.rate_in, -o.w_in},
                                {"dend_in", "dend_in", o.dend_in, o.rate_in, -o.w_dend_in}};
  for (std::uint32_t c = 0; c < o.dend_clusters; ++c) {
    const std::uint32_t size = o.dend_ex / o.dend_clusters + (c < o.dend_ex % o.dend_clusters ? 1 : 0);
    g.push_back({"dend_ex", "dend_ex", size, o.rate_ex, o.w_dend_ex});
  }
  return g;
}

std::uint32_t whole_ratio(double a, double b, const char* what) {
  const double r = a / b;
  if (!(r >= 1) || std::abs(r - std::round(r)) > 1e-9 * r)
    throw std::invalid_argument(std::string("neuron_io: expected ") + what + ", found " + std::to_string(a) + " and " +
                                std::to_string(b));
  return static_cast<std::uint32_t>(std::lround(r));
}

void check(const neuron_io_options& o) {
  whole_ratio(o.bin, o.dt, "bin a whole multiple of dt");
  whole_ratio(o.window, o.bin, "window a whole multiple of bin");
  if (!(o.burn_in >= 0 && o.burn_in < o.window))
    throw std::invalid_argument("neuron_io: expected 0 <= burn_in < window, found burn_in = " + std::to_string(o.burn_in));
  if (o.samples == 0) throw std::invalid_argument("neuron_io: expected samples > 0");
  if (o.dend_ex > 0 && o.dend_clusters == 0) throw std::invalid_argument("neuron_io: expected dend_clusters > 0");
  if (!(o.segment > 0 && o.rate_ex >= 0 && o.rate_in >= 0))
    throw std::invalid_argument("neuron_io: expected segment > 0 and rates >= 0");
}

// Spike times [ms] of every input of one sample, in input order. A spike drawn in step s is
// stamped (s + 1) dt, the end of that step, as spike_source emits it.
std::vector<std::vector<double>> input_spikes(const neuron_io_options& o, const std::vector<input_group>& groups,
                                              std::uint32_t sample) {
  const auto steps = static_cast<std::uint64_t>(std::llround(o.window / o.dt));
  const auto seg_steps = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(o.segment / o.dt)));
  const std::uint32_t rates_purpose = core::stream_purpose(core::purpose::learn_tasks, 0);
  const std::uint32_t spikes_purpose = core::stream_purpose(core::purpose::learn_tasks, 1);
  std::vector<std::vector<double>> times;
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    // The group's envelope: spike probability per step, as a 32-bit threshold, per segment.
    core::random_stream envelope(o.seed, rates_purpose, sample, g);
    std::vector<std::uint64_t> threshold((steps + seg_steps - 1) / seg_steps);
    for (auto& t : threshold) {
      const double p = std::min(1.0, 2.0 * envelope.uniform() * groups[g].rate * o.dt * 1e-3);
      t = static_cast<std::uint64_t>(std::llround(std::ldexp(p, 32)));
    }
    for (std::uint32_t i = 0; i < groups[g].size; ++i) {
      core::random_stream draws(o.seed, spikes_purpose, sample, times.size());
      auto& train = times.emplace_back();
      for (std::uint64_t s = 0; s < steps; ++s)
        if (draws.next_u32() < threshold[s / seg_steps]) train.push_back(static_cast<double>(s + 1) * o.dt);
    }
  }
  return times;
}

// The network of one sample: a spike_source population per group, all-to-all onto the neuron
// at the group's receptor with lognormal weights, one step of delay.
network::network_desc describe(const neuron_io_options& o, const std::vector<input_group>& groups,
                               std::vector<std::vector<double>> spikes) {
  network::network_desc d;
  d.file = "neuron_io";
  d.simulation = {o.dt, o.window, o.seed, 1};
  d.populations.push_back({"neuron", "two_compartment_nmda", 1, o.neuron, {}, {}, "neuron_io: neuron"});
  auto next = spikes.begin();
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    const input_group& group = groups[g];
    if (group.size == 0) continue;
    const std::string name = std::string(group.name) + std::to_string(g);
    core::population_data data;
    data.spike_times.assign(std::make_move_iterator(next), std::make_move_iterator(next + group.size));
    next += group.size;
    d.populations.push_back({name, "spike_source", group.size, {}, {}, std::move(data), "neuron_io: " + name});
    const network::value_dist weight{network::value_dist::kind::lognormal, group.weight, 0.5 * std::abs(group.weight)};
    const network::value_dist delay{network::value_dist::kind::constant, o.dt};
    d.projections.push_back({name + "->neuron", name, "neuron", {}, weight, delay, {}, "neuron_io: " + name,
                             group.receptor});
  }
  d.spike_recordings.push_back({"neuron", {}});
  d.state_recordings.push_back({"neuron", "V_m", {0}, o.bin});
  d.state_recordings.push_back({"neuron", "V_d", {0}, o.bin});
  return d;
}

}  // namespace

neuron_io_dataset::neuron_io_dataset(neuron_io_options options) : options_(std::move(options)) { check(options_); }

std::uint32_t neuron_io_dataset::features() const {
  return options_.soma_ex + options_.soma_in + options_.dend_ex + options_.dend_in;
}
std::uint32_t neuron_io_dataset::steps() const { return whole_ratio(options_.window, options_.bin, "window / bin"); }
std::uint32_t neuron_io_dataset::burn_in() const {
  return static_cast<std::uint32_t>(std::ceil(options_.burn_in / options_.bin - 1e-9));
}

neuron_io_sample neuron_io_dataset::simulate(std::uint32_t sample) const {
  const neuron_io_options& o = options_;
  const auto groups = groups_of(o);
  auto spikes = input_spikes(o, groups, o.first_sample + sample);
  const std::uint32_t T = steps(), N = features();
  neuron_io_sample out{std::vector<float>(std::size_t{T} * N), std::vector<float>(T), {}, {}};
  for (std::uint32_t i = 0; i < N; ++i)
    for (const double t : spikes[i])  // emitted in the step that ends at t, which lies in bin (t - dt) / bin
      out.inputs[static_cast<std::size_t>((t - 0.5 * o.dt) / o.bin) * N + i] += 1.0f;
  auto built = network::build(describe(o, groups, std::move(spikes)));
  core::simulation& sim = *built.sim;
  sim.run(o.window);
  const double steps_per_bin = o.bin / o.dt;
  for (const core::spike& s : sim.spike_recorders()[0].spikes)
    out.spikes[static_cast<std::size_t>(static_cast<double>(s.step) / steps_per_bin + 1e-9)] = 1.0f;
  const auto recorded = [&](std::size_t r) {
    std::vector<float> v;
    for (const auto& row : sim.state_recorders()[r].values) v.push_back(static_cast<float>(row[0]));
    return v;
  };
  out.voltage = recorded(0);
  out.dendrite = recorded(1);
  return out;
}

sequence_batch neuron_io_dataset::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  const auto B = static_cast<std::int64_t>(samples.size());
  const std::int64_t T = steps(), N = features();
  sequence_batch out{at::empty({T, B, N}, at::kFloat), at::empty({T, B}, at::kFloat), at::empty({T, B}, at::kFloat)};
  float *inputs = out.inputs.data_ptr<float>(), *spikes = out.spikes.data_ptr<float>(),
        *voltage = out.voltage.data_ptr<float>();
  for (std::int64_t b = 0; b < B; ++b) {
    const std::uint32_t sample = samples[static_cast<std::size_t>(b)];
    if (sample >= count()) throw std::out_of_range("neuron_io: sample " + std::to_string(sample) + " beyond the data set");
    const neuron_io_sample s = simulate(sample);
    for (std::int64_t t = 0; t < T; ++t) {
      std::memcpy(inputs + (t * B + b) * N, s.inputs.data() + t * N, static_cast<std::size_t>(N) * sizeof(float));
      spikes[t * B + b] = s.spikes[static_cast<std::size_t>(t)];
      voltage[t * B + b] = s.voltage[static_cast<std::size_t>(t)];
    }
  }
  return out;
}

neuron_io_statistics measure(const neuron_io_dataset& data, std::uint32_t samples, double plateau_mV) {
  double spikes = 0, in_plateau = 0, bins = 0;
  for (std::uint32_t k = 0; k < samples; ++k) {
    const neuron_io_sample s = data.simulate(k);
    for (std::size_t t = data.burn_in(); t < s.spikes.size(); ++t) {
      bins += 1;
      spikes += s.spikes[t];
      in_plateau += s.spikes[t] > 0 && s.dendrite[t] > plateau_mV ? 1 : 0;
    }
  }
  return {spikes / (bins * data.options().bin * 1e-3), spikes > 0 ? in_plateau / spikes : 0, spikes / bins};
}

double filtered_input_auc(const neuron_io_dataset& data, std::uint32_t samples) {
  const neuron_io_options& o = data.options();
  const std::uint32_t N = data.features(), inhibitory_end = o.soma_ex + o.soma_in;
  std::vector<float> scores, targets;
  for (std::uint32_t k = 0; k < samples; ++k) {
    const neuron_io_sample s = data.simulate(k);
    double trace = 0;
    for (std::size_t t = 0; t < s.spikes.size(); ++t) {
      double net = 0;
      for (std::uint32_t i = 0; i < N; ++i) {
        const bool inhibitory = (i >= o.soma_ex && i < inhibitory_end) || i >= N - o.dend_in;
        net += (inhibitory ? -1.0 : 1.0) * s.inputs[t * N + i];
      }
      trace = trace * std::exp(-o.bin / 10.0) + net;
      if (t < data.burn_in()) continue;
      scores.push_back(static_cast<float>(trace));
      targets.push_back(s.spikes[t]);
    }
  }
  return roc_auc(scores, targets);
}

}  // namespace neurite::learn
