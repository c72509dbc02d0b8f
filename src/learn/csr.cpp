#include "learn/csr.hpp"

#include <algorithm>
#include <stdexcept>

#include <ATen/ATen.h>

namespace neurite::learn {
namespace {

// The weight as a contiguous float (rows x cols) tensor.
at::Tensor as_matrix(const at::Tensor& weight) {
  if (weight.dim() != 2) throw std::invalid_argument("csr: a weight matrix must have two dimensions");
  return weight.detach().to(at::kFloat).contiguous();
}

}  // namespace

std::size_t csr_matrix::bytes() const {
  return row_start.size() * sizeof(std::uint32_t) + columns.size() * sizeof(std::uint32_t) +
         values.size() * sizeof(float);
}

csr_matrix to_csr(const at::Tensor& weight) {
  const at::Tensor w = as_matrix(weight);
  csr_matrix a{w.size(0), w.size(1), {0}, {}, {}};
  const float* p = w.data_ptr<float>();
  for (std::int64_t r = 0; r < a.rows; ++r) {
    for (std::int64_t c = 0; c < a.cols; ++c)
      if (const float v = p[r * a.cols + c]; v != 0.0f) {
        a.columns.push_back(static_cast<std::uint32_t>(c));
        a.values.push_back(v);
      }
    a.row_start.push_back(static_cast<std::uint32_t>(a.values.size()));
  }
  return a;
}

dense_matrix to_dense(const at::Tensor& weight) {
  const at::Tensor w = as_matrix(weight);
  const float* p = w.data_ptr<float>();
  return {w.size(0), w.size(1), std::vector<float>(p, p + w.numel())};
}

void multiply(const csr_matrix& a, std::span<const float> x, std::span<float> y) {
  for (std::int64_t r = 0; r < a.rows; ++r) {
    float sum = 0;
    for (std::uint32_t k = a.row_start[static_cast<std::size_t>(r)]; k < a.row_start[static_cast<std::size_t>(r) + 1]; ++k)
      sum += a.values[k] * x[a.columns[k]];
    y[static_cast<std::size_t>(r)] = sum;
  }
}

void multiply(const dense_matrix& a, std::span<const float> x, std::span<float> y) {
  const auto cols = static_cast<std::size_t>(a.cols);
  for (std::size_t r = 0; r < static_cast<std::size_t>(a.rows); ++r) {
    const float* row = a.values.data() + r * cols;
    // Eight partial sums, so that the compiler can vectorise the loop without reassociating it.
    float part[8] = {};
    std::size_t c = 0;
    for (; c + 8 <= cols; c += 8)
      for (std::size_t j = 0; j < 8; ++j) part[j] += row[c + j] * x[c + j];
    float sum = 0;
    for (; c < cols; ++c) sum += row[c] * x[c];
    for (const float p : part) sum += p;
    y[r] = sum;
  }
}

template <class Matrix>
relu_network<Matrix>::relu_network(std::vector<Matrix> layers) : layers_(std::move(layers)) {
  if (layers_.empty()) throw std::invalid_argument("relu_network: no layers");
  std::int64_t widest = layers_.front().cols;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    if (l > 0 && layers_[l].cols != layers_[l - 1].rows) throw std::invalid_argument("relu_network: layer sizes do not chain");
    widest = std::max(widest, layers_[l].rows);
  }
  a_.resize(static_cast<std::size_t>(widest));
  b_.resize(static_cast<std::size_t>(widest));
}

template <class Matrix>
void relu_network<Matrix>::scores(std::span<const float> input, std::span<float> scores) const {
  std::span<const float> in = input;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const auto rows = static_cast<std::size_t>(layers_[l].rows);
    const bool last = l + 1 == layers_.size();
    std::span<float> out = last ? scores.first(rows) : std::span<float>(l % 2 ? b_ : a_).first(rows);
    multiply(layers_[l], in, out);
    if (!last)
      for (float& v : out) v = std::max(v, 0.0f);
    in = out;
  }
}

template <class Matrix>
std::size_t relu_network<Matrix>::bytes() const {
  std::size_t n = 0;
  for (const auto& m : layers_) n += m.bytes();
  return n;
}

template class relu_network<csr_matrix>;
template class relu_network<dense_matrix>;

}  // namespace neurite::learn
