// analysis/sbm: the description length against a direct evaluation of its terms on a tiny graph,
// planted blocks recovered by minimising it, and a random graph left in one block (no structure
// found where none is planted).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "analysis/communities.hpp"
#include "analysis/sbm.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
constexpr std::uint32_t purpose = neurite::core::stream_purpose(neurite::core::purpose::test, 11);
double lf(double m) { return std::lgamma(m + 1); }
}  // namespace

TEST(sbm, description_length_of_a_tiny_graph_term_by_term) {
  // Path 0-1-2 with weights 1 and 3, blocks {0, 1} and {2}: N = 3, B = 2, E = 2, beta = 2.
  const std::vector<std::pair<int, int>> edges{{0, 1}, {1, 2}};
  const std::vector<double> w{1, 3};
  const double beta = 2;
  const double partition = std::log(2.0) /* C(2,1) */ + lf(3) - lf(2) - lf(1) + std::log(3.0);
  const double counts = lf(4) - lf(2) - lf(2);  // multiset(3, 2) = C(4, 2)
  // Non-degree-corrected: e_0 = 3 (internal edge twice + one out), e_1 = 1; e_00 = one internal edge.
  const double topo = 3 * std::log(2.0) + 1 * std::log(1.0) - lf(1) /* e_01 = 1 */ - (std::log(2.0) + lf(1)) /* e_00!! */;
  auto wt = [&](double m, double x) { return (m + 1) * std::log(x + beta) - lf(m) - std::log(beta); };
  const double weights = wt(1, 1) + wt(1, 3);
  EXPECT_NEAR(sbm_description_length(3, edges, w, {0, 0, 1}, false), partition + counts + topo + weights, 1e-9);
  // Degree-corrected: + sum_r log e_r! + log multiset(n_r, e_r) - sum_i log k_i!, instead of e_r log n_r.
  const double dc_topo = lf(3) + lf(1) - lf(1) - (std::log(2.0) + lf(1)) - (lf(1) + lf(2) + lf(1)) +
                         (lf(4) - lf(3) - lf(1)) /* multiset(2, 3) = C(4, 3) */ + 0.0 /* multiset(1, 1) = 1 */;
  EXPECT_NEAR(sbm_description_length(3, edges, w, {0, 0, 1}, true), partition + counts + dc_topo + weights, 1e-9);
  EXPECT_THROW(sbm_description_length(3, edges, {1}, {0, 0, 1}, false), std::invalid_argument);
}

TEST(sbm, recovers_planted_weighted_blocks_and_finds_none_in_a_random_graph) {
  // Three blocks of 20: edge probability 0.6 inside, 0.05 between; inside weights twice as large.
  const std::size_t n = 60;
  neurite::core::random_stream rng(3, purpose, 5);
  std::vector<std::pair<int, int>> edges, random_edges;
  std::vector<double> w, random_w;
  std::vector<int> truth(n);
  for (std::size_t i = 0; i < n; ++i) truth[i] = static_cast<int>(i / 20);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const bool inside = truth[i] == truth[j];
      if (rng.uniform() < (inside ? 0.6 : 0.05))
        edges.emplace_back(static_cast<int>(i), static_cast<int>(j)), w.push_back((inside ? 2.0 : 1.0) * rng.exponential());
      if (rng.uniform() < 0.2)
        random_edges.emplace_back(static_cast<int>(i), static_cast<int>(j)), random_w.push_back(rng.exponential());
    }
  const auto fit = fit_weighted_sbm_by_mdl(n, edges, w);
  EXPECT_GT(normalized_mutual_information(fit.blocks, truth), 0.95);
  EXPECT_LE(fit.description_length, sbm_description_length(n, edges, w, truth, fit.degree_corrected) + 1e-6);
  const auto none = fit_weighted_sbm(n, random_edges, random_w, false);
  int blocks = 0;
  for (int b : none.blocks) blocks = std::max(blocks, b + 1);
  EXPECT_EQ(blocks, 1);
}
