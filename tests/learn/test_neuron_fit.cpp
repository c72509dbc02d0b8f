// The neuron-fitting objective (learn/neuron_fit.hpp) against the loss written out by hand, and
// training on the neuron-IO task through the shared trainer: the same numbers for any thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "learn/neuron_fit.hpp"
#include "learn/neuron_io.hpp"
#include "learn/training.hpp"

using namespace neurite::learn;

namespace {

// -log sigmoid(z) for a spike, -log(1 - sigmoid(z)) for none.
double cross_entropy(double z, double spike) { return spike > 0 ? std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

}  // namespace

TEST(neuron_fit, loss_and_score_equal_the_hand_computation) {
  // T = 3, burn-in 1, two samples: only steps 1 and 2 count.
  const std::vector<float> y{9, 9, -9, -9,      // step 0 (burn-in): would dominate if counted
                             0.5F, 1.5F, -1.0F, 0.2F,  // step 1: (y0, y1) of sample 0, then sample 1
                             -2.0F, 0.8F, 3.0F, 1.9F};
  const std::vector<float> target{1, -20, 1, -20,
                                  1, -55, 0, -68,
                                  0, -62, 1, -50};
  const at::Tensor outputs = at::tensor(y).view({3, 2, 2}), labels = at::tensor(target).view({3, 2, 2});
  const neuron_fit_loss weights{0.3, -70, 10};
  const neuron_fit_objective objective(1, weights);
  double expected = 0;
  for (int b = 0; b < 2; ++b) {
    double sample = 0;
    for (int t = 1; t < 3; ++t) {
      const auto i = static_cast<std::size_t>((t * 2 + b) * 2);
      const double v = (target[i + 1] + 70.0) / 10.0;
      sample += cross_entropy(y[i], target[i]) + 0.3 * (y[i + 1] - v) * (y[i + 1] - v);
    }
    expected += sample / 2;
  }
  EXPECT_NEAR(objective.loss_sum(outputs, labels).item<double>(), expected, 1e-6 * expected);
  // Every counted step is called right (y0 > 0 exactly where it spiked): each sample scores 1. Then
  // sample 1's step 2 is called silent though it spiked: that sample scores 1/2.
  EXPECT_DOUBLE_EQ(objective.score_sum(outputs, labels), 2.0);
  outputs[2][1][0] = -3.0F;
  EXPECT_DOUBLE_EQ(objective.score_sum(outputs, labels), 1.5);
  EXPECT_THROW(neuron_fit_objective(3).loss_sum(outputs, labels), std::invalid_argument);
}

TEST(neuron_fit, training_on_neuron_io_is_identical_for_any_thread_count) {
  neuron_io_options o;
  o.window = 300, o.burn_in = 50, o.samples = 8;
  const neuron_io_dataset train_io(o);
  o.first_sample = 8, o.samples = 6;
  const neuron_io_dataset test_io(o);
  const neuron_fit_targets train(train_io), test(test_io);
  const neuron_fit_objective objective(train_io.burn_in());
  elm_config c;
  c.inputs = 280, c.outputs = 2, c.memory = 4, c.branches = 28, c.synapses_per_branch = 10;
  std::vector<training_report> runs;
  std::vector<neuron_fit_scores> scores;
  std::vector<at::Tensor> readouts;
  for (const int threads : {1, 3}) {
    training_options t;
    t.epochs = 2, t.batch_size = 4, t.micro_batch = 1, t.threads = threads, t.learning_rate = 1e-2;
    t.objective = &objective;
    const elm_model elm(c, 1);
    elm_per_step model(elm);
    runs.push_back(train_classifier(model, train, test, t));
    scores.push_back(score_neuron_fit(model, test, objective, 2, threads));
    readouts.push_back(elm.parameters()[5].detach().clone());
  }
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(runs[0].epochs[e].train_loss, runs[1].epochs[e].train_loss);
    EXPECT_EQ(runs[0].epochs[e].test_accuracy, runs[1].epochs[e].test_accuracy);
  }
  EXPECT_LT(runs[0].epochs[1].train_loss, runs[0].epochs[0].train_loss);
  EXPECT_TRUE(at::equal(readouts[0], readouts[1]));
  EXPECT_EQ(scores[0].auc, scores[1].auc);
  EXPECT_EQ(scores[0].voltage_rmse, scores[1].voltage_rmse);
  EXPECT_GT(scores[0].auc, 0.0);
  EXPECT_LE(scores[0].auc, 1.0);
}

// The mean outputs minimise the objective among constant outputs: its gradient there is zero, and
// the spike part is the logit of the spike rate after the burn-in.
TEST(neuron_fit, mean_outputs_are_the_best_constant_prediction) {
  neuron_io_options o;
  o.window = 300, o.burn_in = 50, o.samples = 6;
  const neuron_io_dataset data(o);
  const neuron_fit_targets targets(data);
  const neuron_fit_objective objective(data.burn_in());
  const at::Tensor mean = targets.mean_outputs(objective);
  ASSERT_EQ(mean.sizes(), (at::IntArrayRef{2}));
  const std::vector<std::uint32_t> all{0, 1, 2, 3, 4, 5};
  const labelled_batch b = targets.batch(all, 1, 0);
  const double rate = b.labels.narrow(0, 50, 250).select(2, 0).to(at::kDouble).mean().item<double>();
  ASSERT_GT(rate, 0.0);
  EXPECT_NEAR(mean[0].item<double>(), std::log(rate / (1 - rate)), 1e-4);
  const auto gradient_at = [&](const at::Tensor& constant) {
    const at::Tensor y = constant.view({1, 1, 2}).expand({300, 6, 2}).clone().requires_grad_(true);
    objective.loss_sum(y, b.labels).backward();
    return y.grad().narrow(0, 50, 250).sum(at::IntArrayRef{0, 1});
  };
  const at::Tensor at_mean = gradient_at(mean);
  const at::Tensor at_zero = gradient_at(at::zeros({2}, at::kFloat));
  EXPECT_LT(at_mean.abs().max().item<double>(), 1e-4 * at_zero.abs().min().item<double>());
}
