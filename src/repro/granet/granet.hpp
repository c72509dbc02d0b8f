#pragma once
// `neurite repro granet`: GraNet, gradual magnitude pruning with zero-cost neuroregeneration (Liu
// et al., NeurIPS 2021, paper 22), on LeNet-300-100 (784-300-100-10, no biases) and Fashion-MNIST,
// against dense training, GMP, RigL from an ERK mask and a static ERK mask (learn/sparsity.hpp),
// trained by SGD with Nesterov momentum as the paper's repository does. The sparse network is then
// stored in CSR form (learn/csr.hpp) and its storage and inference time set against the dense
// form's; and the LIF classifier of snn-fmnist is pruned on the same schedule. Rows: the paper's
// orderings (GraNet >= RigL, >= static ERK + 1 point, >= GMP - 0.3 point), the sparse storage,
// the spiking network's accuracy against sparsity. CSV files: accuracy.csv (per method, sparsity,
// seed and epoch), events.csv (each pruning and regeneration event), layers.csv (non-zeros per
// layer), inference.csv, snn.csv, and plasticity.csv for --full's pruning-plasticity sweep.
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct granet_size {
  std::uint32_t train_images = 0, test_images = 0;  // the first ones of each split (0: all)
  std::uint32_t epochs = 10, batch = 128;
  std::uint32_t prune_epochs = 5;          // the sparsity rises over epochs [0, prune_epochs)
  std::int64_t interval = 100;             // Delta T (iterations)
  double learning_rate = 0.1, weight_decay = 5e-4;
  std::vector<double> sparsities{0.98};
  std::uint32_t seeds = 1;                 // seed, seed + 1, ...
  bool sparse_start = false;               // GraNet from s_i = 0.5 (ERK) too
  std::vector<std::uint32_t> plasticity_epochs;  // one-shot pruning at the end of these epochs (empty: no sweep)
  // The LIF classifier of snn-fmnist (784-512-10, Poisson rates, 25 steps, Adam), pruned by GraNet.
  std::uint32_t snn_train_images = 0, snn_epochs = 0;  // 0 epochs: not run
  std::vector<double> snn_sparsities{0, 0.9, 0.98};
};

granet_size granet_default_size(bool full);
std::vector<row> run_granet(const options& o, const granet_size& size);

}  // namespace neurite::repro
