#pragma once
// Dense (P-body) Hebbian networks trained on noisy examples of Rademacher archetypes
// (Agliari et al., arXiv:2212.00606, Physica A 626 (2023) 129076).
//
// Every cost here has the form H(sigma) = -N c_P sum_rows w_row (n_row)^P with the overlaps
// n_row = (1/N) sum_i v_row,i sigma_i, so a spin update costs O(rows) through the overlaps and
// the N^P synaptic tensor is never built (except by the brute-force reference, for tiny N).
// The pattern vectors are integers times a per-row scale (v = scale * z), so the overlap sums
// S_row = sum_i z_row,i sigma_i are kept exactly in integers however many flips accumulate.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace neurite::memory {

struct hebbian_dataset_params {
  std::uint32_t n = 1000;  // neurons (pattern length)
  std::uint32_t k = 3;     // archetypes
  std::uint32_t m = 11;    // examples per archetype
  double r = 0.5;          // example quality: P(example bit = archetype bit) = (1 + r) / 2
  std::uint64_t seed = 1;
};

struct hebbian_dataset {
  hebbian_dataset_params params;
  std::vector<std::int8_t> archetypes;  // xi^mu_i at [mu * n + i]
  std::vector<std::int8_t> examples;    // eta^{mu,a}_i at [(mu * m + a) * n + i]

  std::span<const std::int8_t> archetype(std::uint32_t mu) const;
  std::span<const std::int8_t> example(std::uint32_t mu, std::uint32_t a) const;
};

// K Rademacher archetypes and M examples of each, eta = chi * xi with P(chi = +1) = (1 + r) / 2.
hebbian_dataset make_dataset(const hebbian_dataset_params& p);

// The dataset entropy rho = (1 - r^2) / (M r^2), the theory's single dataset parameter.
double dataset_entropy(double r, std::uint32_t m);
// R = E[eta_bar^2] = r^2 (1 + rho), which normalises the supervised overlaps.
double class_mean_power(double r, std::uint32_t m);

// The couplings of a cost H = -N c_P sum_rows w_row (n_row)^P, n_row = (scale_row / N) S_row,
// S_row = sum_i z_row,i sigma_i.
struct dense_couplings {
  std::uint32_t n = 0, rows = 0;
  unsigned p = 4;      // interaction order, even
  double c_p = 0.5;    // the cost's constant c_P (a convention of the paper, [R])
  std::vector<std::int32_t> z;  // z_row,i at [row * n + i]
  std::vector<double> scale;    // per row: v_row,i = scale_row * z_row,i
  std::vector<double> weight;   // per row

  double pattern(std::uint32_t row, std::uint32_t i) const { return scale[row] * z[std::size_t{row} * n + i]; }
};

// Supervised: one row per class, v = eta_bar / sqrt(R) with eta_bar the mean of the class's
// examples (z = the sum of the M examples, scale = 1 / (M sqrt R)), weight 1.
dense_couplings supervised_couplings(const hebbian_dataset& d, unsigned p, double c_p);
// Unsupervised (the companion paper, arXiv:2211.14067): the labels are unknown, so every example
// is its own row, v = eta^{mu,a} / r (so that n -> m_mu on the archetype), weight 1 / M:
// H = -N c_P (1/M) sum_{mu,a} (n_{mu,a})^P. The normalisation by r is [R], not the paper's.
dense_couplings unsupervised_couplings(const hebbian_dataset& d, unsigned p, double c_p);

// x^p by repeated multiplication: p is a small integer and std::pow is slower and less exact.
inline double integer_power(double x, unsigned p) {
  double y = 1;
  for (unsigned k = 0; k < p; ++k) y *= x;
  return y;
}

// (H(sigma_i = -1) - H(sigma_i = +1)) / 2 from spin i's cavity overlaps cavity(row), the overlaps
// n_row without spin i's own term: the heat-bath field of a spin configuration, and the leading
// term of the mean-field field of a magnetisation vector (memory/dense_hebbian_mean_field.hpp).
template <class CavityOverlap>
double cavity_field(const dense_couplings& c, std::uint32_t i, CavityOverlap cavity) {
  double h = 0;
  for (std::uint32_t row = 0; row < c.rows; ++row) {
    const double own = c.pattern(row, i) / c.n, n = cavity(row);
    h += c.weight[row] * (integer_power(n + own, c.p) - integer_power(n - own, c.p));
  }
  return 0.5 * c.n * c.c_p * h;
}

// The network state and its overlaps, updated incrementally at every flip.
class dense_hebbian_net {
 public:
  dense_hebbian_net(dense_couplings c, std::span<const std::int8_t> spins);

  void set_spins(std::span<const std::int8_t> spins);
  std::span<const std::int8_t> spins() const { return spins_; }
  const dense_couplings& couplings() const { return c_; }

  double overlap(std::uint32_t row) const;  // n_row
  // The integer overlap sums S_row kept incrementally, and the same sums recomputed from scratch.
  std::span<const std::int64_t> overlap_sums() const { return sums_; }
  std::vector<std::int64_t> recomputed_overlap_sums() const;

  double energy() const;  // H, from the overlaps
  // (H(sigma_i = -1) - H(sigma_i = +1)) / 2: the field for which heat-bath with
  // P(sigma_i = +1) = (1 + tanh(beta h_i)) / 2 samples exp(-beta H) exactly. Its leading term is
  // the paper's P c_P sum_rows w v_i n^{P-1} evaluated at the cavity overlaps (spin i's own
  // contribution removed), so a spin never reinforces itself; the index-coincident
  // (self-interaction) terms of H survive as O(1/N^2) corrections and are kept.
  double field(std::uint32_t i) const;
  // The paper's field -dH/dsigma_i = P c_P sum_rows w v_i n^{P-1} (self-interaction included).
  double gradient_field(std::uint32_t i) const;

  void flip(std::uint32_t i);
  // One asynchronous sweep: every spin once, in a random order drawn from (seed, sweep).
  // Heat-bath at inverse temperature beta; beta = infinity gives zero-temperature dynamics
  // (sigma_i = sign h_i, kept when h_i = 0). Returns the number of flips.
  std::uint32_t sweep(double beta, std::uint64_t seed, std::uint64_t sweep_index);

 private:
  std::vector<std::uint32_t> sweep_order(std::uint64_t seed, std::uint64_t sweep_index) const;

  dense_couplings c_;
  std::vector<std::int8_t> spins_;
  std::vector<std::int64_t> sums_;
};

// The Mattis overlap m = (1/N) sum_i xi_i sigma_i, of spins or of mean-field magnetisations.
// (A double sum of up to 2^53 values +-1 is exact, so spins lose nothing.)
template <class Spin>
double mattis_overlap(std::span<const std::int8_t> xi, std::span<const Spin> sigma) {
  double sum = 0;
  for (std::size_t i = 0; i < xi.size(); ++i) sum += xi[i] * static_cast<double>(sigma[i]);
  return sum / static_cast<double>(xi.size());
}

constexpr double zero_temperature = std::numeric_limits<double>::infinity();  // as beta

struct hebbian_run_params {
  double beta = zero_temperature;
  std::uint32_t burn_in = 10;  // sweeps discarded
  std::uint32_t sweeps = 10;   // sweeps measured (after each one)
  std::uint64_t seed = 1;
};

struct hebbian_observables {
  std::vector<double> mattis;   // time-averaged m_mu, one per archetype
  std::vector<double> overlap;  // time-averaged n_row, one per coupling row
  double energy_per_spin = 0;   // time-averaged H / N
};

// Burn-in, then measurement sweeps; sweep indices count from 0 so a seed fixes the whole run.
hebbian_observables run_monte_carlo(dense_hebbian_net& net, const hebbian_dataset& d, const hebbian_run_params& p);

struct chain_estimate {
  double mean = 0, standard_error = 0;
};

// The Mattis overlap with archetype mu time-averaged by run_monte_carlo in each of `chains` (>= 2)
// independent chains started at the archetype (seeds p.seed, p.seed + 1, ...), averaged over the
// chains; the standard error is the spread of the chain means over sqrt(chains).
chain_estimate mattis_over_chains(const hebbian_dataset& d, const dense_couplings& c, std::uint32_t mu,
                                  const hebbian_run_params& p, std::uint32_t chains);

// Zero-temperature sweeps until one makes no flip (a fixed point) or max_sweeps have run.
// Returns the number of sweeps run.
std::uint32_t relax_zero_temperature(dense_hebbian_net& net, std::uint64_t seed, std::uint32_t max_sweeps);

// The exact T = 0 low-load retrieval overlap, sigma_i = sign(eta_bar_i):
// P(majority of M examples correct) - P(majority wrong), a tie (even M) counting zero.
double majority_vote_overlap(double r, std::uint32_t m);

}  // namespace neurite::memory
