#pragma once
// Leaky integrate-and-fire neurons over T time steps, trained by backpropagation through time with
// surrogate gradients. For each neuron, with V(0) = 0 and input current I(t) (in units of V_th):
//   U(t) = beta V(t-1) + I(t)            membrane before reset, beta = exp(-dt / tau_m)
//   S(t) = step(U(t) - theta(t))         spike (1 at or above threshold)
//   V(t) = U(t) - V_th S(t)              reset by subtraction, or
//   V(t) = U(t) (1 - S(t))               reset to zero.
// The threshold is V_th, or for adaptive LIF (q_sfa != 0) it rises with each spike and decays back
// (spike-frequency adaptation, NEST's names):
//   theta(t) = V_th + q_sfa a(t-1),  a(t) = rho a(t-1) + S(t),  rho = exp(-dt / tau_sfa),  a(0) = 0.
// The step's derivative (zero almost everywhere) is replaced in the backward pass by a surrogate
// sigma'(x), x = U - theta, that peaks at 1 at threshold and narrows as the slope k grows:
//   fast sigmoid: 1 / (1 + k |x|)^2      (SuperSpike, Zenke & Ganguli 2018)
//   arctan:       1 / (1 + (k x)^2)
// The gradient flows through the reset too.
// Optional trained tensors per layer (lif_layer_tensors): recurrent weights V, so that
//   I(t) = I_in(t) + V S(t-1)            (S(-1) = 0; I_in(t) = W x(t) + b from the layer below),
// and per-neuron decays beta_i and rho_i in place of the shared ones (learnable time constants).
#include <ATen/core/Tensor.h>

namespace neurite::learn {

enum class reset_mode { subtract, to_zero };
enum class surrogate_shape { fast_sigmoid, arctan };

struct surrogate {
  surrogate_shape shape = surrogate_shape::fast_sigmoid;
  double slope = 10;  // k
  // The forward pass uses the surrogate's antiderivative (rising from 0 to 2/k or pi/k) instead of
  // the step, so that the backward pass is the exact gradient of the forward one; this is what
  // lets a finite-difference check test the whole backward pass.
  bool smooth = false;
};

struct lif_params {
  double tau_m = 10;  // membrane time constant [ms]
  double dt = 1;      // time step [ms]
  double V_th = 1;    // threshold, in the units of the input current
  reset_mode reset = reset_mode::subtract;
  surrogate spike;
  double q_sfa = 0;      // threshold jump per spike (0: plain LIF), in the units of V_th
  double tau_sfa = 100;  // time constant of the threshold's decay [ms]

  double beta() const;  // exp(-dt / tau_m)
  double rho() const;   // exp(-dt / tau_sfa)
};

// Both outputs have the shape of the currents, (T, batch, neurons).
struct lif_output {
  at::Tensor spikes;    // S(t)
  at::Tensor membrane;  // U(t), before reset
};

// A layer's trained tensors besides its input weights; each is optional (undefined: not used).
// For n neurons (the last dimension of the currents):
struct lif_layer_tensors {
  at::Tensor recurrent;  // V (n, n): neuron i receives sum_j V_ij S_j(t-1)
  at::Tensor beta;       // (n) membrane decay per neuron, in (0, 1); else lif_params::beta()
  at::Tensor rho;        // (n) threshold decay per neuron, in (0, 1); else lif_params::rho()
};

enum class lif_kernel {
  fused,     // one autograd node for all T steps: a hand-written loop forward and backward
  op_by_op,  // LibTorch operations step by step, differentiated by autograd (the reference)
};

lif_output lif(const at::Tensor& currents, const lif_params& p, lif_kernel kernel);
// With recurrence and/or per-neuron decays; gradients reach every defined tensor that requires them.
lif_output lif(const at::Tensor& currents, const lif_layer_tensors& trained, const lif_params& p, lif_kernel kernel);

}  // namespace neurite::learn
