// QCFS, its conversion to integrate-and-fire neurons and Dynamic Confidence: the activation and its
// straight-through gradient against their closed forms; the IF spike count for constant input against
// clip(floor(T x / lambda + 1/2), 0, T), which is also the QCFS ANN with L = T; a trained net whose
// SNN approaches the ANN as T grows; exits that leave the other samples and the exited sample's
// output untouched, equal one sample at a time and to the exits read from a run without exits;
// the selection rules on hand-made points.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "io/fashion_mnist.hpp"
#include "learn/ann_to_snn.hpp"
#include "learn/dynamic_confidence.hpp"
#include "learn/training.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

// Values x spread over [-lambda/2, 3 lambda/2], none within 1% of a step of h with `levels` levels
// (where float rounding could decide the step).
std::vector<double> values_off_steps(double lambda, double levels) {
  std::vector<double> xs;
  for (int i = 0; i < 400; ++i) {
    const double x = lambda * (-0.5 + 2.0 * (i + 0.37) / 400), u = x * levels / lambda + 0.5;
    if (std::abs(u - std::round(u)) > 0.01) xs.push_back(x);
  }
  return xs;
}

double qcfs_closed_form(double x, double lambda, double levels) {
  return lambda / levels * std::clamp(std::floor(x * levels / lambda + 0.5), 0.0, levels);
}

// A qcfs_mlp of identity layers n -> n -> n with bias 0 and threshold lambda: the output is h(x).
qcfs_mlp identity_mlp(std::int64_t n, double lambda, std::int64_t levels) {
  qcfs_mlp net({{n, n, n}, levels, lambda}, 1);
  const at::NoGradGuard no_grad;
  for (std::size_t l = 0; l < 2; ++l) net.weight(l).copy_(at::eye(n)), net.bias(l).zero_();
  return net;
}

at::Tensor tensor_of(const std::vector<double>& xs, at::ScalarType type) {
  return at::tensor(at::ArrayRef<double>(xs), at::kDouble).to(type);
}

// A 784-64-64-10 QCFS net trained for 3 epochs on 4000 training images, and 1000 test images.
struct trained {
  qcfs_mlp net{{{784, 64, 64, 10}, 8, 2.0}, 1};
  labelled_batch test;
  double ann_accuracy = 0;

  trained() {
    const auto train_images = io::read_fashion_mnist(io::dataset_split::train).first(4000);
    const auto test_images = io::read_fashion_mnist(io::dataset_split::test).first(1000);
    const encoder direct{encoding::direct_current, 1, 1.0, 0.0, 1};
    training_options o;
    o.epochs = 3;
    o.learning_rate = 5e-3;
    const encoded_images train_set(direct, train_images), test_set(direct, test_images);
    ann_accuracy = train_classifier(net, train_set, test_set, o).epochs.back().test_accuracy;
    std::vector<std::uint32_t> all(1000);
    for (std::uint32_t i = 0; i < 1000; ++i) all[i] = i;
    test = test_set.batch(all, 1, 0);
    test.inputs = test.inputs[0];
  }
};

const trained& trained_net() {
  static const trained t;
  return t;
}

}  // namespace

TEST(qcfs, forward_is_the_quantised_clipped_floor) {
  const double lambda = 1.7;
  const auto xs = values_off_steps(lambda, 8);
  const at::Tensor h = qcfs(tensor_of(xs, at::kFloat), at::full({}, lambda), 8);
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_NEAR(h[static_cast<std::int64_t>(i)].item<double>(), qcfs_closed_form(xs[i], lambda, 8), 1e-6) << xs[i];
}

TEST(qcfs, straight_through_gradient_treats_floor_as_identity) {
  // With floor's derivative taken as 1: where 0 <= floor(u) <= L, dh/dx = 1 and dh/dlambda = (h - x) / lambda;
  // above, dh/dx = 0 and dh/dlambda = 1; below, both 0.
  const double lambda = 1.3, L = 4;
  const auto xs = values_off_steps(lambda, L);
  const at::Tensor x = tensor_of(xs, at::kDouble).requires_grad_(true);
  const at::Tensor lam = at::full({}, lambda, at::kDouble).requires_grad_(true);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const auto k = static_cast<std::int64_t>(i);
    const at::Tensor h = qcfs(x[k], lam, 4);
    const auto grads = torch::autograd::grad({h}, {x, lam});
    const double steps = std::floor(xs[i] * L / lambda + 0.5);
    const bool inside = steps >= 0 && steps <= L, above = steps > L;
    EXPECT_DOUBLE_EQ(grads[0][k].item<double>(), inside ? 1.0 : 0.0) << xs[i];
    const double dlambda = inside ? (qcfs_closed_form(xs[i], lambda, L) - xs[i]) / lambda : (above ? 1.0 : 0.0);
    EXPECT_NEAR(grads[1].item<double>(), dlambda, 1e-12) << xs[i];
  }
}

TEST(ann_to_snn, if_spike_count_for_constant_input_is_the_closed_form_and_the_qcfs_ann) {
  const double lambda = 0.75;
  const std::uint32_t T = 32;
  const auto xs = values_off_steps(lambda, T);
  const auto n = static_cast<std::int64_t>(xs.size());
  const qcfs_mlp ann = identity_mlp(n, lambda, T);
  const at::Tensor x = tensor_of(xs, at::kFloat).unsqueeze(0);  // one sample, n neurons
  const if_run run = if_network(ann).run(x, T);
  const at::Tensor rate = run.outputs[T - 1][0] / static_cast<double>(T);  // lambda x spikes / T
  const at::Tensor h = ann.forward(x.unsqueeze(0)).detach()[0];
  double spikes = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double expected = qcfs_closed_form(xs[static_cast<std::size_t>(i)], lambda, T);
    spikes += expected * T / lambda;
    EXPECT_NEAR(rate[i].item<double>(), expected, 1e-5) << xs[static_cast<std::size_t>(i)];
    EXPECT_NEAR(h[i].item<double>(), expected, 1e-6) << xs[static_cast<std::size_t>(i)];
  }
  ASSERT_EQ(run.spikes.size(), 1u);
  EXPECT_NEAR(run.spikes[0], spikes, 1e-6);
  EXPECT_DOUBLE_EQ(run.synaptic_ops, spikes * static_cast<double>(n));  // fan-out n
  EXPECT_DOUBLE_EQ(run.input_macs, static_cast<double>(T * n * n));
}

TEST(ann_to_snn, wrong_input_is_refused) {
  const if_network snn(identity_mlp(4, 1.0, 8));
  EXPECT_THROW(snn.run(at::zeros({2, 5}), 8), std::invalid_argument);
  EXPECT_THROW(snn.run(at::zeros({2, 4}), 0), std::invalid_argument);
  EXPECT_THROW(snn.run(at::zeros({2, 4}), 8, {}, 0, 1), std::invalid_argument);
}

TEST(ann_to_snn, trained_snn_approaches_the_ann_as_T_grows) {
  const auto& t = trained_net();
  ASSERT_GT(t.ann_accuracy, 0.7);
  const at::Tensor ann_scores = t.net.forward(t.test.inputs.unsqueeze(0)).detach();
  const if_network snn(t.net);
  // With two hidden layers the second one's input is not constant, so no T is exact (with one, T = L is).
  const if_run run = snn.run(t.test.inputs, 32);
  const auto score_error = [&](std::int64_t T) {
    const at::Tensor rate_scores = run.outputs[T - 1].to(at::kFloat) / static_cast<double>(T);
    return ((rate_scores - ann_scores).norm() / ann_scores.norm()).item<double>();
  };
  EXPECT_LT(score_error(32), 0.5 * score_error(2));
  const auto accuracy = fixed_step_accuracy(run.outputs, t.test.labels);
  EXPECT_LE(std::abs(accuracy[31] - t.ann_accuracy), std::abs(accuracy[0] - t.ann_accuracy));
  EXPECT_NEAR(accuracy[31], t.ann_accuracy, 0.02);
}

TEST(dynamic_confidence, exits_leave_other_samples_and_the_exited_output_unchanged) {
  const auto& t = trained_net();
  const if_network snn(t.net);
  const std::uint32_t T = 16;
  const double theta = 0.5, scale = 10;
  const at::Tensor images = t.test.inputs.slice(0, 0, 48);
  const if_run full = snn.run(images, T), exits = snn.run(images, T, confidence_exit(theta, scale));
  const at::Tensor c = confidence(full.outputs, scale);  // (T, batch)
  std::int64_t early = 0;
  for (std::int64_t b = 0; b < images.size(0); ++b) {
    const std::int64_t e = exits.exit_step[b].item<std::int64_t>();
    std::int64_t first = T;  // the first step with c > theta in the run without exits
    for (std::int64_t s = T; s >= 1; --s)
      if (c[s - 1][b].item<double>() > theta) first = s;
    ASSERT_EQ(e, first) << b;
    early += e < T;
    for (std::int64_t s = 0; s < T; ++s)
      ASSERT_TRUE(at::allclose(exits.outputs[s][b], full.outputs[std::min(s, e - 1)][b], 1e-12, 1e-12)) << b << " " << s;
    for (std::int64_t s = e; s < T; ++s) ASSERT_TRUE(at::equal(exits.outputs[s][b], exits.outputs[e - 1][b])) << b;
    const if_run alone = snn.run(images.slice(0, b, b + 1), T, confidence_exit(theta, scale));
    EXPECT_EQ(alone.exit_step[0].item<std::int64_t>(), e) << b;
    EXPECT_TRUE(at::allclose(alone.outputs.select(1, 0), exits.outputs.select(1, b), 1e-12, 1e-12)) << b;
  }
  EXPECT_GT(early, 0);
  EXPECT_LT(exits.synaptic_ops, full.synaptic_ops);
  EXPECT_LT(exits.input_macs, full.input_macs);
  const auto point = confidence_exit_point(full.outputs, t.test.labels.slice(0, 0, 48), theta, scale);
  EXPECT_DOUBLE_EQ(point.latency, exits.exit_step.to(at::kDouble).mean().item<double>());
}

TEST(dynamic_confidence, whole_set_runs_are_identical_for_any_thread_count) {
  const auto& t = trained_net();
  const if_network snn(t.net);
  const at::Tensor images = t.test.inputs.slice(0, 0, 100);
  const if_run one = snn.run(images, 12, confidence_exit(0.4, 30), 16, 1);
  const if_run two = snn.run(images, 12, confidence_exit(0.4, 30), 16, 2);
  EXPECT_TRUE(at::equal(one.outputs, two.outputs));
  EXPECT_TRUE(at::equal(one.exit_step, two.exit_step));
  EXPECT_EQ(one.spikes, two.spikes);
  EXPECT_EQ(one.synaptic_ops, two.synaptic_ops);
}

TEST(dynamic_confidence, exit_and_oracle_points_on_a_hand_made_run) {
  // Two classes, three steps, three samples (label 0, 1, 1). Confidences with scale 1:
  // sample 0: O = (1,0) (3,0) (5,0): 0.73, 0.95, 0.99; sample 1: (0,0) (2,0) (2,4): 0.5, 0.88, 0.88 (class 1 at t=3);
  // sample 2: (0,1) (0,1) (0,1): 0.73 throughout, class 1.
  const at::Tensor outputs = at::tensor({1., 0., 0., 0., 0., 1., 3., 0., 2., 0., 0., 1., 5., 0., 2., 4., 0., 1.}).view({3, 3, 2});
  const at::Tensor labels = at::tensor({0, 1, 1}, at::kLong);
  // theta = 0.8: exits at 2, 2, 3 (never above), predictions 0, 0, 1 -> 2 of 3 correct.
  const auto p = confidence_exit_point(outputs, labels, 0.8, 1.0);
  EXPECT_DOUBLE_EQ(p.latency, 7.0 / 3);
  EXPECT_DOUBLE_EQ(p.accuracy, 2.0 / 3);
  // Oracle: correct first at 1, 3, 1.
  const auto o = oracle_exit_point(outputs, labels);
  EXPECT_DOUBLE_EQ(o.latency, 5.0 / 3);
  EXPECT_DOUBLE_EQ(o.accuracy, 1.0);
  const auto fixed = fixed_step_accuracy(outputs, labels);
  ASSERT_EQ(fixed.size(), 3u);
  EXPECT_DOUBLE_EQ(fixed[0], 2.0 / 3);  // sample 1 at t=1: a tie, argmax 0
  EXPECT_DOUBLE_EQ(fixed[2], 1.0);
}

TEST(dynamic_confidence, pareto_front_and_the_choice_of_threshold) {
  const std::vector<operating_point> points{{0.3, 5, 0.80}, {0.4, 6, 0.85}, {0.5, 6, 0.84}, {0.6, 9, 0.84},
                                            {0.7, 10, 0.90}, {0.8, 12, 0.905}, {0.9, 14, 0.905}};
  const auto front = pareto_front(points);
  std::vector<double> thetas;
  for (const auto& p : front) thetas.push_back(p.threshold);
  EXPECT_EQ(thetas, (std::vector<double>{0.3, 0.4, 0.7, 0.8}));
  EXPECT_DOUBLE_EQ(choose_operating_point(front, 0.905, 0.01).threshold, 0.7);  // the first at >= 0.895
  EXPECT_DOUBLE_EQ(choose_operating_point(front, 0.95, 0.001).threshold, 0.8);  // none close: the most accurate
  const auto grid = threshold_grid(0.3, 0.9, 4);
  ASSERT_EQ(grid.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(grid[i], 0.3 + 0.2 * static_cast<double>(i), 1e-15);
  EXPECT_EQ(grid.back(), 0.9);
  EXPECT_THROW(threshold_grid(0.9, 0.3, 4), std::invalid_argument);
}
