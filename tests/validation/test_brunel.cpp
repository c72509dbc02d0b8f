// The Brunel (2000) network against its mean-field theory.
#include <gtest/gtest.h>

#include "brunel_mean_field.hpp"
#include "io/results.hpp"
#include "network/build.hpp"
#include "../small_networks.hpp"

using namespace neurite;

// The solver against the same formulas evaluated independently with SciPy's quad and brentq
// (brunel_mean_field_scipy.py, run as the test brunel_mean_field_scipy; model A: J = 0.1 mV,
// C_E = 1000, g = 5, eta = 2).
TEST(brunel, mean_field_solver_matches_an_independent_evaluation) {
  const auto a = validation::brunel_mean_field({0.1, 1000, 5, 2});
  EXPECT_NEAR(a.rate_hz, 37.95, 0.05);  // SciPy: 37.9497 Hz
  const auto b = validation::brunel_mean_field({0.25, 400, 6, 4});
  EXPECT_NEAR(b.rate_hz, 59.53, 0.05);  // SciPy: 59.5342 Hz
  EXPECT_NEAR(b.cv, 1.009, 0.01);       // SciPy's nested quad: 1.0091
}

// State B of Brunel's Fig. 8 (g = 6, eta = 4: synchronous irregular with a fast, weak global
// oscillation; single neurons fire irregularly) at a tenth of the size with the same sparseness
// (C / N = 0.1) and the same J C_E = 100 mV, where the stationary theory's rate and CV hold.
TEST(brunel, state_b_rate_and_cv_follow_mean_field_theory) {
  test_networks::brunel_size s;
  s.n_e = 4000, s.n_i = 1000, s.c_e = 400, s.c_i = 100, s.j = 0.25, s.g = 6, s.eta = 4, s.duration = 1000;
  auto built = network::build(test_networks::brunel_network(s, 2024, 2));
  built.sim->run(s.duration);
  const auto summary = io::summarize(*built.sim, {});
  const auto theory = validation::brunel_mean_field({s.j, 400, s.g, s.eta});
  for (const char* pop : {"E", "I"}) {
    const double rate = summary["populations"][pop]["rate_hz"], cv = summary["populations"][pop]["cv_isi"];
    // 10%: the diffusion approximation ignores the finite jump J = 0.25 mV (1.25% of the
    // threshold distance) and finite-size correlations; the sampling error of 3e5 spikes is < 1%.
    EXPECT_NEAR(rate, theory.rate_hz, 0.1 * theory.rate_hz) << pop;
    // 20%: the CV formula assumes white noise; finite J and the 1.5 ms delay add slow rate
    // fluctuations that raise the CV above the prediction. Irregular firing means CV near 1.
    EXPECT_NEAR(cv, theory.cv, 0.2 * theory.cv) << pop;
  }
}

// Model A itself (g = 5, eta = 2, Brunel's state C: asynchronous irregular) at full size: the
// mean-field rate holds, the white-noise CV does not (the mean input lies near threshold and
// firing is partly regular: `neurite repro dynamics-measures` measures CV 0.42), so only the
// rate is compared, with the same tolerance as above.
TEST(brunel, model_a_rate_follows_mean_field_theory) {
  test_networks::brunel_size s;
  s.n_e = 10000, s.n_i = 2500, s.c_e = 1000, s.c_i = 250, s.j = 0.1, s.duration = 300;
  auto built = network::build(test_networks::brunel_network(s, 99, 2));
  built.sim->run(s.duration);
  const auto summary = io::summarize(*built.sim, {});
  const auto theory = validation::brunel_mean_field({0.1, 1000, 5, 2});
  for (const char* pop : {"E", "I"}) {
    const double rate = summary["populations"][pop]["rate_hz"];
    EXPECT_NEAR(rate, theory.rate_hz, 0.1 * theory.rate_hz) << pop;
  }
}
