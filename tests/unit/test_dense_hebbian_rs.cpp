#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "memory/dense_hebbian.hpp"
#include "memory/dense_hebbian_mean_field.hpp"
#include "memory/dense_hebbian_rs.hpp"

using namespace neurite::memory;

// At q = 1 the noise variance is the direct moment (P c_P)^2 alpha E[x^(2P-2)] = (P c_P)^2 alpha
// (2P-3)!! of the field P c_P sum_mu v_mu n_mu^(P-1) with sqrt(N) n_mu ~ N(0, 1): an independent
// check of the Hermite sum.
TEST(dense_hebbian_rs, noise_variance_is_the_field_moment_at_q_1) {
  for (const unsigned p : {4u, 6u, 8u}) {
    double double_factorial = 1;
    for (unsigned k = 2 * p - 3; k > 1; k -= 2) double_factorial *= k;
    EXPECT_NEAR(pattern_noise_variance(p, 0.5, 0.01, 1, 0), 0.25 * p * p * 0.01 * double_factorial, 1e-9 * double_factorial);
  }
  EXPECT_DOUBLE_EQ(pattern_noise_variance(2, 0.5, 0.1, 1, 0), 0.1);  // AGS: alpha q / (1 - chi)^2
}

// alpha = 0, T = 0: sigma = sign(v), so m is the exact majority vote (the [D] table's values).
TEST(dense_hebbian_rs, zero_load_zero_temperature_is_the_majority_vote) {
  for (const unsigned p : {2u, 4u})
    for (const auto& [r, m] : {std::pair{0.2, 25u}, std::pair{0.5, 11u}}) {
      const auto s = solve_replica_symmetric({.p = p, .r = r, .m = m, .alpha = 0, .beta = zero_temperature});
      EXPECT_TRUE(s.converged);
      EXPECT_NEAR(s.m, majority_vote_overlap(r, m), 1e-12);
    }
}

// alpha = 0 at finite T: the RS overlap is the N -> infinity mean-field fixed point, so the TAP
// solution of one class (K = 1) at N = 20000 must agree within 4 sampling errors of the site
// average of tanh(beta h), whose variance over sites is q - m^2 (and O(1/N) beyond).
TEST(dense_hebbian_rs, zero_load_agrees_with_the_mean_field_fixed_point) {
  const std::uint32_t n = 20000;
  for (const unsigned p : {2u, 4u})
    for (const double t : {0.3, 0.5}) {
      const auto d = make_dataset({.n = n, .k = 1, .m = 11, .r = 0.5, .seed = 6});
      const std::vector<double> m0(d.archetype(0).begin(), d.archetype(0).end());
      const auto tap = solve_mean_field(supervised_couplings(d, p, 0.5), m0, {.beta = 1 / t});
      const auto rs = solve_replica_symmetric({.p = p, .r = 0.5, .m = 11, .alpha = 0, .beta = 1 / t});
      ASSERT_TRUE(tap.converged && rs.converged);
      EXPECT_NEAR(mattis_overlap(d.archetype(0), std::span<const double>(tap.m)), rs.m, 4 * std::sqrt((rs.q - rs.m * rs.m) / n))
          << "P = " << p << ", T = " << t;
    }
}

// P = 2 with noiseless patterns is the Hopfield model: the retrieval branch ends at the
// Amit-Gutfreund-Sompolinsky capacity alpha_c = 0.138 at T = 0, with m about 0.967 just below.
TEST(dense_hebbian_rs, hopfield_limit_has_the_ags_capacity) {
  const auto at = [](double alpha) {
    return solve_replica_symmetric({.p = 2, .r = 1, .m = 1, .alpha = alpha, .beta = zero_temperature});
  };
  EXPECT_GT(at(0.136).m, 0.96);
  EXPECT_NEAR(at(0.141).m, 0, 1e-3);
  // With noisy examples (rho = 0.27) the retrieval region shrinks.
  EXPECT_NEAR(solve_replica_symmetric({.p = 2, .r = 0.5, .m = 11, .alpha = 0.05, .beta = zero_temperature}).m, 0, 1e-3);
}
