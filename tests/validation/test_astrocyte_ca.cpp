// astrocyte_ca against closed forms: the calcium trace's response to a step in the spike rate
// (a regular train switched on at t = 0), and the gliotransmitter events of a decaying calcium
// transient, whose times solve nu_G int_0^t [Ca(s) - Ca_th]_+ ds = k.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "fixture.hpp"

using namespace neurite::validation;

namespace {

constexpr double dt = 0.1, delay = 1.0;

// A regular train of period T from t = T on, weight w (a float, exactly 1/16).
TEST(astrocyte_ca, calcium_follows_the_step_response_of_a_constant_spike_rate) {
  const double tau = 200, T = 10, w = 0.0625;
  single_population net("astrocyte_ca", {{"tau_Ca", tau}, {"Ca_th", 1e9}}, dt);
  std::vector<double> times;
  for (double t = T; t < 1000; t += T) times.push_back(t);
  net.add_spikes(0, static_cast<float>(w), times, delay);
  const auto rec = net.record("Ca", dt);
  net.run(1000);
  const trace ca = net.recorded(rec);
  const double a = std::exp(-T / tau), c_inf = w * tau / T;  // the mean level at rate 1/T
  int checked_spikes = 0;
  for (std::size_t k = 0; k < ca.t.size(); ++k) {
    // Brute force: the sum of the decayed jumps that have arrived (a spike at t_j arrives at t_j + delay).
    double exact = 0;
    int arrived = 0;
    for (const double tj : times)
      if (tj + delay <= ca.t[k] + 1e-9) exact += w * std::exp(-(ca.t[k] - tj - delay) / tau), ++arrived;
    EXPECT_NEAR(ca.v[k], exact, 1e-12 * (1 + exact)) << "t = " << ca.t[k];
    // Just after the n-th arrival: the geometric sum w (1 - a^n) / (1 - a).
    if (arrived > 0 && std::abs(ca.t[k] - (arrived * T + delay)) < 1e-9) {
      EXPECT_NEAR(ca.v[k], w * (1 - std::pow(a, arrived)) / (1 - a), 1e-12) << "spike " << arrived;
      ++checked_spikes;
    }
    // The continuous step response c_inf (1 - e^{-t / tau}) of the rate, from the first arrival: the
    // sawtooth of single jumps stays within one jump w of it.
    const double s = ca.t[k] - delay - T;
    if (s >= 0) {
      EXPECT_LE(std::abs(ca.v[k] - c_inf * (1 - std::exp(-s / tau))), w) << "t = " << ca.t[k];
    }
  }
  EXPECT_GE(checked_spikes, 90);
  // At the end, 9 ms after the 99th arrival.
  EXPECT_NEAR(ca.v.back(), w * (1 - std::pow(a, 99)) / (1 - a) * std::exp(-(ca.t.back() - delay - 99 * T) / tau), 1e-12);
}

// Ca(0) = c0 decays freely: G(t) = nu (c0 tau (1 - e^{-t/tau}) - th t) until Ca reaches th at
// s* = tau ln(c0 / th), constant after. Event k falls in the step where G first reaches k.
TEST(astrocyte_ca, release_events_come_when_the_supra_threshold_integral_reaches_each_quantum) {
  const double tau = 100, th = 0.5, nu_hz = 50, c0 = 2;
  single_population net("astrocyte_ca", {{"tau_Ca", tau}, {"Ca_th", th}, {"nu_G", nu_hz}}, dt);
  net.set_state("Ca", c0);
  net.record_spikes();
  net.run(500);
  const double nu = nu_hz * 1e-3, s_star = tau * std::log(c0 / th);
  const auto G = [&](double t) {
    const double u = std::min(t, s_star);
    return nu * (c0 * tau * -std::expm1(-u / tau) - th * u);
  };
  std::vector<double> expected;
  for (int k = 1; k <= G(s_star); ++k) {
    double lo = 0, hi = s_star;  // G rises monotonically on [0, s*]
    for (int i = 0; i < 200; ++i) (G((lo + hi) / 2) < k ? lo : hi) = (lo + hi) / 2;
    expected.push_back(hi);
  }
  ASSERT_EQ(expected.size(), 4u);  // nu (tau (c0 - th) - th s*) = 4.03
  const auto spikes = net.spike_times();
  ASSERT_EQ(spikes.size(), expected.size());
  for (std::size_t k = 0; k < spikes.size(); ++k) {
    EXPECT_GE(spikes[k], expected[k] - 1e-9) << "event " << k;  // stamped at the end of its step
    EXPECT_LT(spikes[k], expected[k] + dt) << "event " << k;
  }
  // Below the threshold nothing accumulates.
  single_population quiet("astrocyte_ca", {{"tau_Ca", tau}, {"Ca_th", th}, {"nu_G", nu_hz}}, dt);
  quiet.set_state("Ca", th * 0.999);
  quiet.record_spikes();
  quiet.run(500);
  EXPECT_TRUE(quiet.spike_times().empty());
}

}  // namespace
