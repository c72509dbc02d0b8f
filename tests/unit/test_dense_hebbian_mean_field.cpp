#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "memory/dense_hebbian.hpp"
#include "memory/dense_hebbian_mean_field.hpp"
#include "random_spins.hpp"

using namespace neurite;
using neurite::testing::random_spins;
using namespace neurite::memory;

namespace {

std::vector<double> as_magnetisations(std::span<const std::int8_t> spins) { return {spins.begin(), spins.end()}; }

constexpr plefka_order all_orders[] = {plefka_order::first, plefka_order::second, plefka_order::gaussian};

// The exact <n> of one noiseless pattern (the Mattis / Curie-Weiss model H = -N c_P n^P) in the
// retrieval state n > 0, summed over the number k of spins agreeing with the pattern (N odd).
double exact_retrieval_overlap(std::uint32_t n, unsigned p, double c_p, double beta) {
  std::vector<double> log_weight, overlap;
  for (std::uint32_t k = n / 2 + 1; k <= n; ++k) {
    overlap.push_back((2.0 * k - n) / n);
    log_weight.push_back(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                         beta * n * c_p * std::pow(overlap.back(), p));
  }
  double largest = log_weight[0], z = 0, sum = 0;
  for (const double w : log_weight) largest = std::max(largest, w);
  for (std::size_t k = 0; k < overlap.size(); ++k) {
    z += std::exp(log_weight[k] - largest);
    sum += overlap[k] * std::exp(log_weight[k] - largest);
  }
  return sum / z;
}

}  // namespace

// At a +-1 state every fluctuation term vanishes (u = 0), so each order's field is the exact
// heat-bath field (H(-1) - H(+1)) / 2 of dense_hebbian_net, for P = 2, 4, 6 and both couplings.
TEST(dense_hebbian_mean_field, field_of_spins_is_the_heat_bath_field) {
  for (const unsigned p : {2u, 4u, 6u}) {
    const auto d = make_dataset({.n = 300, .k = 4, .m = 5, .r = 0.4, .seed = p});
    for (auto c : {supervised_couplings(d, p, 0.5), unsupervised_couplings(d, p, 0.5)}) {
      const dense_hebbian_net net(c, random_spins(300, p + 10));
      const auto m = as_magnetisations(net.spins());
      for (std::uint32_t i = 0; i < 300; i += 7)
        for (const auto order : all_orders)
          EXPECT_NEAR(mean_field(c, m, i, 1.3, order), net.field(i), 1e-9 * (1 + std::fabs(net.field(i))));
    }
  }
}

// At beta = infinity one mean-field sweep is one zero-temperature sweep of the spins in the order
// 0..N-1 (sigma_i = sign h_i, kept at h_i = 0), spin for spin, from a random start.
TEST(dense_hebbian_mean_field, zero_temperature_is_the_deterministic_dynamics) {
  const auto d = make_dataset({.n = 2000, .k = 5, .m = 7, .r = 0.3, .seed = 8});
  const auto c = supervised_couplings(d, 4, 0.5);
  const auto start = random_spins(2000, 4);
  dense_hebbian_net net(c, start);
  for (std::uint32_t i = 0; i < c.n; ++i) {
    const double h = net.field(i);
    if (h != 0 && (h > 0) != (net.spins()[i] > 0)) net.flip(i);
  }
  const auto s = solve_mean_field(c, as_magnetisations(start), {.max_sweeps = 1});
  EXPECT_EQ(s.m, as_magnetisations(net.spins()));
  EXPECT_NE(s.m, as_magnetisations(start));  // the sweep did something
}

// One noiseless pattern, P = 2 and 4, against the exact finite-N retrieval overlap. The naive
// mean field is off by O(1/N); the Gaussian (all-order) correction is exact at order 1/N, so its
// error must be O(1/N^2): below 10/N^2 (measured coefficients up to 7, growing as x -> 1; x is
// about 0.5 at T = 0.7) and falling by more than 8 from N = 101 to 401 (16 for 1/N^2, 4 for 1/N).
// The first order's error must be at least 0.05/N for P = 2 (measured about 0.18/N at T = 0.6).
TEST(dense_hebbian_mean_field, gaussian_correction_is_exact_at_order_one_over_n) {
  struct point {
    unsigned p;
    double t;
  };
  for (const point q : {point{2, 0.6}, point{2, 0.7}, point{4, 0.6}}) {
    std::vector<double> errors;
    for (const std::uint32_t n : {101u, 401u}) {
      const auto d = make_dataset({.n = n, .k = 1, .m = 1, .r = 1, .seed = n});
      const auto c = supervised_couplings(d, q.p, 0.5);
      const std::vector<double> m0(d.archetype(0).begin(), d.archetype(0).end());
      const auto solve = [&](plefka_order order) {
        const auto s = solve_mean_field(c, m0, {.beta = 1 / q.t, .order = order});
        EXPECT_TRUE(s.converged);
        return mattis_overlap(d.archetype(0), std::span<const double>(s.m));
      };
      const double exact = exact_retrieval_overlap(n, q.p, 0.5, 1 / q.t);
      errors.push_back(std::fabs(solve(plefka_order::gaussian) - exact));
      EXPECT_LT(errors.back(), 10 / (static_cast<double>(n) * n)) << "P = " << q.p << ", T = " << q.t << ", N = " << n;
      if (q.p == 2) {
        EXPECT_GT(std::fabs(solve(plefka_order::first) - exact), 0.05 / n) << "T = " << q.t << ", N = " << n;
      }
    }
    EXPECT_LT(errors[1], errors[0] / 8) << "P = " << q.p << ", T = " << q.t;
  }
}

// Below the Curie temperature 2 c_P = 1 (P = 2, one pattern) the paramagnetic state m = 0 is a
// fixed point of the naive iteration but unstable: x = beta 2 c_P u = 1.25 > 1 there. The
// Gaussian order refuses it; the first order accepts it.
TEST(dense_hebbian_mean_field, unstable_state_is_reported) {
  const auto d = make_dataset({.n = 501, .k = 1, .m = 1, .r = 1, .seed = 1});
  const auto c = supervised_couplings(d, 2, 0.5);
  const std::vector<double> m0(501, 0.0);
  EXPECT_FALSE(solve_mean_field(c, m0, {.beta = 1 / 0.8, .order = plefka_order::gaussian}).converged);
  const auto s = solve_mean_field(c, m0, {.beta = 1 / 0.8, .order = plefka_order::first});
  EXPECT_TRUE(s.converged);
  EXPECT_DOUBLE_EQ(s.overlap[0], 0);
  EXPECT_NEAR(s.stability, 1.25, 1e-12);
}
