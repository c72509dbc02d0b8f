// analysis/sbm: the description length against a direct evaluation of its terms on a tiny graph
// (flat and nested edge-count priors, uniform and distributed degree priors), the number of integer
// partitions in the distributed prior against brute-force enumeration, planted blocks recovered by
// minimising it (NMI 1), and a random graph left in one block (no structure found where none is planted).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>

#include "analysis/communities.hpp"
#include "analysis/sbm.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
constexpr std::uint32_t purpose = neurite::core::stream_purpose(neurite::core::purpose::test, 11);
double lf(double m) { return std::lgamma(m + 1); }
sbm_model flat(bool dc) { return {dc, degree_prior::uniform, false, true}; }

// Partitions of m into at most n parts, by enumerating non-increasing sequences of parts.
long partitions(int m, int n, int largest) {
  if (m == 0) return 1;
  if (n == 0) return 0;
  long count = 0;
  for (int part = std::min(m, largest); part >= 1; --part) count += partitions(m - part, n - 1, part);
  return count;
}

// Three blocks of `size` nodes: edge probability p_in inside, p_out between; inside weights twice as large.
struct planted_graph {
  std::vector<std::pair<int, int>> edges;
  std::vector<double> w;
  std::vector<int> truth;
};
planted_graph planted(std::size_t size, double p_in, double p_out, std::uint64_t seed) {
  planted_graph g;
  const std::size_t n = 3 * size;
  neurite::core::random_stream rng(seed, purpose, 5);
  for (std::size_t i = 0; i < n; ++i) g.truth.push_back(static_cast<int>(i / size));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const bool inside = g.truth[i] == g.truth[j];
      if (rng.uniform() < (inside ? p_in : p_out))
        g.edges.emplace_back(static_cast<int>(i), static_cast<int>(j)), g.w.push_back((inside ? 2.0 : 1.0) * rng.exponential());
    }
  return g;
}
}  // namespace

TEST(sbm, description_length_of_a_tiny_graph_term_by_term) {
  // Path 0-1-2 with weights 1 and 3, blocks {0, 1} and {2}: N = 3, B = 2, E = 2, beta = 2.
  const std::vector<std::pair<int, int>> edges{{0, 1}, {1, 2}};
  const std::vector<double> w{1, 3};
  const std::vector<int> b{0, 0, 1};
  const double beta = 2;
  const double partition = std::log(2.0) /* C(2,1) */ + lf(3) - lf(2) - lf(1) + std::log(3.0);
  const double counts = lf(4) - lf(2) - lf(2);  // multiset(3, 2) = C(4, 2)
  // Non-degree-corrected: e_0 = 3 (internal edge twice + one out), e_1 = 1; e_00 = one internal edge.
  const double topo = 3 * std::log(2.0) + 1 * std::log(1.0) - lf(1) /* e_01 = 1 */ - (std::log(2.0) + lf(1)) /* e_00!! */;
  auto wt = [&](double m, double x) { return (m + 1) * std::log(x + beta) - lf(m) - std::log(beta); };
  const double weights = wt(1, 1) + wt(1, 3);
  EXPECT_NEAR(sbm_description_length(3, edges, w, b, flat(false)), partition + counts + topo + weights, 1e-9);
  // Degree-corrected: + sum_r log e_r! - sum_i log k_i! instead of e_r log n_r, and the degree prior.
  const double dc_topo = lf(3) + lf(1) - lf(1) - (std::log(2.0) + lf(1)) - (lf(1) + lf(2) + lf(1));
  const double uniform_degrees = lf(4) - lf(3) - lf(1) /* multiset(2, 3) = C(4, 3) */ + 0.0 /* multiset(1, 1) = 1 */;
  auto t = sbm_description_terms(3, edges, w, b, flat(true));
  EXPECT_NEAR(t.partition, partition, 1e-9);
  EXPECT_NEAR(t.edge_counts, counts, 1e-9);
  EXPECT_NEAR(t.topology, dc_topo, 1e-9);
  EXPECT_NEAR(t.degrees, uniform_degrees, 1e-9);
  EXPECT_NEAR(t.weights, weights, 1e-9);
  // Distributed degree prior: block 0 has degrees {1, 2} (e_0 = 3; q(3, 2) = 2: 3, 2+1), block 1 degree {1}
  // (q(1, 1) = 1): log 2! - log 1! - log 1! + log 2, and 0.
  t = sbm_description_terms(3, edges, w, b, {true, degree_prior::distributed, false, true});
  EXPECT_NEAR(t.degrees, 2 * std::log(2.0), 1e-9);
  // Nested with two blocks: one group on top, log 2 + log multiset(3, 2): the flat prior plus log B.
  t = sbm_description_terms(3, edges, w, b, {false, degree_prior::distributed, true, true});
  EXPECT_NEAR(t.edge_counts, std::log(2.0) + counts, 1e-9);
  // Without the weights, their term is 0 and the rest unchanged.
  t = sbm_description_terms(3, edges, w, b, {false, degree_prior::distributed, true, false});
  EXPECT_EQ(t.weights, 0.0);
  EXPECT_NEAR(t.topology, topo, 1e-9);
  EXPECT_THROW(sbm_description_length(3, edges, {1}, b, flat(false)), std::invalid_argument);
  EXPECT_THROW(sbm_description_length(3, edges, w, {0, 0, 3}, flat(false)), std::invalid_argument);
  EXPECT_THROW(fit_weighted_sbm(0, {}, {}, {}), std::invalid_argument);
}

TEST(sbm, distributed_degree_prior_counts_integer_partitions) {
  // K4 plus a pendant edge 3-4 in one block: degrees {3, 3, 3, 4, 1}, e_r = 14, n_r = 5;
  // degree term log 5! - log 3! + log q(14, 5), q by brute-force enumeration.
  const std::vector<std::pair<int, int>> edges{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}};
  const std::vector<double> w(edges.size(), 1.0);
  const double q = static_cast<double>(partitions(14, 5, 14));
  const auto t = sbm_description_terms(5, edges, w, {0, 0, 0, 0, 0}, {true, degree_prior::distributed, false, true});
  EXPECT_NEAR(t.degrees, lf(5) - lf(3) + std::log(q), 1e-9);
  // Split into {0, 1} (degrees 3, 3: e = 6, q(6, 2) = 4) and {2, 3, 4} (3, 4, 1: e = 8, q(8, 3) = 10).
  const auto s = sbm_description_terms(5, edges, w, {0, 0, 1, 1, 1}, {true, degree_prior::distributed, false, true});
  EXPECT_NEAR(s.degrees, lf(2) - lf(2) + std::log(static_cast<double>(partitions(6, 2, 6))) + lf(3) +
                             std::log(static_cast<double>(partitions(8, 3, 8))), 1e-9);
  EXPECT_EQ(partitions(6, 2, 6), 4);
  EXPECT_EQ(partitions(8, 3, 8), 10);
}

TEST(sbm, recovers_planted_weighted_blocks_and_finds_none_in_a_random_graph) {
  const std::size_t n = 45;
  const auto g = planted(15, 0.6, 0.05, 3);
  for (bool nested : {false, true}) {
    const auto fit = fit_weighted_sbm_by_mdl(n, g.edges, g.w, {false, degree_prior::distributed, nested, true});
    EXPECT_NEAR(normalized_mutual_information(fit.blocks, g.truth), 1.0, 1e-12) << "nested " << nested;
    EXPECT_LE(fit.description_length, sbm_description_terms(n, g.edges, g.w, g.truth, {fit.degree_corrected,
              degree_prior::distributed, nested, true}).total() + 1e-6);
  }
  // Weaker structure (0.45 inside, 0.06 between): still recovered by the nested model, and the found
  // length is at most the planted partition's.
  const auto weak = planted(15, 0.45, 0.06, 4);
  const auto fit = fit_weighted_sbm_by_mdl(n, weak.edges, weak.w);
  EXPECT_GT(normalized_mutual_information(fit.blocks, weak.truth), 0.9);
  EXPECT_LE(fit.description_length, sbm_description_length(n, weak.edges, weak.w, weak.truth,
                                                           {fit.degree_corrected, degree_prior::distributed, true, true}) + 1e-6);
  // A random graph (p = 0.2, exponential weights): one block, by either variant.
  neurite::core::random_stream rng(3, purpose, 6);
  std::vector<std::pair<int, int>> random_edges;
  std::vector<double> random_w;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (rng.uniform() < 0.2)
        random_edges.emplace_back(static_cast<int>(i), static_cast<int>(j)), random_w.push_back(rng.exponential());
  for (bool dc : {false, true}) {
    const auto none = fit_weighted_sbm(n, random_edges, random_w, {dc, degree_prior::distributed, true, true});
    int blocks = 0;
    for (int b : none.blocks) blocks = std::max(blocks, b + 1);
    EXPECT_EQ(blocks, 1) << "degree-corrected " << dc;
  }
}
