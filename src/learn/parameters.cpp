#include "learn/parameters.hpp"

#include <cmath>
#include <cstdlib>

#include <ATen/ATen.h>

namespace neurite::learn {

at::Tensor uniform_parameter(std::vector<std::int64_t> shape, double bound, core::random_stream& stream,
                             at::ScalarType dtype) {
  at::Tensor t = at::empty(shape, at::kDouble);
  double* data = t.data_ptr<double>();
  for (std::int64_t i = 0; i < t.numel(); ++i) data[i] = bound * (2 * stream.uniform() - 1);
  return t.to(dtype).requires_grad_(true);
}

std::vector<at::Tensor> linear_parameters(std::int64_t out, std::int64_t in, std::uint64_t seed, std::uint32_t layer,
                                          at::ScalarType dtype) {
  core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), layer);
  const double bound = 1 / std::sqrt(static_cast<double>(in));
  at::Tensor weight = uniform_parameter({out, in}, bound, stream, dtype);
  return {weight, uniform_parameter({out}, bound, stream, dtype)};
}

std::int64_t size_nearest(std::int64_t target, const std::function<std::int64_t(std::int64_t)>& count) {
  std::int64_t best = 1;
  for (std::int64_t n = 2; count(n - 1) <= target; ++n)
    if (std::llabs(count(n) - target) < std::llabs(count(best) - target)) best = n;
  return best;
}

}  // namespace neurite::learn
