// analysis/nested_sbm: the hierarchy's description length against its terms computed by hand, and
// the greedy fit against the best of all hierarchies enumerated by brute force on small block graphs.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>

#include "analysis/nested_sbm.hpp"

using namespace neurite::analysis;

namespace {
double lf(double m) { return std::lgamma(m + 1); }
double lbin(double n, double k) { return lf(n) - lf(k) - lf(n - k); }
double lmulti(double n, double k) { return lbin(n + k - 1, k); }

// Every set partition of 0 .. B - 1 (restricted growth strings).
void set_partitions(std::size_t B, std::vector<int>& g, std::size_t i, int top, const std::function<void(const std::vector<int>&)>& f) {
  if (i == B) return f(g);
  for (int c = 0; c <= top + 1; ++c) {
    g[i] = c;
    set_partitions(B, g, i + 1, std::max(top, c), f);
  }
}
std::vector<double> aggregate(const std::vector<double>& m, std::size_t B, const std::vector<int>& g, std::size_t G) {
  std::vector<double> out(G * G, 0.0);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t s = r; s < B; ++s) {
      const auto c = static_cast<std::size_t>(g[r]), d = static_cast<std::size_t>(g[s]);
      if (c == d) out[c * G + c] += m[r * B + s];
      else out[c * G + d] += m[r * B + s], out[d * G + c] += m[r * B + s];
    }
  return out;
}
// The least description length over all hierarchies (every level with fewer groups than the one
// below): min over groupings p of this level's terms + the best hierarchy of the grouped graph. A
// level's terms are the library's length with p under a one-group top, less that top's own length.
double brute_force(const std::vector<double>& m, std::size_t B) {
  if (B == 1) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  std::vector<int> g(B);
  set_partitions(B, g, 0, -1, [&](const std::vector<int>& p) {
    const std::size_t G = static_cast<std::size_t>(*std::max_element(p.begin(), p.end())) + 1;
    if (G == B) return;
    const auto up = aggregate(m, B, p, G);
    const std::vector<int> top(G, 0);
    const double here = G == 1 ? hierarchy_description_length(m, B, {p})
                               : hierarchy_description_length(m, B, {p, top}) - hierarchy_description_length(up, G, {top});
    best = std::min(best, here + brute_force(up, G));
  });
  return best;
}
}  // namespace

TEST(nested_sbm, description_length_term_by_term) {
  // Four blocks: two assortative pairs {0, 1} and {2, 3}; m inside blocks 10, within a pair 6, across 1.
  const std::size_t B = 4;
  std::vector<double> m{10, 6, 1, 1, 6, 10, 1, 1, 1, 1, 10, 6, 1, 1, 6, 10};
  // Level 1: groups {0, 1}, {2, 3} (n = 2 each); level 2: one group of the 2.
  const std::vector<std::vector<int>> levels{{0, 0, 1, 1}, {0, 0}};
  const double level1 = lbin(3, 1) + lf(4) - 2 * lf(2) + std::log(4.0) + 2 * lmulti(2 * 3 / 2, 26) + lmulti(2 * 2, 4);
  // Level 2: the group graph has 26 edges inside each group and 4 between: E = 56, one group of 2.
  const double level2 = 0 + lf(2) - lf(2) + std::log(2.0) + lmulti(3, 56);
  EXPECT_NEAR(hierarchy_description_length(m, B, levels), level1 + level2, 1e-9);
  // One level straight to the top is the flat prior plus log B.
  EXPECT_NEAR(hierarchy_description_length(m, B, {{0, 0, 0, 0}}), std::log(4.0) + lmulti(10, 56), 1e-9);
  EXPECT_EQ(hierarchy_description_length({7}, 1, {}), 0.0);
  EXPECT_THROW(hierarchy_description_length(m, B, {{0, 0, 1, 1}}), std::invalid_argument);     // top has 2 groups
  EXPECT_THROW(hierarchy_description_length(m, B, {{0, 0, 2, 2}, {0, 0}}), std::invalid_argument);  // empty group 1
  EXPECT_THROW(hierarchy_description_length({1, 2, 3, 1}, 2, {{0, 0}}), std::invalid_argument);  // not symmetric
}

TEST(nested_sbm, greedy_fit_matches_brute_force_on_small_block_graphs) {
  std::vector<double> pairs{10, 6, 1, 1, 6, 10, 1, 1, 1, 1, 10, 6, 1, 1, 6, 10};
  const auto h = fit_block_hierarchy(pairs, 4);
  EXPECT_NEAR(h.description_length, brute_force(pairs, 4), 1e-9);
  EXPECT_NEAR(h.description_length, hierarchy_description_length(pairs, 4, h.levels), 1e-12);
  // Five blocks, a dense core of three and two sparse ones: the greedy fit is at most 1 nat above the optimum.
  std::vector<double> five{20, 9, 9, 1, 0, 9, 20, 9, 0, 1, 9, 9, 20, 1, 1, 1, 0, 1, 3, 2, 0, 1, 1, 2, 3};
  const auto f = fit_block_hierarchy(five, 5);
  const double best = brute_force(five, 5);
  EXPECT_GE(f.description_length, best - 1e-9);
  EXPECT_LE(f.description_length, best + 1.0);
}
