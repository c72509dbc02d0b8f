#include "analysis/hmm_glm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/lbfgs.hpp"
#include "core/rng.hpp"
#include "core/thread_team.hpp"

namespace neurite::analysis {
namespace {
std::vector<double> logs(const std::vector<double>& p) {
  std::vector<double> out(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = std::log(p[i]);
  return out;
}

// Runs f(i) for i = 0 .. count-1, item i on worker i % threads: each item wholly on one thread.
template <class F>
void for_each_item(int threads, std::size_t count, F f) {
  const int team = std::max(1, std::min<int>(threads, static_cast<int>(count)));
  core::thread_team(team).run([&](int w) {
    for (std::size_t i = static_cast<std::size_t>(w); i < count; i += static_cast<std::size_t>(team)) f(i);
  });
}

double inverse_link(glm_link link, double rate) {
  if (link == glm_link::sigmoid) {
    const double p = std::clamp(rate, 1e-4, 1 - 1e-4);
    return std::log(p / (1 - p));
  }
  const double r = std::max(rate, 1e-4);
  return std::log(std::expm1(r));
}

// The first parameters: random weights (the symmetry between states must be broken), the bias
// at the inverse link of the mean count (the paper's code sets it from the mean spike count).
std::vector<double> initial_row(const hmm_glm_options& o, std::size_t N, std::size_t n, double mean_count) {
  const std::size_t S = o.states;
  std::vector<double> theta(row_size(o.prior, S, N), 0.0);
  core::random_stream r(o.seed, o.purpose, (1u << 25) + static_cast<std::uint32_t>(n), 0);
  theta.back() = inverse_link(o.link, mean_count);
  if (o.prior != weight_prior::onehot) {
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t p = 0; p < N; ++p) {
        const double w = o.gaussian_sd * r.normal();
        theta[s * N + p] = p == n ? 0.0 : w;
      }
    return theta;
  }
  // One-hot: adjacency logits N(0, 1) per class, strengths softplus(0), so that the first weights
  // (y_exc - y_inh) * 0.69 are small and random like the others' and the softmax is far from
  // saturation: the paper's code starts from a Gumbel-softmax sample at tau = 0.2, nearly one-hot,
  // which its stochastic relaxation can leave but a deterministic gradient barely moves (measured:
  // the hard adjacency stayed at its random start). The self-connection is pinned to "none"
  // (logits 0, 5, 0, strength softplus(-10)), as in the paper's code.
  const std::size_t os = S * N * 3, op = S * N * 4;
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t p = 0; p < N; ++p) {
      for (std::size_t c = 0; c < 3; ++c) {
        const double a = r.normal();
        theta[(s * N + p) * 3 + c] = p == n ? (c == 1 ? 5.0 : 0.0) : a;
      }
      if (p == n) theta[os + s * N + p] = -10;
    }
  theta[op + n * 3 + 1] = 5.0;
  return theta;
}

// The paper's guard against runaway logits: where a softmax puts a log-probability below -20,
// the logits are halved.
void halve_extreme(double* a) {
  const double z = log_sum_exp(a, 3);
  if (a[0] - z < -20 || a[1] - z < -20 || a[2] - z < -20)
    for (int c = 0; c < 3; ++c) a[c] *= 0.5;
}

switching_glm assemble(const hmm_glm_options& o, std::size_t N, const std::vector<std::vector<double>>& rows, bool hard,
                       const std::vector<double>& transition) {
  switching_glm m;
  m.states = o.states, m.neurons = N, m.noise = o.noise, m.link = o.link;
  m.basis = exponential_basis(o.basis_size);
  m.weights.assign(o.states * N * N, 0.0);
  m.bias.resize(N);
  for (std::size_t n = 0; n < N; ++n) {
    const auto w = row_weights(o.prior, o.states, N, n, rows[n], hard);
    for (std::size_t s = 0; s < o.states; ++s)
      for (std::size_t p = 0; p < N; ++p) m.weights[(s * N + n) * N + p] = w[s * N + p];
    m.bias[n] = rows[n].back();
  }
  m.initial.assign(o.states, 1.0 / static_cast<double>(o.states));  // fixed, as in the paper's code
  m.transition = transition;
  return m;
}

// One-hot, after EM (ours): coordinate ascent over the hard classes. For each state and pair the
// class (inh, none, exc) with the best expected complete-data log-likelihood plus log prior
// probability log softmax(l) is kept, the strength held, and the logits are set to that class
// (5 on it, 0 elsewhere). The evaluated model is the hard one, so this optimises it directly;
// without it a connection that EM left unconfident at a small strength keeps a random class.
void refine_classes(const glm_design& d, const hmm_glm_options& o, std::size_t n, std::vector<double>& theta) {
  const std::size_t S = o.states, N = d.neurons, os = S * N * 3, op = S * N * 4;
  auto w = row_weights(weight_prior::onehot, S, N, n, theta, true);
  std::vector<int> cls(S * N, 0);
  std::vector<double> strength(S * N, 0.0), u(d.bins);
  for (std::size_t k = 0; k < S * N; ++k) {
    const double* a = &theta[k * 3];
    cls[k] = static_cast<int>(std::max_element(a, a + 3) - a) - 1;
    strength[k] = std::log1p(std::exp(-std::fabs(theta[os + k]))) + std::max(theta[os + k], 0.0);
  }
  double dl = 0;
  for (int sweep = 0; sweep < o.refine_sweeps; ++sweep)
    for (std::size_t s = 0; s < S; ++s) {
      for (std::size_t t = 0; t < d.bins; ++t) {
        double v = theta.back();
        for (std::size_t p = 0; p < N; ++p) v += w[s * N + p] * d.history[t * N + p];
        u[t] = v;
      }
      for (std::size_t p = 0; p < N; ++p) {
        if (p == n) continue;
        const std::size_t k = s * N + p;
        const double* l = &theta[op + p * 3];
        int best = cls[k];
        double best_gain = 0;
        for (int c = -1; c <= 1; ++c) {
          if (c == cls[k]) continue;
          const double dw = (c - cls[k]) * strength[k];
          double gain = o.prior_weight * (l[c + 1] - l[cls[k] + 1]);  // the (weighted) prior log-probability ratio
          for (std::size_t t = 0; t < d.bins; ++t) {
            const double r = d.responsibility[t * S + s];
            if (r < 1e-12) continue;
            const double x = d.counts[t * N + n];
            gain += r * (glm_log_likelihood(o.noise, o.link, x, u[t] + dw * d.history[t * N + p], dl) -
                         glm_log_likelihood(o.noise, o.link, x, u[t], dl));
          }
          if (gain > best_gain) best_gain = gain, best = c;
        }
        if (best == cls[k]) continue;
        const double dw = (best - cls[k]) * strength[k];
        for (std::size_t t = 0; t < d.bins; ++t) u[t] += dw * d.history[t * N + p];
        cls[k] = best, w[k] += dw;
      }
    }
  for (std::size_t k = 0; k < S * N; ++k) {
    if (k % N == n) continue;
    for (std::size_t c = 0; c < 3; ++c) theta[k * 3 + c] = static_cast<int>(c) - 1 == cls[k] ? 5.0 : 0.0;
  }
}
}  // namespace

hmm_posteriors glm_posteriors(const switching_glm& m, const spike_trial& trial) {
  return forward_backward(glm_log_emissions(m, trial, history(trial, m.basis)), m.states, logs(m.initial),
                          logs(m.transition));
}

std::vector<int> glm_viterbi(const switching_glm& m, const spike_trial& trial) {
  return viterbi(glm_log_emissions(m, trial, history(trial, m.basis)), m.states, logs(m.initial), logs(m.transition));
}

namespace {
hmm_glm_fit fit_once(const std::vector<spike_trial>& trials, const hmm_glm_options& o);
}  // namespace

hmm_glm_fit fit_hmm_glm(const std::vector<spike_trial>& trials, const hmm_glm_options& o) {
  // Restart r draws its initial weights and noise from seed + r; the fit with the highest final
  // training log-likelihood is kept (the first on ties).
  hmm_glm_fit best;
  for (int r = 0; r < std::max(1, o.restarts); ++r) {
    hmm_glm_options one = o;
    one.seed = o.seed + static_cast<std::uint64_t>(r);
    auto fit = fit_once(trials, one);
    if (r == 0 || fit.log_likelihood.back() > best.log_likelihood.back()) best = std::move(fit);
  }
  return best;
}

namespace {
hmm_glm_fit fit_once(const std::vector<spike_trial>& trials, const hmm_glm_options& o) {
  if (trials.empty()) throw std::invalid_argument("fit_hmm_glm: no trials");
  const std::size_t S = o.states, N = trials.front().neurons;
  if (S < 1 || N < 1) throw std::invalid_argument("fit_hmm_glm: need at least one state and one neuron");
  glm_design d;
  d.neurons = N, d.states = S;
  const auto basis = exponential_basis(o.basis_size);
  std::vector<std::size_t> first_bin;
  for (const auto& tr : trials) {
    if (tr.neurons != N)
      throw std::invalid_argument("fit_hmm_glm: trials have " + std::to_string(tr.neurons) + " and " +
                                  std::to_string(N) + " neurons");
    first_bin.push_back(d.bins);
    const auto h = history(tr, basis);
    d.history.insert(d.history.end(), h.begin(), h.end());
    d.counts.insert(d.counts.end(), tr.counts.begin(), tr.counts.end());
    d.bins += tr.bins;
  }
  d.responsibility.assign(d.bins * S, 0.0);

  hmm_glm_fit fit;
  fit.rows.resize(N);
  for (std::size_t n = 0; n < N; ++n) {
    double mean = 0;
    for (std::size_t t = 0; t < d.bins; ++t) mean += d.counts[t * N + n];
    fit.rows[n] = initial_row(o, N, n, mean / static_cast<double>(d.bins));
  }
  std::vector<double> transition(S * S, S > 1 ? (1 - o.initial_stay) / static_cast<double>(S - 1) : 1.0);
  for (std::size_t s = 0; s < S; ++s) transition[s * S + s] = S > 1 ? o.initial_stay : 1.0;

  lbfgs_options lo;
  lo.max_iterations = o.m_iterations;
  const double scale = 1.0 / static_cast<double>(d.bins);  // per-bin objective: steps of order one
  for (int it = 0; it < o.em_iterations; ++it) {
    // E step, trial by trial.
    const auto model = assemble(o, N, fit.rows, false, transition);
    std::vector<hmm_posteriors> post(trials.size());
    for_each_item(o.threads, trials.size(), [&](std::size_t i) {
      post[i] = forward_backward(glm_log_emissions(model, trials[i], std::vector<double>(
                                                                          d.history.begin() + static_cast<std::ptrdiff_t>(first_bin[i] * N),
                                                                          d.history.begin() + static_cast<std::ptrdiff_t>((first_bin[i] + trials[i].bins) * N))),
                                 S, logs(model.initial), logs(model.transition));
    });
    std::vector<double> xi(S * S, 0.0);
    double ll = 0;
    for (std::size_t i = 0; i < trials.size(); ++i) {
      std::copy(post[i].gamma.begin(), post[i].gamma.end(),
                d.responsibility.begin() + static_cast<std::ptrdiff_t>(first_bin[i] * S));
      for (std::size_t k = 0; k < S * S; ++k) xi[k] += post[i].xi_sum[k];
      ll += post[i].log_likelihood;
    }
    fit.log_likelihood.push_back(ll);
    // M step, neuron by neuron. The Gaussian prior's mean is the mean over states (its closed-form
    // update, as in the paper's code), held fixed during the step.
    for_each_item(o.threads, N, [&](std::size_t n) {
      row_prior prior;
      prior.kind = o.prior, prior.sd = o.gaussian_sd, prior.tau = o.tau, prior.strength_sd = o.strength_sd;
      prior.concrete = o.concrete_prior, prior.weight = o.prior_weight;
      auto& theta = fit.rows[n];
      const int plain = o.plain_iterations < 0 ? o.em_iterations / 2 : o.plain_iterations;
      if (o.prior == weight_prior::onehot && o.samples > 0 && it >= plain) {
        prior.samples = o.samples, prior.weight_tau = o.weight_tau;
        prior.gumbel.resize(o.samples * S * N * 3);
        core::random_stream r(o.seed, o.purpose, (1u << 26) + static_cast<std::uint32_t>(n), static_cast<std::uint64_t>(it));
        for (auto& g : prior.gumbel) g = -std::log(-std::log(r.uniform_open()));
      }
      if (o.prior == weight_prior::gaussian) {
        prior.mean.assign(N, 0.0);
        for (std::size_t s = 0; s < S; ++s)
          for (std::size_t p = 0; p < N; ++p) prior.mean[p] += theta[s * N + p] / static_cast<double>(S);
      }
      minimise_lbfgs(
          [&](const std::vector<double>& x, std::vector<double>& g) {
            const double v = row_objective(d, o.noise, o.link, n, prior, x, g);
            for (auto& gi : g) gi *= -scale;
            return -v * scale;
          },
          theta, lo);
      if (o.prior == weight_prior::onehot && o.halve_extreme_logits) {
        for (std::size_t k = 0; k < S * N; ++k) halve_extreme(&theta[k * 3]);
        for (std::size_t p = 0; p < N; ++p) halve_extreme(&theta[S * N * 4 + p * 3]);
      }
    });
    if (S > 1) transition = transition_update(xi, S);
  }
  if (o.prior == weight_prior::onehot && o.refine_sweeps > 0) {
    // A last E step with the hard model, then its classes by coordinate ascent.
    const auto hard = assemble(o, N, fit.rows, true, transition);
    for_each_item(o.threads, trials.size(), [&](std::size_t i) {
      const auto p = glm_posteriors(hard, trials[i]);
      std::copy(p.gamma.begin(), p.gamma.end(), d.responsibility.begin() + static_cast<std::ptrdiff_t>(first_bin[i] * S));
    });
    for_each_item(o.threads, N, [&](std::size_t n) { refine_classes(d, o, n, fit.rows[n]); });
  }
  fit.relaxed = assemble(o, N, fit.rows, false, transition);
  fit.model = assemble(o, N, fit.rows, true, transition);
  if (o.prior == weight_prior::onehot) {
    fit.adjacency.assign(S * N * N, 0);
    fit.connectome.assign(N * N * 3, 0.0);
    for (std::size_t n = 0; n < N; ++n) {
      const auto& theta = fit.rows[n];
      for (std::size_t s = 0; s < S; ++s)
        for (std::size_t p = 0; p < N; ++p) {
          const double* a = &theta[(s * N + p) * 3];
          fit.adjacency[(s * N + n) * N + p] = p == n ? 0 : static_cast<int>(std::max_element(a, a + 3) - a) - 1;
        }
      for (std::size_t p = 0; p < N; ++p) {
        const double* l = &theta[S * N * 4 + p * 3];
        const double z = log_sum_exp(l, 3);
        for (std::size_t c = 0; c < 3; ++c) fit.connectome[(n * N + p) * 3 + c] = std::exp(l[c] - z);
      }
    }
  }
  return fit;
}
}  // namespace

switching_glm permute_states(const switching_glm& m, const std::vector<int>& perm) {
  const std::size_t S = m.states, N = m.neurons;
  if (perm.size() != S) throw std::invalid_argument("permute_states: the permutation needs one entry per state");
  switching_glm out = m;
  for (std::size_t k = 0; k < S; ++k) {
    const auto from = static_cast<std::size_t>(perm[k]);
    std::copy_n(&m.weights[from * N * N], N * N, &out.weights[k * N * N]);
    out.initial[k] = m.initial[from];
    for (std::size_t j = 0; j < S; ++j) out.transition[k * S + j] = m.transition[from * S + static_cast<std::size_t>(perm[j])];
  }
  return out;
}

std::vector<int> permute_adjacency(const std::vector<int>& adjacency, std::size_t states, const std::vector<int>& perm) {
  const std::size_t NN = adjacency.size() / states;
  std::vector<int> out(adjacency.size());
  for (std::size_t k = 0; k < states; ++k)
    std::copy_n(&adjacency[static_cast<std::size_t>(perm[k]) * NN], NN, &out[k * NN]);
  return out;
}

std::vector<double> state_overlap(const switching_glm& fitted, const std::vector<spike_trial>& trials) {
  const std::size_t S = fitted.states;
  std::vector<double> score(S * S, 0.0);
  for (const auto& tr : trials) {
    if (tr.states.size() != tr.bins) throw std::invalid_argument("state_overlap: a trial has no true states");
    const auto p = glm_posteriors(fitted, tr);
    for (std::size_t t = 0; t < tr.bins; ++t) {
      const auto z = static_cast<std::size_t>(tr.states[t]);
      if (z >= S) throw std::invalid_argument("state_overlap: a true state is beyond the fitted states");
      for (std::size_t f = 0; f < S; ++f) score[z * S + f] += p.gamma[t * S + f];
    }
  }
  return score;
}

}  // namespace neurite::analysis
