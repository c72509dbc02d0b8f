#include "analysis/hub_glm.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "analysis/glm.hpp"
#include "core/rng.hpp"

namespace neurite::analysis {
namespace {

// A smooth signal of `bins` values with zero mean and unit variance: three cosines of random
// phase and amplitude; `period(k)` gives each one's period in bins.
template <class Period>
std::vector<double> smooth_signal(std::size_t bins, core::random_stream& r, Period period) {
  std::vector<double> s(bins, 0.0);
  for (int k = 0; k < 3; ++k) {
    const double p = period(k), phase = 2 * std::numbers::pi * r.uniform(), a = 0.5 + r.uniform();
    for (std::size_t t = 0; t < bins; ++t) s[t] += a * std::cos(2 * std::numbers::pi * static_cast<double>(t) / p + phase);
  }
  double mean = 0, sq = 0;
  for (const double v : s) mean += v;
  mean /= static_cast<double>(bins);
  for (const double v : s) sq += (v - mean) * (v - mean);
  const double sd = std::sqrt(sq / static_cast<double>(bins));
  for (double& v : s) v = sd > 0 ? (v - mean) / sd : 0.0;
  return s;
}

}  // namespace

hub_glm plant_hub_glm(const hub_glm_options& o, std::uint64_t seed, std::uint32_t purpose) {
  const std::size_t N = o.neurons;
  if (N < 2 || o.bins < 2 || o.hubs == 0 || o.hubs > N || o.targets_per_hub >= N)
    throw std::invalid_argument("hub_glm: needs 2 <= neurons, 2 <= bins, 1 <= hubs <= neurons, targets_per_hub < neurons");
  if (!(o.base_rate > 0 && o.base_rate < 1)) throw std::invalid_argument("hub_glm: base_rate must lie in (0, 1)");
  hub_glm m;
  m.options = o;
  m.basis = exponential_basis(o.basis_size);
  m.bias.assign(N, std::log(o.base_rate / (1 - o.base_rate)));
  m.gain.assign(N, o.stimulus_gain);
  m.beta.assign(N, 0.0);
  // The first third of the neurons follow the behaviour, alternately up and down.
  for (std::size_t n = 0; n < N / 3; ++n) m.beta[n] = (n % 2 ? -1.0 : 1.0) * o.behaviour_gain;
  m.weights.assign(N * N, 0.0);
  core::random_stream r(seed, purpose, 0, 0);
  for (std::size_t h = 0; h < o.hubs; ++h) {
    const auto hub = static_cast<int>(h * N / o.hubs);
    m.hub_ids.push_back(hub);
    for (std::size_t placed = 0; placed < o.targets_per_hub;) {
      const std::size_t post = r.below(static_cast<std::uint32_t>(N));
      if (static_cast<int>(post) == hub || m.weights[post * N + static_cast<std::size_t>(hub)] != 0) continue;
      m.weights[post * N + static_cast<std::size_t>(hub)] = o.hub_weight;
      ++placed;
    }
  }
  // Each neuron's stimulus response: 1 to 4 cycles per trial, the same on every trial.
  m.stimulus.assign(o.bins * N, 0.0);
  for (std::size_t n = 0; n < N; ++n) {
    core::random_stream s(seed, purpose, 0, 1 + n);
    const auto signal = smooth_signal(o.bins, s, [&](int) { return static_cast<double>(o.bins) / (1.0 + s.below(4)); });
    for (std::size_t t = 0; t < o.bins; ++t) m.stimulus[t * N + n] = signal[t];
  }
  return m;
}

glm_trial sample_hub_glm(const hub_glm& m, std::uint32_t trial, std::uint64_t seed, std::uint32_t purpose) {
  const auto& o = m.options;
  const std::size_t N = o.neurons, T = o.bins;
  glm_trial out;
  out.spikes.assign(T * N, 0);
  out.behaviour.assign(T, 0.0);
  if (o.behaviour_gain != 0) {
    core::random_stream b(seed, purpose, 1 + trial, T);
    out.behaviour = smooth_signal(T, b, [&](int) { return o.behaviour_period * (0.5 + b.uniform()); });
  }
  std::vector<double> h(N);
  for (std::size_t t = 0; t < T; ++t) {
    core::random_stream r(seed, purpose, 1 + trial, t);
    std::fill(h.begin(), h.end(), 0.0);
    for (std::size_t k = 0; k < m.basis.size() && k < t; ++k)
      for (std::size_t n = 0; n < N; ++n) h[n] += m.basis[k] * out.spikes[(t - 1 - k) * N + n];
    for (std::size_t n = 0; n < N; ++n) {
      double u = m.bias[n] + m.gain[n] * m.stimulus[t * N + n] + m.beta[n] * out.behaviour[t];
      for (std::size_t q = 0; q < N; ++q) u += m.weights[n * N + q] * h[q];
      out.spikes[t * N + n] = r.uniform() < 1 / (1 + std::exp(-u)) ? 1 : 0;
    }
  }
  return out;
}

std::vector<int> hub_adjacency(const hub_glm& m) {
  std::vector<int> a(m.weights.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = m.weights[i] != 0 ? 1 : 0;
  return a;
}

}  // namespace neurite::analysis
