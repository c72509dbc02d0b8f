#pragma once
// Switching GLMs: a hidden Markov chain whose state picks the GLM weights (paper 11, the
// "HMM-GLM"), fitted by generalised EM: an exact E step (log-domain forward-backward per trial,
// analysis/hmm.hpp) and an M step that raises the expected complete-data log-likelihood plus the
// log-prior of the weights by a few L-BFGS iterations per neuron (the objective separates over
// postsynaptic neurons, analysis/glm.hpp), then the transition matrix in closed form.
// Priors: none (naive), Gaussian around the mean over states, one-hot (relaxed adjacency with a
// learned prior shared by the states; the second half of the EM iterations with Gumbel noise, and
// the hard classes refined by coordinate ascent at the end). Trials and neurons are shared among threads; every trial's
// E step and every neuron's M step is computed by one thread, and sums over trials are taken in
// trial order, so the result is the same bits for any thread count.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/glm.hpp"
#include "analysis/hmm.hpp"

namespace neurite::analysis {

struct hmm_glm_options {
  weight_prior prior = weight_prior::onehot;
  std::size_t states = 5;
  glm_noise noise = glm_noise::poisson;
  glm_link link = glm_link::sigmoid;
  std::size_t basis_size = 5;
  int em_iterations = 10;     // E step + M step
  int m_iterations = 15;      // L-BFGS iterations per neuron in each M step
  double gaussian_sd = 1.0 / 3.0;
  bool concrete_prior = false;  // one-hot: the paper's Concrete prior instead of ours (glm.hpp)
  double tau = 0.2;           // the Concrete prior's temperature
  double strength_sd = 0.3;   // one-hot: the log-strength prior's sd (0: none); median 1
  std::size_t samples = 2;    // one-hot: Gumbel-softmax samples per M step (0: plain softmax)
  bool halve_extreme_logits = true;  // one-hot: the paper's guard (halve where a log-probability < -20)
  int plain_iterations = -1;  // one-hot: first EM iterations without the noise (-1: half of them)
  int refine_sweeps = 2;      // one-hot: sweeps of the hard-class coordinate ascent after EM (ours)
  double weight_tau = 0.5;    // one-hot: their temperature (the packaged model: 0.5; the demo notebook: 0.2)
  double initial_stay = 0.98; // the sticky transition matrix EM starts from
  double prior_weight = 1.0;  // every log-prior term times this (row_prior::weight; the demo's code: about the trial count)
  int threads = 1;
  int restarts = 1;           // fits from different initial weights (seed + r); the best by training likelihood is kept
  // Streams (seed, purpose): initial weights id 2^25 + neuron; one-hot's Gumbel noise of EM
  // iteration i id 2^26 + neuron, step i.
  std::uint64_t seed = 1;
  std::uint32_t purpose = 0;
};

struct hmm_glm_fit {
  switching_glm model;    // the weights to evaluate: for one-hot the hard (argmax) adjacency
  switching_glm relaxed;  // the weights EM used (one-hot: softmax adjacency; else as model)
  std::vector<std::vector<double>> rows;  // each neuron's parameters (glm.hpp's row layout)
  std::vector<int> adjacency;             // one-hot: S x N x N in {-1, 0, +1}; else empty
  std::vector<double> connectome;         // one-hot: the learned prior, N x N x 3; else empty
  std::vector<double> log_likelihood;     // training log-likelihood at each E step
};

hmm_glm_fit fit_hmm_glm(const std::vector<spike_trial>& trials, const hmm_glm_options& options);

// Posteriors, Viterbi path and log-likelihood of one trial under a switching GLM.
hmm_posteriors glm_posteriors(const switching_glm& m, const spike_trial& trial);
std::vector<int> glm_viterbi(const switching_glm& m, const spike_trial& trial);

// The model with its states reordered so that new state k is old state perm[k] (perm from
// best_permutation: perm[true] = fitted).
switching_glm permute_states(const switching_glm& m, const std::vector<int>& perm);
std::vector<int> permute_adjacency(const std::vector<int>& adjacency, std::size_t states, const std::vector<int>& perm);

// score[true * S + fitted] = sum over bins of the posterior of `fitted` where the truth is `true`.
std::vector<double> state_overlap(const switching_glm& fitted, const std::vector<spike_trial>& trials);

}  // namespace neurite::analysis
