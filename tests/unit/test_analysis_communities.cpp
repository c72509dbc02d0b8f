// analysis/communities: NMI against hand-computed values, the differential affinity against a
// direct correlation, igraph's Louvain and Leiden recovering planted cliques, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "analysis/communities.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

TEST(communities, nmi_of_identical_relabelled_and_independent_partitions) {
  EXPECT_NEAR(normalized_mutual_information({0, 0, 1, 1}, {5, 5, 2, 2}), 1.0, 1e-12);
  // a = {0,0,1,1}, b = {0,1,0,1}: independent, I = 0.
  EXPECT_NEAR(normalized_mutual_information({0, 0, 1, 1}, {0, 1, 0, 1}), 0.0, 1e-12);
  // a = {0,0,1,1}, b = {0,0,0,1}: H(a) = ln 2, H(b) = -(3/4 ln 3/4 + 1/4 ln 1/4),
  // I = H(a) + H(b) - H(a,b) with H(a,b) = -(2 * 1/2 ln 1/2 ... ) over cells {1/2, 1/4, 1/4}.
  const double ha = std::log(2.0), hb = -(0.75 * std::log(0.75) + 0.25 * std::log(0.25));
  const double hab = -(0.5 * std::log(0.5) + 2 * 0.25 * std::log(0.25));
  EXPECT_NEAR(normalized_mutual_information({0, 0, 1, 1}, {0, 0, 0, 1}), 2 * (ha + hb - hab) / (ha + hb), 1e-12);
  EXPECT_THROW(normalized_mutual_information({0, 1}, {0}), std::invalid_argument);
}

TEST(communities, differential_affinity_is_the_clipped_correlation_of_differences) {
  const std::size_t N = 3, T = 50;
  std::vector<double> x(N * T);
  neurite::core::random_stream rng(1, neurite::core::stream_purpose(neurite::core::purpose::test, 11), 0);
  for (auto& v : x) v = rng.normal();
  for (std::size_t t = 0; t < T; ++t) x[1 * T + t] = 2 * x[t] + 5 + 0.1 * static_cast<double>(t);  // differences = 2 dx0 + 0.1
  for (std::size_t t = 0; t < T; ++t) x[2 * T + t] = -x[t];                  // anti-correlated
  const auto a = differential_affinity(x, N, T, 0, T);
  EXPECT_NEAR(a[pair_index(0, 1, N)], 1.0, 1e-12);
  EXPECT_EQ(a[pair_index(0, 2, N)], 0.0);
  EXPECT_EQ(pair_index(1, 2, 4), 3u);
  EXPECT_EQ(pair_index(2, 1, 4), 3u);
  EXPECT_THROW(differential_affinity(x, N, T, 0, T + 1), std::invalid_argument);
}

TEST(communities, louvain_and_leiden_recover_planted_weighted_cliques) {
  // Three cliques of 6 with weight 1 inside and a sparse weight-0.1 ring between them.
  const std::size_t n = 18;
  std::vector<double> W(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && i / 6 == j / 6) W[i * n + j] = 1.0;
  for (std::size_t c = 0; c < 3; ++c) {
    const std::size_t a = c * 6, b = ((c + 1) % 3) * 6 + 1;
    W[a * n + b] = W[b * n + a] = 0.1;
  }
  std::vector<int> truth(n);
  for (std::size_t i = 0; i < n; ++i) truth[i] = static_cast<int>(i / 6);
  for (auto m : {community_method::louvain, community_method::leiden})
    EXPECT_NEAR(normalized_mutual_information(detect_communities(W, n, m, 3), truth), 1.0, 1e-12);
}
