#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "memory/dense_hebbian.hpp"
#include "memory/dense_hebbian_sweep.hpp"
#include "memory/dense_hebbian_tensor.hpp"
#include "random_spins.hpp"

using namespace neurite;
using neurite::testing::random_spins;
using namespace neurite::memory;

namespace {

std::vector<std::int8_t> copy(std::span<const std::int8_t> s) { return {s.begin(), s.end()}; }

// The tensor sums N^P terms of magnitude ~ |H| / N^P; rounding errors of order N^P * 2^-52
// relative (about 1e-11 for N^P <= 1e5), so 1e-9 relative to the magnitude is "exact".
void expect_same(double overlap_based, double brute_force) {
  EXPECT_NEAR(overlap_based, brute_force, 1e-9 * (1 + std::abs(brute_force)));
}

void expect_matches_tensor(const dense_hebbian_net& net) {
  const auto& c = net.couplings();
  expect_same(net.energy(), brute_force_energy(c, net.spins()));
  for (std::uint32_t i = 0; i < c.n; ++i) {
    expect_same(net.field(i), brute_force_field(c, net.spins(), i));
    expect_same(net.gradient_field(i), brute_force_gradient_field(c, net.spins(), i));
  }
}

}  // namespace

TEST(dense_hebbian, dataset_parameters) {
  EXPECT_DOUBLE_EQ(dataset_entropy(0.5, 11), 0.75 / (11 * 0.25));
  EXPECT_DOUBLE_EQ(class_mean_power(0.5, 11), 0.25 + 0.75 / 11);  // r^2 + (1 - r^2) / M
}

// Examples agree with their archetype with probability (1 + r) / 2: 5 standard errors.
TEST(dense_hebbian, examples_have_quality_r) {
  const auto d = make_dataset({.n = 2000, .k = 2, .m = 10, .r = 0.3, .seed = 4});
  double agree = 0;
  for (std::uint32_t mu = 0; mu < 2; ++mu)
    for (std::uint32_t a = 0; a < 10; ++a) agree += mattis_overlap(d.archetype(mu), d.example(mu, a));
  const double samples = 2 * 10 * 2000;
  EXPECT_NEAR(agree / 20, 0.3, 5 * std::sqrt((1 - 0.09) / samples));
}

// Energy, exact heat-bath field and gradient field from the overlaps equal those from the
// explicit N^P tensor, for P = 2, 4, 6, both couplings, at a random state and after sweeps.
TEST(dense_hebbian, overlaps_reproduce_the_tensor) {
  for (const unsigned p : {2u, 4u, 6u}) {
    const std::uint32_t n = p == 6 ? 7 : 10;
    const auto d = make_dataset({.n = n, .k = 2, .m = 3, .r = 0.4, .seed = p});
    for (auto c : {supervised_couplings(d, p, 0.5), unsupervised_couplings(d, p, 0.5)}) {
      dense_hebbian_net net(c, random_spins(n, p));
      expect_matches_tensor(net);
      for (std::uint64_t s = 0; s < 3; ++s) net.sweep(1.0, 9, s);
      expect_matches_tensor(net);
    }
  }
}

// The integer overlap sums are updated exactly, so they equal a recount bit for bit.
TEST(dense_hebbian, incremental_overlaps_equal_recomputed) {
  const auto d = make_dataset({.n = 500, .k = 4, .m = 5, .r = 0.3, .seed = 2});
  for (auto c : {supervised_couplings(d, 4, 0.5), unsupervised_couplings(d, 2, 0.5)}) {
    dense_hebbian_net net(c, random_spins(500, 3));
    std::uint32_t flips = 0;
    for (std::uint64_t s = 0; s < 200; ++s) flips += net.sweep(1.5, 5, s);
    EXPECT_GT(flips, 1000u);  // the chain moved
    const auto kept = net.overlap_sums();
    EXPECT_EQ(std::vector<std::int64_t>(kept.begin(), kept.end()), net.recomputed_overlap_sums());
  }
}

// The [D] table of exact majority-vote overlaps (given to 4 decimals).
TEST(dense_hebbian, majority_vote_formula_matches_the_table) {
  EXPECT_NEAR(majority_vote_overlap(0.2, 25), 0.6925, 5e-5);
  EXPECT_NEAR(majority_vote_overlap(0.2, 101), 0.9582, 5e-5);
  EXPECT_NEAR(majority_vote_overlap(0.5, 11), 0.9313, 5e-5);
  EXPECT_DOUBLE_EQ(majority_vote_overlap(1.0, 4), 1.0);
}

// T = 0, low load (K = 3), P = 4: from the archetype the network relaxes to sigma_i =
// sign(eta_bar_i). The crosstalk of the other classes is ~ (1/sqrt N)^3 against a signal of at
// least (1/M) / sqrt R times n^3, so not a single spin should disagree. The measured m, averaged
// over the K archetypes, is a mean of N K independent +-1 terms: within 4 standard errors
// sqrt((1 - m^2) / (N K)) (about 0.01) of the exact majority-vote value.
TEST(dense_hebbian, zero_temperature_retrieval_matches_majority_vote) {
  struct point {
    double r;
    std::uint32_t m;
  };
  const std::uint32_t n = 50000, k = 3;
  for (const point q : {point{0.2, 25}, point{0.2, 101}, point{0.5, 11}}) {
    const auto d = make_dataset({.n = n, .k = k, .m = q.m, .r = q.r, .seed = 11});
    const auto c = supervised_couplings(d, 4, 0.5);
    double m = 0;
    for (std::uint32_t mu = 0; mu < k; ++mu) {
      dense_hebbian_net net(c, d.archetype(mu));
      EXPECT_LT(relax_zero_temperature(net, 7, 20), 20u);  // reached a fixed point
      std::uint32_t disagree = 0;
      for (std::uint32_t i = 0; i < n; ++i) disagree += net.spins()[i] * c.z[std::size_t{mu} * n + i] < 0;
      EXPECT_EQ(disagree, 0u);
      m += mattis_overlap(d.archetype(mu), net.spins()) / k;
    }
    const double exact = majority_vote_overlap(q.r, q.m);
    EXPECT_NEAR(m, exact, 4 * std::sqrt((1 - exact * exact) / (n * k))) << "r = " << q.r << ", M = " << q.m;
  }
}

// A fixed seed fixes the dataset and the whole Monte Carlo run; another seed changes it.
TEST(dense_hebbian, runs_are_reproducible) {
  const auto run = [](std::uint64_t seed) {
    const auto d = make_dataset({.n = 300, .k = 3, .m = 5, .r = 0.4, .seed = seed});
    dense_hebbian_net net(supervised_couplings(d, 4, 0.5), d.example(0, 0));
    const auto o = run_monte_carlo(net, d, {.beta = 2.0, .burn_in = 5, .sweeps = 20, .seed = seed});
    return std::pair{copy(net.spins()), o.mattis};
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3).first, run(4).first);
}

// At finite temperature the retrieval overlap falls as T grows (P = 4, rho = 0.27; the
// retrieval state is lost near T = 0.65 with c_P = 1/2, so T <= 0.55 stays inside it). The
// mean-field values m(T) = 0.930, 0.916, 0.892, 0.85 are at least 0.014 apart; time averages over
// 200 sweeps of N = 4000 spins differ between seeds by about 0.001, so each step must fall by
// more than 0.005 (5 such deviations).
TEST(dense_hebbian, overlap_falls_with_temperature) {
  const auto d = make_dataset({.n = 4000, .k = 3, .m = 11, .r = 0.5, .seed = 5});
  const auto c = supervised_couplings(d, 4, 0.5);
  double previous = 1;
  for (const double t : {0.1, 0.25, 0.4, 0.55}) {
    dense_hebbian_net net(c, d.archetype(0));
    const double m = run_monte_carlo(net, d, {.beta = 1 / t, .burn_in = 50, .sweeps = 200, .seed = 1}).mattis[0];
    EXPECT_LT(m, previous - 0.005) << "T = " << t;
    previous = m;
  }
}

// The rho sweep for the repro: one row per requested rho, each measured overlap within 4
// standard errors sqrt((1 - m^2) / (N K)) of the exact majority vote (as in the test above).
TEST(dense_hebbian, rho_sweep_rows) {
  const auto rows = zero_temperature_rho_sweep({.r = 0.2, .rho = {0.25, 1.0}, .n = 10000, .k = 3, .p = 4, .seed = 2});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].quantity, "m(T=0), rho=0.96, r=0.2, M=25");
  EXPECT_NEAR(rows[1].theory, 0.6925, 5e-5);  // the [D] table
  for (const auto& row : rows) EXPECT_NEAR(row.ours, row.theory, 4 * std::sqrt((1 - row.theory * row.theory) / 30000));
}
