#pragma once
// An astrocyte-modulated spiking recurrent layer (AM-SU, our formulation: docs/astro_snn.md),
// trained with surrogate gradients through time; with no astrocytes it is the plain spiking RNN
// it is compared with. Per step t, for H neurons and M astrocytes (dt = 1 step):
//   syn(t) = W x(t) + R S(t-1)                        synaptic input (S(-1) = 0)
//   I(t)   = (1 + tanh(G A(t-1))) * syn(t) + Q A(t-1) + b
//            the astrocytes scale the gain of their neurons' synapses (tripartite synapse) and add
//            a slow inward current (gliotransmission)
//   U(t)   = beta V(t-1) + I(t),  S(t) = step(U(t) - V_th),  V(t) = U(t) - V_th S(t)
//   A(t)   = kappa A(t-1) + (1 - kappa) P S(t)         slow calcium-like trace of each astrocyte,
//            driven by the spikes of the neurons it listens to (P, M x H)
// beta_i = sigmoid(w_i) per neuron and kappa_m = sigmoid(w'_m) per astrocyte are trained: the
// plain network may learn slow membranes too, so what the astrocytes add is their state and
// their modulation, not merely a longer time constant. kappa starts at exp(-1 / tau) with tau
// log-uniform in [tau_astro_min, tau_astro_max] steps. The readout is linear in the spikes,
// out(t) = Wo S(t) + bo, at every step (language models) or at the last one (recall tasks).
// The step's derivative is replaced by the fast-sigmoid surrogate 1 / (1 + k |x|)^2 (SuperSpike),
// written as step(x) + f(x) - f(x).detach() with f(x) = x / (1 + k |x|): the forward value is the
// step exactly, the gradient f'.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

struct astro_rnn_config {
  std::int64_t inputs = 1, hidden = 64, astrocytes = 16, outputs = 1;  // astrocytes = 0: plain spiking RNN
  double tau_m = 5;                  // initial membrane time constant [steps]
  double V_th = 1;
  double slope = 5;                  // surrogate slope k
  double input_scale = 1;            // input weights start uniform in +-input_scale
  double tau_astro_min = 10, tau_astro_max = 200;  // initial astrocyte time constants [steps]
  bool every_step = true;            // outputs (batch, T, outputs); else (batch, outputs) at the last step
};

class astro_rnn final : public classifier_model {
 public:
  astro_rnn(astro_rnn_config config, std::uint64_t seed);
  // inputs (T, batch, inputs) -> (batch, T, outputs) or (batch, outputs).
  at::Tensor forward(const at::Tensor& inputs) const override;
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const astro_rnn_config& config() const { return config_; }

  // Spikes (T, batch, H) and astrocyte traces (T, batch, M; undefined without astrocytes).
  struct trace {
    at::Tensor spikes, astro;
  };
  trace run(const at::Tensor& inputs) const;
  // The astrocytes' time constants -1 / ln kappa [steps] (empty without astrocytes).
  std::vector<double> astro_time_constants() const;

  // H (in + H + 2) + out (H + 1), plus M (3 H + 1) with astrocytes.
  static std::int64_t parameter_count_for(const astro_rnn_config& c);

 private:
  astro_rnn_config config_;
  std::vector<at::Tensor> parameters_;  // W, b, R, beta logits, Wo, bo, then P, G, Q, kappa logits
};

// The heaviside step with the fast-sigmoid surrogate gradient of slope k (see above).
at::Tensor surrogate_step(const at::Tensor& x, double k);

}  // namespace neurite::learn
