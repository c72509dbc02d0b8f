#pragma once
// Fitting a neuron's output step by step (the neuron-IO task, learn/neuron_io.hpp) with the shared
// trainer: a sequence_dataset seen as a labelled_dataset whose labels are per-step targets, a model
// giving two outputs per step, and the objective of the ELM paper's NeuronIO setup after the
// burn-in: binary cross-entropy of sigmoid(y_0) against the spike, plus a weighted MSE of y_1
// against the scaled soma voltage (V - v_rest) / v_scale.
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/elm.hpp"
#include "learn/sequence_dataset.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

struct neuron_fit_loss {
  // The voltage term is a regulariser beside the spike term (the score is the spike AUC): scaled
  // so that rest is 0 and threshold (-50 mV) 2, weighted 0.01. At 0.1 it dominated small models
  // (d_m 1 to 5), whose spike output then ranked spike steps low (AUC 0.07 to 0.15): the voltage
  // target is V_reset in a spike step.
  double voltage_weight = 0.01;
  double v_rest = -70, v_scale = 10;  // [mV]
};

// Outputs and labels (T, batch, 2): y_0 the spike logit, y_1 the scaled voltage; labels the spike
// (0 or 1) and the voltage [mV]. Per sample the loss is the mean over the steps after the burn-in.
class neuron_fit_objective final : public training_objective {
 public:
  explicit neuron_fit_objective(std::uint32_t burn_in, neuron_fit_loss loss = {}) : burn_in_(burn_in), loss_(loss) {}
  at::Tensor loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;
  // Per sample, the fraction of steps after the burn-in where y_0 > 0 says right whether it spiked.
  double score_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;
  std::uint32_t burn_in() const { return burn_in_; }
  const neuron_fit_loss& loss() const { return loss_; }

 private:
  std::uint32_t burn_in_;
  neuron_fit_loss loss_;
};

// A sequence_dataset as the trainer takes it: labels (T, batch, 2) = (spikes, voltage). Every
// sample is made once here (stream 1, epoch 0), so it suits data sets whose samples do not depend on
// stream and epoch (neuron_io, where a sample is a simulation that costs more than training on it);
// inputs are kept as bytes, so they must be counts from 0 to 255 (std::invalid_argument otherwise).
class neuron_fit_targets final : public labelled_dataset {
 public:
  explicit neuron_fit_targets(const sequence_dataset& data);
  std::uint32_t count() const override { return count_; }
  std::uint32_t classes() const override { return 2; }  // outputs per step
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                       std::uint64_t epoch) const override;
  // The constant outputs that minimise the objective over this set, (2): the logit of the spike
  // rate and the mean scaled voltage after the burn-in. A readout bias started there leaves the
  // model only the inputs' part to learn (docs/elm.md: from a bias near 0, runs spent the memory
  // on the mean and stayed at the rate's entropy).
  at::Tensor mean_outputs(const neuron_fit_objective& objective) const;

 private:
  std::uint32_t count_;
  at::Tensor inputs_;  // (T, count, features) uint8
  at::Tensor labels_;  // (T, count, 2) float
};

// An ELM with y at every step as its output.
class elm_per_step final : public classifier_model {
 public:
  explicit elm_per_step(const elm_model& elm) : elm_(elm) {}
  at::Tensor forward(const at::Tensor& inputs) const override { return elm_.forward_steps(inputs); }
  const std::vector<at::Tensor>& parameters() const override { return elm_.parameters(); }

 private:
  const elm_model& elm_;
};

struct neuron_fit_scores {
  double auc = 0;           // ROC AUC of y_0 against the spikes
  double voltage_rmse = 0;  // [mV] of v_rest + v_scale y_1 against the voltage
};

// Over all steps after the burn-in of all samples of `data` (stream 1, epoch 0).
neuron_fit_scores score_neuron_fit(const classifier_model& model, const labelled_dataset& data,
                                   const neuron_fit_objective& objective, std::uint32_t micro_batch, int threads);

}  // namespace neurite::learn
