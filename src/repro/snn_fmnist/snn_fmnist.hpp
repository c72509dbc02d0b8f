#pragma once
// `neurite repro snn-fmnist`, the baseline of the gradient-trained models (not a paper): a
// two-layer LIF network trained with surrogate gradients on Poisson rate-coded Fashion-MNIST.
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct snn_fmnist_size {
  std::uint32_t train_samples = 0, test_samples = 0;  // the first ones of each split; 0: all
  std::int64_t hidden = 0;
  std::uint32_t steps = 0, epochs = 0;
  double target_accuracy = 0;  // the accuracy row matches at or above it
  double time_limit_s = 0;     // the time row matches at or below it
};

snn_fmnist_size snn_fmnist_default_size(bool full);

std::vector<row> run_snn_fmnist(const options& o, const snn_fmnist_size& size);

}  // namespace neurite::repro
