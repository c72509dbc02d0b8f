#pragma once
// A rate-based network: ReLU layers without biases, the last layer linear (the class scores),
//   h_0 = (mean_t x(t) - input_mean) / input_std,  h_l = relu(W_l h_{l-1}),  scores = W_L h_{L-1}.
// The network of the permuted-MNIST continual-learning benchmarks, where biases would be shared
// by all tasks and escape a projection of the weights.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/hlop.hpp"

namespace neurite::learn {

class rate_mlp final : public classifier_model {
 public:
  // sizes: inputs, hidden layers, outputs. Weights as every model here draws them (uniform in
  // +-1/sqrt(fan-in) from the Philox stream of (seed, layer)).
  // input_mean and input_std normalise the inputs (the permuted-MNIST benchmarks use the data set's).
  rate_mlp(std::vector<std::int64_t> sizes, std::uint64_t seed, double input_mean = 0, double input_std = 1);

  // inputs: (T, batch, sizes.front()), averaged over T -> class scores (batch, sizes.back()).
  at::Tensor forward(const at::Tensor& inputs) const override;
  // The input of every layer, (batch, n_l), first to last (the first normalised).
  std::vector<at::Tensor> layer_inputs(const at::Tensor& inputs) const;
  // The weight (out x in) of each layer in turn.
  const std::vector<at::Tensor>& parameters() const override { return weights_; }
  const std::vector<std::int64_t>& sizes() const { return sizes_; }

 private:
  std::vector<std::int64_t> sizes_;
  double input_mean_, input_std_;
  std::vector<at::Tensor> weights_;
};

// Every layer of a rate_mlp for HLOP; the network must outlive the result.
projected_layers projected_layers_of(const rate_mlp& net);

}  // namespace neurite::learn
