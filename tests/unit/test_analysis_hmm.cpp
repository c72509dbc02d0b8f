// analysis/hmm: forward-backward and Viterbi against brute-force enumeration of every path of a
// tiny chain, invariance to huge emission offsets (the log domain), the transition update and
// the state alignment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "analysis/hmm.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
struct chain {
  std::size_t S, T;
  std::vector<double> log_emission, log_initial, log_transition;
};

// A random chain: emissions in [-3, 0) nats, a random initial distribution and transition rows.
chain random_chain(std::size_t S, std::size_t T, std::uint32_t id) {
  neurite::core::random_stream r(7, static_cast<std::uint32_t>(neurite::core::purpose::test), id);
  chain c{S, T, {}, {}, {}};
  for (std::size_t k = 0; k < S * T; ++k) c.log_emission.push_back(-3 * r.uniform());
  const auto distribution = [&](std::vector<double>& out) {
    std::vector<double> p(S);
    for (auto& v : p) v = 0.1 + r.uniform();
    const double z = std::accumulate(p.begin(), p.end(), 0.0);
    for (const double v : p) out.push_back(std::log(v / z));
  };
  distribution(c.log_initial);
  for (std::size_t i = 0; i < S; ++i) distribution(c.log_transition);
  return c;
}

// Every path z_0 .. z_{T-1}, with its joint log-probability.
template <class F>
void for_each_path(const chain& c, F f) {
  std::vector<int> z(c.T, 0);
  for (;;) {
    double lp = c.log_initial[static_cast<std::size_t>(z[0])];
    for (std::size_t t = 0; t < c.T; ++t) {
      lp += c.log_emission[t * c.S + static_cast<std::size_t>(z[t])];
      if (t + 1 < c.T) lp += c.log_transition[static_cast<std::size_t>(z[t]) * c.S + static_cast<std::size_t>(z[t + 1])];
    }
    f(z, lp);
    std::size_t k = 0;
    while (k < c.T && ++z[k] == static_cast<int>(c.S)) z[k++] = 0;
    if (k == c.T) return;
  }
}
}  // namespace

TEST(analysis_hmm, forward_backward_matches_enumeration_of_all_paths) {
  for (const auto& [S, T] : {std::pair<std::size_t, std::size_t>{3, 6}, {2, 9}, {4, 4}}) {
    const auto c = random_chain(S, T, static_cast<std::uint32_t>(S * 100 + T));
    std::vector<double> all;
    for_each_path(c, [&](const std::vector<int>&, double lp) { all.push_back(lp); });
    const double total = log_sum_exp(all.data(), all.size());
    std::vector<double> gamma(S * T, 0.0), xi(S * S, 0.0);
    for_each_path(c, [&](const std::vector<int>& z, double lp) {
      const double p = std::exp(lp - total);
      for (std::size_t t = 0; t < T; ++t) {
        gamma[t * S + static_cast<std::size_t>(z[t])] += p;
        if (t + 1 < T) xi[static_cast<std::size_t>(z[t]) * S + static_cast<std::size_t>(z[t + 1])] += p;
      }
    });
    const auto fb = forward_backward(c.log_emission, S, c.log_initial, c.log_transition);
    EXPECT_NEAR(fb.log_likelihood, total, 1e-12);
    for (std::size_t k = 0; k < S * T; ++k) EXPECT_NEAR(fb.gamma[k], gamma[k], 1e-12) << k;
    for (std::size_t k = 0; k < S * S; ++k) EXPECT_NEAR(fb.xi_sum[k], xi[k], 1e-12) << k;
  }
}

TEST(analysis_hmm, viterbi_matches_the_best_enumerated_path) {
  for (std::uint32_t id = 0; id < 5; ++id) {
    const auto c = random_chain(3, 7, 1000 + id);
    double best = -std::numeric_limits<double>::infinity();
    std::vector<int> arg;
    for_each_path(c, [&](const std::vector<int>& z, double lp) {
      if (lp > best) best = lp, arg = z;
    });
    EXPECT_EQ(viterbi(c.log_emission, 3, c.log_initial, c.log_transition), arg) << id;
  }
}

// Emissions of thousands of nats per bin (a GLM over many neurons) must neither underflow nor
// change the posteriors: an offset per bin, the same for every state, cancels in gamma and xi.
TEST(analysis_hmm, huge_emission_offsets_change_only_the_log_likelihood) {
  auto c = random_chain(3, 50, 77);
  const auto ref = forward_backward(c.log_emission, 3, c.log_initial, c.log_transition);
  double shift = 0;
  for (std::size_t t = 0; t < c.T; ++t) {
    const double offset = -4000.0 - 10.0 * static_cast<double>(t);
    shift += offset;
    for (std::size_t s = 0; s < 3; ++s) c.log_emission[t * 3 + s] += offset;
  }
  const auto big = forward_backward(c.log_emission, 3, c.log_initial, c.log_transition);
  EXPECT_NEAR(big.log_likelihood, ref.log_likelihood + shift, 1e-8 * std::fabs(shift));
  for (std::size_t k = 0; k < ref.gamma.size(); ++k) EXPECT_NEAR(big.gamma[k], ref.gamma[k], 1e-9);
  EXPECT_EQ(viterbi(c.log_emission, 3, c.log_initial, c.log_transition).size(), c.T);
}

TEST(analysis_hmm, transition_update_normalises_rows_and_floors_them) {
  const std::vector<double> xi = {90, 10, 0, 0, 0, 0, 5, 5, 40};
  const auto p = transition_update(xi, 3);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2], 1.0, 1e-15);
  EXPECT_GT(p[2], 0.0);                 // never seen, still possible (the floor e^-8)
  EXPECT_NEAR(p[3], 1.0 / 3.0, 1e-15);  // a row without counts: uniform
  EXPECT_NEAR(p[0] / p[1], 9.0, 1e-9);  // seen transitions keep their ratios
}

TEST(analysis_hmm, best_permutation_recovers_a_planted_order) {
  const std::vector<int> planted = {2, 0, 3, 1};
  std::vector<double> score(16, 1.0);
  for (std::size_t k = 0; k < 4; ++k) score[k * 4 + static_cast<std::size_t>(planted[k])] = 50.0 + static_cast<double>(k);
  EXPECT_EQ(best_permutation(score, 4), planted);
  EXPECT_EQ(best_permutation({3.0}, 1), std::vector<int>{0});
  EXPECT_THROW(best_permutation(std::vector<double>(81, 0.0), 9), std::invalid_argument);
  EXPECT_THROW(forward_backward({0.0, 0.0, 0.0}, 2, {0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}), std::invalid_argument);
}
