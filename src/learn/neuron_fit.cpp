#include "learn/neuron_fit.hpp"

#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "learn/spike_metrics.hpp"

namespace neurite::learn {
namespace {

// The steps after the burn-in, (T - burn_in, batch, 2).
at::Tensor after_burn_in(const at::Tensor& x, std::uint32_t burn_in) {
  if (x.dim() != 3 || x.size(2) != 2 || x.size(0) <= burn_in)
    throw std::invalid_argument(fmt::format("neuron fit: needs (T, batch, 2) with T > burn-in {}", burn_in));
  return x.narrow(0, burn_in, x.size(0) - burn_in);
}

std::span<const float> floats(const at::Tensor& contiguous) {
  return {contiguous.data_ptr<float>(), static_cast<std::size_t>(contiguous.numel())};
}

}  // namespace

at::Tensor neuron_fit_objective::loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const at::Tensor y = after_burn_in(outputs, burn_in_), target = after_burn_in(labels, burn_in_);
  const at::Tensor spike = at::binary_cross_entropy_with_logits(y.select(2, 0), target.select(2, 0), {}, {},
                                                                at::Reduction::None);
  const at::Tensor voltage = (target.select(2, 1) - loss_.v_rest) / loss_.v_scale;
  const at::Tensor squared = (y.select(2, 1) - voltage).square();
  return (spike + loss_.voltage_weight * squared).mean(0).sum();
}

double neuron_fit_objective::score_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const at::Tensor y = after_burn_in(outputs, burn_in_), target = after_burn_in(labels, burn_in_);
  return y.select(2, 0).gt(0).eq(target.select(2, 0).gt(0.5)).to(at::kDouble).mean(0).sum().item<double>();
}

neuron_fit_targets::neuron_fit_targets(const sequence_dataset& data) : count_(data.count()) {
  std::vector<std::uint32_t> all(count_);
  for (std::uint32_t i = 0; i < count_; ++i) all[i] = i;
  const sequence_batch b = data.batch(all, 1, 0);
  if (b.inputs.numel() > 0 && (b.inputs.min().item<float>() < 0 || b.inputs.max().item<float>() > 255 ||
                               !at::equal(b.inputs, b.inputs.round())))
    throw std::invalid_argument("neuron fit: expected inputs that are counts from 0 to 255");
  inputs_ = b.inputs.to(at::kByte);
  labels_ = at::stack({b.spikes, b.voltage}, 2);
}

labelled_batch neuron_fit_targets::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  std::vector<std::int64_t> ids(samples.begin(), samples.end());
  for (const auto id : ids)
    if (id >= count_) throw std::out_of_range(fmt::format("neuron fit: sample {} beyond the {} samples", id, count_));
  const at::Tensor index = at::tensor(ids, at::kLong);
  return {inputs_.index_select(1, index).to(at::kFloat), labels_.index_select(1, index)};
}

at::Tensor neuron_fit_targets::mean_outputs(const neuron_fit_objective& objective) const {
  const at::Tensor target = after_burn_in(labels_, objective.burn_in()).to(at::kDouble);
  const double rate = target.select(2, 0).mean().item<double>();
  if (!(rate > 0 && rate < 1))
    throw std::invalid_argument("neuron fit: mean outputs need steps with and without spikes");
  const auto& loss = objective.loss();
  const double voltage = (target.select(2, 1).mean().item<double>() - loss.v_rest) / loss.v_scale;
  return at::tensor({std::log(rate / (1 - rate)), voltage}, at::kFloat);
}

neuron_fit_scores score_neuron_fit(const classifier_model& model, const labelled_dataset& data,
                                   const neuron_fit_objective& objective, std::uint32_t micro_batch, int threads) {
  std::vector<at::Tensor> outputs, labels;
  for (const auto& [y, target] : evaluation_outputs(model, data, micro_batch, threads)) {
    outputs.push_back(after_burn_in(y, objective.burn_in()));
    labels.push_back(after_burn_in(target, objective.burn_in()));
  }
  const at::Tensor y = at::cat(outputs, 1), target = at::cat(labels, 1);
  const at::Tensor logit = y.select(2, 0).contiguous(), spikes = target.select(2, 0).contiguous();
  const at::Tensor voltage = (objective.loss().v_rest + objective.loss().v_scale * y.select(2, 1)).contiguous();
  const at::Tensor measured = target.select(2, 1).contiguous();
  return {roc_auc(floats(logit), floats(spikes)), rmse(floats(voltage), floats(measured))};
}

}  // namespace neurite::learn
