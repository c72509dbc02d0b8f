#include "core/rng.hpp"

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
