#pragma once
// A continuous-time rate RNN trained by BPTT, and the measures of rich and lazy learning of Liu et
// al. (ICLR 2024, paper 8). The network, no biases, u_0 = 0:
//   u_t = (1 - alpha) u_{t-1} + alpha (W_rec phi(u_{t-1}) + W_in x_t),  r_t = phi(u_t) = relu(u_t),
//   y_t = W_out r_t.
// With alpha = 1 (the paper's tasks: dt = tau = 100 ms) this is r_t = relu(W_in x_t + W_rec r_{t-1}),
// the authors' CTRNN step for step. Inputs are time-major, (T, batch, inputs).
//
// Rank-r initialisations are truncated SVDs of one Gaussian W0 = gain randn / sqrt(N), rescaled to
// W0's Frobenius norm, so that every rank starts with the same weight norm.
#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

struct ctrnn_config {
  std::int64_t inputs = 3, hidden = 100, outputs = 3;
  double alpha = 1;  // dt / tau
};

struct ctrnn_trace {
  at::Tensor outputs;  // y: (T, batch, outputs)
  at::Tensor rates;    // r = phi(u): (T, batch, hidden)
};

class ctrnn {
 public:
  // W_rec as given (N x N, its dtype is the network's), copied; W_in and W_out Kaiming-uniform in
  // +-1/sqrt(fan-in) (PyTorch's nn.Linear default) from the Philox streams (seed, learn_weights, 0 and 2).
  ctrnn(const ctrnn_config& c, const at::Tensor& recurrent, std::uint64_t seed);

  ctrnn_trace run(const at::Tensor& inputs) const;
  // The same with one copy of W_rec per trial, (batch, N, N): a gradient w.r.t. it is per trial.
  ctrnn_trace run_per_trial(const at::Tensor& inputs, const at::Tensor& recurrent_per_trial) const;

  const ctrnn_config& config() const { return config_; }
  const std::vector<at::Tensor>& parameters() const { return parameters_; }  // W_in, W_rec, W_out
  const at::Tensor& recurrent() const { return parameters_[1]; }

 private:
  ctrnn_config config_;
  std::vector<at::Tensor> parameters_;
};

// sd * randn(rows, cols) in double, from the Philox stream (seed, learn_weights, layer).
at::Tensor gaussian_matrix(std::int64_t rows, std::int64_t cols, double sd, std::uint64_t seed, std::uint32_t layer);
// W0 = gain * randn(n, n) / sqrt(n): gaussian_matrix of layer 1.
at::Tensor gaussian_recurrent(std::int64_t n, double gain, std::uint64_t seed);
// U_r S_r V_r^T of w0's SVD, rescaled to ||w0||_F (rank in 1..n).
at::Tensor truncated_rank(const at::Tensor& w0, std::int64_t rank);
// Roy & Vetterli's effective rank: exp of the entropy of the singular values normalised to sum 1.
double effective_rank(const at::Tensor& w);

// The tangent kernel w.r.t. W_rec only: rows of J are dy_{t,b,k}/dW_rec flattened (N*N), in the
// order (t, b, k) with k fastest, over every step or the last step only; K = J J^T.
enum class kernel_steps { every, last };
at::Tensor recurrent_jacobian(const ctrnn& net, const at::Tensor& inputs, kernel_steps steps);
at::Tensor tangent_kernel(const ctrnn& net, const at::Tensor& inputs, kernel_steps steps);
// <a, b>_F / (||a||_F ||b||_F): kernel alignment and, on Gram matrices, representation alignment.
double alignment(const at::Tensor& a, const at::Tensor& b);
// The uncentred Gram matrix r r^T of rows r (batch, features).
at::Tensor gram(const at::Tensor& rows);
// The fraction of entries with the same sign in a and b (relu rates: active or silent in both).
double sign_similarity(const at::Tensor& a, const at::Tensor& b);

// Where a sequence task's cross-entropy is taken: every step (labels (T, batch)) or the last step
// only (labels (batch)).
enum class loss_steps { every, last };

// SGD with momentum (PyTorch's: v <- mu v + g, p <- p - lr v), constant rate, one fresh batch per
// iteration. Each batch is cut into micro-batches of `micro_batch` trials shared by `threads`
// workers, their gradients summed in micro-batch order: the same numbers for any thread count.
struct sgd_options {
  std::uint32_t iterations = 1000, micro_batch = 16;
  double learning_rate = 0.003, momentum = 0.9;
  int threads = 1;
  loss_steps loss = loss_steps::every;
  std::uint32_t record_every = 100;  // iterations per point of the loss curve
};

// Batch `iteration` of the training stream.
using batch_source = std::function<labelled_batch(std::uint64_t iteration)>;

// The mean training loss over each record_every iterations (the last one over what is left).
std::vector<double> train_ctrnn(ctrnn& net, const batch_source& batches, const sgd_options& o);

// The mean cross-entropy and the fraction of right argmax at the decision: the last step.
struct decision_score {
  double loss = 0, accuracy = 0;
};
decision_score score_decisions(const ctrnn& net, const labelled_batch& data, loss_steps loss);

}  // namespace neurite::learn
