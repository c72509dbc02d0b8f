#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"

using namespace neurite::core;

TEST(rng, streams_are_pure_functions_of_their_key) {
  random_stream a(7, 1, 42, 3), b(7, 1, 42, 3), c(7, 1, 43, 3), d(8, 1, 42, 3);
  for (int k = 0; k < 100; ++k) {
    const auto x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    EXPECT_NE(x, c.next_u32());  // a collision has probability 2^-32 per draw
    EXPECT_NE(x, d.next_u32());
  }
}

TEST(rng, per_id_words_match_the_blocks_they_come_from) {
  per_id_words words(11, 5, 9);
  for (std::uint32_t id = 0; id < 40; ++id) EXPECT_EQ(words(id), philox_block(11, 5, id / 4, 9, 0).v[id % 4]);
}

// Moments of n draws: the sample mean lies within 5 standard errors of the true mean
// (a false failure has probability below 1e-6).
TEST(rng, uniform_and_normal_moments) {
  random_stream s(1, 2, 3);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (int k = 0; k < n; ++k) {
    const double u = s.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = s.normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(sn / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(sn2 / n, 1.0, 5 * std::sqrt(2.0 / n));
}

TEST(rng, below_is_uniform_over_its_range) {
  random_stream s(3, 2, 1);
  std::vector<int> hist(7, 0);
  const int n = 70000;
  for (int k = 0; k < n; ++k) ++hist[s.below(7)];
  // Each bin is Binomial(n, 1/7): 5 standard deviations.
  for (int h : hist) EXPECT_NEAR(h, n / 7.0, 5 * std::sqrt(n * (1.0 / 7) * (6.0 / 7)));
}

// Poisson samplers: mean and variance both equal lambda, for the inversion, PTRS and table paths.
TEST(rng, poisson_mean_and_variance) {
  for (const double lambda : {0.3, 2.0, 11.0, 30.0, 250.0}) {
    random_stream s(5, 1, static_cast<std::uint32_t>(lambda * 10));
    const int n = 100000;
    double m = 0, m2 = 0;
    for (int k = 0; k < n; ++k) {
      const double x = s.poisson(lambda);
      m += x;
      m2 += x * x;
    }
    m /= n;
    const double var = m2 / n - m * m;
    EXPECT_NEAR(m, lambda, 5 * std::sqrt(lambda / n)) << lambda;
    // Var of the sample variance of a Poisson ~ (2 lambda^2 + lambda) / n.
    EXPECT_NEAR(var, lambda, 5 * std::sqrt((2 * lambda * lambda + lambda) / n)) << lambda;
  }
  for (const double lambda : {0.5, 2.0, 20.0}) {
    const poisson_table table(lambda);
    random_stream s(9, 1, 1);
    const int n = 100000;
    double m = 0, m2 = 0;
    for (int k = 0; k < n; ++k) {
      const double x = table(s.next_u32());
      m += x;
      m2 += x * x;
    }
    m /= n;
    EXPECT_NEAR(m, lambda, 5 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(m2 / n - m * m, lambda, 5 * std::sqrt((2 * lambda * lambda + lambda) / n)) << lambda;
  }
}

TEST(rng, vectorised_group_words_equal_single_blocks) {
  std::vector<std::uint32_t> out(4 * 37);
  philox_group_words(0x1234567890ull, 77, (1ull << 33) + 5, 1000, 37, out.data());
  for (std::uint32_t g = 0; g < 37; ++g)
    for (std::uint32_t lane = 0; lane < 4; ++lane)
      EXPECT_EQ(out[4 * g + lane], philox_block(0x1234567890ull, 77, 1000 + g, (1ull << 33) + 5, 0).v[lane]);
}

TEST(rng, branch_free_poisson_counts_equal_the_table) {
  const poisson_table table(2.0);
  random_stream s(1, 1, 1);
  std::vector<std::uint32_t> words(1000), counts(1000);
  for (auto& w : words) w = s.next_u32();
  words[0] = 0, words[1] = 0xFFFFFFFFu;  // the ends of the range
  table.count(words.data(), words.size(), counts.data());
  for (std::size_t j = 0; j < words.size(); ++j) EXPECT_EQ(counts[j], table(words[j]));
}
