#pragma once
// `neurite repro onehot-glm`: the one-hot HMM-GLM of Li, Kim, Rodgers, Choi & Wu (ICLR 2024,
// paper 11) on its repository's synthetic demo. A switching GLM is planted (analysis/glm.hpp:
// Dirichlet anatomical prior, per-state hard adjacency, sigmoid-Poisson spikes), sampled into
// training and test trials, and fitted by generalised EM with three weight priors (naive,
// Gaussian, one-hot; analysis/hmm_glm.hpp). Fitted states are aligned to the truth by the best
// permutation of the training trials' posteriors. Rows: state accuracy (Viterbi), weight error,
// three-class adjacency accuracy and F1, held-out log-likelihood, judged on the paper's ordering
// claims. CSV files: metrics.csv (every fit), states.csv (a test trial's posteriors and paths),
// weights.csv (true and fitted weights), em.csv (training log-likelihood per EM iteration).
#include <cstddef>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct onehot_glm_size {
  struct config {
    std::size_t states, neurons, seeds;
    std::size_t bins = 0, train_trials = 0, test_trials = 0;  // 0: the size's own
  };
  // The first is the demo, judged on the paper's claims; the second a data-poor run (10 trials of
  // 1000 bins), where the claims are carried as ours.
  std::vector<config> configs{{5, 20, 1}, {3, 8, 1, 1000, 10, 4}};
  std::size_t bins = 2000, train_trials = 30, test_trials = 20;
  int em_iterations = 10, m_iterations = 15;
  // The demo's strengths log(1 + 3 U) (analysis/glm.hpp); false: 3 U, twice as strong on average,
  // which makes the states easy to find in little data (the CI-sized test).
  bool softplus_strength = true;
  // The weight of the paper's log-priors (Gaussian, one-hot class) against the summed training
  // likelihood; 0: the number of training trials, as in the demo's code, which adds the whole
  // prior to each trial's objective (hmm_glm_options::prior_weight); 1: the plain MAP.
  double prior_weight = 0;
};

onehot_glm_size onehot_glm_default_size(bool full);
std::vector<row> run_onehot_glm(const options& o, const onehot_glm_size& size);

}  // namespace neurite::repro
