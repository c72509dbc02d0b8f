#include "analysis/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace neurite::analysis {
namespace {
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
double max_abs(const std::vector<double>& a) {
  double m = 0;
  for (const double v : a) m = std::max(m, std::fabs(v));
  return m;
}
}  // namespace

lbfgs_result minimise_lbfgs(const std::function<double(const std::vector<double>&, std::vector<double>&)>& f,
                            std::vector<double>& x, const lbfgs_options& o) {
  const std::size_t n = x.size();
  std::vector<double> g(n), d(n), x_new(n), g_new(n);
  lbfgs_result r;
  r.value = f(x, g);
  r.evaluations = 1;
  std::deque<std::vector<double>> s_hist, y_hist;
  std::deque<double> rho_hist;
  for (r.iterations = 0; r.iterations < o.max_iterations; ++r.iterations) {
    if (max_abs(g) < o.gradient_tolerance) break;
    // Two-loop recursion: d = -H g with H the limited-memory inverse Hessian.
    d = g;
    std::vector<double> alpha(s_hist.size());
    for (std::size_t k = s_hist.size(); k-- > 0;) {
      alpha[k] = rho_hist[k] * dot(s_hist[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] -= alpha[k] * y_hist[k][i];
    }
    if (!s_hist.empty()) {
      const double scale = dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
      for (auto& v : d) v *= scale;
    } else {
      const double scale = 1.0 / std::max(max_abs(g), 1e-300);  // first step: at most unit length
      for (auto& v : d) v *= scale;
    }
    for (std::size_t k = 0; k < s_hist.size(); ++k) {
      const double beta = rho_hist[k] * dot(y_hist[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] += (alpha[k] - beta) * s_hist[k][i];
    }
    for (auto& v : d) v = -v;
    double slope = dot(g, d);
    if (!(slope < 0)) {  // not a descent direction (curvature lost): restart along -g
      s_hist.clear(), y_hist.clear(), rho_hist.clear();
      const double scale = 1.0 / std::max(max_abs(g), 1e-300);
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i] * scale;
      slope = dot(g, d);
    }
    double step = std::min(1.0, o.max_step / std::max(max_abs(d), 1e-300));
    double value = 0;
    bool accepted = false;
    for (int tries = 0; tries < 30; ++tries, step *= 0.5) {
      for (std::size_t i = 0; i < n; ++i) x_new[i] = x[i] + step * d[i];
      value = f(x_new, g_new);
      ++r.evaluations;
      if (std::isfinite(value) && value <= r.value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    std::vector<double> s(n), y(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = x_new[i] - x[i], y[i] = g_new[i] - g[i];
    const double sy = dot(s, y);
    if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {  // keep the update positive definite
      s_hist.push_back(std::move(s)), y_hist.push_back(std::move(y)), rho_hist.push_back(1.0 / sy);
      if (s_hist.size() > o.memory) s_hist.pop_front(), y_hist.pop_front(), rho_hist.pop_front();
    }
    x.swap(x_new), g.swap(g_new);
    r.value = value;
  }
  return r;
}

}  // namespace neurite::analysis
