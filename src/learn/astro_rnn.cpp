#include "learn/astro_rnn.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

// Positions in parameters_.
enum slot : std::size_t { W, b, R, beta_logit, Wo, bo, P, G, Q, kappa_logit };

double logit(double p) { return std::log(p / (1 - p)); }

// Per-neuron decay logits, all starting at logit(exp(-1 / tau)).
at::Tensor constant_logits(std::int64_t n, double tau) {
  return at::full({n}, logit(std::exp(-1 / tau)), at::kFloat).requires_grad_(true);
}

// Astrocyte decay logits with tau log-uniform in [lo, hi], from the stream of purpose
// learn_tasks + 16 * 6 (the astro-snn index), id 0.
at::Tensor astro_logits(std::int64_t m, double lo, double hi, std::uint64_t seed) {
  core::random_stream s(seed, core::stream_purpose(core::purpose::learn_tasks, 6), 0);
  at::Tensor t = at::empty({m}, at::kFloat);
  for (std::int64_t i = 0; i < m; ++i) {
    const double tau = lo * std::pow(hi / lo, s.uniform());
    t[i] = logit(std::exp(-1 / tau));
  }
  return t.requires_grad_(true);
}

}  // namespace

at::Tensor surrogate_step(const at::Tensor& x, double k) {
  const at::Tensor f = x / (1 + k * x.abs());  // antiderivative of 1 / (1 + k |x|)^2
  return (x >= 0).to(x.scalar_type()) + (f - f.detach());
}

astro_rnn::astro_rnn(astro_rnn_config config, std::uint64_t seed) : config_(config) {
  const auto& c = config_;
  if (c.hidden < 1 || c.inputs < 1 || c.outputs < 1 || c.astrocytes < 0)
    throw std::invalid_argument("astro_rnn: sizes must be positive");
  // Input weights uniform in +-input_scale (not 1/sqrt(fan-in): with one-hot inputs that leaves the
  // membranes far below threshold and the network silent), biases at 0.
  core::random_stream ws(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), 0);
  parameters_ = {uniform_parameter({c.hidden, c.inputs}, c.input_scale, ws), at::zeros({c.hidden}, at::kFloat).requires_grad_(true)};
  // Recurrent weights scaled down by 2: spikes are 0/1, so their sum is larger than a tanh unit's.
  core::random_stream rs(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), 1);
  parameters_.push_back(uniform_parameter({c.hidden, c.hidden}, 0.5 / std::sqrt(static_cast<double>(c.hidden)), rs));
  parameters_.push_back(constant_logits(c.hidden, c.tau_m));
  const auto out = linear_parameters(c.outputs, c.hidden, seed, 2);
  parameters_.push_back(out[0]);
  parameters_.push_back(out[1]);
  if (c.astrocytes == 0) return;
  const double per_neuron = 1 / std::sqrt(static_cast<double>(c.hidden));
  const double per_astro = 1 / std::sqrt(static_cast<double>(c.astrocytes));
  core::random_stream as(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), 3);
  parameters_.push_back(uniform_parameter({c.astrocytes, c.hidden}, per_neuron, as));  // P
  parameters_.push_back(uniform_parameter({c.hidden, c.astrocytes}, per_astro, as));   // G
  parameters_.push_back(uniform_parameter({c.hidden, c.astrocytes}, per_astro, as));   // Q
  parameters_.push_back(astro_logits(c.astrocytes, c.tau_astro_min, c.tau_astro_max, seed));
}

astro_rnn::trace astro_rnn::run(const at::Tensor& inputs) const {
  const auto& c = config_;
  const auto& p = parameters_;
  const std::int64_t T = inputs.size(0), B = inputs.size(1);
  const bool astro = c.astrocytes > 0;
  const at::Tensor drive = at::linear(inputs, p[W]);  // W x(t) for all steps at once
  const at::Tensor beta = at::sigmoid(p[beta_logit]);
  const at::Tensor kappa = astro ? at::sigmoid(p[kappa_logit]) : at::Tensor();
  at::Tensor v = at::zeros({B, c.hidden}, inputs.options());
  at::Tensor s = at::zeros({B, c.hidden}, inputs.options());
  at::Tensor a = astro ? at::zeros({B, c.astrocytes}, inputs.options()) : at::Tensor();
  std::vector<at::Tensor> spikes, traces;
  spikes.reserve(static_cast<std::size_t>(T));
  for (std::int64_t t = 0; t < T; ++t) {
    const at::Tensor syn = drive[t] + at::matmul(s, p[R].t());
    at::Tensor current = syn + p[b];
    if (astro) current = (1 + at::tanh(at::matmul(a, p[G].t()))) * syn + at::matmul(a, p[Q].t()) + p[b];
    const at::Tensor u = beta * v + current;
    s = surrogate_step(u - c.V_th, c.slope);
    v = u - c.V_th * s;
    if (astro) {
      a = kappa * a + (1 - kappa) * at::matmul(s, p[P].t());
      traces.push_back(a);
    }
    spikes.push_back(s);
  }
  return {at::stack(spikes), astro ? at::stack(traces) : at::Tensor()};
}

at::Tensor astro_rnn::forward(const at::Tensor& inputs) const {
  const at::Tensor spikes = run(inputs).spikes;
  if (!config_.every_step) return at::linear(spikes[-1], parameters_[Wo], parameters_[bo]);
  return at::linear(spikes, parameters_[Wo], parameters_[bo]).permute({1, 0, 2});
}

std::vector<double> astro_rnn::astro_time_constants() const {
  std::vector<double> out;
  if (config_.astrocytes == 0) return out;
  const at::Tensor k = at::sigmoid(parameters_[kappa_logit].detach()).to(at::kDouble).contiguous();
  for (std::int64_t i = 0; i < k.numel(); ++i) out.push_back(-1 / std::log(k.data_ptr<double>()[i]));
  return out;
}

std::int64_t astro_rnn::parameter_count_for(const astro_rnn_config& c) {
  return c.hidden * (c.inputs + c.hidden + 2) + c.outputs * (c.hidden + 1) + c.astrocytes * (3 * c.hidden + 1);
}

}  // namespace neurite::learn
