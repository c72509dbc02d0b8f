#pragma once
// The Expressive Leaky Memory neuron, v1 (Spieler et al., ICLR 2024; docs/elm.md), as a layer over
// time-major input x (T, batch, inputs). Per step, with kappa = exp(-dt / tau):
//   s_t  = kappa_s s_{t-1} + w_s x_t                  synapse traces, w_s = ReLU(parameter)
//   I_t  = sum of s_t over the synapses of a branch   (Branch-ELM; plain ELM: one synapse per branch, I = s)
//   Dm_t = 1.7159 tanh(2/3 MLP([I_t, kappa_m m_{t-1}]))   one hidden layer of width 2 d_m
//   m_t  = kappa_m m_{t-1} + lambda (1 - kappa_m) Dm_t
//   y_t  = W_y m_t + b_y
// Branch routing: branch b reads a window of `synapses_per_branch` consecutive inputs, the windows
// spread evenly (overlapping where branches x synapses exceeds the inputs) from the first input to
// the last. tau_s is one value for all synapses, so the branch sums are traced instead of each
// synapse: I_t = kappa_s I_{t-1} + sum over the branch of w_s x_t, the same numbers in fewer operations.
#include <cstdint>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

enum class elm_activation { relu, silu };

struct elm_config {
  std::int64_t inputs = 28, outputs = 19;
  std::int64_t memory = 100;              // d_m
  std::int64_t branches = 0;              // d_br; 0: one per input (plain ELM)
  std::int64_t synapses_per_branch = 1;   // k
  std::int64_t mlp_hidden = 0;            // 0: 2 d_m
  elm_activation activation = elm_activation::relu;
  double tau_s = 5, tau_m_min = 1, tau_m_max = 1000;  // [time steps of dt]
  double dt = 1, lambda = 5, w_s_init = 0.5;
  bool learn_tau_m = false;  // tau_m = tau_min + (tau_max - tau_min) sigmoid(parameter)
};

class elm_model final : public classifier_model {
 public:
  // MLP and readout weights uniform in +-1/sqrt(fan-in) from the Philox stream of (seed, layer);
  // tau_m log-spaced from tau_m_min to tau_m_max over the d_m memory units.
  elm_model(const elm_config& config, std::uint64_t seed, at::ScalarType dtype = at::kFloat);

  // Class scores: y at the last step, (batch, outputs).
  at::Tensor forward(const at::Tensor& inputs) const override;
  // y at every step, (T, batch, outputs): per-step targets (neuron fitting) read this.
  at::Tensor forward_steps(const at::Tensor& inputs) const;
  // m at every step, (T, batch, d_m), from m_0 = initial_memory (zeros when undefined).
  at::Tensor memory(const at::Tensor& inputs, const at::Tensor& initial_memory = {}) const;

  // w_s, MLP hidden weight and bias, MLP output weight and bias, W_y, b_y[, tau_m parameter].
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const elm_config& config() const { return config_; }
  at::Tensor kappa_m() const;  // (d_m)
  double kappa_s() const;

 private:
  at::Tensor branch_currents(const at::Tensor& inputs) const;  // I_t, (T, batch, branches)

  elm_config config_;
  std::vector<at::Tensor> parameters_;
  at::Tensor routing_;  // input index of each synapse, branch-major; undefined when synapse i reads input i
  at::Tensor tau_m_;    // fixed tau_m (d_m), or undefined when learnt
};

}  // namespace neurite::learn
