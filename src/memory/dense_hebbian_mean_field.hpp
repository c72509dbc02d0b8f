#pragma once
// Mean-field (Plefka / TAP) magnetisations m_i = <sigma_i> of a dense Hebbian network: a
// deterministic fixed-point iteration m_i <- tanh(beta h_i(m)) that replaces the long Monte Carlo
// averages of run_monte_carlo. Each field costs O(rows) through the mean overlaps, as a heat-bath
// update does; the N^P tensor is never formed. docs/dense_hebbian_mean_field.md has the derivation.
//
// The field, per row (weight w, v_i = v_row,i, n = (1/N) sum_j v_j m_j its mean overlap, and
// u = (1/N) sum_j v_j^2 (1 - m_j^2) the product-measure variance of sqrt(N) n):
//
//   h_i = cavity_field(n - v_i m_i / N)                                   (the heat-bath field)
//       + c_P C(P,2) w [(P-2) n^(P-3) v_i u g(x) - 2 n^(P-2) v_i^2 m_i (g(x) - 1)] / N
//   x   = beta c_P P (P-1) w n^(P-2) u
//
// It is -dG/dm_i of the Plefka free energy at fixed magnetisations. Its first order, <H> over the
// product measure, gives g = 1: the cavity field plus the (P-2) term, from E[n^P] = n^P +
// C(P,2) n^(P-2) u / N. The second order (the Onsager reaction term; for P = 2 it is the familiar
// -beta m_i sum_j J_ij^2 (1 - m_j^2)) gives g = 1 + x. At low load (finite K) every further order
// contributes to the field at the same order 1/N, x^k / N: the free energy beyond first order is the
// Gaussian integral over the fluctuation of sqrt(N) n, (1 / 2 beta) log(1 - x) per row, and
// g = 1 / (1 - x) sums them all. So the truncated Onsager term is not the whole 1/N correction
// here (unlike the Sherrington-Kirkpatrick model, where the higher orders vanish), and for P > 2
// it is no smaller than for P = 2 in N: it carries n^(2P-4) (large in the retrieval state) and
// u (small when m_i is near +-1). Cross-row terms (sum_j v_row,j v_row',j (1 - m_j^2) / N,
// O(N^-1/2) for independent rows) enter at O(K^2 / N^2) and are left out. For P = 2 at load
// alpha = K / N the per-row terms add up to the Hopfield TAP reaction term
// alpha beta (1 - q) / (1 - beta (1 - q)) m_i (c_P = 1/2), which is O(alpha), not O(1/N).
//
// All corrections vanish for a +-1 state (u = 0), so at beta = infinity (m_i = sign h_i, kept
// when h_i = 0) the iteration is exactly the zero-temperature dynamics, in a fixed order.
// x >= 1 means the state has lost its stability along n: g = 1 / (1 - x) has no meaning there,
// and the solver stops with converged = false.
#include <cstdint>
#include <span>
#include <vector>

#include "memory/dense_hebbian.hpp"

namespace neurite::memory {

enum class plefka_order {
  first,     // g = 1: <H> over the product measure (naive mean field, self-coupling removed)
  second,    // g = 1 + x: with the Onsager reaction term
  gaussian,  // g = 1 / (1 - x): every order of the overlap fluctuation (the exact 1/N at low load)
};

struct mean_field_params {
  double beta = zero_temperature;
  plefka_order order = plefka_order::gaussian;
  double tolerance = 1e-10;  // converged when no m_i moves more than this in a sweep
  std::uint32_t max_sweeps = 1000;
};

struct mean_field_state {
  std::vector<double> m;        // magnetisations, one per spin
  std::vector<double> overlap;  // mean overlaps n_row
  double stability = 0;         // the largest x over the rows: the state is stable while it is < 1
  std::uint32_t sweeps = 0;
  bool converged = false;
};

// The field h_i above at magnetisations m (O(N rows): recomputes the overlaps; for tests).
double mean_field(const dense_couplings& c, std::span<const double> m, std::uint32_t i, double beta, plefka_order order);

// Sequential sweeps over i = 0..N-1 from m0, each m_i <- tanh(beta h_i) with the overlaps updated
// at once (Gauss-Seidel: a parallel update can oscillate between two states), until converged.
mean_field_state solve_mean_field(const dense_couplings& c, std::span<const double> m0, const mean_field_params& p);

}  // namespace neurite::memory
