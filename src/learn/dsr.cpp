#include "learn/dsr.hpp"

#include <stdexcept>

#include <ATen/ATen.h>

namespace neurite::learn {

at::Tensor weighted_rate(const at::Tensor& x, double lambda) {
  const auto steps = x.size(0);
  // Weights lambda^(T-1-t), the last step's 1, normalised to sum to one.
  const at::Tensor w = at::pow(at::full({steps}, lambda, x.options()), at::arange(steps - 1, -1, -1, x.options()));
  return at::tensordot(w / w.sum(), x, {0}, {0});
}

at::Tensor dsr_rate(const at::Tensor& current, double V_th) { return at::clamp(current / V_th, 0.0, 1.0); }

dsr_network::dsr_network(lif_network net) : net_(std::move(net)) {
  const auto& c = net_.config();
  if (c.recurrent || c.learn_tau || c.neuron.q_sfa != 0 || c.neuron.reset != reset_mode::subtract)
    throw std::invalid_argument(
        "dsr_network: needs a feed-forward LIF network with fixed decays, no adaptation, reset by subtraction");
}

at::Tensor dsr_network::forward(const at::Tensor& inputs) const {
  const double lambda = net_.config().neuron.beta(), V_th = net_.config().neuron.V_th;
  std::vector<lif_output> spiking;
  {
    // The T steps forward, for the measured rates only: no graph through time.
    const at::NoGradGuard no_grad;
    spiking = net_.layer_outputs(inputs);
  }
  const auto& p = net_.parameters();
  at::Tensor a = weighted_rate(inputs, lambda);
  for (std::size_t l = 0;; ++l) {
    const at::Tensor current = at::linear(a, p[2 * l], p[2 * l + 1]);
    if (l + 1 == net_.layers()) return current;
    // The measured rate forward, the gradient of g(current) backward.
    const at::Tensor g = dsr_rate(current, V_th);
    a = weighted_rate(spiking[l].spikes, lambda) + (g - g.detach());
  }
}

projected_layers projected_layers_of(const dsr_network& net) {
  projected_layers p;
  for (std::size_t l = 0; l < net.network().layers(); ++l) p.weights.push_back(2 * l);
  p.inputs = [&net](const at::Tensor& inputs) {
    const double lambda = net.network().config().neuron.beta();
    std::vector<at::Tensor> rates{weighted_rate(inputs, lambda)};
    const auto outputs = net.network().layer_outputs(inputs);
    for (std::size_t l = 0; l + 1 < outputs.size(); ++l) rates.push_back(weighted_rate(outputs[l].spikes, lambda));
    return rates;
  };
  return p;
}

}  // namespace neurite::learn
