#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "memory/sdr_theory.hpp"

using namespace neurite::memory;

namespace {

// The paper's values are printed rounded to `digits` significant digits, so ours must lie within
// half a unit of the last printed digit (plus 1e-9 relative for the printed value's own
// binary representation).
void expect_printed(double ours, double printed, int digits) {
  const double unit = std::pow(10.0, std::floor(std::log10(printed)) - digits + 1);
  EXPECT_NEAR(ours, printed, 0.5 * unit + 1e-9 * printed) << "printed " << printed << " (" << digits << " digits)";
}

__extension__ typedef unsigned __int128 u128;  // a GCC extension; -Wpedantic accepts it so marked

// Pascal's triangle in 128-bit integers: exact up to n = 120 (C(120, 60) < 2^117).
std::vector<std::vector<u128>> pascal(int n_max) {
  std::vector<std::vector<u128>> c(n_max + 1);
  for (int n = 0; n <= n_max; ++n) {
    c[n].assign(n + 1, 1);
    for (int k = 1; k < n; ++k) c[n][k] = c[n - 1][k - 1] + c[n - 1][k];
  }
  return c;
}

}  // namespace

// Section 2 of the paper, "effect of n": s = 24, theta = 12.
TEST(sdr_theory, effect_of_n_matches_the_paper) {
  expect_printed(p_false_match(300, 64, 24, 12), 1.0946e-3, 5);
  expect_printed(p_false_match(2100, 64, 24, 12), 4.51e-13, 3);
  expect_printed(p_false_match(500, 128, 24, 12), 7.37e-3, 3);
}

// "Effect of s": theta = s / 2.
TEST(sdr_theory, effect_of_s_matches_the_paper) {
  expect_printed(p_false_match(2000, 32, 2, 1), 3.175e-2, 4);
  expect_printed(p_false_match(2000, 32, 20, 10), 3.90e-14, 3);
  expect_printed(p_false_match(4000, 200, 2, 1), 9.75e-2, 3);
  expect_printed(p_false_match(16000, 4000, 30, 15), 2.7e-3, 2);
}

// "Unions": a = 200, theta = 15, s = 25, M patterns.
TEST(sdr_theory, unions_match_the_paper) {
  struct row {
    int n, m, s_hat;
    double p;
    int digits;
  };
  for (const row r : {row{1000, 1, 25, 1.0e-5, 2}, row{1000, 3, 73, 0.50, 2}, row{1000, 10, 224, 1.0, 2},
                      row{10000, 1, 25, 5.3e-20, 2}, row{10000, 10, 247, 1.27e-4, 3}, row{10000, 19, 464, 4.5e-2, 2},
                      row{20000, 10, 249, 3.3e-8, 2}, row{20000, 19, 470, 8.1e-5, 2}}) {
    EXPECT_EQ(expected_union_size(r.n, 25, r.m), r.s_hat) << r.n << " " << r.m;
    expect_printed(p_false_match_union(r.n, 200, 25, r.m, 15), r.p, r.digits);  // 1.0 stands for "about 1"
  }
}

// "Noise": a = 128, s = 30; k = 64 is 50% noise, k = 38 is 30%.
TEST(sdr_theory, noise_matches_the_paper) {
  expect_printed(p_false_negative(128, 30, 8, 64), 7.354e-4, 4);
  expect_printed(p_false_negative(128, 30, 12, 64), 7.17e-2, 3);
  expect_printed(p_false_negative(128, 30, 16, 64), 0.5825, 4);
  expect_printed(p_false_negative(128, 30, 8, 38), 7.9e-10, 2);
  expect_printed(p_false_negative(128, 30, 12, 38), 1.09e-5, 3);
  expect_printed(p_false_negative(128, 30, 16, 38), 6.3e-3, 2);
}

// The n = 2048, a = 40 table, s = theta and s = 2 theta.
TEST(sdr_theory, n2048_table_matches_the_paper) {
  const int thetas[] = {6, 8, 10, 12};
  const double equal[] = {3.77e-11, 1.02e-14, 2.42e-18, 5.08e-22}, twice[] = {3.20e-8, 1.17e-10, 3.91e-13, 1.18e-15};
  for (int i = 0; i < 4; ++i) {
    expect_printed(p_false_match(2048, 40, thetas[i], thetas[i]), equal[i], 3);
    expect_printed(p_false_match(2048, 40, 2 * thetas[i], thetas[i]), twice[i], 3);
  }
}

// The log-space sums against exact rationals: numerator and denominator as 128-bit integers,
// divided in long double (relative error 1e-19). 1e-12 is the target accuracy of 1e-10 with a
// margin; the expected error is that of lgammal, about 1e-16 at these sizes.
TEST(sdr_theory, log_space_sums_equal_exact_rationals) {
  const auto c = pascal(120);
  for (const int n : {1, 7, 40, 120}) {
    for (int a = 0; a <= n; a += 1 + n / 9) {
      for (int s = 0; s <= n; s += 1 + n / 11) {
        for (int theta = 0; theta <= s + 1; ++theta) {
          u128 hits = 0;
          for (int b = theta; b <= std::min(s, a); ++b)
            if (a - b <= n - s) hits += c[s][b] * c[n - s][a - b];
          const long double exact = static_cast<long double>(hits) / static_cast<long double>(c[n][a]);
          const double ours = p_false_match(n, a, s, theta);
          if (exact == 0) {
            EXPECT_EQ(ours, 0.0);
          } else {
            EXPECT_NEAR(ours / static_cast<double>(exact), 1.0, 1e-12) << n << " " << a << " " << s << " " << theta;
          }
        }
      }
    }
  }
  for (int a = 1; a <= 120; a += 7) {
    for (int s = 0; s <= a; s += 1 + a / 8) {
      for (int k = 0; k <= a; k += 1 + a / 6) {
        for (int theta = 0; theta <= s + 1; ++theta) {
          u128 misses = 0;
          for (int b = 0; b < theta && b <= s; ++b)
            if (b <= a - k && s - b <= k) misses += c[a - k][b] * c[k][s - b];
          const long double exact = static_cast<long double>(misses) / static_cast<long double>(c[a][s]);
          const double ours = p_false_negative(a, s, theta, k);
          if (exact == 0) {
            EXPECT_EQ(ours, 0.0);
          } else {
            EXPECT_NEAR(ours / static_cast<double>(exact), 1.0, 1e-12) << a << " " << s << " " << k << " " << theta;
          }
        }
      }
    }
  }
}

// Far below 1e-300, with s = theta the sum has one term, C(n - theta, a - theta) / C(n, a) =
// prod_{i < theta} (a - i) / (n - i): a product of exactly rounded long double factors (relative
// error theta * 1e-19). The difference of logarithms is the relative error of the probability.
TEST(sdr_theory, tiny_probabilities_stay_accurate_in_log_space) {
  struct set {
    int n, a, theta;
  };
  for (const set p : {set{100000, 100, 100}, set{100000, 1000, 200}, set{20000, 400, 200}}) {
    long double log_exact = 0;
    for (int i = 0; i < p.theta; ++i) log_exact += std::log(static_cast<long double>(p.a - i) / (p.n - i));
    EXPECT_LT(log_exact, std::log(1e-300L));
    EXPECT_NEAR(log_p_false_match(p.n, p.a, p.theta, p.theta), static_cast<double>(log_exact), 1e-10);
  }
  // theta = 1 leaves only b = 0: all s synapses on replaced cells, prod_{i < s} (k - i) / (a - i).
  long double log_exact = 0;
  for (int i = 0; i < 150; ++i) log_exact += std::log(static_cast<long double>(300 - i) / (3000 - i));
  EXPECT_NEAR(log_p_false_negative(3000, 150, 1, 300), static_cast<double>(log_exact), 1e-10);
}

TEST(sdr_theory, wilson_interval_brackets_the_proportion) {
  const auto e = wilson_interval(50, 1000, z_999);
  EXPECT_DOUBLE_EQ(e.p, 0.05);
  EXPECT_LT(e.low, 0.05);
  EXPECT_GT(e.high, 0.05);
  // The interval for 0 hits starts at 0 and has width about z^2 / n.
  const auto none = wilson_interval(0, 1000, z_999);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, z_999 * z_999 / 1000, 2e-4);  // exact value z^2 / (n + z^2) = 0.01071
}

// Monte Carlo with the SDR library against the exact values: the 99.9% Wilson intervals must
// contain them. The seeds are fixed, so the test is deterministic; with other seeds each check
// would fail with probability 1e-3.
TEST(sdr_theory, simulated_false_negatives_agree_with_theory) {
  const auto half = simulate_false_negative(2048, 128, 30, 12, 64, 20000, 1);
  EXPECT_TRUE(half.contains(p_false_negative(128, 30, 12, 64))) << half.p << " [" << half.low << ", " << half.high << "]";
  const auto dense = simulate_false_negative(2048, 128, 30, 16, 64, 5000, 2);
  EXPECT_TRUE(dense.contains(p_false_negative(128, 30, 16, 64))) << dense.p;
  const auto less = simulate_false_negative(2048, 128, 30, 16, 38, 20000, 3);
  EXPECT_TRUE(less.contains(p_false_negative(128, 30, 16, 38))) << less.p;
}

TEST(sdr_theory, simulated_false_matches_agree_with_theory) {
  const auto small_n = simulate_false_match(300, 64, 24, 12, 100000, 4);
  EXPECT_TRUE(small_n.contains(p_false_match(300, 64, 24, 12))) << small_n.p;
  const auto short_segment = simulate_false_match(2000, 32, 2, 1, 20000, 5);
  EXPECT_TRUE(short_segment.contains(p_false_match(2000, 32, 2, 1))) << short_segment.p;
  const auto denser = simulate_false_match(500, 128, 24, 12, 20000, 6);
  EXPECT_TRUE(denser.contains(p_false_match(500, 128, 24, 12))) << denser.p;
}
