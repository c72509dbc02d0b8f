#pragma once
// Mean-field theory of the sparse E-I network of Brunel (2000) in its asynchronous irregular
// state: the self-consistent rate nu = siegert(mu(nu), sigma(nu)) with
//   mu = C_E J tau (nu_ext + nu (1 - g gamma)),  sigma^2 = J^2 C_E tau (nu_ext + nu (1 + g^2 gamma)),
// gamma = C_I / C_E, and the ISI coefficient of variation of the first-passage process
//   CV^2 = 2 pi (nu tau)^2 \int_{y_r}^{y_th} e^{x^2} \int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy dx.
#include <cmath>
#include <numbers>

#include "siegert.hpp"

namespace neurite::validation {

struct brunel_params {
  double J, C_E, g, eta, gamma = 0.25;
  double tau = 20, t_ref = 2, theta = 20, V_reset = 10;  // [ms], [mV]
};

struct brunel_prediction {
  double rate_hz, mu, sigma, cv;
};

inline void brunel_moments(const brunel_params& p, double nu_hz, double& mu, double& sigma) {
  const double nu_thr = p.theta / (p.J * p.C_E * p.tau * 1e-3), nu_ext = p.eta * nu_thr;
  const double tau_s = p.tau * 1e-3;
  mu = p.C_E * p.J * tau_s * (nu_ext + nu_hz * (1 - p.g * p.gamma));
  sigma = std::sqrt(p.J * p.J * p.C_E * tau_s * (nu_ext + nu_hz * (1 + p.g * p.g * p.gamma)));
}

// CV of the ISIs from the double integral, on a grid of step h (Simpson-free trapezoids: the
// integrands are smooth, and h = 1e-3 keeps the error far below the test tolerances).
inline double first_passage_cv(double nu_hz, double tau_ms, double y_r, double y_th) {
  const double h = 1e-3;
  double inner = 0, outer = 0;
  double prev_in = 0, prev_out = 0;
  for (double y = -8.0; y <= y_th; y += h) {
    const double e = erfcx(-y);  // e^{y^2} (1 + erf y)
    const double f = e * e * std::exp(-y * y);
    inner += 0.5 * h * (f + prev_in);
    prev_in = f;
    if (y >= y_r) {
      const double g = std::exp(y * y) * inner;
      outer += 0.5 * h * (g + prev_out);
      prev_out = g;
    }
  }
  const double nu_tau = nu_hz * tau_ms * 1e-3;
  return std::sqrt(2 * std::numbers::pi * nu_tau * nu_tau * outer);
}

// Solves the self-consistency by bisection on nu - siegert(nu) (one root in the AI regime).
inline brunel_prediction brunel_mean_field(const brunel_params& p) {
  double lo = 0.01, hi = 1000;
  const auto excess = [&](double nu) {
    double mu, sigma;
    brunel_moments(p, nu, mu, sigma);
    return siegert_rate(p.tau, p.t_ref, p.theta, p.V_reset, mu, sigma) - nu;
  };
  for (int k = 0; k < 100; ++k) {
    const double mid = 0.5 * (lo + hi);
    (excess(mid) > 0 ? lo : hi) = mid;
  }
  brunel_prediction r{0.5 * (lo + hi), 0, 0, 0};
  brunel_moments(p, r.rate_hz, r.mu, r.sigma);
  r.cv = first_passage_cv(r.rate_hz, p.tau, (p.V_reset - r.mu) / r.sigma, (p.theta - r.mu) / r.sigma);
  return r;
}

}  // namespace neurite::validation
