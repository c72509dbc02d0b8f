// Firing rates against analytic results: the Siegert (diffusion) rate for iaf_psc_delta under
// many small Poisson inputs, and the LIF rate under constant current.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numeric>

#include "fixture.hpp"
#include "siegert.hpp"

using namespace neurite::validation;

namespace {
// Brunel (2000)'s neuron: threshold 20 mV and reset 10 mV above rest.
constexpr double tau_m = 20, t_ref = 2, V_th = 20, V_reset = 10, C_m = 250;
const param_overrides brunel = {{"E_L", 0},     {"C_m", C_m},         {"tau_m", tau_m},
                                {"t_ref", t_ref}, {"V_th", V_th}, {"V_reset", V_reset}};

// Mean rate [Hz] of a population over [warmup, warmup + duration) [ms].
double measured_rate(single_population& net, double warmup, double duration) {
  net.run(warmup);
  const auto& counts = net.spike_counts();
  const double before = std::accumulate(counts.begin(), counts.end(), 0.0);
  net.run(duration);
  const double after = std::accumulate(counts.begin(), counts.end(), 0.0);
  return (after - before) / static_cast<double>(counts.size()) / (duration * 1e-3);
}
}  // namespace

TEST(siegert, erfcx_is_continuous_and_has_the_right_tails) {
  EXPECT_DOUBLE_EQ(erfcx(0), 1.0);
  EXPECT_NEAR(erfcx(-1), std::exp(1.0) * std::erfc(-1.0), 1e-14);
  // Both branches agree at the switch (10) to ~1e-13 (x^2 = 100 costs 100 ulps in e^{x^2}).
  EXPECT_NEAR(erfcx(10 - 1e-12) / erfcx(10), 1.0, 1e-12);
  // erfcx(x) ~ 1/(x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4)) for large x.
  const double x = 1e3;
  EXPECT_NEAR(erfcx(x) * x * std::sqrt(std::numbers::pi), 1 - 0.5 / (x * x), 1e-12);
}

// sigma -> 0 above threshold: the Siegert rate tends to the deterministic LIF rate, with a
// relative correction of order (sigma / (mu - V_th))^2 = 4e-6 here.
TEST(siegert, small_noise_limit_is_the_lif_rate) {
  const double mu = 25, sigma = 0.01;
  const double lif = 1000 / lif_interval(tau_m, t_ref, V_th, V_reset, mu);
  EXPECT_NEAR(siegert_rate(tau_m, t_ref, V_th, V_reset, mu, sigma) / lif, 1.0, 1e-4);
  // and below threshold there is (practically) no firing at all
  EXPECT_LT(siegert_rate(tau_m, t_ref, V_th, V_reset, 15, sigma), 1e-100);
}

// 1000 neurons, each with its own Poisson drive of C nu = mu / (J tau_m) inputs per second of
// J = 0.1 mV, for 5 s after a 200 ms transient. The diffusion approximation holds for J
// small against V_th - V_reset = 10 mV and sigma ~ 1.4 mV; its known bias for finite J
// (threshold overshoot, a shift of order J/2 of the effective threshold) and finite dt is a
// few percent here, and the statistical error of 1.6e4 to 1.4e5 spikes is < 1%: 10% tolerance.
TEST(siegert, poisson_driven_iaf_psc_delta_fires_at_the_siegert_rate) {
  const double J = 0.1, dt = 0.1;
  for (const double mu : {18.0, 22.0}) {  // fluctuation-driven and mean-driven
    const double rate_in = mu / (J * tau_m * 1e-3);  // C nu [Hz]
    const double sigma = J * std::sqrt(rate_in * tau_m * 1e-3);
    single_population net("iaf_psc_delta", brunel, dt, 1000, 7);
    net.add_poisson(0, rate_in / 1000, 1000, J);  // 1000 sources per neuron
    const double simulated = measured_rate(net, 200, 5000);
    const double predicted = siegert_rate(tau_m, t_ref, V_th, V_reset, mu, sigma);
    std::cout << "mu = " << mu << " mV, sigma = " << sigma << " mV: Siegert " << predicted << " Hz, simulated "
              << simulated << " Hz\n";
    EXPECT_NEAR(simulated / predicted, 1.0, 0.10) << "mu = " << mu;
  }
}

// Constant suprathreshold current, no noise: rate 1/T with the LIF interval T. Every
// simulated interval lies in [T, T + dt) (see the interval tests), so the simulated rate
// lies in (1/(T + dt), 1/T], up to one spike in the counting window either way.
TEST(siegert, constant_current_rate_matches_analytic_lif) {
  const double dt = 0.1, duration = 2000;
  for (const char* model : {"iaf_psc_delta", "iaf_psc_exp"}) {
    for (const double I : {300.0, 500.0, 1000.0}) {
      single_population net(model, brunel, dt);
      net.set_state("V_m", V_reset);
      net.add_dc(I);
      const double simulated = measured_rate(net, 0, duration);
      const double T = lif_interval(tau_m, t_ref, V_th, V_reset, tau_m / C_m * I);
      const double one_spike = 1000 / duration;  // [Hz]
      EXPECT_GT(simulated, 1000 / (T + dt) - one_spike) << model << ", I = " << I;
      EXPECT_LT(simulated, 1000 / T + one_spike) << model << ", I = " << I;
    }
  }
}
