#pragma once
// ANN-to-SNN conversion of a qcfs_mlp (QCFS, Bu et al. 2022): every hidden layer becomes
// integrate-and-fire neurons without leak, threshold theta = that layer's lambda, membrane starting
// at theta / 2, reset by subtraction; a spike carries theta to the next layer, so the rate times
// theta approximates h(x) (exactly, for constant input and L = T steps). The weights and biases are
// copied; each bias is added at every step, the images enter as a constant current every step, and
// the output layer only accumulates its input. Per step t, for hidden layer l:
//   v_l += I_l(t);  s_l = [v_l >= theta_l];  v_l -= theta_l s_l;  I_{l+1}(t) = W_{l+1} (theta_l s_l) + b_{l+1}
// and the output is O_t = sum_{tau <= t} I_out(tau).
// The state is in double: BLAS sums a row in an order that depends on the batch size, and in float
// that flipped spikes when a batch shrank as samples stopped; in double the sums differ by ~1e-16.
// A sample may stop early (an exit_rule, such as Dynamic Confidence): it is then removed from the
// batch, no longer simulated, and its O held at its exit value.
#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/qcfs.hpp"

namespace neurite::learn {

// O_t of the still running samples, (active, classes) -> which of them stop now, (active) bool.
using exit_rule = std::function<at::Tensor(const at::Tensor& accumulated_output)>;

struct if_run {
  at::Tensor outputs;    // (T, batch, classes), double: O_t, held at its last value after the sample's exit
  at::Tensor exit_step;  // (batch) int64: steps simulated, 1 .. T
  std::vector<double> spikes;  // per hidden layer, summed over samples and steps
  double synaptic_ops = 0;     // spikes x fan-out (the next layer's size), summed over hidden layers
  double input_macs = 0;       // the first layer's multiply-accumulates of the analog input, per simulated step
};

class if_network {
 public:
  explicit if_network(const qcfs_mlp& ann);

  // images: (batch, inputs) as the ANN sees them. Runs `steps` steps, or until `stop` says so for a
  // sample (never, when not given).
  if_run run(const at::Tensor& images, std::uint32_t steps, const exit_rule& stop = {}) const;
  // The same over a whole set, in batches of batch_size shared by `threads` workers; the result does
  // not depend on the thread count.
  if_run run(const at::Tensor& images, std::uint32_t steps, const exit_rule& stop, std::int64_t batch_size,
             int threads) const;

  std::int64_t hidden_neurons() const;

 private:
  std::vector<at::Tensor> weights_, biases_;
  std::vector<double> thresholds_;  // one per hidden layer
};

}  // namespace neurite::learn
