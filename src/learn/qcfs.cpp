#include "learn/qcfs.hpp"

#include <stdexcept>

#include <ATen/ATen.h>

#include "learn/lif_network.hpp"

namespace neurite::learn {

at::Tensor qcfs(const at::Tensor& x, const at::Tensor& lambda, std::int64_t levels) {
  const double L = static_cast<double>(levels);
  const at::Tensor u = x * L / lambda + 0.5;
  const at::Tensor floored = u + (at::floor(u) - u).detach();  // forward: floor(u); backward: identity
  return lambda * at::clamp(floored / L, 0.0, 1.0);
}

qcfs_mlp::qcfs_mlp(qcfs_mlp_config config, std::uint64_t seed) : config_(std::move(config)) {
  if (config_.levels < 1) throw std::invalid_argument("qcfs_mlp: levels must be positive");
  if (config_.initial_lambda <= 0) throw std::invalid_argument("qcfs_mlp: initial_lambda must be positive");
  parameters_ = linear_layer_parameters(config_.sizes, seed);
  for (std::size_t l = 0; l + 1 < layers(); ++l)
    parameters_.push_back(at::full({}, config_.initial_lambda, at::kFloat).requires_grad_(true));
}

at::Tensor qcfs_mlp::forward(const at::Tensor& inputs) const {
  at::Tensor x = inputs.mean(0);
  for (std::size_t l = 0; l < layers(); ++l) {
    x = at::linear(x, weight(l), bias(l));
    if (l + 1 < layers()) x = qcfs(x, lambda(l), config_.levels);
  }
  return x;
}

}  // namespace neurite::learn
