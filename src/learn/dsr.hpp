#pragma once
// Differentiation on spike representation (DSR; Meng, Xiao, Yan, Wang, Lin & Luo, CVPR 2022), the
// training rule of the HLOP paper's spiking networks: the network runs its T steps of LIF
// dynamics forward, but the gradient is taken through the mapping from each layer's weighted
// input current to its weighted firing rate instead of backwards through time.
// With the reset by subtraction of learn/lif.hpp and V(0) = 0, the membrane after the last step is
//   V(T) = sum_t lambda^(T-t) (I(t) - V_th S(t)),  lambda = beta,
// so the weighted rate a = sum_t lambda^(T-t) S(t) / Lambda and current I = sum_t lambda^(T-t)
// I(t) / Lambda (Lambda = sum_t lambda^(T-t)) obey exactly
//   a = I / V_th - V(T) / (V_th Lambda),
// and DSR treats the residual as a constant and the rate as confined to [0, 1] per step:
//   a ~ g(I) = clamp(I / V_th, 0, 1),  da/dI = 1/V_th where 0 < I < V_th, else 0.
// The forward values stay the spiking network's: layer l's rate is the measured a_l, its
// gradient that of g at I_l = W_l a_{l-1} + b_l; the class scores are the last layer's weighted
// input current W_L a_{L-1} + b_L.
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/hlop.hpp"
#include "learn/lif_network.hpp"

namespace neurite::learn {

// x (T, batch, n) -> (batch, n): sum_t lambda^(T-1-t) x(t) / sum_t lambda^(T-1-t).
at::Tensor weighted_rate(const at::Tensor& x, double lambda);
// The rate mapping g(I) = clamp(I / V_th, 0, 1).
at::Tensor dsr_rate(const at::Tensor& current, double V_th);

// A feed-forward LIF network (no recurrence, fixed decays, plain LIF with reset by subtraction)
// trained by DSR; its parameters are the network's, in its order.
class dsr_network final : public classifier_model {
 public:
  explicit dsr_network(lif_network net);
  // inputs (T, batch, n_in) -> class scores (batch, classes), differentiable by DSR.
  at::Tensor forward(const at::Tensor& inputs) const override;
  const std::vector<at::Tensor>& parameters() const override { return net_.parameters(); }
  const lif_network& network() const { return net_; }

 private:
  lif_network net_;
};

// Every layer of a DSR-trained network for HLOP: the input weights, and the weighted rates
// (weighted_rate, lambda = beta) of the input and of each hidden layer's spikes, the presynaptic
// factor of DSR's weight gradient. The network must outlive the result.
projected_layers projected_layers_of(const dsr_network& net);

}  // namespace neurite::learn
