#pragma once
// Trained tensors drawn from the counter-based Philox stream, so that a model's initial weights
// are a function of its seed alone.
#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/rng.hpp"

namespace neurite::learn {

// Uniform in +-bound (PyTorch's default for a linear layer, bound = 1/sqrt(fan-in)); requires gradients.
at::Tensor uniform_parameter(std::vector<std::int64_t> shape, double bound, core::random_stream& stream,
                             at::ScalarType dtype = at::kFloat);

// A linear layer's weight (out x in) and bias (out), uniform in +-1/sqrt(in), drawn from the Philox
// stream of (seed, learn_weights, layer): the initialisation every model here shares.
std::vector<at::Tensor> linear_parameters(std::int64_t out, std::int64_t in, std::uint64_t seed, std::uint32_t layer,
                                          at::ScalarType dtype = at::kFloat);

// The size n >= 1 whose parameter count count(n), increasing in n, is nearest to target: how
// baselines are sized to match a model.
std::int64_t size_nearest(std::int64_t target, const std::function<std::int64_t(std::int64_t)>& count);

}  // namespace neurite::learn
