#include "analysis/projected_gradient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace neurite::analysis {
namespace {

void project(std::vector<double>& x, const std::vector<double>& lower) {
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::max(x[i], lower[i]);
}

// The largest entry of the projected gradient: components that push x below a bound it sits on
// do not count (they cannot be followed).
double projected_norm(const std::vector<double>& x, const std::vector<double>& g, const std::vector<double>& lower) {
  double m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool held = x[i] <= lower[i] && g[i] > 0;
    if (!held) m = std::max(m, std::fabs(g[i]));
  }
  return m;
}

}  // namespace

projected_gradient_result minimise_projected(const objective_fn& f, std::vector<double> x, const std::vector<double>& lower,
                                             const projected_gradient_options& o) {
  if (x.size() != lower.size()) throw std::invalid_argument("minimise_projected: x0 and lower differ in size");
  project(x, lower);
  std::vector<double> g(x.size()), trial(x.size()), g_trial(x.size());
  double value = f(x, g);
  if (!std::isfinite(value)) throw std::invalid_argument("minimise_projected: the objective is not finite at x0");
  projected_gradient_result r;
  const double scale = std::max(1.0, projected_norm(x, g, lower));
  const double tolerance = o.tolerance * scale;
  double step = 1.0 / scale;  // a first step of length about one
  for (r.iterations = 0; r.iterations < o.max_iterations; ++r.iterations) {
    r.projected_gradient = projected_norm(x, g, lower);
    if (r.projected_gradient < tolerance) {
      r.converged = true;
      break;
    }
    // Backtrack along the projected path x(t) = P(x - t g) until the Armijo condition holds.
    double t = step, trial_value = std::numeric_limits<double>::infinity();
    for (int halvings = 0; halvings < 60; ++halvings, t *= 0.5) {
      double decrease = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        trial[i] = std::max(x[i] - t * g[i], lower[i]);
        decrease += g[i] * (x[i] - trial[i]);
      }
      trial_value = f(trial, g_trial);
      if (std::isfinite(trial_value) && trial_value <= value - o.armijo * decrease) break;
    }
    if (!std::isfinite(trial_value) || trial_value > value) break;  // no descent left at machine precision
    // Barzilai-Borwein: the step that fits the curvature seen along the last move.
    double ss = 0, sy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double s = trial[i] - x[i], y = g_trial[i] - g[i];
      ss += s * s, sy += s * y;
    }
    step = sy > 0 ? std::clamp(ss / sy, 1e-12, 1e12) : std::min(1e12, 2 * t);
    std::swap(x, trial);
    std::swap(g, g_trial);
    value = trial_value;
  }
  r.projected_gradient = projected_norm(x, g, lower);
  r.converged = r.converged || r.projected_gradient < tolerance;
  r.x = std::move(x);
  r.value = value;
  return r;
}

}  // namespace neurite::analysis
