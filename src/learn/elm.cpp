#include "learn/elm.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

// Indices into parameters_.
enum : std::size_t { w_s_param, hidden_weight, hidden_bias, delta_weight, delta_bias, out_weight, out_bias, tau_m_param };

void check(const elm_config& c) {
  if (c.inputs < 1 || c.outputs < 1 || c.memory < 1 || c.branches < 0 || c.synapses_per_branch < 1 || c.mlp_hidden < 0)
    throw std::invalid_argument("elm: inputs, outputs, memory and synapses_per_branch must be positive");
  if (c.branches == 0 && c.synapses_per_branch != 1)
    throw std::invalid_argument("elm: a plain ELM (branches = 0) has one synapse per branch");
  if (c.synapses_per_branch > c.inputs || (c.branches > 0 && c.branches * c.synapses_per_branch < c.inputs))
    throw std::invalid_argument(fmt::format("elm: {} branches x {} synapses cannot read {} inputs", c.branches,
                                            c.synapses_per_branch, c.inputs));
  if (!(c.tau_s > 0 && c.tau_m_min > 0 && c.tau_m_max >= c.tau_m_min && c.dt > 0))
    throw std::invalid_argument("elm: needs tau_s > 0, 0 < tau_m_min <= tau_m_max and dt > 0");
  if (c.learn_tau_m && c.tau_m_max == c.tau_m_min)
    throw std::invalid_argument("elm: a learnt tau_m needs tau_m_max > tau_m_min");
}

std::int64_t branch_count(const elm_config& c) { return c.branches ? c.branches : c.inputs; }

// Window starts spread evenly from input 0 to input (inputs - k), branch-major synapse order.
at::Tensor window_routing(const elm_config& c) {
  const std::int64_t k = c.synapses_per_branch, n = c.branches;
  std::vector<std::int64_t> index;
  for (std::int64_t b = 0; b < n; ++b) {
    const std::int64_t start = n == 1 ? 0 : std::llround(static_cast<double>(b * (c.inputs - k)) / static_cast<double>(n - 1));
    for (std::int64_t j = 0; j < k; ++j) index.push_back(start + j);
  }
  return at::tensor(index, at::kLong);
}

at::Tensor log_spaced(double low, double high, std::int64_t n) {
  return at::exp(at::linspace(std::log(low), std::log(high), n, at::kDouble));
}

// 1.7159 tanh(2/3 x): LeCun's scaled tanh, slope ~1 at 0 and range +-1.7159.
at::Tensor scaled_tanh(const at::Tensor& x) { return 1.7159 * at::tanh(x * (2.0 / 3.0)); }

}  // namespace

elm_model::elm_model(const elm_config& config, std::uint64_t seed, at::ScalarType dtype) : config_(config) {
  check(config_);
  auto& c = config_;
  if (c.mlp_hidden == 0) c.mlp_hidden = 2 * c.memory;
  const std::int64_t branches = branch_count(c), synapses = branches * c.synapses_per_branch;
  if (c.branches > 0 && !(c.branches * c.synapses_per_branch == c.inputs && c.synapses_per_branch == 1))
    routing_ = window_routing(c);
  parameters_.push_back(at::full({synapses}, c.w_s_init, dtype).requires_grad_(true));
  const auto layer = [&](std::uint32_t id, std::int64_t out, std::int64_t in) {
    for (auto& p : linear_parameters(out, in, seed, id, dtype)) parameters_.push_back(p);
  };
  layer(1, c.mlp_hidden, branches + c.memory);
  layer(2, c.memory, c.mlp_hidden);
  layer(3, c.outputs, c.memory);
  const at::Tensor tau_m = log_spaced(c.tau_m_min, c.tau_m_max, c.memory);
  if (c.learn_tau_m) {  // the logit of (tau - min) / (max - min), the ends pulled in by 1e-6 of the range
    const double eps = 1e-6;
    const at::Tensor u = ((tau_m - c.tau_m_min) / (c.tau_m_max - c.tau_m_min)).clamp(eps, 1 - eps);
    parameters_.push_back(at::log(u / (1 - u)).to(dtype).requires_grad_(true));
  } else {
    tau_m_ = tau_m.to(dtype);
  }
}

at::Tensor elm_model::kappa_m() const {
  const auto& c = config_;
  const at::Tensor tau = c.learn_tau_m ? c.tau_m_min + (c.tau_m_max - c.tau_m_min) * at::sigmoid(parameters_[tau_m_param])
                                       : tau_m_;
  return at::exp(-c.dt / tau);
}

double elm_model::kappa_s() const { return std::exp(-config_.dt / config_.tau_s); }

at::Tensor elm_model::branch_currents(const at::Tensor& inputs) const {
  if (inputs.dim() != 3 || inputs.size(2) != config_.inputs)
    throw std::invalid_argument(fmt::format("elm: expected inputs (T, batch, {}), got {}", config_.inputs,
                                            fmt::join(inputs.sizes(), " x ")));
  const at::Tensor routed = routing_.defined() ? inputs.index_select(2, routing_) : inputs;
  const std::int64_t T = inputs.size(0), batch = inputs.size(1), branches = branch_count(config_);
  const at::Tensor drive =
      (routed * at::relu(parameters_[w_s_param])).view({T, batch, branches, config_.synapses_per_branch}).sum(3);
  const double kappa = kappa_s();
  // unbind: one backward node for all steps, where indexing step t would add a zero-filled (T, ...)
  // gradient per step.
  const std::vector<at::Tensor> drives = drive.unbind(0);
  std::vector<at::Tensor> currents{drives[0]};
  for (std::int64_t t = 1; t < T; ++t) currents.push_back(kappa * currents.back() + drives[static_cast<std::size_t>(t)]);
  return at::stack(currents);
}

at::Tensor elm_model::memory(const at::Tensor& inputs, const at::Tensor& initial_memory) const {
  const auto& p = parameters_;
  const std::int64_t branches = branch_count(config_);
  // The MLP's hidden layer on [I_t, kappa_m m]: the I_t half for all steps in one product.
  const std::vector<at::Tensor> from_currents =
      at::linear(branch_currents(inputs), p[hidden_weight].narrow(1, 0, branches), p[hidden_bias]).unbind(0);
  const at::Tensor from_memory = p[hidden_weight].narrow(1, branches, config_.memory);
  const at::Tensor kappa = kappa_m(), gain = config_.lambda * (1 - kappa);
  at::Tensor m = initial_memory.defined() ? initial_memory
                                          : at::zeros({inputs.size(1), config_.memory}, from_memory.options());
  std::vector<at::Tensor> trace;
  for (const auto& current_part : from_currents) {
    const at::Tensor decayed = kappa * m;
    const at::Tensor pre = current_part + at::matmul(decayed, from_memory.t());
    const at::Tensor hidden = config_.activation == elm_activation::relu ? at::relu(pre) : at::silu(pre);
    trace.push_back(m = decayed + gain * scaled_tanh(at::linear(hidden, p[delta_weight], p[delta_bias])));
  }
  return at::stack(trace);
}

at::Tensor elm_model::forward_steps(const at::Tensor& inputs) const {
  return at::linear(memory(inputs), parameters_[out_weight], parameters_[out_bias]);
}

at::Tensor elm_model::forward(const at::Tensor& inputs) const {
  return at::linear(memory(inputs)[-1], parameters_[out_weight], parameters_[out_bias]);
}

}  // namespace neurite::learn
