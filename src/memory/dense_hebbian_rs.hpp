#pragma once
// Replica-symmetric self-consistency of the supervised dense Hebbian network at load
// alpha = K / N^(P-1), P even, derived here (the paper's own equations were not retrieved,
// so its normalisations are [R]); docs/dense_hebbian_mean_field.md has the derivation.
//
// One class is condensed (overlap n with v = eta_bar / sqrt(R)); the K - 1 others enter through
// sqrt(N) n_mu, Gaussian with covariance Q_ab between replicas. For P > 2 a single pattern's term
// beta N c_P n_mu^P is O(N^(1 - P/2)), so the cumulant expansion stops at second order and the
// non-condensed patterns act as a mixed p-spin glass with covariance N xi(Q):
//   xi(q) = alpha c_P^2 sum_k a_k^2 k! q^k,   x^P = sum_k a_k He_k(x)   (Hermite, k = P, P-2, .., 2)
// (the k < P terms come from the self-interactions that n^P keeps and the heat-bath field keeps).
// The RS equations, in the gauge xi_i = +1 with v = (2B - M) / (M sqrt R), B ~ Binomial(M, (1+r)/2):
//   h = P c_P n^(P-1) v + sqrt(xi'(q)) z,   z ~ N(0, 1)
//   n = E[v tanh(beta h)],   m = E[tanh(beta h)],   q = E[tanh^2(beta h)].
// For P = 2 (K = alpha N) a pattern's term is O(1), the expansion does not stop, and the noise is
// the Amit-Gutfreund-Sompolinsky one with its reaction term (patterns of unit variance, coupling
// 2 c_P): xi'(q) is replaced by (2 c_P)^2 alpha q / (1 - 2 c_P chi)^2, chi = beta (1 - q) =
// beta E[1 - tanh^2(beta h)], which stays finite at T = 0 (the density of h at 0).
// At alpha = 0 both are the N -> infinity limit of the mean-field fixed point, and at T = 0 they
// give the exact majority vote.
#include <cstdint>

namespace neurite::memory {

struct rs_params {
  unsigned p = 4;       // interaction order, even
  double c_p = 0.5;     // the cost's constant c_P
  double r = 0.5;       // example quality
  std::uint32_t m = 11; // examples per class
  double alpha = 0;     // K / N^(P-1)
  double beta = 1;      // inverse temperature; infinity for T = 0
  double tolerance = 1e-10;  // converged when n, q and chi move by less than this in an iteration
};

struct rs_solution {
  double n = 0, m = 0, q = 0;  // class-mean overlap, Mattis overlap, replica overlap
  double chi = 0;              // beta (1 - q), the local susceptibility
  std::uint32_t iterations = 0;
  bool converged = false;
};

// The variance of the field noise from the non-condensed classes: xi'(q) for P >= 4, the AGS
// (2 c_P)^2 alpha q / (1 - 2 c_P chi)^2 for P = 2 (infinite once 2 c_P chi >= 1).
double pattern_noise_variance(unsigned p, double c_p, double alpha, double q, double chi);

// Iterates the RS equations from the retrieval start (n, q, chi) = (E|v|, 1, 0), the T = 0 fixed
// point at alpha = 0, until they move by less than the tolerance (or 10000 iterations), or until
// n falls below 1e-6 (the retrieval branch does not exist here: converged stays false). Its m is
// the retrieval branch, lost with a jump at large alpha (and for P > 2 at every alpha).
rs_solution solve_replica_symmetric(const rs_params& p);

}  // namespace neurite::memory
