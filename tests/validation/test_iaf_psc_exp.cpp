// iaf_psc_exp against closed forms. The model advances the linear system by its exact
// propagator, so on the grid it may differ from the closed form only by rounding.
#include <gtest/gtest.h>

#include <cmath>

#include "fixture.hpp"
#include "siegert.hpp"

using namespace neurite::validation;

namespace {
constexpr double E_L = -70, tau_m = 10, C_m = 250, V_th = -55, t_ref = 2;

param_overrides params(double tau_ex, double tau_in, param_overrides extra = {}) {
  param_overrides p = {{"E_L", E_L},           {"tau_m", tau_m},           {"C_m", C_m}, {"V_th", V_th},
                       {"t_ref", t_ref},       {"tau_syn_ex", tau_ex},     {"tau_syn_in", tau_in}};
  p.insert(p.end(), extra.begin(), extra.end());
  return p;
}

// Membrane response [mV] at time t >= 0 to a unit current [pA] at t = 0 decaying with tau_s.
double kernel(double t, double tau_s) {
  if (tau_s == tau_m) return t / C_m * std::exp(-t / tau_m);  // the singular (alpha-like) case
  return tau_m * tau_s / (C_m * (tau_m - tau_s)) * (std::exp(-t / tau_m) - std::exp(-t / tau_s));
}

// Rounding only: each exact step adds ~1e-14 relative error; 1e-9 of the amplitude leaves
// a wide margin while still catching any propagator that is wrong in the 9th digit.
constexpr double rel_tol = 1e-9;
}  // namespace

TEST(iaf_psc_exp, psp_and_psc_match_closed_form) {
  const double dt = 0.1, tau_ex = 2, tau_in = 5, w_ex = 100, w_in = -50, t_ex = 2, t_in = 20;
  single_population net("iaf_psc_exp", params(tau_ex, tau_in), dt);
  net.add_spikes(0, static_cast<float>(w_ex), {t_ex - 1}, 1.0);  // act at 2 ms and 20 ms
  net.add_spikes(1, static_cast<float>(w_in), {t_in - 1}, 1.0);
  const auto rv = net.record("V_m", dt), ri = net.record("I_syn_ex", dt);
  net.run(60);
  const trace v = net.recorded(rv), i_ex = net.recorded(ri);
  const double amplitude = w_ex * kernel(tau_ex, tau_ex);  // a typical PSP size [mV]
  for (std::size_t k = 0; k < v.t.size(); ++k) {
    const double t = v.t[k];
    double expected = E_L, current = 0;
    if (t >= t_ex - 1e-9) {
      expected += w_ex * kernel(t - t_ex, tau_ex);
      current = w_ex * std::exp(-(t - t_ex) / tau_ex);
    }
    if (t >= t_in - 1e-9) expected += w_in * kernel(t - t_in, tau_in);
    EXPECT_NEAR(v.v[k], expected, rel_tol * amplitude) << "t = " << t;
    EXPECT_NEAR(i_ex.v[k], current, rel_tol * w_ex) << "t = " << t;
  }
}

// tau_syn == tau_m: the PSP is (w / C_m) t e^{-t/tau}. A time constant that differs from
// tau_m by 1e-12 must give the same curve (the true difference is ~1e-12 relative): the
// un-guarded (e^{-h/tau_s} - e^{-h/tau_m}) / (1/tau_m - 1/tau_s) is off by 2e-3 there.
TEST(iaf_psc_exp, singular_case_tau_syn_equal_tau_m_matches_alpha_shape) {
  const double dt = 0.1, w = 100, t0 = 2;
  for (const double tau_s : {tau_m, tau_m * (1 + 1e-12)}) {
    single_population net("iaf_psc_exp", params(tau_s, 2.0), dt);
    net.add_spikes(0, static_cast<float>(w), {t0 - 1}, 1.0);
    const auto rv = net.record("V_m", dt);
    net.run(80);
    const trace v = net.recorded(rv);
    const double amplitude = w * kernel(tau_m, tau_m);
    for (std::size_t k = 0; k < v.t.size(); ++k) {
      const double t = v.t[k];
      const double expected = E_L + (t >= t0 - 1e-9 ? w * kernel(t - t0, tau_m) : 0.0);
      EXPECT_NEAR(v.v[k], expected, rel_tol * amplitude) << "tau_syn = " << tau_s << ", t = " << t;
    }
  }
}

TEST(iaf_psc_exp, dc_response_relaxes_exponentially) {
  const double dt = 0.1, V0 = -65, I_e = 100, I_dc = 200;
  single_population net("iaf_psc_exp", params(2, 2, {{"I_e", I_e}}), dt);
  expect_dc_relaxation(net, V0, I_dc, E_L, tau_m, C_m, I_e + I_dc, rel_tol);  // V_inf = -58 mV: subthreshold
}

// A neuron started above threshold spikes in its first step (t = dt); V then sits at V_reset
// for exactly t_ref. An input arriving meanwhile is not lost: the current jumps and decays
// during the clamp, and V leaves V_reset driven by what is left of it.
TEST(iaf_psc_exp, refractory_clamp_lasts_t_ref_while_current_decays) {
  const double dt = 0.1, V_reset = -65, tau_ex = 2, w = 200, t0 = 1.0;
  const double t_spike = dt, t_release = t_spike + t_ref;
  single_population net("iaf_psc_exp", params(tau_ex, 2, {{"V_reset", V_reset}}), dt);
  net.set_state("V_m", V_th + 5);
  net.add_spikes(0, static_cast<float>(w), {t0 - 0.5}, 0.5);
  net.record_spikes();
  const auto rv = net.record("V_m", dt), ri = net.record("I_syn_ex", dt);
  net.run(30);
  ASSERT_EQ(net.spike_times(), std::vector<double>{t_spike});
  const trace v = net.recorded(rv), i_ex = net.recorded(ri);
  const double I_release = w * std::exp(-(t_release - t0) / tau_ex);  // current when the clamp ends
  int clamped = 0;
  for (std::size_t k = 0; k < v.t.size(); ++k) {
    const double t = v.t[k];
    if (t >= t0 - 1e-9) {
      EXPECT_NEAR(i_ex.v[k], w * std::exp(-(t - t0) / tau_ex), rel_tol * w) << "t = " << t;
    }
    if (t < t_release + 1e-9) {
      clamped += v.v[k] == V_reset;
      continue;
    }
    const double s = t - t_release;
    const double expected = E_L + (V_reset - E_L) * std::exp(-s / tau_m) + I_release * kernel(s, tau_ex);
    EXPECT_NEAR(v.v[k], expected, 1e-9) << "t = " << t;  // rounding only (mV)
  }
  EXPECT_EQ(clamped, static_cast<int>(std::lround(t_ref / dt)) + 1);  // t_spike ... t_spike + t_ref
}

// As for iaf_psc_delta: with constant current and no synaptic input the model is the LIF, and
// each grid interval lies in [T, T + dt) because the threshold is checked at step ends and
// every cycle restarts from V_reset on the grid (so no drift accumulates).
TEST(iaf_psc_exp, constant_current_intervals_match_analytic_lif) {
  const double dt = 0.1, I_dc = 420, V_reset = -65;
  single_population net("iaf_psc_exp", params(2, 2, {{"V_reset", V_reset}}), dt);
  net.set_state("V_m", V_reset);
  net.add_dc(I_dc);
  net.record_spikes();
  net.run(1000);
  const double T = lif_interval(tau_m, t_ref, V_th, V_reset, E_L + tau_m / C_m * I_dc);
  const auto spikes = net.spike_times();
  ASSERT_GT(spikes.size(), 30u);
  expect_lif_intervals(spikes, T, t_ref, dt);
}
