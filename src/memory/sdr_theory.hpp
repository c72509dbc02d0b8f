#pragma once
// Exact match probabilities of SDRs and dendritic segments (Ahmad & Hawkins 2016, arXiv:1601.00720),
// in log space so that values far below 1e-300 stay representable, and Monte Carlo estimators of
// the same quantities that use the SDR library, with binomial confidence intervals.
#include <cstdint>

#include "memory/sdr.hpp"

namespace neurite::memory {

// log C(n, k); -infinity when k < 0 or k > n.
double log_binomial(std::int64_t n, std::int64_t k);

// log(e^x + e^y) without overflow; either may be -infinity.
double log_add(double x, double y);

// False match: a random pattern of a active cells out of n reaches theta of a segment's s synapses.
//   P_fp = sum_{b >= theta} C(s, b) C(n - s, a - b) / C(n, a)
double log_p_false_match(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t theta);
double p_false_match(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t theta);

// Union property: a segment holding the synapses of M patterns (s each, drawn independently out
// of n cells) has about round(n (1 - (1 - s/n)^M)) synapses; its false-match probability is
// P_fp with that many synapses.
std::int64_t expected_union_size(std::int64_t n, std::int64_t s, std::int64_t patterns);
double p_false_match_union(std::int64_t n, std::int64_t a, std::int64_t s, std::int64_t patterns,
                           std::int64_t theta);

// False negative: k of the a cells of the stored pattern are replaced by other cells; the segment
// (s synapses on the stored pattern) then sees b < theta active synapses, b hypergeometric:
//   P_fn = sum_{b < theta} C(a - k, b) C(k, s - b) / C(a, s)
double log_p_false_negative(std::int64_t a, std::int64_t s, std::int64_t theta, std::int64_t k);
double p_false_negative(std::int64_t a, std::int64_t s, std::int64_t theta, std::int64_t k);

// A binomial proportion with its Wilson score interval.
struct binomial_estimate {
  std::uint64_t hits = 0, trials = 0;
  double p = 0, low = 0, high = 0;
  bool contains(double x) const { return low <= x && x <= high; }
};
// z = 3.2905 gives a two-sided 99.9% interval.
binomial_estimate wilson_interval(std::uint64_t hits, std::uint64_t trials, double z);
inline constexpr double z_999 = 3.290526731491926;

inline constexpr auto sdr_trial_purpose = static_cast<std::uint32_t>(core::purpose::sdr_trial);

// Monte Carlo counterparts. Trial t draws from core::random_stream(seed, sdr_trial_purpose, t):
// a stored pattern, a segment subsampling it, and a test input.
// False match: the input is a fresh random pattern.
binomial_estimate simulate_false_match(cell_t n, cell_t a, cell_t s, cell_t theta, std::uint64_t trials,
                                       std::uint64_t seed);
// False negative: the input is the stored pattern with k cells replaced (needs n >= a + k).
binomial_estimate simulate_false_negative(cell_t n, cell_t a, cell_t s, cell_t theta, cell_t k,
                                          std::uint64_t trials, std::uint64_t seed);

}  // namespace neurite::memory
