#include "memory/sdr_theory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurite::memory {
namespace {

constexpr double minus_inf = -std::numeric_limits<double>::infinity();

// log of sum_b exp(log_term(b)) over b in [lo, hi]; empty ranges give -infinity (probability 0).
template <class F>
double log_sum(std::int64_t lo, std::int64_t hi, F log_term) {
  double total = minus_inf;
  for (std::int64_t b = lo; b <= hi; ++b) total = log_add(total, log_term(b));
  return total;
}

}  // namespace

// lgammal works in 64-bit mantissas: for n up to 1e5, lgamma(n + 1) is about 1e6 and its
// rounding error about 1e6 * 2^-64 = 5e-14, so each probability is good to about 1e-13 relative.
double log_binomial(std::int64_t n, std::int64_t k) {
  if (k < 0 || k > n) return minus_inf;
  const auto nl = static_cast<long double>(n), kl = static_cast<long double>(k);
  return static_cast<double>(std::lgammal(nl + 1) - std::lgammal(kl + 1) - std::lgammal(nl - kl + 1));
}

double log_add(double x, double y) {
  if (x < y) std::swap(x, y);
  if (y == minus_inf) return x;
  return x + std::log1p(std::exp(y - x));
}

double log_p_false_match(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t theta) {
  const double total = log_binomial(n, a);
  return log_sum(std::max<std::int64_t>(theta, 0), std::min(s, a),
                 [&](std::int64_t b) { return log_binomial(s, b) + log_binomial(n - s, a - b) - total; });
}

double p_false_match(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t theta) {
  return std::exp(log_p_false_match(n, a, s, theta));
}

std::int64_t expected_union_size(std::int64_t n, std::int64_t s, std::int64_t patterns) {
  const double off = std::pow(1.0 - static_cast<double>(s) / static_cast<double>(n), static_cast<double>(patterns));
  return std::llround(static_cast<double>(n) * (1.0 - off));
}

double p_false_match_union(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t patterns,
                           std::int64_t theta) {
  return p_false_match(n, a, expected_union_size(n, s, patterns), theta);
}

double log_p_false_negative(std::int64_t a, std::int64_t s, std::int64_t theta, std::int64_t k) {
  const double total = log_binomial(a, s);
  return log_sum(0, std::min(theta - 1, s),
                 [&](std::int64_t b) { return log_binomial(a - k, b) + log_binomial(k, s - b) - total; });
}

double p_false_negative(std::int64_t a, std::int64_t s, std::int64_t theta, std::int64_t k) {
  return std::exp(log_p_false_negative(a, s, theta, k));
}

binomial_estimate wilson_interval(std::uint64_t hits, std::uint64_t trials, double z) {
  binomial_estimate e{hits, trials};
  if (trials == 0) return {hits, trials, 0, 0, 1};
  const double n = static_cast<double>(trials), p = static_cast<double>(hits) / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  e.p = p;
  e.low = std::max(0.0, centre - half);
  e.high = std::min(1.0, centre + half);
  return e;
}

binomial_estimate simulate_false_match(cell_t n, cell_t a, cell_t s, cell_t theta, std::uint64_t trials,
                                       std::uint64_t seed) {
  std::uint64_t hits = 0;
  for (std::uint64_t t = 0; t < trials; ++t) {
    core::random_stream rng(seed, sdr_trial_purpose, static_cast<std::uint32_t>(t), t >> 32);
    const dendritic_segment segment(subsample(random_sdr(n, a, rng), s, rng), theta);
    hits += segment.active(sdr_bits(random_sdr(n, a, rng)));
  }
  return wilson_interval(hits, trials, z_999);
}

binomial_estimate simulate_false_negative(cell_t n, cell_t a, cell_t s, cell_t theta, cell_t k,
                                          std::uint64_t trials, std::uint64_t seed) {
  std::uint64_t misses = 0;
  for (std::uint64_t t = 0; t < trials; ++t) {
    core::random_stream rng(seed, sdr_trial_purpose, static_cast<std::uint32_t>(t), t >> 32);
    const sdr stored = random_sdr(n, a, rng);
    const dendritic_segment segment(subsample(stored, s, rng), theta);
    misses += !segment.active(sdr_bits(add_noise(stored, k, rng)));
  }
  return wilson_interval(misses, trials, z_999);
}

}  // namespace neurite::memory
