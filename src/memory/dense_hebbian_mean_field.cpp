#include "memory/dense_hebbian_mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace neurite::memory {

namespace {

// Per row: the mean overlap n and u = (1/N) sum_j v_j^2 (1 - m_j^2).
struct row_moments {
  std::vector<double> n, u;
};

row_moments moments_of(const dense_couplings& c, std::span<const double> m) {
  row_moments r{std::vector<double>(c.rows, 0.0), std::vector<double>(c.rows, 0.0)};
  for (std::uint32_t row = 0; row < c.rows; ++row)
    for (std::uint32_t j = 0; j < c.n; ++j) {
      const double v = c.pattern(row, j);
      r.n[row] += v * m[j] / c.n;
      r.u[row] += v * v * (1 - m[j] * m[j]) / c.n;
    }
  return r;
}

// x = beta c_P P (P-1) w n^(P-2) u: the curvature of the cost along n times the variance of n.
double fluctuation_strength(const dense_couplings& c, std::uint32_t row, const row_moments& r, double beta) {
  return beta * c.c_p * c.p * (c.p - 1) * c.weight[row] * integer_power(r.n[row], c.p - 2) * r.u[row];
}

double order_factor(double x, plefka_order order) {
  switch (order) {
    case plefka_order::first: return 1;
    case plefka_order::second: return 1 + x;
    case plefka_order::gaussian: return x < 1 ? 1 / (1 - x) : std::numeric_limits<double>::quiet_NaN();
  }
  throw std::logic_error("plefka_order: unknown value");
}

// The 1/N part of h_i beyond the cavity field (the header's second line).
double fluctuation_field(const dense_couplings& c, std::uint32_t i, double m_i, const row_moments& r, double beta,
                         plefka_order order) {
  if (std::isinf(beta)) return 0;  // a T = 0 state is +-1, so u = 0 and every term vanishes
  double h = 0;
  for (std::uint32_t row = 0; row < c.rows; ++row) {
    const double v = c.pattern(row, i), n = r.n[row], u = r.u[row];
    const double g = order_factor(fluctuation_strength(c, row, r, beta), order);
    const double spread = c.p > 2 ? (c.p - 2) * integer_power(n, c.p - 3) * v * u * g : 0.0;
    h += c.weight[row] * (spread - 2 * integer_power(n, c.p - 2) * v * v * m_i * (g - 1));
  }
  return c.c_p * c.p * (c.p - 1) / 2 * h / c.n;
}

double field_from(const dense_couplings& c, std::span<const double> m, std::uint32_t i, const row_moments& r,
                  double beta, plefka_order order) {
  const double cavity = cavity_field(c, i, [&](std::uint32_t row) { return r.n[row] - c.pattern(row, i) * m[i] / c.n; });
  return cavity + fluctuation_field(c, i, m[i], r, beta, order);
}

double updated(double old, double h, double beta) {
  if (!std::isinf(beta)) return std::tanh(beta * h);
  return h > 0 ? 1.0 : h < 0 ? -1.0 : old;
}

// One Gauss-Seidel sweep; returns the largest |change| of an m_i (NaN once the state is unstable).
double sweep(const dense_couplings& c, std::vector<double>& m, row_moments& r, const mean_field_params& p) {
  double largest = 0;
  for (std::uint32_t i = 0; i < c.n; ++i) {
    const double next = updated(m[i], field_from(c, m, i, r, p.beta, p.order), p.beta);
    if (std::isnan(next)) return next;
    for (std::uint32_t row = 0; row < c.rows; ++row) {
      const double v = c.pattern(row, i);
      r.n[row] += v * (next - m[i]) / c.n;
      r.u[row] += v * v * (m[i] * m[i] - next * next) / c.n;
    }
    largest = std::max(largest, std::fabs(next - m[i]));
    m[i] = next;
  }
  return largest;
}

}  // namespace

double mean_field(const dense_couplings& c, std::span<const double> m, std::uint32_t i, double beta, plefka_order order) {
  if (m.size() != c.n) throw std::invalid_argument("mean field: wrong number of magnetisations");
  return field_from(c, m, i, moments_of(c, m), beta, order);
}

mean_field_state solve_mean_field(const dense_couplings& c, std::span<const double> m0, const mean_field_params& p) {
  if (m0.size() != c.n) throw std::invalid_argument("mean field: wrong number of magnetisations");
  mean_field_state s{{m0.begin(), m0.end()}, {}, 0, 0, false};
  while (s.sweeps < p.max_sweeps && !s.converged) {
    auto r = moments_of(c, s.m);  // afresh each sweep, so rounding in the updates cannot accumulate
    const double change = sweep(c, s.m, r, p);
    ++s.sweeps;
    if (std::isnan(change)) break;  // x reached 1: no longer a stable state
    s.converged = change <= p.tolerance;
  }
  const auto r = moments_of(c, s.m);
  s.overlap = r.n;
  for (std::uint32_t row = 0; row < c.rows && !std::isinf(p.beta); ++row)
    s.stability = std::max(s.stability, fluctuation_strength(c, row, r, p.beta));
  return s;
}

}  // namespace neurite::memory
