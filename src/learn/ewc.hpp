#pragma once
// Elastic weight consolidation (Kirkpatrick et al., PNAS 2017), the baseline HLOP is compared
// with, in its online form: after each task the diagonal Fisher information F of the parameters
// on that task's training data joins a running mean over the tasks (a sum would grow with each
// task, and SGD at rate r diverges once r lambda F_i passes 2) and the parameters theta* are kept;
// during later tasks each gradient gets lambda F (theta - theta*) added, the gradient of the
// penalty (lambda / 2) sum_i F_i (theta_i - theta*_i)^2. F is estimated as the continual-learning
// codebases do, from squared gradients of the mean cross-entropy of batches of B samples:
//   F = (B / N) sum_batches g_b^2.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/training.hpp"

namespace neurite::learn {

class ewc {
 public:
  ewc(const classifier_model& model, double lambda);
  // Adds the Fisher information on `train` (the training encoding of epoch 1) to the mean, keeps theta*.
  void end_task(const labelled_dataset& train, std::uint32_t batch);
  // gradient_i += lambda F_i (theta_i - theta*_i), once a task is done.
  void penalise(std::vector<at::Tensor>& gradients) const;
  training_hooks hooks();
  const std::vector<at::Tensor>& fisher() const { return fisher_; }

 private:
  const classifier_model& model_;
  double lambda_;
  std::vector<at::Tensor> fisher_, anchor_;  // empty until a task is done
  int tasks_ = 0;
};

}  // namespace neurite::learn
