#include "analysis/hmm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace neurite::analysis {
namespace {
constexpr double minus_inf = -std::numeric_limits<double>::infinity();

void check_sizes(const std::vector<double>& log_emission, std::size_t states, const std::vector<double>& log_initial,
                 const std::vector<double>& log_transition) {
  if (states == 0 || log_emission.size() % states != 0 || log_emission.empty() || log_initial.size() != states ||
      log_transition.size() != states * states)
    throw std::invalid_argument("hmm: " + std::to_string(states) + " states need emissions T x S (got " +
                                std::to_string(log_emission.size()) + " values), " + std::to_string(states) +
                                " initial and S x S transition log-probabilities");
}
}  // namespace

double log_sum_exp(const double* v, std::size_t n) {
  double m = minus_inf;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, v[i]);
  if (m == minus_inf) return minus_inf;
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(v[i] - m);
  return m + std::log(s);
}

hmm_posteriors forward_backward(const std::vector<double>& log_emission, std::size_t states,
                                const std::vector<double>& log_initial, const std::vector<double>& log_transition) {
  check_sizes(log_emission, states, log_initial, log_transition);
  const std::size_t S = states, T = log_emission.size() / S;
  // alpha[t][j] = log P(e_0..e_t, z_t = j); beta[t][i] = log P(e_{t+1}..e_{T-1} | z_t = i).
  std::vector<double> alpha(T * S), beta(T * S, 0.0), term(S);
  for (std::size_t j = 0; j < S; ++j) alpha[j] = log_initial[j] + log_emission[j];
  for (std::size_t t = 1; t < T; ++t)
    for (std::size_t j = 0; j < S; ++j) {
      for (std::size_t i = 0; i < S; ++i) term[i] = alpha[(t - 1) * S + i] + log_transition[i * S + j];
      alpha[t * S + j] = log_emission[t * S + j] + log_sum_exp(term.data(), S);
    }
  for (std::size_t t = T - 1; t-- > 0;)
    for (std::size_t i = 0; i < S; ++i) {
      for (std::size_t j = 0; j < S; ++j)
        term[j] = log_transition[i * S + j] + log_emission[(t + 1) * S + j] + beta[(t + 1) * S + j];
      beta[t * S + i] = log_sum_exp(term.data(), S);
    }
  hmm_posteriors p;
  p.log_likelihood = log_sum_exp(&alpha[(T - 1) * S], S);
  p.gamma.resize(T * S);
  for (std::size_t t = 0; t < T; ++t) {
    // Normalised per bin (not by the total likelihood alone), so rounding never leaves a row
    // that does not sum to one.
    for (std::size_t s = 0; s < S; ++s) term[s] = alpha[t * S + s] + beta[t * S + s];
    const double z = log_sum_exp(term.data(), S);
    for (std::size_t s = 0; s < S; ++s) p.gamma[t * S + s] = std::exp(term[s] - z);
  }
  p.xi_sum.assign(S * S, 0.0);
  std::vector<double> pair(S * S);
  for (std::size_t t = 0; t + 1 < T; ++t) {
    for (std::size_t i = 0; i < S; ++i)
      for (std::size_t j = 0; j < S; ++j)
        pair[i * S + j] = alpha[t * S + i] + log_transition[i * S + j] + log_emission[(t + 1) * S + j] +
                          beta[(t + 1) * S + j];
    const double z = log_sum_exp(pair.data(), S * S);
    for (std::size_t k = 0; k < S * S; ++k) p.xi_sum[k] += std::exp(pair[k] - z);
  }
  return p;
}

std::vector<int> viterbi(const std::vector<double>& log_emission, std::size_t states,
                         const std::vector<double>& log_initial, const std::vector<double>& log_transition) {
  check_sizes(log_emission, states, log_initial, log_transition);
  const std::size_t S = states, T = log_emission.size() / S;
  std::vector<double> best(T * S);
  std::vector<int> from(T * S, 0);
  for (std::size_t j = 0; j < S; ++j) best[j] = log_initial[j] + log_emission[j];
  for (std::size_t t = 1; t < T; ++t)
    for (std::size_t j = 0; j < S; ++j) {
      double m = minus_inf;
      int arg = 0;
      for (std::size_t i = 0; i < S; ++i) {
        const double v = best[(t - 1) * S + i] + log_transition[i * S + j];
        if (v > m) m = v, arg = static_cast<int>(i);
      }
      best[t * S + j] = m + log_emission[t * S + j];
      from[t * S + j] = arg;
    }
  std::vector<int> path(T);
  const double* last = &best[(T - 1) * S];
  path[T - 1] = static_cast<int>(std::max_element(last, last + S) - last);
  for (std::size_t t = T - 1; t > 0; --t) path[t - 1] = from[t * S + static_cast<std::size_t>(path[t])];
  return path;
}

std::vector<double> transition_update(const std::vector<double>& xi_sum, std::size_t states, double log_floor) {
  const std::size_t S = states;
  if (xi_sum.size() != S * S) throw std::invalid_argument("transition_update: xi_sum must be S x S");
  std::vector<double> out(S * S);
  for (std::size_t i = 0; i < S; ++i) {
    const double row = std::accumulate(&xi_sum[i * S], &xi_sum[i * S] + S, 0.0);
    std::vector<double> l(S);
    for (std::size_t j = 0; j < S; ++j)
      l[j] = row > 0 && xi_sum[i * S + j] > 0 ? std::max(std::log(xi_sum[i * S + j] / row), log_floor) : log_floor;
    const double z = log_sum_exp(l.data(), S);
    for (std::size_t j = 0; j < S; ++j) out[i * S + j] = std::exp(l[j] - z);
  }
  return out;
}

std::vector<int> best_permutation(const std::vector<double>& score, std::size_t states) {
  if (states == 0 || states > 8 || score.size() != states * states)
    throw std::invalid_argument("best_permutation: needs an S x S score with 1 <= S <= 8 (got S = " +
                                std::to_string(states) + ")");
  std::vector<int> perm(states), best;
  std::iota(perm.begin(), perm.end(), 0);
  double top = minus_inf;
  do {  // lexicographic order, so ties keep the first (identity-most) permutation
    double v = 0;
    for (std::size_t k = 0; k < states; ++k) v += score[k * states + static_cast<std::size_t>(perm[k])];
    if (v > top) top = v, best = perm;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

}  // namespace neurite::analysis
