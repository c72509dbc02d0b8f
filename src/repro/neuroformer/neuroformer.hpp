#pragma once
// `neurite repro neuroformer`: generative pretraining on spikes (Antoniades et al., ICLR 2024,
// paper 7), in small. A Bernoulli GLM network with planted hub links and a repeated stimulus
// (analysis/hub_glm.hpp) is simulated; a small causal transformer over spike tokens
// (learn/neuroformer.hpp) learns to predict the next spike; rows: held-out cross-entropy against a
// rate-only baseline, trial-averaged PSTHs of generated against real spikes and against the
// simulation's own repeat reliability, and the planted links read out of gradient-weighted
// attention (AUROC, direction). --full adds a behaviour variable: few-shot decoding from frozen
// features after joint (spikes + behaviour) and spikes-only pretraining.
// CSV files: training.csv, psth.csv, connectivity.csv, summary.csv, behaviour.csv (--full).
#include <cstdint>
#include <vector>

#include "analysis/hub_glm.hpp"
#include "learn/neuroformer.hpp"
#include "repro/repro.hpp"

namespace neurite::repro {

struct neuroformer_size {
  analysis::hub_glm_options network;
  std::uint32_t train_trials = 200, test_trials = 50;  // the repeat set has test_trials more
  std::uint32_t window_bins = 5, max_context = 40, max_current = 40;
  std::int64_t embedding = 64, layers = 2, heads = 4, feedforward = 128;
  std::uint32_t epochs = 10, batch = 32;
  double learning_rate = 3e-3;
  std::uint32_t psth_bins = 2;    // GLM bins per PSTH bin
  double discard = 0.8;           // the paper code's discard ratio
  // --full: the behaviour variable and its few-shot decoding
  bool behaviour = false;
  std::uint32_t few_shot_trials = 5;
  double behaviour_weight = 1.0, ridge = 10.0;
};

neuroformer_size neuroformer_default_size(bool full);
std::vector<row> run_neuroformer(const options& o, const neuroformer_size& size);

}  // namespace neurite::repro
