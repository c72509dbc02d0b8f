#pragma once
// `neurite repro elm-neuron`: the Expressive Leaky Memory neuron (Spieler et al., ICLR 2024,
// paper 24). Rows: the parameter counts of the repository's Branch-ELM NeuronIO models, counted
// from our constructed models; the decay and steady-state identities of the memory; and
// Fashion-MNIST-Adding (two images row by row, 56 steps, label = sum of the classes, 19 classes):
// ELM against an LSTM and a recurrent LIF network of the same parameter count, and the
// tau_m_max = 1 ablation. The synthetic neuron-fitting task and the 32x32 Pathfinder task are rows
// marked n/a until their data sets exist.
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

elm_neuron_size elm_neuron_default_size(bool full);

std::vector<row> run_elm_neuron(const options& o, const elm_neuron_size& size);

}  // namespace neurite::repro
