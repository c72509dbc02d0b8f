#include "learn/rate_mlp.hpp"

#include <stdexcept>

#include <ATen/ATen.h>

#include "learn/lif_network.hpp"

namespace neurite::learn {

rate_mlp::rate_mlp(std::vector<std::int64_t> sizes, std::uint64_t seed, double input_mean, double input_std)
    : sizes_(std::move(sizes)), input_mean_(input_mean), input_std_(input_std) {
  if (!(input_std > 0)) throw std::invalid_argument("rate_mlp: input_std must be positive");
  const auto drawn = linear_layer_parameters(sizes_, seed);  // weight, bias of each layer
  for (std::size_t i = 0; i < drawn.size(); i += 2) weights_.push_back(drawn[i]);
}

std::vector<at::Tensor> rate_mlp::layer_inputs(const at::Tensor& inputs) const {
  std::vector<at::Tensor> h{(inputs.mean(0) - input_mean_) / input_std_};
  for (std::size_t l = 0; l + 1 < weights_.size(); ++l) h.push_back(at::relu(at::matmul(h.back(), weights_[l].t())));
  return h;
}

at::Tensor rate_mlp::forward(const at::Tensor& inputs) const {
  return at::matmul(layer_inputs(inputs).back(), weights_.back().t());
}

projected_layers projected_layers_of(const rate_mlp& net) {
  projected_layers p;
  for (std::size_t l = 0; l < net.parameters().size(); ++l) p.weights.push_back(l);
  p.inputs = [&net](const at::Tensor& inputs) { return net.layer_inputs(inputs); };
  return p;
}

}  // namespace neurite::learn
