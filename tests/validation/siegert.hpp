#pragma once
// Analytic firing rates of the leaky integrate-and-fire neuron, for validation tests.
//
// siegert_rate: the stationary rate of an LIF neuron driven by white noise (the diffusion
// approximation of many small Poisson inputs; Siegert 1951, Brunel 2000):
//   1/nu = t_ref + tau_m sqrt(pi) \int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du
// where mu and sigma are the mean and standard deviation of the free membrane potential
// (for delta synapses: mu = E_L + J C nu tau_m, sigma = J sqrt(C nu tau_m)). The integrand
// equals erfcx(-u) = e^{u^2} erfc(-u): evaluated that way it neither overflows for very
// negative u (where e^{u^2} and erfc(-u) -> 0 fight) nor loses digits.
#include <algorithm>
#include <cmath>
#include <numbers>

namespace neurite::validation {

// The scaled complementary error function e^{x^2} erfc(x).
inline double erfcx(double x) {
  if (x < 10.0) return std::exp(x * x) * std::erfc(x);  // no overflow: e^{x^2} < e^{100}
  // Asymptotic series 1/(x sqrt(pi)) sum_n (-1)^n (2n-1)!! / (2x^2)^n: its terms shrink until
  // n ~ x^2 >= 100, long after they drop below double precision.
  const double r = 1.0 / (2.0 * x * x);
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 40 && std::abs(term) > 1e-18; ++n) {
    term *= -(2.0 * n - 1.0) * r;
    sum += term;
  }
  return sum / (x * std::sqrt(std::numbers::pi));
}

// \int_a^b erfcx(-u) du by composite 5-point Gauss-Legendre on panels of width <= 0.05: the
// integrand is smooth and varies by at most a factor e^{0.1 |u|} across a panel.
inline double siegert_integral(double a, double b) {
  static constexpr double node[3] = {0.0, 0.5384693101056831, 0.9061798459386640};
  static constexpr double weight[3] = {0.5688888888888889, 0.4786286704993665, 0.2369268850561891};
  const auto panels = static_cast<long>(std::max(1.0, std::ceil((b - a) / 0.05)));
  const double half = 0.5 * (b - a) / static_cast<double>(panels);
  double sum = 0;
  for (long k = 0; k < panels; ++k) {
    const double mid = a + (2.0 * static_cast<double>(k) + 1.0) * half;
    double panel = weight[0] * erfcx(-mid);
    for (int j = 1; j < 3; ++j) panel += weight[j] * (erfcx(-(mid - half * node[j])) + erfcx(-(mid + half * node[j])));
    sum += half * panel;
  }
  return sum;
}

// Rate [Hz] of an LIF neuron (tau_m, t_ref in ms; voltages in mV on one scale) whose free
// membrane potential has mean mu and standard deviation sigma.
inline double siegert_rate(double tau_m, double t_ref, double V_th, double V_reset, double mu, double sigma) {
  const double integral = siegert_integral((V_reset - mu) / sigma, (V_th - mu) / sigma);
  return 1000.0 / (t_ref + tau_m * std::sqrt(std::numbers::pi) * integral);
}

// Interspike interval [ms] of an LIF neuron with a constant drive that would hold it at
// V_inf > V_th: t_ref plus the time to climb from V_reset to V_th.
inline double lif_interval(double tau_m, double t_ref, double V_th, double V_reset, double V_inf) {
  return t_ref + tau_m * std::log((V_inf - V_reset) / (V_inf - V_th));
}

}  // namespace neurite::validation
