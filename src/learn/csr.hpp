#pragma once
// Sparse storage and inference for pruned networks: weight matrices in compressed sparse row form
// (the non-zeros of each row, their columns, and where each row starts), and a ReLU network
// without biases evaluated on them,
//   h_0 = x,  h_l = relu(W_l h_{l-1}),  scores = W_L h_{L-1},
// beside the same network on dense row-major matrices, so that a pruned network's storage and
// inference time can be set against its dense form's. Single-threaded, one sample at a time:
// the case where sparsity has to pay without batching.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <ATen/core/Tensor.h>

namespace neurite::learn {

struct csr_matrix {
  std::int64_t rows = 0, cols = 0;
  std::vector<std::uint32_t> row_start;  // rows + 1 offsets into columns and values
  std::vector<std::uint32_t> columns;
  std::vector<float> values;
  std::size_t bytes() const;  // of the three arrays
  std::int64_t nonzeros() const { return static_cast<std::int64_t>(values.size()); }
};

struct dense_matrix {
  std::int64_t rows = 0, cols = 0;
  std::vector<float> values;  // row-major
  std::size_t bytes() const { return values.size() * sizeof(float); }
};

// From a (rows x cols) tensor: the exact zeros are dropped.
csr_matrix to_csr(const at::Tensor& weight);
dense_matrix to_dense(const at::Tensor& weight);

// y = A x (y has A.rows elements, x A.cols).
void multiply(const csr_matrix& a, std::span<const float> x, std::span<float> y);
void multiply(const dense_matrix& a, std::span<const float> x, std::span<float> y);

// The ReLU network of the given layers, first to last, on one input.
template <class Matrix>
class relu_network {
 public:
  explicit relu_network(std::vector<Matrix> layers);
  // Class scores of one input (layers.front().cols values) into `scores` (layers.back().rows).
  void scores(std::span<const float> input, std::span<float> scores) const;
  std::size_t bytes() const;
  const std::vector<Matrix>& layers() const { return layers_; }

 private:
  std::vector<Matrix> layers_;
  mutable std::vector<float> a_, b_;  // activations between layers (not thread-safe)
};

using csr_network = relu_network<csr_matrix>;
using dense_network = relu_network<dense_matrix>;

}  // namespace neurite::learn
