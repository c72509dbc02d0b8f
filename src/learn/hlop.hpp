#pragma once
// Hebbian learning based orthogonal projection (HLOP; Xiao, Meng, Zhang, He & Lin, ICLR 2024), as
// the official code does it (pkuxmq/HLOP-SNN, modules/hlop_module.py):
// - Each layer with inputs x in R^n has lateral neurons y = W x, W (k x n), that learn the
//   principal subspace of x by Oja's subspace rule, run beside training, `iterations` times on each
//   batch of B inputs:
//     y = W x,  delta = (1/B) sum_batch y_new (x - W^T y)^T  (clipped to +-clamp),
//     m <- momentum m + (1 - momentum) delta,  W_new <- W_new + eta m,
//   where y and the reconstruction W^T y use all rows, but only the rows added for the current
//   task (W_new) change: the rows of earlier tasks stay fixed.
// - After a task its rows are frozen; the frozen rows of all earlier tasks span the old subspace,
//   with an orthonormal basis Q (n x r). During later tasks every update of the layer's weight
//   (out x n) is projected orthogonally to it before the optimiser step:
//     dW <- dW - (dW Q) Q^T.
//   The projection acts on gradients only, so it holds for any rule that produces them
//   (backpropagation, surrogate-gradient BPTT through LIF layers: sum_t delta_t x_t^T projected is
//   sum_t delta_t (x_t - Q Q^T x_t)^T, the paper's projected presynaptic trace).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/training.hpp"
#include "learn/training_threads.hpp"

namespace neurite::learn {

class lif_network;

struct hebbian_options {
  double learning_rate = 0.01;  // eta (the repo: 0.001 for the input layer, 0.01 for hidden ones)
  int iterations = 5;           // per batch
  double momentum = 0.9;        // m <- momentum m + (1 - momentum) delta
  double clamp = 10;            // each delta clipped to +-clamp
};

// The lateral neurons of one layer with n inputs; weights in double precision.
class lateral_subspace {
 public:
  explicit lateral_subspace(std::int64_t inputs);
  // k new learning rows, orthonormal and orthogonal to the frozen ones, from the Philox stream of
  // (seed, id). Rows still learning are frozen first.
  void add_neurons(std::int64_t k, std::uint64_t seed, std::uint32_t id);
  // Oja's subspace rule on the learning rows for a batch x (B, n).
  void learn(const at::Tensor& x, const hebbian_options& o);
  // The learning rows join the frozen ones (and the momentum is cleared).
  void freeze();
  std::int64_t inputs() const { return inputs_; }
  std::int64_t frozen() const { return frozen_; }
  std::int64_t rows() const;
  const at::Tensor& weights() const { return w_; }  // (rows, n), frozen rows first
  // Orthonormal columns (n x r) spanning the frozen rows (r = their rank, singular values below
  // 1e-6 of the largest dropped); (n x 0) when none are frozen.
  at::Tensor frozen_basis() const;

 private:
  std::int64_t inputs_, frozen_ = 0;
  at::Tensor w_, momentum_;
};

// update (out x n) with its component in the span of basis (n x r, orthonormal columns) removed:
// update - (update basis) basis^T, in the update's precision.
at::Tensor project_out(const at::Tensor& update, const at::Tensor& basis);

// The top-k principal subspace of the rows of x (samples x n) without centring (what Oja's rule
// finds: the top eigenvectors of E[x x^T]), as k orthonormal rows (k x n).
at::Tensor top_singular_subspace(const at::Tensor& x, std::int64_t k);
// The same from the second-moment matrix c = x^T x (n x n) of the rows of x: its top-k
// eigenvectors as rows, so that the reference of every sample a layer saw needs no (samples x n) SVD.
at::Tensor top_eigen_subspace(const at::Tensor& second_moment, std::int64_t k);
// Cosines of the principal angles between the row spaces of a (k x n) and b (k' x n), largest
// first (min(rank) of them): the singular values of Qa^T Qb.
std::vector<double> principal_cosines(const at::Tensor& a, const at::Tensor& b);

// What HLOP needs of a model: the index in model.parameters() of each projected layer's weight
// (out x in), and each of those layers' input activity for a batch of the model's inputs, as
// (samples, in) tensors (for spiking layers, the firing rate over the T steps).
struct projected_layers {
  std::vector<std::size_t> weights;
  std::function<std::vector<at::Tensor>(const at::Tensor& inputs)> inputs;
};
// Every layer of a LIF network: the input weights (the biases and any recurrent weights train
// unprojected), the mean over T of the encoded input and of each hidden layer's spikes. The
// network must outlive the result.
projected_layers projected_layers_of(const lif_network& net);

// Lateral neurons to add per layer before a task: `first` before task 0, then `increment` less
// `reduction` for every `every` tasks done (the repo's PMNIST schedule: [80, 200, 100], then 70
// each, 20 fewer every 3 tasks).
struct lateral_schedule {
  std::vector<std::int64_t> first, increment, reduction;
  std::size_t every = 3;
  std::vector<std::int64_t> neurons(std::size_t task) const;
};

// HLOP for one model over a sequence of tasks.
class hlop {
 public:
  // One hebbian_options per projected layer.
  hlop(const classifier_model& model, projected_layers layers, std::vector<hebbian_options> hebbian,
       std::uint64_t seed);
  // Adds the schedule's lateral neurons for this task.
  void begin_task(const std::vector<std::int64_t>& neurons);
  // Hebbian learning on a batch of the model's inputs (no gradients).
  void learn(const at::Tensor& inputs);
  // Hebbian learning alone, the model fixed: `epochs` passes over `train` in its order, in batches
  // of `batch`, run at the end of a task before end_task(). Not in the repository (ours): with its
  // step sizes one epoch of Oja's rule is ~2-3 e-folds for the k-th eigendirection
  // (eta lambda_k N), far from converged, and the hidden layers' activity drifts while the weights
  // train; on the final, fixed activity the rule converges to the principal subspace of what the
  // projection must protect (docs/hlop.md).
  void consolidate(const labelled_dataset& train, std::uint32_t epochs, std::uint32_t batch);
  // Freezes this task's lateral neurons and makes the projection bases of the old subspaces.
  void end_task();
  // Projects each projected layer's weight gradient orthogonally to its old subspace.
  void project(std::vector<at::Tensor>& gradients) const;
  // The hooks that run HLOP inside train_classifier on `train`: Hebbian learning after each batch,
  // projection before each optimiser step. They refer to this object and to `train`. Use them with
  // optimizer_kind::sgd: an optimiser that rescales each element (Adam) undoes the orthogonality.
  training_hooks hooks(const labelled_dataset& train);

  const lateral_subspace& layer(std::size_t l) const { return subspaces_.at(l); }
  std::size_t layers() const { return subspaces_.size(); }
  const projected_layers& projected() const { return layers_; }

 private:
  // Held from construction: LibTorch and BLAS single-threaded on the calling thread, where the
  // Hebbian, QR and SVD arithmetic runs, so that its round-off is the same in any run.
  training_threads one_thread_{1};
  projected_layers layers_;
  std::vector<hebbian_options> hebbian_;
  std::uint64_t seed_;
  std::uint32_t task_ = 0;
  std::vector<lateral_subspace> subspaces_;
  std::vector<at::Tensor> bases_;  // frozen_basis() of each layer, in the weights' dtype
};

}  // namespace neurite::learn
