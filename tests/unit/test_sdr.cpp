#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "memory/sdr.hpp"

using namespace neurite::memory;
using neurite::core::random_stream;

namespace {

bool sorted_distinct_below(const sdr& x) {
  for (std::size_t i = 0; i < x.active.size(); ++i) {
    if (x.active[i] >= x.n) return false;
    if (i > 0 && x.active[i - 1] >= x.active[i]) return false;
  }
  return true;
}

}  // namespace

TEST(sdr, make_sdr_sorts_deduplicates_and_checks_the_range) {
  const sdr x = make_sdr(10, {7, 2, 7, 0});
  EXPECT_EQ(x.active, (std::vector<cell_t>{0, 2, 7}));
  EXPECT_THROW(make_sdr(10, {3, 10}), std::invalid_argument);
}

TEST(sdr, overlaps_agree_between_index_sets_and_bitsets) {
  const sdr x = make_sdr(200, {1, 5, 64, 65, 130, 199}), y = make_sdr(200, {0, 5, 65, 128, 199});
  EXPECT_EQ(overlap(x, y), 3u);
  EXPECT_EQ(overlap(sdr_bits(x), sdr_bits(y)), 3u);
  EXPECT_EQ(overlap(sdr_bits(x), y), 3u);
  EXPECT_EQ(sdr_bits(x).count(), 6u);
  EXPECT_TRUE(sdr_bits(x).test(199));
  EXPECT_FALSE(sdr_bits(x).test(198));
}

TEST(sdr, union_holds_every_active_cell_once) {
  const std::vector<sdr> xs{make_sdr(20, {1, 3}), make_sdr(20, {3, 4}), make_sdr(20, {19})};
  const sdr u = union_of(xs);
  EXPECT_EQ(u.n, 20u);
  EXPECT_EQ(u.active, (std::vector<cell_t>{1, 3, 4, 19}));
}

TEST(sdr, random_sdrs_are_valid_and_reproducible) {
  random_stream r1(5, 13, 0), r2(5, 13, 0);
  for (const cell_t n : {1u, 64u, 2048u, 100000u}) {
    for (const cell_t a : {0u, 1u, n / 2, n}) {
      const sdr x = random_sdr(n, a, r1);
      EXPECT_EQ(x.active.size(), a);
      EXPECT_TRUE(sorted_distinct_below(x));
      EXPECT_EQ(x.active, random_sdr(n, a, r2).active);
    }
  }
  EXPECT_THROW(random_sdr(10, 11, r1), std::invalid_argument);
}

// Every cell is active with probability a/n: over T draws its count is Binomial(T, a/n), and
// the largest of the n counts stays within 5 standard deviations (a false failure has
// probability below n * 6e-7 = 1e-5).
TEST(sdr, random_sdrs_are_uniform_over_cells) {
  const cell_t n = 20, a = 6;
  const int draws = 20000;
  std::vector<int> count(n, 0);
  random_stream rng(9, 13, 1);
  for (int t = 0; t < draws; ++t)
    for (const cell_t i : random_sdr(n, a, rng).active) ++count[i];
  const double p = double(a) / n, mean = draws * p, sd = std::sqrt(draws * p * (1 - p));
  for (const int c : count) EXPECT_NEAR(c, mean, 5 * sd);
}

TEST(sdr, subsample_takes_s_of_the_active_cells) {
  random_stream rng(3, 13, 2);
  const sdr x = random_sdr(1000, 40, rng);
  const sdr y = subsample(x, 15, rng);
  EXPECT_EQ(y.active.size(), 15u);
  EXPECT_TRUE(sorted_distinct_below(y));
  EXPECT_EQ(overlap(x, y), 15u);
}

TEST(sdr, noise_replaces_k_active_cells_by_inactive_ones) {
  random_stream rng(4, 13, 3);
  for (const cell_t n : {300u, 100000u}) {
    const sdr x = random_sdr(n, 128, rng);
    for (const cell_t k : {0u, 1u, 64u, 128u}) {
      const sdr y = add_noise(x, k, rng);
      EXPECT_EQ(y.active.size(), 128u);
      EXPECT_TRUE(sorted_distinct_below(y));
      EXPECT_EQ(overlap(x, y), 128u - k);
    }
  }
  // With every other cell active, the new cells are exactly the former inactive ones.
  const sdr half = make_sdr(6, {0, 2, 4});
  EXPECT_EQ(add_noise(half, 3, rng).active, (std::vector<cell_t>{1, 3, 5}));
}

TEST(sdr, segment_fires_at_theta_and_a_neuron_when_any_segment_does) {
  const dendritic_segment seg(make_sdr(100, {10, 20, 30, 40}), 3);
  EXPECT_FALSE(seg.active(sdr_bits(make_sdr(100, {10, 20, 50}))));
  EXPECT_TRUE(seg.active(sdr_bits(make_sdr(100, {10, 20, 40, 50}))));
  EXPECT_EQ(seg.matches(sdr_bits(make_sdr(100, {10, 20, 30, 40}))), 4u);

  dendritic_neuron cell;
  EXPECT_FALSE(cell.active(sdr_bits(make_sdr(100, {1}))));
  cell.add_segment(seg);
  cell.add_segment(dendritic_segment(make_sdr(100, {1, 2}), 2));
  EXPECT_TRUE(cell.active(sdr_bits(make_sdr(100, {1, 2}))));
  EXPECT_FALSE(cell.active(sdr_bits(make_sdr(100, {1, 10, 20}))));
}
