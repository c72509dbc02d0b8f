#pragma once
// A Bernoulli GLM network with planted hub neurons, driven by a stimulus repeated on every trial
// and, optionally, by a behaviour variable of each trial's own (the ground truth of the Neuroformer
// reproduction, paper 7: the paper's simulated networks had hub connectivity). Per bin t of a
// trial and neuron n:
//   u_{t,n} = bias_n + gain_n s_n(t) + beta_n b(t) + sum_{n'} w_{n<-n'} h_{t,n'},
//   x_{t,n} ~ Bernoulli(sigmoid(u_{t,n})),  h_{t,n'} = sum_k phi_k x_{t-1-k,n'}
// with phi analysis::exponential_basis. s_n is the same on every trial (so trial-averaged PSTHs
// are reproducible up to the spike noise); b is drawn afresh per trial (a "speed" that no
// stimulus predicts). The spiking noise of trial r uses stream id r, so trials are independent
// and any trial can be drawn alone.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace neurite::analysis {

struct hub_glm_options {
  std::size_t neurons = 30, hubs = 3, targets_per_hub = 6;
  std::size_t bins = 100;           // per trial
  double base_rate = 0.06;          // firing probability per bin without drive
  double stimulus_gain = 1.2;       // gain_n, times a unit-variance s_n
  double hub_weight = 3.0;          // w of each planted link (excitatory)
  std::size_t basis_size = 3;       // exponential history basis, decay 1
  double behaviour_gain = 0;        // |beta_n| for the first third of the neurons (0: no behaviour)
  double behaviour_period = 40;     // b(t): sum of sinusoids with periods near this many bins
};

struct hub_glm {
  hub_glm_options options;
  std::vector<double> bias, gain, beta, basis;
  std::vector<double> stimulus;  // bins x neurons: s_n(t)
  std::vector<double> weights;   // neurons x neurons: weights[post * N + pre]
  std::vector<int> hub_ids;
};

// The planted network: hubs are neurons 0, N/hubs, 2N/hubs, ...; each hub projects to
// targets_per_hub distinct other neurons drawn from the stream (seed, purpose, id 0).
hub_glm plant_hub_glm(const hub_glm_options& o, std::uint64_t seed, std::uint32_t purpose);

struct glm_trial {
  std::vector<std::uint8_t> spikes;  // bins x neurons
  std::vector<double> behaviour;     // bins (zeros without behaviour)
};
// Trial `trial`, from the streams (seed, purpose, 1 + trial, step = bin).
glm_trial sample_hub_glm(const hub_glm& m, std::uint32_t trial, std::uint64_t seed, std::uint32_t purpose);

// The adjacency of the planted links, adjacency[post * N + pre] in {0, 1}.
std::vector<int> hub_adjacency(const hub_glm& m);

}  // namespace neurite::analysis
