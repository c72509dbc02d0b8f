#pragma once
// Non-negative CP (canonical polyadic) decomposition of a three-way tensor by hierarchical
// alternating least squares (HALS), with restarts, the factor match score between two CP models,
// and a rank diagnostic (fit and stability against rank). Used by `neurite repro
// dynamic-connectome` on time x recording x pair affinity tensors (docs/dynamic_connectome.md).
//
// Model: X[i,j,k] ~ sum_r A[i,r] B[j,r] C[k,r], A, B, C >= 0. HALS updates one column of one factor
// at a time by its exact non-negative least-squares solution with the others fixed, so the loss
// ||X - Xhat||^2 never increases (Cichocki and Phan 2009).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace neurite::analysis {

// A dense I x J x K tensor, element (i, j, k) at (i * J + j) * K + k.
struct tensor3 {
  std::size_t I = 0, J = 0, K = 0;
  std::vector<double> data;
  tensor3() = default;
  tensor3(std::size_t i, std::size_t j, std::size_t k) : I(i), J(j), K(k), data(i * j * k, 0.0) {}
  double& at(std::size_t i, std::size_t j, std::size_t k) { return data[(i * J + j) * K + k]; }
  double at(std::size_t i, std::size_t j, std::size_t k) const { return data[(i * J + j) * K + k]; }
};

// Factors row-major: A is I x rank (A[i * rank + r]), B is J x rank, C is K x rank. Columns of A and
// B have unit norm after fitting; the component's scale sits in C (weight(r) = ||C[:, r]||).
struct cp_model {
  std::size_t rank = 0;
  std::vector<double> A, B, C;
};

struct hals_options {
  std::size_t rank = 3;
  int max_iterations = 500;   // outer sweeps over the three factors
  double tolerance = 1e-9;    // stop when the relative loss decrease of a sweep is below this
  int restarts = 5;           // random initialisations; the best fit is kept
};

struct cp_fit {
  cp_model model;
  double fit = 0;                    // 1 - ||X - Xhat|| / ||X||
  std::vector<double> loss_history;  // 0.5 ||X - Xhat||^2 after each sweep, of the kept restart
  int iterations = 0;
};

tensor3 reconstruct(const cp_model& m, std::size_t I, std::size_t J, std::size_t K);
double cp_fit_value(const tensor3& x, const cp_model& m);
// One HALS run from the given initial model (updated in place); returns the loss history.
std::vector<double> hals_run(const tensor3& x, cp_model& m, int max_iterations, double tolerance);
// Best of options.restarts HALS runs from uniform random starts on the stream (seed, purpose, id = restart).
cp_fit nonnegative_cp(const tensor3& x, const hals_options& o, std::uint64_t seed, std::uint32_t purpose);

// Factor match score: the best one-to-one matching of components (exhaustive for rank <= 8, greedy
// above), each matched pair scoring the product over modes of the cosine of its columns times
// (1 - |w1 - w2| / max(w1, w2)) on the component weights when `weights` is set; averaged over the
// rank of `a` (a component of `a` without a partner scores 0). 1 for identical models up to
// permutation and scaling of columns within a component.
double factor_match_score(const cp_model& a, const cp_model& b, bool weights = true);
// The permutation found by factor_match_score: perm[r] = component of b matched to component r of a.
std::vector<std::size_t> factor_match(const cp_model& a, const cp_model& b, bool weights = true);

// Rank diagnostic: for each rank, the best fit over restarts and the mean FMS of the other restarts'
// models to the best one (stability: near 1 when every restart finds the same factors).
struct rank_diagnostic_row {
  std::size_t rank = 0;
  double best_fit = 0, mean_fit = 0, stability = 0;
};
std::vector<rank_diagnostic_row> rank_diagnostic(const tensor3& x, const std::vector<std::size_t>& ranks,
                                                 const hals_options& o, std::uint64_t seed, std::uint32_t purpose);

}  // namespace neurite::analysis
