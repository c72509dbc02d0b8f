#pragma once
// `neurite repro elm-neuron`: the Expressive Leaky Memory neuron (Spieler et al., ICLR 2024,
// paper 24). Rows: the parameter counts of the repository's Branch-ELM NeuronIO models, counted
// from our constructed models; the decay and steady-state identities of the memory; and
// Fashion-MNIST-Adding (two images row by row, 56 steps, label = sum of the classes, 19 classes):
// ELM against an LSTM and a recurrent LIF network of the same parameter count, and the
// tau_m_max = 1 ablation; (b) fitting a synthetic neuron (learn/neuron_io.hpp) step by step, the
// spike AUC against d_m; (c) the 32x32 Pathfinder task (learn/pathfinder.hpp) row by row.
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct elm_neuron_size {
  std::uint32_t train_images = 0, test_images = 0;  // the first ones of each split (0: all)
  std::uint32_t train_pairs = 0, test_pairs = 0;    // pairs per training epoch; fixed test pairs
  std::int64_t memory = 0;                          // d_m of the ELM
  double tau_m_max = 0;                             // the ELM's; the ablation uses 1
  std::uint32_t epochs = 0, batch = 0;
  double learning_rate = 0;
};

// (b): Branch-ELMs of each d_m in `memories`, the same budget each.
struct elm_neuron_fit_size {
  std::uint32_t train_samples = 0, test_samples = 0, epochs = 0, batch = 0;
  double window = 0, burn_in = 0;  // [ms] per sample, 1 ms steps
  std::vector<std::int64_t> memories;  // the d_m of the paper's NeuronIO table
  double learning_rate = 0;
};

// (c): one ELM on generated 32x32 images, row by row.
struct elm_pathfinder_size {
  std::uint32_t train_samples = 0, test_samples = 0, epochs = 0, batch = 0;
  std::int64_t memory = 0;
  double learning_rate = 0;
};

elm_neuron_size elm_neuron_default_size(bool full);
elm_neuron_fit_size elm_neuron_fit_default_size(bool full);
elm_pathfinder_size elm_pathfinder_default_size(bool full);

// (b) alone: its rows, and neuron_fit.csv in o.out.
std::vector<row> elm_neuron_fit_rows(const options& o, const elm_neuron_fit_size& size);

// (b)'s check on the AUCs in order of d_m: the last beats the first by `margin`, no step loses more
// than `margin`, and the last step gains less than the first (false for fewer than 3).
bool rises_and_saturates(const std::vector<double>& auc, double margin);

// P(X >= k) for X ~ Binomial(n, 1/2), summed in logs: (c)'s p-value against chance.
double binomial_tail(std::uint32_t k, std::uint32_t n);

std::vector<row> run_elm_neuron(const options& o, const elm_neuron_size& size, const elm_neuron_fit_size& fit,
                                const elm_pathfinder_size& pathfinder);

}  // namespace neurite::repro
