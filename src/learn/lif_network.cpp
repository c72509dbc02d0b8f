#include "learn/lif_network.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {

lif_network::lif_network(lif_network_config config, std::uint64_t seed) : config_(std::move(config)) {
  const auto& sizes = config_.sizes;
  if (sizes.size() < 2) throw std::invalid_argument("lif_network: sizes needs the inputs and at least one layer");
  for (const auto n : sizes)
    if (n < 1) throw std::invalid_argument("lif_network: every size must be positive");
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), static_cast<std::uint32_t>(l));
    const double bound = 1 / std::sqrt(static_cast<double>(sizes[l - 1]));
    parameters_.push_back(uniform_parameter({sizes[l], sizes[l - 1]}, bound, stream));
    parameters_.push_back(uniform_parameter({sizes[l]}, bound, stream));
  }
}

at::Tensor lif_network::forward(const at::Tensor& inputs) const {
  at::Tensor x = inputs;
  lif_output out;
  for (std::size_t w = 0; w < parameters_.size(); w += 2) {
    out = lif(at::linear(x, parameters_[w], parameters_[w + 1]), config_.neuron, config_.kernel);
    x = out.spikes;
  }
  return config_.read == readout::mean_membrane ? out.membrane.mean(0) : out.spikes.sum(0);
}

std::int64_t classifier_model::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace neurite::learn
