// lif_discrete against closed forms and a hand-written trace in double precision, independent of
// learn/. The model computes in single precision, so values agree to float rounding (relative
// 1e-6 over these short runs); spike steps agree exactly, since every reference U stays at least
// 1e-3 away from the threshold (checked below), far beyond what float rounding could move.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "fixture.hpp"

using namespace neurite::validation;

namespace {

constexpr double dt = 1, tau_m = 10, V_th = 1;
const double beta = std::exp(-dt / tau_m);

struct reference {
  std::vector<double> V;         // V(t) after reset, t = 1, 2, ...
  std::vector<double> spike_ms;  // a spike in step t (from 1) is stamped t dt
  double closest = 1e9;          // min |U - theta| over the run
};

// The map of the model's header in double: constant input I per step, optional adaptation.
reference hand_trace(double I, bool subtract, double q_sfa, double tau_sfa, int steps) {
  const double rho = std::exp(-dt / tau_sfa);
  reference r;
  double v = 0, a = 0;
  for (int t = 1; t <= steps; ++t) {
    const double u = beta * v + I, theta = V_th + q_sfa * a;
    const bool s = u >= theta;
    r.closest = std::min(r.closest, std::abs(u - theta));
    v = s ? (subtract ? u - V_th : 0.0) : u;
    a = rho * a + (s ? 1.0 : 0.0);
    r.V.push_back(v);
    if (s) r.spike_ms.push_back(static_cast<double>(t) * dt);
  }
  return r;
}

// Runs one neuron with I_e = I for `steps` steps; returns V_m per step and the spike times.
reference simulate(double I, double reset, double q_sfa, double tau_sfa, int steps) {
  single_population net("lif_discrete",
                        {{"tau_m", tau_m}, {"V_th", V_th}, {"I_e", I}, {"reset", reset}, {"q_sfa", q_sfa}, {"tau_sfa", tau_sfa}},
                        dt);
  net.record_spikes();
  const auto rec = net.record("V_m", dt);
  net.run(steps * dt);
  return {net.recorded(rec).v, net.spike_times(), 0};
}

void expect_same(const reference& model, const reference& ref) {
  ASSERT_GT(ref.closest, 1e-3);  // the margin that makes exact spike steps a fair demand
  EXPECT_EQ(model.spike_ms, ref.spike_ms);
  ASSERT_EQ(model.V.size(), ref.V.size());
  for (std::size_t k = 0; k < ref.V.size(); ++k) EXPECT_NEAR(model.V[k], ref.V[k], 1e-6) << "step " << k + 1;
}

}  // namespace

// Reset to zero under a constant input I: V climbs as I (1 - beta^t) / (1 - beta) and every
// cycle restarts from 0, so the spikes fall at multiples of the first crossing step
// n = ceil(ln(1 - V_th (1 - beta) / I) / ln beta).
TEST(lif_discrete, reset_to_zero_period_matches_closed_form) {
  const double I = 0.3;
  const int n = static_cast<int>(std::ceil(std::log(1 - V_th * (1 - beta) / I) / std::log(beta)));
  const auto model = simulate(I, 1, 0, 100, 40);
  ASSERT_EQ(model.spike_ms.size(), static_cast<std::size_t>(40 / n));
  for (std::size_t k = 0; k < model.spike_ms.size(); ++k) EXPECT_EQ(model.spike_ms[k], static_cast<double>((k + 1) * static_cast<std::size_t>(n)) * dt);
  for (int t = 1; t < n; ++t)
    EXPECT_NEAR(model.V[static_cast<std::size_t>(t - 1)], I * (1 - std::pow(beta, t)) / (1 - beta), 1e-6);
  expect_same(model, hand_trace(I, false, 0, 100, 40));
}

TEST(lif_discrete, reset_by_subtraction_matches_hand_trace) {
  expect_same(simulate(0.37, 0, 0, 100, 60), hand_trace(0.37, true, 0, 100, 60));
}

// The threshold rises by q_sfa per spike and decays with tau_sfa: intervals lengthen.
TEST(lif_discrete, adaptive_threshold_matches_hand_trace) {
  const auto model = simulate(0.37, 0, 0.4, 30, 80);
  expect_same(model, hand_trace(0.37, true, 0.4, 30, 80));
  ASSERT_GE(model.spike_ms.size(), 3u);
  EXPECT_GT(model.spike_ms.back() - model.spike_ms[model.spike_ms.size() - 2], model.spike_ms[1] - model.spike_ms[0]);
}

// A spike arriving in a step acts in that step: emitted at 1 ms (step 0) with delay 1 ms, it sets
// U in step 1 (stamped 2 ms) to the weight, which then decays by beta per step.
TEST(lif_discrete, input_acts_in_the_step_it_arrives) {
  single_population net("lif_discrete", {{"tau_m", tau_m}}, dt);
  const float w = 0.5f;
  net.add_spikes(0, w, {1.0}, 1.0);
  const auto rec = net.record("V_m", dt);
  net.run(10);
  const trace v = net.recorded(rec);
  EXPECT_EQ(v.v[0], 0.0);
  for (std::size_t k = 1; k < v.v.size(); ++k)
    EXPECT_NEAR(v.v[k], w * std::pow(beta, static_cast<double>(k - 1)), 1e-6) << "t = " << v.t[k];
}
