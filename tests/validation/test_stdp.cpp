// STDP rules against closed forms. Pairs of neurons with controlled spike times: the
// presynaptic neuron is a spike source, the postsynaptic one is forced to fire by a strong
// input from a second source; the plastic synapse is too weak to matter. Expected weight
// changes are computed here from the recorded spike times by direct sums over spike pairs
// (no traces), so the trace bookkeeping of the kernel is checked, not repeated.
#include <gtest/gtest.h>

#include <cmath>

#include "network/build.hpp"

using namespace neurite;
using network::value_dist;

namespace {

constexpr double dt = 0.1, delay = 1.0;  // [ms]

struct pairing {
  std::vector<double> pre, post;  // [ms] spike times of the presynaptic neuron; of the postsynaptic drive
};

struct outcome {
  std::vector<std::vector<double>> pre, post;  // recorded spike times per pair [ms]
  std::vector<float> weight;                   // final weight per pair
};

network::connector_desc one_to_one() {
  network::connector_desc c;
  c.type = network::connector_desc::rule::one_to_one;
  return c;
}

outcome run_pairs(const std::vector<pairing>& pairs, const network::plasticity_desc& rule, double w0, double duration) {
  network::network_desc d;
  d.file = "stdp_test";
  d.simulation = {dt, duration, 1, 1};
  const auto n = static_cast<core::index_t>(pairs.size());
  network::population_desc pre{"pre", "spike_source", n, {}, {}, {}, "pre"}, drive = pre;
  drive.name = "drive";
  for (const auto& p : pairs) {
    pre.data.spike_times.push_back(p.pre);
    drive.data.spike_times.push_back(p.post);
  }
  d.populations = {pre, drive, {"post", "iaf_psc_delta", n, {{"E_L", 0.0}, {"V_reset", 0.0}, {"V_th", 20.0}}, {}, {}, "post"}};
  const value_dist one_step{value_dist::kind::constant, dt}, syn_delay{value_dist::kind::constant, delay};
  d.projections.push_back({"drive", "drive", "post", one_to_one(), {value_dist::kind::constant, 1e4}, one_step, {}, "d"});
  d.projections.push_back({"stdp", "pre", "post", one_to_one(), {value_dist::kind::constant, w0}, syn_delay, rule, "s"});
  d.spike_recordings = {{"pre", {}}, {"post", {}}};
  auto built = network::build(d);
  built.sim->run(duration);
  outcome o;
  o.pre.resize(n);
  o.post.resize(n);
  for (const auto& s : built.sim->spike_recorders()[0].spikes) o.pre[s.id].push_back(static_cast<double>(s.step + 1) * dt);
  for (const auto& s : built.sim->spike_recorders()[1].spikes) o.post[s.id].push_back(static_cast<double>(s.step + 1) * dt);
  for (const auto& s : built.sim->weights(1)) o.weight.push_back(s.weight);
  return o;
}

// Sum over pairs of earlier spikes: sum_{t' in times, t' < t} e^{-(t - t')/tau}.
double kernel_sum(const std::vector<double>& times, double t, double tau, double shift = 0) {
  double x = 0;
  for (const double s : times)
    if (s + shift < t - 1e-9) x += std::exp(-(t - s - shift) / tau);
  return x;
}

}  // namespace

// One pair at lag s = t_post + delay - t_pre: w changes by A_plus w_max e^{-s/tau_plus} for
// s > 0, by -A_minus w_max e^{s/tau_minus} for s < 0, and not at all for s = 0.
TEST(stdp_pair, window_matches_the_exponential_curve_at_every_lag) {
  const double a_plus = 0.01, a_minus = 0.012, tau_plus = 16.8, tau_minus = 33.7, w_max = 2, w0 = 1;
  std::vector<pairing> pairs;
  std::vector<double> lags;
  for (double lag = -60; lag <= 60; lag += 2.5) {
    lags.push_back(lag);
    pairs.push_back({{200.0}, {200.0 + lag - delay - dt}});  // the post neuron fires one step after its drive
  }
  const network::plasticity_desc rule{"stdp_pair",
                                      {{"tau_plus", tau_plus}, {"tau_minus", tau_minus}, {"A_plus", a_plus},
                                       {"A_minus", a_minus}, {"w_max", w_max}}};
  const auto o = run_pairs(pairs, rule, w0, 400);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    ASSERT_EQ(o.post[i].size(), 1u);
    const double s = o.post[i][0] + delay - o.pre[i][0];
    ASSERT_NEAR(s, lags[i], 1e-9) << "the protocol must produce the intended lag";
    const double expected = s > 0 ? a_plus * w_max * std::exp(-s / tau_plus)
                                  : s < 0 ? -a_minus * w_max * std::exp(s / tau_minus) : 0.0;
    EXPECT_NEAR(o.weight[i] - w0, expected, 2e-7) << "lag " << s << " ms";
  }
}

// Multiplicative: steps scale with the distance to the bound; nearest pairing counts only the
// latest partner spike.
TEST(stdp_pair, multiplicative_and_nearest_variants_match_their_closed_forms) {
  const double w0 = 0.25, tau = 20;
  // Two pre spikes 5 ms apart, then a post spike reaching the synapse 10 ms after the second.
  const std::vector<pairing> pairs{{{100.0, 105.0}, {115.0 - delay - dt}}};
  const auto mult = run_pairs(pairs, {"stdp_pair", {{"A_plus", 0.1}, {"multiplicative", 1}}}, w0, 200);
  const double both = std::exp(-10 / tau) + std::exp(-15 / tau);
  EXPECT_NEAR(mult.weight[0], w0 + 0.1 * (1 - w0) * both, 2e-7);
  const auto nearest = run_pairs(pairs, {"stdp_pair", {{"A_plus", 0.1}, {"nearest", 1}}}, w0, 200);
  EXPECT_NEAR(nearest.weight[0], w0 + 0.1 * std::exp(-10 / tau), 2e-7);
  const auto clipped = run_pairs(pairs, {"stdp_pair", {{"A_plus", 10.0}}}, w0, 200);
  EXPECT_EQ(clipped.weight[0], 1.0f);  // w_max
}

// Triplet rule, pairing protocol of Sjöström et al. (2001) as fitted by Pfister & Gerstner
// (2006): 60 pre-post pairs at lag +10 ms or -10 ms, repeated at frequency rho. The kernel's
// weight change equals the direct all-to-all sum, and has the published shape: potentiation
// for +10 ms that grows with rho; for -10 ms depression at low rho, potentiation at 50 Hz.
TEST(stdp_triplet, pairing_frequency_dependence_matches_direct_sums_and_published_shape) {
  const double tau_plus = 16.8, tau_x = 101, tau_minus = 33.7, tau_y = 125;
  const double a2p = 5e-10, a3p = 6.2e-3, a2m = 7e-3, a3m = 2.3e-4, w0 = -5;
  const std::vector<double> rates{1, 5, 10, 20, 30, 40, 50};
  std::vector<pairing> pairs;
  double duration = 0;
  for (const double lag : {10.0, -10.0})
    for (const double rho : rates) {
      pairing p;
      for (int k = 0; k < 60; ++k) {
        const double t = 50 + std::round(k * 1000 / rho / dt) * dt;
        p.pre.push_back(t);
        p.post.push_back(t + lag - delay - dt);
        duration = std::max(duration, t + 200);
      }
      pairs.push_back(p);
    }
  // Defaults are the visual-cortex fit; w_max = 1 keeps the paper's units, w0 far from the bounds.
  const auto o = run_pairs(pairs, {"stdp_triplet", {{"w_min", -1000.0}}}, w0, duration);
  std::vector<double> dw;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    ASSERT_EQ(o.post[i].size(), 60u);
    double expected = 0;
    for (const double t : o.post[i]) {  // post spikes reach the synapse a delay later
      const double e = t + delay;
      expected += kernel_sum(o.pre[i], e, tau_plus) * (a2p + a3p * kernel_sum(o.post[i], e, tau_y, delay));
    }
    for (const double t : o.pre[i])
      expected -= kernel_sum(o.post[i], t, tau_minus, delay) * (a2m + a3m * kernel_sum(o.pre[i], t, tau_x));
    dw.push_back(o.weight[i] - w0);
    EXPECT_NEAR(dw.back(), expected, 1e-4 + 1e-4 * std::abs(expected)) << "pair " << i;
  }
  const std::size_t n = rates.size();
  for (std::size_t r = 0; r < n; ++r) EXPECT_GT(dw[r], 0) << "+10 ms at " << rates[r] << " Hz";
  for (std::size_t r = 1; r < n; ++r) EXPECT_GT(dw[r], dw[r - 1]) << "+10 ms grows with the rate";
  EXPECT_LT(dw[n + 0], 0) << "-10 ms at 1 Hz";
  EXPECT_LT(dw[n + 2], 0) << "-10 ms at 10 Hz";
  EXPECT_GT(dw[n + 6], 0) << "-10 ms at 50 Hz";
}
