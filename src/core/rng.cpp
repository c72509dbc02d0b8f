#include "core/rng.hpp"

#include <algorithm>
#include <stdexcept>

namespace neurite::core {

std::uint32_t random_stream::poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 12) {
    const double u = uniform();
    double p = std::exp(-lambda), cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  // PTRS: W. Hoermann, "The transformed rejection method for generating Poisson random
  // variables", Insurance: Mathematics and Economics 12 (1993).
  const double slam = std::sqrt(lambda), loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = uniform() - 0.5, v = uniform_open();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1))
      return static_cast<std::uint32_t>(k);
  }
}

void philox_group_words(std::uint64_t seed, std::uint32_t purp, std::uint64_t step, std::uint32_t first_group,
                        std::uint32_t n_groups, std::uint32_t* out) {
  // Eight blocks at a time, each 32-bit word held in a 64-bit lane so that the 32x32->64
  // products map onto vector multiplies (GCC vector extensions: AVX-512, AVX2 or SSE).
  using v8 = std::uint64_t __attribute__((vector_size(64)));
  constexpr std::uint32_t lanes = 8;
  const v8 low32 = v8{} + 0xFFFFFFFFull;
  const auto step_lo = static_cast<std::uint32_t>(step), step_hi = static_cast<std::uint32_t>(step >> 32) << 24;
  for (std::uint32_t g0 = 0; g0 < n_groups; g0 += lanes) {
    v8 c0 = v8{0, 1, 2, 3, 4, 5, 6, 7} + (first_group + g0);
    v8 c1 = v8{} + purp, c2 = v8{} + step_lo, c3 = v8{} + step_hi;
    std::uint64_t k0 = static_cast<std::uint32_t>(seed), k1 = seed >> 32;
    // Philox4x32-10 (Salmon et al., SC 2011): ten rounds of two 32x32->64 multiplications,
    // the key bumped by the Weyl constants between rounds.
    for (int round = 0; round < 10; ++round) {
      const v8 p0 = (c0 & low32) * 0xD2511F53ull, p1 = c2 * 0xCD9E8D57ull;
      c0 = ((p1 >> 32) ^ c1 ^ k0);
      c1 = p1 & low32;
      c2 = ((p0 >> 32) ^ c3 ^ k1);
      c3 = p0 & low32;
      k0 = (k0 + 0x9E3779B9u) & 0xFFFFFFFFu;
      k1 = (k1 + 0xBB67AE85u) & 0xFFFFFFFFu;
    }
    const std::uint32_t n = std::min(lanes, n_groups - g0);
    for (std::uint32_t j = 0; j < n; ++j) {
      std::uint32_t* o = out + 4 * (g0 + j);
      o[0] = static_cast<std::uint32_t>(c0[j]), o[1] = static_cast<std::uint32_t>(c1[j]);
      o[2] = static_cast<std::uint32_t>(c2[j]), o[3] = static_cast<std::uint32_t>(c3[j]);
    }
  }
}

void poisson_table::count(const std::uint32_t* words, std::size_t n, std::uint32_t* counts) const {
  for (std::size_t j = 0; j < n; ++j) counts[j] = 0;
  for (const std::uint32_t t : thresholds_)
    for (std::size_t j = 0; j < n; ++j) counts[j] += words[j] >= t ? 1u : 0u;
}

poisson_table::poisson_table(double lambda) : lambda_(lambda) {
  if (!(lambda >= 0) || lambda > 64) throw std::invalid_argument("poisson_table: lambda must lie in [0, 64]");
  double p = std::exp(-lambda), cdf = p;
  for (std::uint32_t k = 0; k < 1000; ++k) {
    const double scaled = std::floor(cdf * 4294967296.0);
    if (scaled >= 4294967295.0) break;  // P(X > k) below 2^-32: stop
    thresholds_.push_back(static_cast<std::uint32_t>(scaled));
    p *= lambda / (k + 1);
    cdf += p;
  }
}

}  // namespace neurite::core
