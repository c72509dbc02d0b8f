#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "memory/dense_hebbian.hpp"
#include "memory/dense_hebbian_mean_field.hpp"

using namespace neurite::memory;

// The TAP fixed point (Gaussian order) against long-run heat-bath averages on the same dataset
// (chains started at archetype 0, 100 sweeps of burn-in):
// P = 4, N = 1000, K = 3 (low load), rho = 0.27 and 0.96, T up to just below where retrieval is
// lost (x = 0.55-0.75). N = 1000 keeps the chains in the retrieval state for the whole run. Both
// estimate the same Gibbs average up to O(1/N^2), so they must agree within 4 standard errors of
// the chain mean (t with 7 or more degrees of freedom: a false failure about once in 200 points;
// the seeds are fixed, so the test is deterministic). Near the edge the naive (first-order) mean
// field is off by about 0.001: there 16 chains of 800 sweeps (standard error about 0.0002) must put
// it more than 3 standard errors away, so the test sees the correction.
TEST(dense_hebbian_mean_field, fixed_point_agrees_with_monte_carlo) {
  struct point {
    double r;
    std::uint32_t m;
    double t;
    bool near_edge;
  };
  for (const point q : {point{0.5, 11, 0.35, false}, point{0.5, 11, 0.5, false}, point{0.5, 11, 0.6, true},
                        point{0.2, 25, 0.2, false}, point{0.2, 25, 0.5, true}}) {
    const auto d = make_dataset({.n = 1000, .k = 3, .m = q.m, .r = q.r, .seed = 3});
    const auto c = supervised_couplings(d, 4, 0.5);
    const std::vector<double> m0(d.archetype(0).begin(), d.archetype(0).end());
    const auto solve = [&](plefka_order order) {
      const auto s = solve_mean_field(c, m0, {.beta = 1 / q.t, .order = order});
      EXPECT_TRUE(s.converged);
      return mattis_overlap(d.archetype(0), std::span<const double>(s.m));
    };
    const auto mc = mattis_over_chains(d, c, 0, {.beta = 1 / q.t, .burn_in = 100, .sweeps = q.near_edge ? 800u : 400u, .seed = 100},
                                       q.near_edge ? 16 : 8);
    const double tap = solve(plefka_order::gaussian), naive = solve(plefka_order::first);
    const auto where = ::testing::Message() << "rho = " << dataset_entropy(q.r, q.m) << ", T = " << q.t << ": MC "
                                            << mc.mean << " +- " << mc.standard_error << ", TAP " << tap << ", naive " << naive;
    EXPECT_NEAR(tap, mc.mean, 4 * mc.standard_error) << where;
    if (q.near_edge) {
      EXPECT_GT(std::fabs(naive - mc.mean), 3 * mc.standard_error) << where;
    }
  }
}

// P = 2 at load alpha = K / N = 0.01 (N = 2000, K = 20, rho = 0.27): summed over the rows, the
// Gaussian correction is the Hopfield TAP reaction term alpha beta (1 - q) / (1 - beta (1 - q)) m_i,
// which matters at O(alpha), not O(1/N). The fixed point must agree with 8 chains within 4
// standard errors, and the first order, which lacks the reaction, must be more than 10 away
// (measured: 0.002 at T = 0.3 and 0.01 at T = 0.5, against standard errors of 2e-4 and 6e-4).
TEST(dense_hebbian_mean_field, reaction_term_at_load_agrees_with_monte_carlo) {
  const auto d = make_dataset({.n = 2000, .k = 20, .m = 11, .r = 0.5, .seed = 3});
  const auto c = supervised_couplings(d, 2, 0.5);
  const std::vector<double> m0(d.archetype(0).begin(), d.archetype(0).end());
  for (const double t : {0.3, 0.5}) {
    const auto solve = [&](plefka_order order) {
      const auto s = solve_mean_field(c, m0, {.beta = 1 / t, .order = order});
      EXPECT_TRUE(s.converged);
      return mattis_overlap(d.archetype(0), std::span<const double>(s.m));
    };
    const auto mc = mattis_over_chains(d, c, 0, {.beta = 1 / t, .burn_in = 100, .sweeps = 400, .seed = 100}, 8);
    EXPECT_NEAR(solve(plefka_order::gaussian), mc.mean, 4 * mc.standard_error) << "T = " << t;
    EXPECT_GT(std::fabs(solve(plefka_order::first) - mc.mean), 10 * mc.standard_error) << "T = " << t;
  }
}
