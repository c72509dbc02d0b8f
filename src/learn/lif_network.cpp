#include "learn/lif_network.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"
#include "learn/spike_linear.hpp"

namespace neurite::learn {
namespace {

constexpr std::uint64_t recurrent_weight_stream = 1;

at::Tensor decay_logit(std::int64_t n, double decay) {
  return at::full({n}, std::log(decay / (1 - decay)), at::kFloat).requires_grad_(true);
}

at::Tensor sigmoid_or_undefined(const std::vector<at::Tensor>& all, std::size_t i, std::size_t none) {
  return i == none ? at::Tensor() : at::sigmoid(all[i]);
}

}  // namespace

at::Tensor read_out(const lif_output& layer, readout read) {
  switch (read) {
    case readout::mean_membrane: return layer.membrane.mean(0);
    case readout::spike_count: return layer.spikes.sum(0);
    case readout::max_membrane: return std::get<0>(layer.membrane.max(0));
  }
  throw std::invalid_argument("read_out: unknown readout");
}

std::size_t lif_network::add_parameter(const at::Tensor& t) {
  parameters_.push_back(t);
  return parameters_.size() - 1;
}

std::vector<at::Tensor> linear_layer_parameters(const std::vector<std::int64_t>& sizes, std::uint64_t seed) {
  if (sizes.size() < 2) throw std::invalid_argument("network sizes need the inputs and at least one layer");
  for (const auto n : sizes)
    if (n < 1) throw std::invalid_argument("network sizes must be positive");
  std::vector<at::Tensor> parameters;
  for (std::size_t l = 1; l < sizes.size(); ++l)
    for (auto& p : linear_parameters(sizes[l], sizes[l - 1], seed, static_cast<std::uint32_t>(l))) parameters.push_back(p);
  return parameters;
}

lif_network::lif_network(lif_network_config config, std::uint64_t seed)
    : config_(std::move(config)), parameters_(linear_layer_parameters(config_.sizes, seed)) {
  const auto& sizes = config_.sizes;
  const auto& neuron = config_.neuron;
  optional_.resize(layers());
  for (std::size_t l = 0; l < layers(); ++l) {
    const std::int64_t n = sizes[l + 1];
    if (config_.recurrent && l + 1 < layers()) {
      // Step 1 of the layer's weight stream: a counter the input weights (step 0) never reach.
      core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights),
                                 static_cast<std::uint32_t>(l + 1), recurrent_weight_stream);
      optional_[l].recurrent = add_parameter(uniform_parameter({n, n}, 1 / std::sqrt(static_cast<double>(n)), stream));
    }
    if (config_.learn_tau) optional_[l].beta_logit = add_parameter(decay_logit(n, neuron.beta()));
    if (config_.learn_tau && neuron.q_sfa != 0) optional_[l].rho_logit = add_parameter(decay_logit(n, neuron.rho()));
  }
}

lif_layer_tensors lif_network::trained(std::size_t layer) const {
  const auto& o = optional_.at(layer);
  return {o.recurrent == none ? at::Tensor() : parameters_[o.recurrent],
          sigmoid_or_undefined(parameters_, o.beta_logit, none), sigmoid_or_undefined(parameters_, o.rho_logit, none)};
}

std::vector<lif_output> lif_network::layer_outputs(const at::Tensor& inputs) const {
  std::vector<lif_output> out;
  at::Tensor x = inputs;
  for (std::size_t l = 0; l < layers(); ++l) {
    const at::Tensor &w = parameters_[2 * l], &b = parameters_[2 * l + 1];
    const at::Tensor currents = config_.kernel == lif_kernel::fused ? spike_linear(x, w, b) : at::linear(x, w, b);
    out.push_back(lif(currents, trained(l), config_.neuron, config_.kernel));
    x = out.back().spikes;
  }
  return out;
}

at::Tensor lif_network::forward(const at::Tensor& inputs) const {
  return read_out(layer_outputs(inputs).back(), config_.read);
}

std::int64_t classifier_model::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace neurite::learn
