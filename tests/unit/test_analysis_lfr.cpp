// analysis/lfr: the generator at the paper's settings realises its mixing parameters and mean
// degree, keeps every node's community, is reproducible from its seed, and refuses bad sizes.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "analysis/lfr.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
constexpr std::uint32_t purpose = neurite::core::stream_purpose(neurite::core::purpose::test, 11);
}

TEST(lfr, realised_mixing_matches_the_target) {
  for (double mu : {0.25, 0.5, 0.75}) {
    lfr_parameters p;
    p.mu_t = mu, p.mu_w = 1 - mu, p.beta = 2;
    const auto g = make_lfr(p, 13, purpose);
    EXPECT_NEAR(g.realised_mu_t, mu, 0.05) << mu;
    EXPECT_NEAR(g.realised_mu_w, 1 - mu, 0.05) << mu;
    EXPECT_NEAR(g.realised_mean_degree, 25, 3) << mu;
    std::set<std::pair<int, int>> unique(g.edges.begin(), g.edges.end());
    EXPECT_EQ(unique.size(), g.edges.size());
    for (const auto& [a, b] : g.edges) EXPECT_NE(a, b);
    for (double w : g.weights) EXPECT_GT(w, 0);
  }
}

TEST(lfr, reproducible_from_its_seed_and_refuses_impossible_sizes) {
  lfr_parameters p;
  const auto a = make_lfr(p, 13, purpose), b = make_lfr(p, 13, purpose), c = make_lfr(p, 14, purpose);
  EXPECT_EQ(a.edges, b.edges);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_NE(a.edges, c.edges);
  p.max_degree = 200;
  EXPECT_THROW(make_lfr(p, 1, purpose), std::invalid_argument);
}
