#include "analysis/glm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/hmm.hpp"
#include "core/rng.hpp"

namespace neurite::analysis {
namespace {
// log(1 + e^u) and log sigmoid(u) = -softplus(-u), both without overflow.
double softplus(double u) { return u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u)); }
double sigmoid(double u) { return u >= 0 ? 1.0 / (1.0 + std::exp(-u)) : std::exp(u) / (1.0 + std::exp(u)); }

// The link's rate f(u), log f(u) and f'(u).
struct rate {
  double f, log_f, df;
};
rate link_rate(glm_link link, double u) {
  const double s = sigmoid(u);
  if (link == glm_link::sigmoid) return {s, -softplus(-u), s * (1 - s)};
  const double f = softplus(u);
  return {f, std::log(f), s};
}

std::size_t offset_strength(std::size_t S, std::size_t N) { return S * N * 3; }
std::size_t offset_prior(std::size_t S, std::size_t N) { return S * N * 4; }
}  // namespace

std::string_view weight_prior_name(weight_prior p) {
  switch (p) {
    case weight_prior::none: return "naive";
    case weight_prior::gaussian: return "gaussian";
    case weight_prior::onehot: return "onehot";
  }
  return "?";
}

std::vector<double> exponential_basis(std::size_t size, double decay) {
  std::vector<double> phi(size);
  double total = 0;
  for (std::size_t k = 0; k < size; ++k) total += phi[k] = std::exp(-decay * static_cast<double>(k));
  for (auto& v : phi) v /= total;
  return phi;
}

std::vector<double> history(const spike_trial& trial, const std::vector<double>& basis) {
  const std::size_t T = trial.bins, N = trial.neurons;
  if (trial.counts.size() != T * N)
    throw std::invalid_argument("history: a trial of " + std::to_string(T) + " bins x " + std::to_string(N) +
                                " neurons needs that many counts, got " + std::to_string(trial.counts.size()));
  std::vector<double> h(T * N, 0.0);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t k = 0; k < basis.size() && k < t; ++k)
      for (std::size_t n = 0; n < N; ++n) h[t * N + n] += basis[k] * trial.counts[(t - 1 - k) * N + n];
  return h;
}

namespace {
// The log-likelihood without the Poisson's -log x! (a constant of the data, added by the callers
// once per bin rather than once per state and sample).
double log_likelihood_kernel(glm_noise noise, glm_link link, double x, double u, double& d_du) {
  if (noise == glm_noise::poisson && link == glm_link::sigmoid) {
    // The hot path of the demo: one exp and one log1p. f = sigmoid(u), log f = -softplus(-u).
    const double e = std::exp(-std::fabs(u));
    const double f = u >= 0 ? 1 / (1 + e) : e / (1 + e);
    const double log_f = -(std::max(-u, 0.0) + std::log1p(e));
    d_du = (1 - f) * (x - f);  // (x / f - 1) f' with f' = f (1 - f)
    return x * log_f - f;
  }
  const rate r = link_rate(link, u);
  if (noise == glm_noise::poisson) {
    // x log f - f; d/du = (x / f - 1) f'.
    d_du = x * r.df / r.f - r.df;
    return x * r.log_f - r.f;
  }
  if (link != glm_link::sigmoid) throw std::invalid_argument("glm: the Bernoulli GLM needs the sigmoid link");
  d_du = x - r.f;  // x log s(u) + (1 - x) log s(-u)
  return x * r.log_f - (1 - x) * softplus(u);
}

double log_factorial(glm_noise noise, double x) { return noise == glm_noise::poisson ? std::lgamma(x + 1) : 0.0; }
}  // namespace

double glm_log_likelihood(glm_noise noise, glm_link link, double x, double u, double& d_du) {
  return log_likelihood_kernel(noise, link, x, u, d_du) - log_factorial(noise, x);
}

std::vector<double> glm_log_emissions(const switching_glm& m, const spike_trial& trial, const std::vector<double>& h) {
  const std::size_t S = m.states, N = m.neurons, T = trial.bins;
  if (trial.neurons != N || h.size() != T * N)
    throw std::invalid_argument("glm_log_emissions: the trial has " + std::to_string(trial.neurons) +
                                " neurons, the model " + std::to_string(N));
  std::vector<double> out(T * S, 0.0);
  for (std::size_t t = 0; t < T; ++t) {
    double factorials = 0;
    for (std::size_t n = 0; n < N; ++n) factorials += log_factorial(m.noise, trial.counts[t * N + n]);
    for (std::size_t s = 0; s < S; ++s) {
      double total = 0, d = 0;
      for (std::size_t n = 0; n < N; ++n) {
        const double* w = &m.weights[(s * N + n) * N];
        double u = m.bias[n];
        for (std::size_t p = 0; p < N; ++p) u += w[p] * h[t * N + p];
        total += log_likelihood_kernel(m.noise, m.link, trial.counts[t * N + n], u, d);
      }
      total -= factorials;
      out[t * S + s] = total;
    }
  }
  return out;
}

double gamma_variate(double shape, std::uint64_t seed, std::uint32_t purpose, std::uint32_t id, std::uint64_t step) {
  core::random_stream r(seed, purpose, id, step);
  const double boost = shape < 1 ? std::pow(r.uniform_open(), 1.0 / shape) : 1.0;
  const double a = shape < 1 ? shape + 1 : shape;
  const double d = a - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = r.normal();
    const double v = std::pow(1 + c * z, 3);
    if (v <= 0) continue;
    if (std::log(r.uniform_open()) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v * boost;
  }
}

planted_glm plant_switching_glm(const plant_options& o, std::uint64_t seed, std::uint32_t purpose) {
  const std::size_t S = o.states, N = o.neurons;
  if (S < 1 || N < 1 || N * N + N >= (1u << 24))
    throw std::invalid_argument("plant_switching_glm: need 1 <= states and 1 <= neurons < 4096");
  planted_glm g;
  auto& m = g.model;
  m.states = S, m.neurons = N, m.noise = o.noise, m.link = glm_link::sigmoid;
  m.basis = exponential_basis(o.basis_size);
  m.weights.assign(S * N * N, 0.0);
  g.adjacency.assign(S * N * N, 0);
  g.connectome.assign(N * N * 3, 0.0);
  for (std::size_t post = 0; post < N; ++post)
    for (std::size_t pre = 0; pre < N; ++pre) {
      const auto id = static_cast<std::uint32_t>(post * N + pre);
      double* p = &g.connectome[(post * N + pre) * 3];
      if (post == pre) {
        p[1] = 1;
        continue;
      }
      double total = 0;
      for (std::uint32_t c = 0; c < 3; ++c) total += p[c] = gamma_variate(o.concentration[c], seed, purpose, id, 1000 + c);
      for (std::uint32_t c = 0; c < 3; ++c) p[c] /= total;
      for (std::size_t s = 0; s < S; ++s) {
        // argmax(log p_c + Gumbel): an exact categorical draw (a hard Gumbel-softmax sample).
        core::random_stream r(seed, purpose, id, 1 + s);
        int best = 1;
        double top = -1e300;
        for (int c = 0; c < 3; ++c) {
          const double v = std::log(std::max(p[c], 1e-300)) - std::log(-std::log(r.uniform_open()));
          if (v > top) top = v, best = c;
        }
        // The demo's raw strength log(scale U) read through its softplus: log(1 + scale U).
        const double u = o.strength_scale * r.uniform();
        const double strength = o.softplus_strength ? std::log1p(u) : u;
        g.adjacency[(s * N + post) * N + pre] = best - 1;
        m.weights[(s * N + post) * N + pre] = (best - 1) * strength;
      }
    }
  m.bias.resize(N);
  for (std::size_t n = 0; n < N; ++n) {
    core::random_stream r(seed, purpose, static_cast<std::uint32_t>(N * N + n), 0);
    m.bias[n] = o.bias_scale * (r.uniform() - 0.5);
  }
  m.initial.assign(S, 1.0 / static_cast<double>(S));
  m.transition.assign(S * S, S > 1 ? (1 - o.stay) / static_cast<double>(S - 1) : 1.0);
  for (std::size_t s = 0; s < S; ++s) m.transition[s * S + s] = S > 1 ? o.stay : 1.0;
  return g;
}

spike_trial sample_switching_glm(const switching_glm& m, std::size_t bins, std::uint64_t seed, std::uint32_t purpose,
                                 std::uint32_t id) {
  const std::size_t S = m.states, N = m.neurons;
  spike_trial trial;
  trial.bins = bins, trial.neurons = N;
  trial.counts.assign(bins * N, 0.0);
  trial.states.resize(bins);
  std::vector<double> h(N);
  for (std::size_t t = 0; t < bins; ++t) {
    core::random_stream r(seed, purpose, id, t);
    // The state: from the initial distribution at t = 0, else from the previous state's row.
    const double* p = t == 0 ? m.initial.data() : &m.transition[static_cast<std::size_t>(trial.states[t - 1]) * S];
    double u = r.uniform(), acc = 0;
    std::size_t z = S - 1;
    for (std::size_t s = 0; s < S; ++s)
      if (u < (acc += p[s])) {
        z = s;
        break;
      }
    trial.states[t] = static_cast<int>(z);
    std::fill(h.begin(), h.end(), 0.0);
    for (std::size_t k = 0; k < m.basis.size() && k < t; ++k)
      for (std::size_t n = 0; n < N; ++n) h[n] += m.basis[k] * trial.counts[(t - 1 - k) * N + n];
    for (std::size_t n = 0; n < N; ++n) {
      double v = m.bias[n];
      for (std::size_t q = 0; q < N; ++q) v += m.weights[(z * N + n) * N + q] * h[q];
      const double f = link_rate(m.link, v).f;
      trial.counts[t * N + n] = m.noise == glm_noise::poisson ? r.poisson(f) : (r.uniform() < f ? 1.0 : 0.0);
    }
  }
  return trial;
}

double concrete_log_density(const double* log_y, const double* logits, std::size_t k, double tau, double* d_log_y,
                            double* d_logits) {
  std::vector<double> v(k);
  double out = std::lgamma(static_cast<double>(k)) + static_cast<double>(k - 1) * std::log(tau);
  for (std::size_t i = 0; i < k; ++i) {
    out += logits[i] - (tau + 1) * log_y[i];
    v[i] = logits[i] - tau * log_y[i];
  }
  const double z = log_sum_exp(v.data(), k);
  out -= static_cast<double>(k) * z;
  const double kk = static_cast<double>(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double r = std::exp(v[i] - z);
    if (d_log_y) d_log_y[i] = -(tau + 1) + kk * tau * r;
    if (d_logits) d_logits[i] = 1 - kk * r;
  }
  return out;
}

std::size_t row_size(weight_prior kind, std::size_t S, std::size_t N) {
  return kind == weight_prior::onehot ? S * N * 4 + N * 3 + 1 : S * N + 1;
}

namespace {
// softmax and log-softmax of three logits.
void softmax3(const double* a, double* y, double* log_y) {
  const double m = std::max({a[0], a[1], a[2]});
  const double z = m + std::log(std::exp(a[0] - m) + std::exp(a[1] - m) + std::exp(a[2] - m));
  for (int c = 0; c < 3; ++c) log_y[c] = a[c] - z, y[c] = std::exp(log_y[c]);
}
}  // namespace

std::vector<double> row_weights(weight_prior kind, std::size_t S, std::size_t N, std::size_t neuron,
                                const std::vector<double>& theta, bool hard) {
  if (theta.size() != row_size(kind, S, N)) throw std::invalid_argument("row_weights: theta has the wrong size");
  std::vector<double> w(S * N, 0.0);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t p = 0; p < N; ++p) {
      if (p == neuron) continue;
      if (kind != weight_prior::onehot) {
        w[s * N + p] = theta[s * N + p];
        continue;
      }
      const double* a = &theta[(s * N + p) * 3];
      const double strength = softplus(theta[offset_strength(S, N) + s * N + p]);
      if (hard) {
        const auto c = std::max_element(a, a + 3) - a;  // ties: the first (inhibitory before none)
        w[s * N + p] = static_cast<double>(c - 1) * strength;
      } else {
        double y[3], ly[3];
        softmax3(a, y, ly);
        w[s * N + p] = (y[2] - y[0]) * strength;
      }
    }
  return w;
}

namespace {
// value = likelihood + weight * log-prior, from the likelihood part saved before the priors were
// added (value and grad now hold likelihood + log-prior).
double weigh_prior(double weight, double ll_value, const std::vector<double>& ll_grad, double value,
                   std::vector<double>& grad) {
  if (weight == 1.0) return value;
  for (std::size_t i = 0; i < grad.size(); ++i) grad[i] = ll_grad[i] + weight * (grad[i] - ll_grad[i]);
  return ll_value + weight * (value - ll_value);
}
}  // namespace

double row_objective(const glm_design& d, glm_noise noise, glm_link link, std::size_t neuron, const row_prior& prior,
                     const std::vector<double>& theta, std::vector<double>& grad) {
  const std::size_t S = d.states, N = d.neurons;
  if (theta.size() != row_size(prior.kind, S, N) || neuron >= N)
    throw std::invalid_argument("row_objective: theta has the wrong size for its prior, states and neurons");
  const bool onehot = prior.kind == weight_prior::onehot;
  const std::size_t M = onehot && prior.samples > 0 ? prior.samples : 1;
  if (onehot && prior.samples > 0 && prior.gumbel.size() != M * S * N * 3)
    throw std::invalid_argument("row_objective: the Gumbel noise must hold samples x S x N x 3 draws");
  if (!(prior.weight > 0)) throw std::invalid_argument("row_objective: the prior weight must be positive");
  grad.assign(theta.size(), 0.0);
  const std::size_t os = offset_strength(S, N), op = offset_prior(S, N);
  // The relaxed adjacency of each sample: y[m][s][p][c].
  std::vector<double> y(M * S * N * 3, 0.0), w(M * S * N, 0.0);
  for (std::size_t m = 0; m < M; ++m)
    for (std::size_t k = 0; k < S * N; ++k) {
      if (k % N == neuron) continue;
      if (!onehot) {
        w[k] = theta[k];
        continue;
      }
      double a[3], ly[3];
      for (std::size_t c = 0; c < 3; ++c)
        a[c] = prior.samples > 0 ? (theta[k * 3 + c] + prior.gumbel[(m * S * N + k) * 3 + c]) / prior.weight_tau
                                 : theta[k * 3 + c];
      double* ym = &y[(m * S * N + k) * 3];
      softmax3(a, ym, ly);
      w[m * S * N + k] = (ym[2] - ym[0]) * softplus(theta[os + k]);
    }
  // The likelihood: mean over samples of sum_t sum_s r_ts l(x_tn, u_ts), u_ts = b + w_s . h_t,
  // with dJ/dw_s = sum_t r_ts l'(u_ts) h_t.
  const double bias = theta.back(), per_sample = 1.0 / static_cast<double>(M);
  std::vector<double> gw(M * S * N, 0.0);
  double value = 0, gb = 0;
  for (std::size_t t = 0; t < d.bins; ++t) {
    const double* h = &d.history[t * N];
    const double x = d.counts[t * N + neuron], factorial = log_factorial(noise, x);
    for (std::size_t s = 0; s < S; ++s) {
      const double r = d.responsibility[t * S + s];
      if (r < 1e-12) continue;
      value -= r * factorial;
      for (std::size_t m = 0; m < M; ++m) {
        const double* ws = &w[(m * S + s) * N];
        double u = bias;
        for (std::size_t p = 0; p < N; ++p) u += ws[p] * h[p];
        double dl = 0;
        value += r * per_sample * log_likelihood_kernel(noise, link, x, u, dl);
        const double c = r * per_sample * dl;
        gb += c;
        double* g = &gw[(m * S + s) * N];
        for (std::size_t p = 0; p < N; ++p) g[p] += c * h[p];
      }
    }
  }
  grad.back() = gb;
  if (!onehot) {
    for (std::size_t k = 0; k < S * N; ++k) grad[k] = k % N == neuron ? 0.0 : gw[k];
    const double ll_value = value;
    const std::vector<double> ll_grad = prior.weight == 1.0 ? std::vector<double>{} : grad;
    if (prior.kind == weight_prior::gaussian) {
      const double var = prior.sd * prior.sd, norm = -0.5 * std::log(2 * M_PI * var);
      for (std::size_t s = 0; s < S; ++s)
        for (std::size_t p = 0; p < N; ++p) {
          if (p == neuron) continue;
          const double diff = theta[s * N + p] - (prior.mean.empty() ? 0.0 : prior.mean[p]);
          value += norm - 0.5 * diff * diff / var;
          grad[s * N + p] -= diff / var;
        }
    }
    return weigh_prior(prior.weight, ll_value, ll_grad, value, grad);
  }
  // One-hot: w_m = (y_exc - y_inh) softplus(r), through the softmax's Jacobian
  // dy_c/da_j = y_c (delta_cj - y_j) / tau_w (tau_w = 1 without noise).
  const double inv_tau = prior.samples > 0 ? 1.0 / prior.weight_tau : 1.0;
  for (std::size_t k = 0; k < S * N; ++k) {
    if (k % N == neuron) continue;
    const double raw = theta[os + k], strength = softplus(raw);
    for (std::size_t m = 0; m < M; ++m) {
      const double g = gw[m * S * N + k];
      const double* ym = &y[(m * S * N + k) * 3];
      grad[os + k] += g * (ym[2] - ym[0]) * sigmoid(raw);
      const double gy[3] = {-g * strength, 0.0, g * strength};
      double mean_y = 0;
      for (int c = 0; c < 3; ++c) mean_y += ym[c] * gy[c];
      for (int c = 0; c < 3; ++c) grad[k * 3 + static_cast<std::size_t>(c)] += ym[c] * (gy[c] - mean_y) * inv_tau;
    }
  }
  const double ll_value = value;
  const std::vector<double> ll_grad = prior.weight == 1.0 ? std::vector<double>{} : grad;
  // The priors: the Concrete density of softmax(a) given the shared logits l of the pair, summed
  // over states, and (ours, optional) a log-normal prior on each strength.
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t p = 0; p < N; ++p) {
      if (p == neuron) continue;
      const std::size_t k = s * N + p;
      double y0[3], ly[3], gly[3], gl[3];
      softmax3(&theta[k * 3], y0, ly);
      if (prior.concrete) {
        value += concrete_log_density(ly, &theta[op + p * 3], 3, prior.tau, gly, gl);
        const double sum_ly = gly[0] + gly[1] + gly[2];
        for (int c = 0; c < 3; ++c) {
          grad[k * 3 + static_cast<std::size_t>(c)] += gly[c] - y0[c] * sum_ly;
          grad[op + p * 3 + static_cast<std::size_t>(c)] += gl[c];
        }
      } else {
        // sum_c y_c L_c with L = log softmax(l): d/da_j = y_j (L_j - sum_c y_c L_c),
        // d/dl_c = y_c - softmax(l)_c (the y sum to one).
        double pi[3], log_pi[3];
        softmax3(&theta[op + p * 3], pi, log_pi);
        double expected = 0;
        for (int c = 0; c < 3; ++c) expected += y0[c] * log_pi[c];
        value += expected;
        for (int c = 0; c < 3; ++c) {
          grad[k * 3 + static_cast<std::size_t>(c)] += y0[c] * (log_pi[c] - expected);
          grad[op + p * 3 + static_cast<std::size_t>(c)] += y0[c] - pi[c];
        }
      }
      if (prior.strength_sd > 0) {
        // -(log s - mu)^2 / (2 sd^2); d/draw = -(log s - mu) / (sd^2 s) * ds/draw, ds/draw = sigmoid(raw).
        const double raw = theta[os + k], strength = softplus(raw);
        const double z = (std::log(strength) - std::log(prior.strength_median)) / prior.strength_sd;
        // Divided by the prior weight, which weigh_prior applies to all the prior terms: this
        // prior is ours, not the paper's, and keeps weight 1.
        value -= (0.5 * z * z + std::log(prior.strength_sd * std::sqrt(2 * M_PI))) / prior.weight;
        grad[os + k] -= z / (prior.strength_sd * strength) * sigmoid(raw) / prior.weight;
      }
    }
  return weigh_prior(prior.weight, ll_value, ll_grad, value, grad);
}

}  // namespace neurite::analysis
