// iaf_psc_delta against closed forms. The model integrates exactly, so on the grid the
// simulated trajectory may differ from the closed form only by rounding; spike times differ
// from the continuous-time ones only by the grid on which the threshold is checked.
#include <gtest/gtest.h>

#include <cmath>

#include "fixture.hpp"
#include "siegert.hpp"

using namespace neurite::validation;

namespace {
constexpr double E_L = -70, tau_m = 10, C_m = 250, V_th = -55, t_ref = 2;
const param_overrides base = {{"E_L", E_L}, {"tau_m", tau_m}, {"C_m", C_m}, {"V_th", V_th}, {"t_ref", t_ref}};
}  // namespace

TEST(iaf_psc_delta, psp_matches_closed_form) {
  const double dt = 0.1, w = 0.5, t0 = 2.0;  // the spike at 1 ms with 1 ms delay acts at 2 ms
  single_population net("iaf_psc_delta", base, dt);
  net.add_spikes(0, static_cast<float>(w), {1.0}, 1.0);
  const auto rec = net.record("V_m", dt);
  net.run(50);
  const trace v = net.recorded(rec);
  ASSERT_EQ(v.t.size(), 500u);
  for (std::size_t k = 0; k < v.t.size(); ++k) {
    const double t = v.t[k];
    const double expected = E_L + (t >= t0 - 1e-9 ? w * std::exp(-(t - t0) / tau_m) : 0.0);
    // Exact propagation: only rounding separates the two, ~1e-14 mV per step over 500 steps.
    EXPECT_NEAR(v.v[k], expected, 1e-9 * w) << "t = " << t;
  }
}

TEST(iaf_psc_delta, dc_response_relaxes_exponentially) {
  const double dt = 0.1, V0 = -65, I_e = 100, I_dc = 200;
  single_population net("iaf_psc_delta", [&] { auto p = base; p.push_back({"I_e", I_e}); return p; }(), dt);
  expect_dc_relaxation(net, V0, I_dc, E_L, tau_m, C_m, I_e + I_dc, 1e-9);  // V_inf = -58 mV: subthreshold
}

// A neuron started above threshold spikes in its first step (t = dt); V then sits at V_reset
// for exactly t_ref, and an input arriving meanwhile is lost while a later one is not.
TEST(iaf_psc_delta, refractory_clamp_lasts_t_ref_and_discards_input) {
  const double dt = 0.1, V_reset = -65, t_spike = dt, t_release = t_spike + t_ref;
  single_population net("iaf_psc_delta", [&] { auto p = base; p.push_back({"V_reset", V_reset}); return p; }(), dt);
  net.set_state("V_m", V_th + 5);
  net.add_spikes(0, 3.0f, {0.5}, 0.5);  // acts at 1 ms: during the clamp, discarded
  net.add_spikes(0, 2.0f, {5.5}, 0.5);  // acts at 6 ms: counted
  net.record_spikes();
  const auto rec = net.record("V_m", dt);
  net.run(30);
  ASSERT_EQ(net.spike_times(), std::vector<double>{t_spike});
  const trace v = net.recorded(rec);
  int clamped = 0;
  for (std::size_t k = 0; k < v.t.size(); ++k) {
    const double t = v.t[k];
    if (t < t_release + 1e-9) {
      clamped += v.v[k] == V_reset;
      continue;
    }
    double expected = E_L + (V_reset - E_L) * std::exp(-(t - t_release) / tau_m);
    if (t >= 6.0 - 1e-9) expected += 2.0 * std::exp(-(t - 6.0) / tau_m);
    EXPECT_NEAR(v.v[k], expected, 1e-9) << "t = " << t;  // rounding only (mV)
  }
  // Samples at t_spike, t_spike + dt, ..., t_spike + t_ref: the clamp lasts t_ref.
  EXPECT_EQ(clamped, static_cast<int>(std::lround(t_ref / dt)) + 1);
}

// With a constant suprathreshold current the continuous-time model fires with period
// T = t_ref + tau_m ln((V_inf - V_reset) / (V_inf - V_th)). On the grid the threshold is seen
// at the first step end at or after the crossing, and the neuron restarts from V_reset on
// the grid every cycle, so each simulated interval (and the first spike time, counted from
// the start at V_reset) lies in [T, T + dt): within one dt, without drift across cycles.
TEST(iaf_psc_delta, constant_current_intervals_match_analytic_lif) {
  const double dt = 0.1, I_e = 500;
  single_population net("iaf_psc_delta", [&] { auto p = base; p.push_back({"I_e", I_e}); return p; }(), dt);
  net.record_spikes();
  net.run(1000);
  const double V_inf = E_L + tau_m / C_m * I_e;
  const double T = lif_interval(tau_m, t_ref, V_th, E_L, V_inf);  // V_reset = E_L by default
  const auto spikes = net.spike_times();
  ASSERT_GT(spikes.size(), 50u);
  expect_lif_intervals(spikes, T, t_ref, dt);
}
