#pragma once
// A feed-forward network of LIF layers: each layer's input currents are a linear map of the layer
// below (the input encoding, then spikes), I = W x + b, computed for all T steps in one matrix
// product, and its neurons run through lif(). The class scores are read from the last layer.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/lif.hpp"

namespace neurite::learn {

enum class readout {
  mean_membrane,  // the membrane before reset, averaged over the T steps
  spike_count,    // the number of spikes in T steps
};

struct lif_network_config {
  std::vector<std::int64_t> sizes{784, 256, 10};  // inputs, hidden layers, outputs (one layer per entry after the first)
  lif_params neuron;
  readout read = readout::mean_membrane;
  lif_kernel kernel = lif_kernel::fused;
};

// Weight (out x in) and bias (out) of each layer of sizes (inputs first), uniform in
// +-1/sqrt(fan-in), drawn from the Philox stream of (seed, layer); they require gradients.
std::vector<at::Tensor> linear_layer_parameters(const std::vector<std::int64_t>& sizes, std::uint64_t seed);

class lif_network final : public classifier_model {
 public:
  // Weights and biases uniform in +-1/sqrt(fan-in), drawn from the Philox stream of (seed, layer).
  lif_network(lif_network_config config, std::uint64_t seed);

  // inputs: (T, batch, sizes.front()) -> class scores (batch, sizes.back()).
  at::Tensor forward(const at::Tensor& inputs) const override;
  // Weight (out x in) and bias (out) of each layer in turn; they require gradients.
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const lif_network_config& config() const { return config_; }

 private:
  lif_network_config config_;
  std::vector<at::Tensor> parameters_;
};

}  // namespace neurite::learn
