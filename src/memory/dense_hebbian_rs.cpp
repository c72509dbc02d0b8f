#include "memory/dense_hebbian_rs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "memory/dense_hebbian.hpp"

namespace neurite::memory {

namespace {

// The class-mean values v_b = (2b - M) / (M sqrt R) in the gauge xi = +1 and their binomial weights.
struct class_mean_law {
  std::vector<double> v, weight;
};

class_mean_law class_mean_distribution(double r, std::uint32_t m) {
  if (!(r > 0 && r <= 1) || m == 0) throw std::invalid_argument("RS solver: need 0 < r <= 1 and M >= 1");
  const double scale = 1 / (m * std::sqrt(class_mean_power(r, m)));
  if (r == 1) return {{m * scale}, {1.0}};  // every example is the archetype (log 0 below)
  class_mean_law law;
  for (std::uint32_t b = 0; b <= m; ++b) {
    law.v.push_back((2.0 * b - m) * scale);
    law.weight.push_back(std::exp(std::lgamma(m + 1.0) - std::lgamma(b + 1.0) - std::lgamma(m - b + 1.0) +
                                  b * std::log((1 + r) / 2) + (m - b) * std::log((1 - r) / 2)));
  }
  return law;
}

// E_z[tanh(beta (a + b z))] and E_z[tanh^2(...)], z ~ N(0, 1): closed form at T = 0, otherwise
// Simpson's rule on [-8, 8] (the tails beyond weigh 1e-15) with step 0.04, fine enough for the
// transition width 1 / (beta b) of the temperatures used (T >= 0.05).
struct thermal_means {
  double tanh = 0, tanh_squared = 0, slope = 0;  // slope: beta E[1 - tanh^2]
};

thermal_means gaussian_means(double a, double b, double beta) {
  if (std::isinf(b)) return {0, 1, 0};  // the field's sign is a coin toss
  if (b == 0) {
    const double t = std::isinf(beta) ? (a > 0) - (a < 0) : std::tanh(beta * a);
    return {t, t * t, std::isinf(beta) ? 0 : beta * (1 - t * t)};
  }
  if (std::isinf(beta))  // tanh -> sign; beta (1 - tanh^2) -> 2 delta(h), whose mean is 2 density(0)
    return {std::erf(a / (b * std::numbers::sqrt2)), 1, 2 * std::exp(-a * a / (2 * b * b)) / (b * std::sqrt(2 * std::numbers::pi))};
  constexpr int intervals = 400;
  constexpr double lo = -8, step = 16.0 / intervals;
  thermal_means e;
  for (int k = 0; k <= intervals; ++k) {
    const double z = lo + k * step, simpson = (k == 0 || k == intervals) ? 1 : (k % 2 == 1 ? 4 : 2);
    const double w = simpson * step / 3 * std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
    const double t = std::tanh(beta * (a + b * z));
    e.tanh += w * t;
    e.tanh_squared += w * t * t;
    e.slope += w * beta * (1 - t * t);
  }
  return e;
}

// Hermite coefficients a_k of x^P = sum_j P! / (2^j j! (P-2j)!) He_(P-2j)(x), as (k, a_k) for k >= 1.
double hermite_power_coefficient(unsigned p, unsigned j) {
  return std::exp(std::lgamma(p + 1.0) - j * std::log(2.0) - std::lgamma(j + 1.0) - std::lgamma(p - 2.0 * j + 1));
}

}  // namespace

double pattern_noise_variance(unsigned p, double c_p, double alpha, double q, double chi) {
  if (p == 2) {
    const double reaction = 1 - 2 * c_p * chi;
    return reaction > 0 ? 4 * c_p * c_p * alpha * q / (reaction * reaction) : std::numeric_limits<double>::infinity();
  }
  double derivative = 0;  // d/dq sum_k a_k^2 k! q^k
  for (unsigned j = 0; 2 * j < p; ++j) {
    const unsigned k = p - 2 * j;
    const double a = hermite_power_coefficient(p, j);
    derivative += a * a * std::tgamma(k + 1.0) * k * integer_power(q, k - 1);
  }
  return alpha * c_p * c_p * derivative;
}

rs_solution solve_replica_symmetric(const rs_params& p) {
  if (p.p < 2 || p.p % 2 != 0) throw std::invalid_argument("RS solver: P must be even and >= 2");
  const auto law = class_mean_distribution(p.r, p.m);
  rs_solution s;
  for (std::size_t b = 0; b < law.v.size(); ++b) s.n += law.weight[b] * std::fabs(law.v[b]);
  s.q = 1;
  while (s.iterations < 10000 && !s.converged && s.n > 1e-6) {  // n -> 0: the retrieval branch is gone
    ++s.iterations;
    const double noise = std::sqrt(pattern_noise_variance(p.p, p.c_p, p.alpha, s.q, s.chi));
    rs_solution next;
    for (std::size_t b = 0; b < law.v.size(); ++b) {
      const auto e = gaussian_means(p.p * p.c_p * integer_power(s.n, p.p - 1) * law.v[b], noise, p.beta);
      next.n += law.weight[b] * law.v[b] * e.tanh;
      next.m += law.weight[b] * e.tanh;
      next.q += law.weight[b] * e.tanh_squared;
      next.chi += law.weight[b] * e.slope;
    }
    const bool converged = std::max({std::fabs(next.n - s.n), std::fabs(next.q - s.q), std::fabs(next.chi - s.chi)}) < p.tolerance;
    next.iterations = s.iterations;
    s = next;
    s.converged = converged;
  }
  return s;
}

}  // namespace neurite::memory
