#include "memory/dense_hebbian.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/rng.hpp"

namespace neurite::memory {

namespace {

void check_couplings(const dense_couplings& c) {
  if (c.p < 2 || c.p % 2 != 0) throw std::invalid_argument("dense Hebbian network: P must be even and >= 2");
  if (c.z.size() != std::size_t{c.rows} * c.n || c.scale.size() != c.rows || c.weight.size() != c.rows)
    throw std::invalid_argument("dense Hebbian network: couplings of inconsistent sizes");
}

}  // namespace

std::span<const std::int8_t> hebbian_dataset::archetype(std::uint32_t mu) const {
  return {archetypes.data() + std::size_t{mu} * params.n, params.n};
}

std::span<const std::int8_t> hebbian_dataset::example(std::uint32_t mu, std::uint32_t a) const {
  return {examples.data() + (std::size_t{mu} * params.m + a) * params.n, params.n};
}

hebbian_dataset make_dataset(const hebbian_dataset_params& p) {
  if (p.r < 0 || p.r > 1) throw std::invalid_argument("dense Hebbian dataset: r must lie in [0, 1]");
  hebbian_dataset d{p, std::vector<std::int8_t>(std::size_t{p.k} * p.n),
                    std::vector<std::int8_t>(std::size_t{p.k} * p.m * p.n)};
  const double p_correct = (1 + p.r) / 2;
  for (std::uint32_t mu = 0; mu < p.k; ++mu) {
    core::random_stream s(p.seed, static_cast<std::uint32_t>(core::purpose::hebbian_archetypes), mu);
    for (std::uint32_t i = 0; i < p.n; ++i) d.archetypes[std::size_t{mu} * p.n + i] = (s.next_u32() >> 31) ? 1 : -1;
    for (std::uint32_t a = 0; a < p.m; ++a) {
      core::random_stream e(p.seed, static_cast<std::uint32_t>(core::purpose::hebbian_examples), mu * p.m + a);
      const std::size_t row = (std::size_t{mu} * p.m + a) * p.n;
      for (std::uint32_t i = 0; i < p.n; ++i) {
        const std::int8_t xi = d.archetypes[std::size_t{mu} * p.n + i];
        d.examples[row + i] = e.uniform() < p_correct ? xi : static_cast<std::int8_t>(-xi);
      }
    }
  }
  return d;
}

double dataset_entropy(double r, std::uint32_t m) { return (1 - r * r) / (m * r * r); }

double class_mean_power(double r, std::uint32_t m) { return r * r * (1 + dataset_entropy(r, m)); }

dense_couplings supervised_couplings(const hebbian_dataset& d, unsigned p, double c_p) {
  const auto& q = d.params;
  dense_couplings c{q.n, q.k, p, c_p, std::vector<std::int32_t>(std::size_t{q.k} * q.n),
                    std::vector<double>(q.k, 1 / (q.m * std::sqrt(class_mean_power(q.r, q.m)))),
                    std::vector<double>(q.k, 1.0)};
  for (std::uint32_t mu = 0; mu < q.k; ++mu)
    for (std::uint32_t a = 0; a < q.m; ++a) {
      const auto eta = d.example(mu, a);
      for (std::uint32_t i = 0; i < q.n; ++i) c.z[std::size_t{mu} * q.n + i] += eta[i];
    }
  check_couplings(c);
  return c;
}

dense_couplings unsupervised_couplings(const hebbian_dataset& d, unsigned p, double c_p) {
  const auto& q = d.params;
  if (q.r <= 0) throw std::invalid_argument("unsupervised dense Hebbian couplings: r must be > 0");
  const std::uint32_t rows = q.k * q.m;
  dense_couplings c{q.n, rows, p, c_p, std::vector<std::int32_t>(d.examples.begin(), d.examples.end()),
                    std::vector<double>(rows, 1 / q.r), std::vector<double>(rows, 1.0 / q.m)};
  check_couplings(c);
  return c;
}

dense_hebbian_net::dense_hebbian_net(dense_couplings c, std::span<const std::int8_t> spins) : c_(std::move(c)) {
  check_couplings(c_);
  set_spins(spins);
}

void dense_hebbian_net::set_spins(std::span<const std::int8_t> spins) {
  if (spins.size() != c_.n) throw std::invalid_argument("dense Hebbian network: wrong number of spins");
  spins_.assign(spins.begin(), spins.end());
  sums_ = recomputed_overlap_sums();
}

std::vector<std::int64_t> dense_hebbian_net::recomputed_overlap_sums() const {
  std::vector<std::int64_t> sums(c_.rows, 0);
  for (std::uint32_t row = 0; row < c_.rows; ++row)
    for (std::uint32_t i = 0; i < c_.n; ++i) sums[row] += std::int64_t{c_.z[std::size_t{row} * c_.n + i]} * spins_[i];
  return sums;
}

double dense_hebbian_net::overlap(std::uint32_t row) const {
  return c_.scale[row] * static_cast<double>(sums_[row]) / c_.n;
}

double dense_hebbian_net::energy() const {
  double e = 0;
  for (std::uint32_t row = 0; row < c_.rows; ++row) e += c_.weight[row] * integer_power(overlap(row), c_.p);
  return -static_cast<double>(c_.n) * c_.c_p * e;
}

double dense_hebbian_net::field(std::uint32_t i) const {
  return cavity_field(c_, i, [&](std::uint32_t row) {
    const std::int64_t cavity = sums_[row] - std::int64_t{c_.z[std::size_t{row} * c_.n + i]} * spins_[i];
    return c_.scale[row] * static_cast<double>(cavity) / c_.n;
  });
}

double dense_hebbian_net::gradient_field(std::uint32_t i) const {
  double h = 0;
  for (std::uint32_t row = 0; row < c_.rows; ++row)
    h += c_.weight[row] * c_.pattern(row, i) * integer_power(overlap(row), c_.p - 1);
  return c_.p * c_.c_p * h;
}

void dense_hebbian_net::flip(std::uint32_t i) {
  spins_[i] = static_cast<std::int8_t>(-spins_[i]);
  for (std::uint32_t row = 0; row < c_.rows; ++row) sums_[row] += 2 * std::int64_t{c_.z[std::size_t{row} * c_.n + i]} * spins_[i];
}

std::vector<std::uint32_t> dense_hebbian_net::sweep_order(std::uint64_t seed, std::uint64_t sweep_index) const {
  std::vector<std::uint32_t> order(c_.n);
  for (std::uint32_t i = 0; i < c_.n; ++i) order[i] = i;
  core::random_stream s(seed, static_cast<std::uint32_t>(core::purpose::hebbian_sweep_order), 0, sweep_index);
  for (std::uint32_t k = c_.n; k > 1; --k) std::swap(order[k - 1], order[s.below(k)]);  // Fisher-Yates
  return order;
}

std::uint32_t dense_hebbian_net::sweep(double beta, std::uint64_t seed, std::uint64_t sweep_index) {
  std::uint32_t flips = 0;
  for (const std::uint32_t i : sweep_order(seed, sweep_index)) {
    const double h = field(i);
    std::int8_t target = spins_[i];
    if (std::isinf(beta)) {
      if (h != 0) target = h > 0 ? 1 : -1;
    } else {
      core::random_stream s(seed, static_cast<std::uint32_t>(core::purpose::hebbian_heat_bath), i, sweep_index);
      target = s.uniform() < 0.5 * (1 + std::tanh(beta * h)) ? 1 : -1;
    }
    if (target != spins_[i]) {
      flip(i);
      ++flips;
    }
  }
  return flips;
}

hebbian_observables run_monte_carlo(dense_hebbian_net& net, const hebbian_dataset& d, const hebbian_run_params& p) {
  hebbian_observables o{std::vector<double>(d.params.k, 0.0), std::vector<double>(net.couplings().rows, 0.0), 0};
  for (std::uint32_t s = 0; s < p.burn_in; ++s) net.sweep(p.beta, p.seed, s);
  for (std::uint32_t s = 0; s < p.sweeps; ++s) {
    net.sweep(p.beta, p.seed, std::uint64_t{p.burn_in} + s);
    for (std::uint32_t mu = 0; mu < d.params.k; ++mu) o.mattis[mu] += mattis_overlap(d.archetype(mu), net.spins());
    for (std::uint32_t row = 0; row < o.overlap.size(); ++row) o.overlap[row] += net.overlap(row);
    o.energy_per_spin += net.energy() / net.couplings().n;
  }
  const double samples = p.sweeps > 0 ? p.sweeps : 1;
  for (double& m : o.mattis) m /= samples;
  for (double& n : o.overlap) n /= samples;
  o.energy_per_spin /= samples;
  return o;
}

chain_estimate mattis_over_chains(const hebbian_dataset& d, const dense_couplings& c, std::uint32_t mu,
                                  const hebbian_run_params& p, std::uint32_t chains) {
  if (chains < 2) throw std::invalid_argument("mattis_over_chains: a standard error needs two chains or more");
  double sum = 0, squares = 0;
  for (std::uint32_t k = 0; k < chains; ++k) {
    dense_hebbian_net net(c, d.archetype(mu));
    auto q = p;
    q.seed = p.seed + k;
    const double m = run_monte_carlo(net, d, q).mattis[mu];
    sum += m;
    squares += m * m;
  }
  const double mean = sum / chains;
  return {mean, std::sqrt(std::max(0.0, squares / chains - mean * mean) / (chains - 1))};
}

std::uint32_t relax_zero_temperature(dense_hebbian_net& net, std::uint64_t seed, std::uint32_t max_sweeps) {
  for (std::uint32_t s = 0; s < max_sweeps; ++s)
    if (net.sweep(zero_temperature, seed, s) == 0) return s + 1;
  return max_sweeps;
}

double majority_vote_overlap(double r, std::uint32_t m) {
  if (r >= 1) return 1;  // every example is the archetype (the general sum would take log 0)
  const double log_p = std::log((1 + r) / 2), log_q = std::log((1 - r) / 2);
  double overlap = 0;
  for (std::uint32_t k = 0; k <= m; ++k) {  // k examples agree with the archetype
    if (2 * k == m) continue;               // a tie: sign(eta_bar) = 0 contributes nothing
    const double log_binomial = std::lgamma(m + 1.0) - std::lgamma(k + 1.0) - std::lgamma(m - k + 1.0);
    const double probability = std::exp(log_binomial + k * log_p + (m - k) * log_q);
    overlap += 2 * k > m ? probability : -probability;
  }
  return overlap;
}

}  // namespace neurite::memory
