#pragma once
// Trained tensors drawn from the counter-based Philox stream, so that a model's initial weights
// are a function of its seed alone.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/rng.hpp"

namespace neurite::learn {

// Uniform in +-bound (PyTorch's default for a linear layer, bound = 1/sqrt(fan-in)); requires gradients.
at::Tensor uniform_parameter(std::vector<std::int64_t> shape, double bound, core::random_stream& stream,
                             at::ScalarType dtype = at::kFloat);

}  // namespace neurite::learn
