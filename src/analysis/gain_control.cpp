#include "analysis/gain_control.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "analysis/projected_gradient.hpp"

namespace neurite::analysis {
namespace {
using vec = std::vector<double>;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double pi = std::numbers::pi;

// LU factorisation with partial pivoting (Doolittle, in place). Small dense systems only (N of a
// few hundred at most), so the textbook O(N^3) algorithm is all that is needed.
struct lu {
  matrix m;
  std::vector<std::size_t> perm;
  bool singular = false;
  int sign = 1;

  explicit lu(matrix a) : m(std::move(a)), perm(m.n) {
    const std::size_t n = m.n;
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t p = k;
      for (std::size_t i = k + 1; i < n; ++i)
        if (std::fabs(m(i, k)) > std::fabs(m(p, k))) p = i;
      if (m(p, k) == 0.0) {
        singular = true;
        return;
      }
      if (p != k) {
        for (std::size_t j = 0; j < n; ++j) std::swap(m(k, j), m(p, j));
        std::swap(perm[k], perm[p]);
        sign = -sign;
      }
      for (std::size_t i = k + 1; i < n; ++i) {
        const double l = m(i, k) /= m(k, k);
        for (std::size_t j = k + 1; j < n; ++j) m(i, j) -= l * m(k, j);
      }
    }
  }
  vec solve(const vec& b) const {  // A x = b
    const std::size_t n = m.n;
    vec x(n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = b[perm[i]];
      for (std::size_t j = 0; j < i; ++j) s -= m(i, j) * x[j];
      x[i] = s;
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = x[i];
      for (std::size_t j = i + 1; j < n; ++j) s -= m(i, j) * x[j];
      x[i] = s / m(i, i);
    }
    return x;
  }
  vec solve_transposed(const vec& b) const {  // A^T x = b, with A = P^T L U: U^T L^T P x = b
    const std::size_t n = m.n;
    vec y(n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = b[i];
      for (std::size_t j = 0; j < i; ++j) s -= m(j, i) * y[j];
      y[i] = s / m(i, i);
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = y[i];
      for (std::size_t j = i + 1; j < n; ++j) s -= m(j, i) * y[j];
      y[i] = s;
    }
    vec x(n);
    for (std::size_t i = 0; i < n; ++i) x[perm[i]] = y[i];
    return x;
  }
  double log_abs_det() const {
    double s = 0;
    for (std::size_t i = 0; i < m.n; ++i) s += std::log(std::fabs(m(i, i)));
    return s;
  }
};

// Is the symmetric matrix a positive definite? (Cholesky without keeping the factor.)
bool positive_definite(matrix a) {
  const std::size_t n = a.n;
  for (std::size_t j = 0; j < n; ++j) {
    double d = a(j, j);
    for (std::size_t k = 0; k < j; ++k) d -= a(j, k) * a(j, k);
    if (!(d > 0)) return false;
    const double l = std::sqrt(d);
    a(j, j) = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a(i, j);
      for (std::size_t k = 0; k < j; ++k) s -= a(i, k) * a(j, k);
      a(i, j) = s / l;
    }
  }
  return true;
}

vec mat_vec(const matrix& a, const vec& x) {
  vec y(a.n, 0.0);
  for (std::size_t i = 0; i < a.n; ++i)
    for (std::size_t j = 0; j < a.n; ++j) y[i] += a(i, j) * x[j];
  return y;
}

// The matrix whose inverse maps gain-weighted drive to the steady state: I - G W (gains on the
// total input) or I - W (gains on the drive only).
matrix system_matrix(const gain_network& net, const vec& g) {
  const std::size_t n = net.theta.size();
  matrix a(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      a(i, j) = (i == j ? 1.0 : 0.0) - (net.config.site == gain_site::on_input ? g[i] : 1.0) * net.w(i, j);
  return a;
}

vec mean_drive(const gain_network& net, const ensemble& e) {
  vec m(net.theta.size(), 0.0);
  for (std::size_t k = 0; k < e.s.size(); ++k) {
    const vec f = drive(net, e.s[k]);
    for (std::size_t i = 0; i < m.size(); ++i) m[i] += e.p[k] * f[i];
  }
  return m;
}

void check_gains(const gain_network& net, const vec& g) {
  if (g.size() != net.theta.size())
    throw std::invalid_argument(fmt::format("gain_control: {} gains for {} neurons", g.size(), net.theta.size()));
}

double wrap_degrees(double rad) { return rad * 180.0 / pi; }

}  // namespace

gain_site gain_site_from(std::string_view name) {
  if (name == "input") return gain_site::on_input;
  if (name == "drive") return gain_site::on_drive;
  throw std::invalid_argument(fmt::format("gain_control: unknown gain site '{}' (expected input or drive)", name));
}
fidelity fidelity_from(std::string_view name) {
  if (name == "log_det") return fidelity::log_det;
  if (name == "quadratic") return fidelity::quadratic;
  throw std::invalid_argument(fmt::format("gain_control: unknown fidelity '{}' (expected log_det or quadratic)", name));
}
std::string_view name_of(gain_site s) { return s == gain_site::on_input ? "input" : "drive"; }
std::string_view name_of(fidelity f) { return f == fidelity::log_det ? "log_det" : "quadratic"; }

gain_network make_gain_network(const gain_network_config& c) {
  if (c.neurons < 2 || c.neurons > 4096)
    throw std::invalid_argument(fmt::format("gain_control: neurons = {} (expected 2 to 4096)", c.neurons));
  if (!(c.kappa > 0) || !(c.w_kappa >= 0) || !(c.baseline >= 0) || !(c.lambda > 0))
    throw std::invalid_argument("gain_control: kappa and lambda must be > 0, w_kappa and baseline >= 0");
  if (!(c.spectral_radius >= 0 && c.spectral_radius < 1))
    throw std::invalid_argument(fmt::format("gain_control: spectral_radius = {} (expected [0, 1))", c.spectral_radius));
  gain_network net;
  net.config = c;
  const std::size_t n = c.neurons;
  net.theta.resize(n);
  for (std::size_t i = 0; i < n; ++i) net.theta[i] = static_cast<double>(i) * pi / static_cast<double>(n);
  net.w = matrix(n);
  // Excitation between similarly tuned neurons, a von Mises profile in the difference of
  // preferences. W is circulant, so its largest eigenvalue is its (equal) row sum: scaling by the
  // row sum sets the spectral radius exactly.
  double row = 0;
  for (std::size_t j = 1; j < n; ++j) row += std::exp(c.w_kappa * (std::cos(2 * (net.theta[0] - net.theta[j])) - 1));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      net.w(i, j) = i == j ? 0.0
                           : c.spectral_radius * std::exp(c.w_kappa * (std::cos(2 * (net.theta[i] - net.theta[j])) - 1)) / row;
  return net;
}

vec drive(const gain_network& net, double s) {
  vec f(net.theta.size());
  for (std::size_t i = 0; i < f.size(); ++i)
    f[i] = net.config.baseline + std::exp(net.config.kappa * (std::cos(2 * (s - net.theta[i])) - 1));
  return f;
}

ensemble uniform_ensemble(std::uint32_t k) {
  if (k < 2) throw std::invalid_argument(fmt::format("gain_control: {} orientations (expected at least 2)", k));
  ensemble e;
  for (std::uint32_t j = 0; j < k; ++j) e.s.push_back(j * pi / k), e.p.push_back(1.0 / k);
  return e;
}

ensemble biased_ensemble(std::uint32_t k, double adapter, double p_adapter) {
  if (!(p_adapter >= 1.0 / k && p_adapter < 1))
    throw std::invalid_argument(fmt::format("gain_control: p_adapter = {} (expected [1/K, 1))", p_adapter));
  ensemble e = uniform_ensemble(k);
  std::size_t at = 0;
  for (std::size_t j = 1; j < k; ++j)
    if (std::fabs(orientation_difference(e.s[j], adapter)) < std::fabs(orientation_difference(e.s[at], adapter))) at = j;
  for (std::size_t j = 0; j < k; ++j) e.p[j] = j == at ? p_adapter : (1 - p_adapter) / (k - 1);
  return e;
}

ensemble rotate(const ensemble& e, int steps) {
  ensemble r = e;
  const int k = static_cast<int>(e.s.size());
  for (int j = 0; j < k; ++j) r.p[static_cast<std::size_t>(((j + steps) % k + k) % k)] = e.p[static_cast<std::size_t>(j)];
  return r;
}

bool stable(const gain_network& net, const vec& g) {
  check_gains(net, g);
  const std::size_t n = net.theta.size();
  matrix a(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double scale = net.config.site == gain_site::on_input ? std::sqrt(g[i] * g[j]) : 1.0;
      a(i, j) = (i == j ? 1.0 : 0.0) - scale * net.w(i, j);
    }
  return positive_definite(a);
}

vec steady_state(const gain_network& net, const vec& g, const vec& f) {
  check_gains(net, g);
  if (!stable(net, g)) return vec(g.size(), inf);
  vec gf(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) gf[i] = g[i] * f[i];
  return lu(system_matrix(net, g)).solve(gf);
}

vec integrate(const gain_network& net, const vec& g, const vec& f, vec r, double tau, double dt, double duration) {
  check_gains(net, g);
  const std::size_t n = g.size();
  const bool on_input = net.config.site == gain_site::on_input;
  const auto rate = [&](const vec& x) {  // dr/dt
    const vec wr = mat_vec(net.w, x);
    vec d(n);
    for (std::size_t i = 0; i < n; ++i)
      d[i] = (-x[i] + (on_input ? g[i] * (f[i] + wr[i]) : g[i] * f[i] + wr[i])) / tau;
    return d;
  };
  const auto steps = static_cast<long>(std::llround(duration / dt));
  vec tmp(n);
  for (long s = 0; s < steps; ++s) {
    const vec k1 = rate(r);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = r[i] + 0.5 * dt * k1[i];
    const vec k2 = rate(tmp);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = r[i] + 0.5 * dt * k2[i];
    const vec k3 = rate(tmp);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = r[i] + dt * k3[i];
    const vec k4 = rate(tmp);
    for (std::size_t i = 0; i < n; ++i) r[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return r;
}

std::vector<vec> tuning_curves(const gain_network& net, const vec& g, const ensemble& e) {
  std::vector<vec> r(net.theta.size(), vec(e.s.size()));
  for (std::size_t k = 0; k < e.s.size(); ++k) {
    const vec x = steady_state(net, g, drive(net, e.s[k]));
    for (std::size_t i = 0; i < x.size(); ++i) r[i][k] = x[i];
  }
  return r;
}

// L(g) = -F(g) + lambda 1^T E[r*]. Every derivative uses dr*/dg_k = P e_k h_k with
// h = f + W r* (gains on the input) or h = f (on the drive), P the inverse system matrix.
double objective(const gain_network& net, const ensemble& e, const vec& g, vec& grad) {
  check_gains(net, g);
  const std::size_t n = g.size();
  const auto& c = net.config;
  const bool on_input = c.site == gain_site::on_input;
  grad.assign(n, 0.0);
  if (std::any_of(g.begin(), g.end(), [&](double x) { return c.fid == fidelity::log_det ? !(x > 0) : !(x >= 0); }) ||
      !stable(net, g))
    return inf;
  const lu a(system_matrix(net, g));
  const auto h_of = [&](const vec& f, const vec& r) {
    if (!on_input) return f;
    vec h = mat_vec(net.w, r);
    for (std::size_t i = 0; i < n; ++i) h[i] += f[i];
    return h;
  };
  const auto steady = [&](const vec& f) {
    vec gf(n);
    for (std::size_t i = 0; i < n; ++i) gf[i] = g[i] * f[i];
    return a.solve(gf);
  };
  // Activity: lambda 1^T P G m, linear in the drive, so its mean is the response to the mean drive.
  const vec m = mean_drive(net, e), r_mean = steady(m), u = a.solve_transposed(vec(n, 1.0)), h_mean = h_of(m, r_mean);
  double value = c.lambda * std::accumulate(r_mean.begin(), r_mean.end(), 0.0);
  for (std::size_t k = 0; k < n; ++k) grad[k] += c.lambda * u[k] * h_mean[k];
  if (c.fid == fidelity::log_det) {
    // -F = -sum log g + log det(I - G W) (the on-drive system matrix does not depend on g).
    value += a.log_abs_det();
    for (std::size_t k = 0; k < n; ++k) {
      value -= std::log(g[k]);
      grad[k] -= 1.0 / g[k];
    }
    if (on_input)  // d log det(I - G W) / d g_k = -(W P)_kk = -sum_j W_kj P_jk
      for (std::size_t k = 0; k < n; ++k) {
        vec ek(n, 0.0);
        ek[k] = 1.0;
        const vec pk = a.solve(ek);  // column k of P
        double wp = 0;
        for (std::size_t j = 0; j < n; ++j) wp += net.w(k, j) * pk[j];
        grad[k] -= wp;
      }
  } else {
    for (std::size_t s = 0; s < e.s.size(); ++s) {
      const vec f = drive(net, e.s[s]), r = steady(f), h = h_of(f, r);
      vec err(n);
      double sq = 0;
      for (std::size_t i = 0; i < n; ++i) err[i] = -2 * (f[i] - r[i]), sq += (f[i] - r[i]) * (f[i] - r[i]);
      value += e.p[s] * sq;
      const vec v = a.solve_transposed(err);
      for (std::size_t k = 0; k < n; ++k) grad[k] += e.p[s] * v[k] * h[k];
    }
  }
  return value;
}

vec normalisation_gains(const gain_network& net, const ensemble& e) {
  vec g = mean_drive(net, e);
  for (auto& x : g) x = 1.0 / (net.config.lambda * x);
  return g;
}

namespace {

gain_solution by_gradient(const gain_network& net, const ensemble& e, vec start, std::string method) {
  while (!stable(net, start))  // into the stable region: every gain halved keeps the ordering
    for (auto& x : start) x *= 0.5;
  const double floor = net.config.fid == fidelity::log_det ? 1e-12 : 0.0;
  const auto r = minimise_projected([&](const vec& x, vec& grad) { return objective(net, e, x, grad); }, start,
                                    vec(start.size(), floor));
  return {r.x, r.value, std::move(method), r.iterations, r.converged};
}

}  // namespace

gain_solution optimal_gains(const gain_network& net, const ensemble& e) {
  const auto& c = net.config;
  const std::size_t n = net.theta.size();
  vec grad;
  if (c.site == gain_site::on_input) {
    // Start from one gain for all, 1 / (lambda mean_i E[f_i]): not the per-neuron W = 0 answer, so
    // that the W = 0 check really tests the optimiser.
    const vec m = mean_drive(net, e);
    const double mean = std::accumulate(m.begin(), m.end(), 0.0) / static_cast<double>(n);
    return by_gradient(net, e, vec(n, c.fid == fidelity::log_det ? 1.0 / (c.lambda * mean) : 1.0), "projected gradient");
  }
  const lu a(system_matrix(net, vec(n, 1.0)));  // I - W
  const vec m = mean_drive(net, e), col = a.solve_transposed(vec(n, 1.0));  // col = (I - W)^-T 1
  if (c.fid == fidelity::log_det) {  // dL/dg_k = -1/g_k + lambda col_k m_k = 0
    vec g(n);
    for (std::size_t k = 0; k < n; ++k) g[k] = 1.0 / (c.lambda * col[k] * m[k]);
    return {g, objective(net, e, g, grad), "closed form", 0, true};
  }
  // Quadratic: L = g^T H g - 2 b^T g + lambda (col * m)^T g + const with r_s = P diag(f_s) g,
  // H = (P^T P) o E[f f^T], b_k = E[f_k (P^T f)_k]. Stationary point H g = b - lambda (col * m) / 2.
  matrix h(n), ptp(n);
  vec b(n, 0.0);
  std::vector<vec> pcols(n);
  for (std::size_t k = 0; k < n; ++k) {
    vec ek(n, 0.0);
    ek[k] = 1.0;
    pcols[k] = a.solve(ek);
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t l = 0; l < n; ++l) ptp(i, j) += pcols[i][l] * pcols[j][l];
  for (std::size_t s = 0; s < e.s.size(); ++s) {
    const vec f = drive(net, e.s[s]), ptf = a.solve_transposed(f);
    for (std::size_t i = 0; i < n; ++i) {
      b[i] += e.p[s] * f[i] * ptf[i];
      for (std::size_t j = 0; j < n; ++j) h(i, j) += e.p[s] * ptp(i, j) * f[i] * f[j];
    }
  }
  for (std::size_t k = 0; k < n; ++k) b[k] -= 0.5 * c.lambda * col[k] * m[k];
  const vec g = lu(h).solve(b);
  if (std::all_of(g.begin(), g.end(), [](double x) { return x >= 0; })) return {g, objective(net, e, g, grad), "closed form", 0, true};
  vec start = g;  // a bound is active: non-negative least squares from the clipped solution
  for (auto& x : start) x = std::max(x, 0.0);
  return by_gradient(net, e, start, "closed form (NNLS by projected gradient)");
}

vec mean_responses(const std::vector<vec>& r, const ensemble& e) {
  vec m(r.size(), 0.0);
  for (std::size_t i = 0; i < r.size(); ++i)
    for (std::size_t k = 0; k < e.p.size(); ++k) m[i] += e.p[k] * r[i][k];
  return m;
}

double coefficient_of_variation(const vec& x) {
  const double n = static_cast<double>(x.size()), mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double v = 0;
  for (const double y : x) v += (y - mean) * (y - mean);
  return std::sqrt(v / n) / mean;
}

double orientation_difference(double a, double b) {
  double d = std::fmod(a - b + pi / 2, pi);
  if (d < 0) d += pi;
  return d - pi / 2;
}

vec preferred_orientations(const std::vector<vec>& r, const ensemble& e) {
  vec out(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    double x = 0, y = 0;
    for (std::size_t k = 0; k < e.s.size(); ++k) x += r[i][k] * std::cos(2 * e.s[k]), y += r[i][k] * std::sin(2 * e.s[k]);
    double t = 0.5 * std::atan2(y, x);
    out[i] = t < 0 ? t + pi : t;
  }
  return out;
}

matrix response_correlations(const std::vector<vec>& r, const ensemble& e) {
  const std::size_t n = r.size();
  const vec m = mean_responses(r, e);
  matrix c(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < e.p.size(); ++k) s += e.p[k] * (r[i][k] - m[i]) * (r[j][k] - m[j]);
      c(i, j) = c(j, i) = s;
    }
  matrix out(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) out(i, j) = c(i, j) / std::sqrt(c(i, i) * c(j, j));
  return out;
}

adaptation_effects measure_effects(const vec& theta, double adapter, const vec& ratio_unadapted, const vec& ratio_adapted,
                                   const std::vector<vec>& r_unadapted, const std::vector<vec>& r_adapted,
                                   const ensemble& biased, const effect_windows& w) {
  const std::size_t n = theta.size();
  if (ratio_unadapted.size() != n || ratio_adapted.size() != n || r_unadapted.size() != n || r_adapted.size() != n)
    throw std::invalid_argument("gain_control: measure_effects needs one entry per neuron in every argument");
  adaptation_effects out;
  double near_sum = 0, far_sum = 0;
  std::vector<std::size_t> near;
  const vec pu = preferred_orientations(r_unadapted, biased), pa = preferred_orientations(r_adapted, biased);
  vec shifts;
  for (std::size_t i = 0; i < n; ++i) {
    const double side = orientation_difference(theta[i], adapter), d = std::fabs(wrap_degrees(side));
    const double ratio = ratio_adapted[i] / ratio_unadapted[i];
    if (d <= w.near_deg) near_sum += ratio, near.push_back(i);
    if (d >= w.far_deg) far_sum += ratio, ++out.far;
    if (d > w.flank_min_deg && d <= w.flank_max_deg)
      shifts.push_back(wrap_degrees(orientation_difference(pa[i], pu[i])) * (side > 0 ? 1.0 : -1.0));
  }
  out.near = static_cast<std::uint32_t>(near.size());
  out.flank = static_cast<std::uint32_t>(shifts.size());
  out.gain_ratio_near = near_sum / static_cast<double>(std::max<std::size_t>(1, near.size()));
  out.gain_ratio_far = far_sum / std::max<std::uint32_t>(1, out.far);
  out.cv_unadapted = coefficient_of_variation(mean_responses(r_unadapted, biased));
  out.cv_adapted = coefficient_of_variation(mean_responses(r_adapted, biased));
  if (!shifts.empty()) {
    const double k = static_cast<double>(shifts.size()), mean = std::accumulate(shifts.begin(), shifts.end(), 0.0) / k;
    double v = 0;
    for (const double s : shifts) v += (s - mean) * (s - mean);
    out.repulsion_deg = mean;
    out.repulsion_se_deg = shifts.size() > 1 ? std::sqrt(v / (k - 1) / k) : 0.0;
  }
  const matrix cu = response_correlations(r_unadapted, biased), ca = response_correlations(r_adapted, biased);
  double su = 0, sa = 0;
  std::size_t pairs = 0;
  for (std::size_t x = 0; x < near.size(); ++x)
    for (std::size_t y = x + 1; y < near.size(); ++y) su += cu(near[x], near[y]), sa += ca(near[x], near[y]), ++pairs;
  out.corr_unadapted = su / static_cast<double>(std::max<std::size_t>(1, pairs));
  out.corr_adapted = sa / static_cast<double>(std::max<std::size_t>(1, pairs));
  return out;
}

}  // namespace neurite::analysis
