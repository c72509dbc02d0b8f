#include "learn/parameters.hpp"

#include <ATen/ATen.h>

namespace neurite::learn {

at::Tensor uniform_parameter(std::vector<std::int64_t> shape, double bound, core::random_stream& stream,
                             at::ScalarType dtype) {
  at::Tensor t = at::empty(shape, at::kDouble);
  double* data = t.data_ptr<double>();
  for (std::int64_t i = 0; i < t.numel(); ++i) data[i] = bound * (2 * stream.uniform() - 1);
  return t.to(dtype).requires_grad_(true);
}

}  // namespace neurite::learn
