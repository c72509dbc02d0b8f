#pragma once
// Hidden Markov chains over a few discrete states, in the log domain: forward-backward (posterior
// state probabilities gamma and the expected transition counts xi), Viterbi decoding, the
// transition update of EM, and the alignment of fitted states to true ones. The emissions come
// from outside (analysis/hmm_glm.hpp gives GLM emissions), so this file knows no spikes.
// Layout: log_emission[t * S + s], log_transition[i * S + j] = log P(z_{t+1} = j | z_t = i).
#include <cstddef>
#include <vector>

namespace neurite::analysis {

// log(sum_i exp(v[i])) without overflow; -inf for an empty or all -inf input.
double log_sum_exp(const double* v, std::size_t n);

struct hmm_posteriors {
  std::vector<double> gamma;     // T x S: P(z_t = s | all emissions)
  std::vector<double> xi_sum;    // S x S: sum over t of P(z_t = i, z_{t+1} = j | all emissions)
  double log_likelihood = 0;     // log P(all emissions)
};

// Forward-backward with log-sum-exp at every step (no scaling constants), so that emissions of
// thousands of nats per bin neither underflow nor overflow.
hmm_posteriors forward_backward(const std::vector<double>& log_emission, std::size_t states,
                                const std::vector<double>& log_initial, const std::vector<double>& log_transition);

// The most probable state path (max-product in the log domain); ties go to the lower state.
std::vector<int> viterbi(const std::vector<double>& log_emission, std::size_t states,
                         const std::vector<double>& log_initial, const std::vector<double>& log_transition);

// The EM update of the transition matrix from summed xi, as the paper's code does it: rows
// normalised, logs clamped at log_floor (so that no transition becomes impossible), softmax.
// Returns probabilities, S x S.
std::vector<double> transition_update(const std::vector<double>& xi_sum, std::size_t states, double log_floor = -8);

// The permutation of fitted states that best matches the truth: perm[true state] = fitted state,
// maximising sum_k score[k * S + perm[k]] (score[true * S + fitted], e.g. summed posteriors of
// the fitted state over the bins where the true state is k). Brute force over S! orders, S <= 8.
std::vector<int> best_permutation(const std::vector<double>& score, std::size_t states);

}  // namespace neurite::analysis
