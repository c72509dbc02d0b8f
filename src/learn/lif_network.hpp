#pragma once
// A network of LIF layers: each layer's input currents are a linear map of the layer below (the
// input encoding, then spikes), I = W x + b, computed for all T steps at once (with the fused
// kernel, event by event where x holds spikes: learn/spike_linear.hpp), and its neurons run
// through lif(). Hidden layers may be recurrent (I(t) += V S(t-1)), and the time
// constants may be trained per neuron. The class scores are read from the last layer.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/lif.hpp"

namespace neurite::learn {

enum class readout {
  mean_membrane,  // the membrane before reset, averaged over the T steps
  spike_count,    // the number of spikes in T steps
  max_membrane,   // the largest membrane before reset over the T steps
};

// Class scores from a layer's output, (T, batch, n) -> (batch, n).
at::Tensor read_out(const lif_output& layer, readout read);

struct lif_network_config {
  std::vector<std::int64_t> sizes{784, 256, 10};  // inputs, hidden layers, outputs (one layer per entry after the first)
  lif_params neuron;
  readout read = readout::mean_membrane;
  lif_kernel kernel = lif_kernel::fused;
  bool recurrent = false;  // hidden layers get recurrent weights V (the output layer stays feed-forward)
  // Per-neuron decays trained, beta_i = sigmoid(w_i) (and rho_i = sigmoid(w'_i) for adaptive LIF):
  // every real w gives a decay in (0, 1), i.e. a finite positive tau = -dt / ln beta; w starts at
  // logit(exp(-dt / tau)) of the configured tau.
  bool learn_tau = false;
};

// Weight (out x in) and bias (out) of each layer of sizes (inputs first), uniform in
// +-1/sqrt(fan-in), drawn from the Philox stream of (seed, layer); they require gradients.
std::vector<at::Tensor> linear_layer_parameters(const std::vector<std::int64_t>& sizes, std::uint64_t seed);

class lif_network final : public classifier_model {
 public:
  // Weights and biases uniform in +-1/sqrt(fan-in), drawn from the Philox stream of (seed, layer);
  // recurrent weights uniform in +-1/sqrt(neurons) from a stream of their own.
  lif_network(lif_network_config config, std::uint64_t seed);

  // inputs: (T, batch, sizes.front()) -> class scores (batch, sizes.back()).
  at::Tensor forward(const at::Tensor& inputs) const override;
  // The output of every layer, first to last.
  std::vector<lif_output> layer_outputs(const at::Tensor& inputs) const;
  // Weight (out x in) and bias (out) of each layer in turn, then each layer's recurrent weights and
  // decay logits (w above) where configured; they require gradients.
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const lif_network_config& config() const { return config_; }
  std::size_t layers() const { return config_.sizes.size() - 1; }
  // Layer l's recurrent weights and per-neuron decays (sigmoid of the logits), undefined where
  // the configuration has none.
  lif_layer_tensors trained(std::size_t layer) const;

 private:
  // Positions in parameters_ of a layer's optional tensors (none: absent).
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  struct optional_tensors {
    std::size_t recurrent = none, beta_logit = none, rho_logit = none;
  };
  std::size_t add_parameter(const at::Tensor& t);

  lif_network_config config_;
  std::vector<at::Tensor> parameters_;
  std::vector<optional_tensors> optional_;
};

}  // namespace neurite::learn
