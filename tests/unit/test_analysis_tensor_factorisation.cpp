// analysis/tensor_factorisation against planted models: a non-negative rank-3 tensor is recovered
// (factor match score > 0.99 to the planted factors), HALS never increases the loss, the factor
// match score is 1 for a permuted and rescaled copy, the rank diagnostic picks the planted rank,
// and bad input is refused with a message.
#include <gtest/gtest.h>

#include <stdexcept>

#include "analysis/tensor_factorisation.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
constexpr std::uint32_t purpose = neurite::core::stream_purpose(neurite::core::purpose::test, 11);

cp_model planted(std::size_t I, std::size_t J, std::size_t K, std::size_t R, std::uint64_t seed) {
  neurite::core::random_stream rng(seed, purpose, 99);
  cp_model m;
  m.rank = R;
  m.A.resize(I * R), m.B.resize(J * R), m.C.resize(K * R);
  // Sparse-ish non-negative factors: about a third of the entries zero, the rest uniform.
  for (auto* f : {&m.A, &m.B, &m.C})
    for (auto& v : *f) v = rng.uniform() < 0.33 ? 0.0 : rng.uniform();
  return m;
}
}  // namespace

TEST(tensor_factorisation, recovers_a_planted_rank_3_tensor) {
  const auto truth = planted(12, 8, 10, 3, 5);
  const auto x = reconstruct(truth, 12, 8, 10);
  hals_options o;
  o.rank = 3, o.restarts = 4, o.max_iterations = 2000, o.tolerance = 1e-12;
  const auto fit = nonnegative_cp(x, o, 1, purpose);
  EXPECT_GT(fit.fit, 0.999);
  EXPECT_GT(factor_match_score(truth, fit.model), 0.99);
}

TEST(tensor_factorisation, hals_never_increases_the_loss) {
  const auto truth = planted(10, 6, 9, 3, 7);
  auto x = reconstruct(truth, 10, 6, 9);
  neurite::core::random_stream noise(3, purpose, 1);
  for (auto& v : x.data) v += 0.05 * noise.uniform();
  hals_options o;
  o.rank = 4, o.restarts = 1, o.max_iterations = 200, o.tolerance = 0;
  const auto fit = nonnegative_cp(x, o, 2, purpose);
  ASSERT_GE(fit.loss_history.size(), 10u);
  for (std::size_t i = 1; i < fit.loss_history.size(); ++i)
    EXPECT_LE(fit.loss_history[i], fit.loss_history[i - 1] * (1 + 1e-12) + 1e-15) << "sweep " << i;
}

TEST(tensor_factorisation, factor_match_score_is_one_for_a_permuted_rescaled_copy) {
  const auto a = planted(5, 4, 6, 3, 9);
  cp_model b = a;
  // Swap components 0 and 2, scale A's column by 3 and C's by 1/3 (same component).
  for (auto* f : {&b.A, &b.B, &b.C})
    for (std::size_t i = 0; i < f->size() / 3; ++i) std::swap((*f)[i * 3], (*f)[i * 3 + 2]);
  for (std::size_t i = 0; i < 5; ++i) b.A[i * 3 + 1] *= 3;
  for (std::size_t k = 0; k < 6; ++k) b.C[k * 3 + 1] /= 3;
  EXPECT_NEAR(factor_match_score(a, b), 1.0, 1e-12);
  const auto perm = factor_match(a, b);
  EXPECT_EQ(perm[0], 2u);
  EXPECT_EQ(perm[1], 1u);
  EXPECT_EQ(perm[2], 0u);
  cp_model c = planted(5, 4, 6, 3, 10);
  EXPECT_LT(factor_match_score(a, c), 0.9);
}

TEST(tensor_factorisation, rank_diagnostic_finds_the_planted_rank) {
  const auto x = reconstruct(planted(8, 6, 7, 2, 11), 8, 6, 7);
  hals_options o;
  o.restarts = 3, o.max_iterations = 1000, o.tolerance = 1e-12;
  const auto rows = rank_diagnostic(x, {1, 2}, o, 4, purpose);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_LT(rows[0].best_fit, 0.99);
  EXPECT_GT(rows[1].best_fit, 0.999);
  EXPECT_GT(rows[1].stability, 0.95);
}

TEST(tensor_factorisation, refuses_negative_entries_and_rank_zero) {
  tensor3 x(2, 2, 2);
  x.at(0, 1, 1) = -1;
  hals_options o;
  EXPECT_THROW(nonnegative_cp(x, o, 1, purpose), std::invalid_argument);
  x.at(0, 1, 1) = 1;
  o.rank = 0;
  EXPECT_THROW(nonnegative_cp(x, o, 1, purpose), std::invalid_argument);
}
