#pragma once
// The quantisation-clip-floor-shift activation of QCFS conversion (Bu et al., ICLR 2022) and an MLP
// built on it, the ANN that ann_to_snn turns into integrate-and-fire neurons:
//   h(x) = (lambda / L) clip(floor(x L / lambda + 1/2), 0, L),
// L quantisation levels and a trainable ceiling lambda per layer. floor has zero gradient almost
// everywhere, so training uses the straight-through estimate QCFS uses: floor's derivative taken as
// 1. Inside the ceiling (0 < h < lambda) that gives dh/dx = 1 and dh/dlambda = (h - x) / lambda;
// above it dh/dx = 0 and dh/dlambda = 1; below it both are 0.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

// h(x) with the straight-through gradient; lambda is a scalar tensor.
at::Tensor qcfs(const at::Tensor& x, const at::Tensor& lambda, std::int64_t levels);

struct qcfs_mlp_config {
  std::vector<std::int64_t> sizes{784, 256, 256, 10};  // inputs, hidden layers (QCFS), outputs (linear)
  std::int64_t levels = 8;                             // L
  double initial_lambda = 2.0;
};

class qcfs_mlp final : public classifier_model {
 public:
  // Weights as lif_network draws them (Philox stream of (seed, layer)); every lambda starts at
  // config.initial_lambda.
  qcfs_mlp(qcfs_mlp_config config, std::uint64_t seed);

  // inputs: (T, batch, sizes.front()), averaged over T (encoded_images with direct_current and
  // T = 1 gives the images themselves) -> class scores (batch, sizes.back()).
  at::Tensor forward(const at::Tensor& inputs) const override;
  // Weight and bias of each layer in turn, then the lambda of each hidden layer.
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const qcfs_mlp_config& config() const { return config_; }
  std::size_t layers() const { return config_.sizes.size() - 1; }
  const at::Tensor& weight(std::size_t layer) const { return parameters_[2 * layer]; }
  const at::Tensor& bias(std::size_t layer) const { return parameters_[2 * layer + 1]; }
  const at::Tensor& lambda(std::size_t hidden_layer) const { return parameters_[2 * layers() + hidden_layer]; }

 private:
  qcfs_mlp_config config_;
  std::vector<at::Tensor> parameters_;
};

}  // namespace neurite::learn
