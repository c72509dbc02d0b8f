// The ELM neuron: parameter counts of the paper's NeuronIO models counted from the constructed
// tensors, the decay and steady-state identities in closed form, the model against a reference
// written op by op from the equations (one trace per synapse, MLP on the concatenation), gradients
// against central finite differences in double, and the LSTM baseline's size.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <torch/torch.h>

#include "io/fashion_mnist.hpp"
#include "learn/elm.hpp"
#include "learn/lstm.hpp"
#include "learn/parameters.hpp"
#include "learn/sequences.hpp"
#include "learn/training.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

// The NeuronIO configuration of the paper's repository: 1278 inputs routed to 45 branches x 100 synapses.
elm_config neuronio(std::int64_t memory) {
  elm_config c;
  c.inputs = 1278, c.outputs = 2, c.memory = memory, c.branches = 45, c.synapses_per_branch = 100;
  return c;
}

elm_config tiny(bool learn_tau) {
  elm_config c;
  c.inputs = 5, c.outputs = 2, c.memory = 3, c.branches = 3, c.synapses_per_branch = 2;
  c.activation = elm_activation::silu, c.tau_m_min = 2, c.tau_m_max = 30, c.learn_tau_m = learn_tau;
  return c;
}

// Sets the MLP's output layer to weight 0 and bias `bias`: Dm = 1.7159 tanh(2/3 bias) at every step.
void fix_delta(const elm_model& elm, double bias) {
  const torch::NoGradGuard no_grad;
  elm.parameters()[3].zero_();
  elm.parameters()[4].fill_(bias);
}

// The equations step by step: a trace per synapse, its input chosen by the documented windows.
at::Tensor reference_outputs(const elm_model& elm, const at::Tensor& x) {
  const auto& c = elm.config();
  const auto& p = elm.parameters();
  std::vector<std::int64_t> route;
  for (std::int64_t b = 0; b < c.branches; ++b)
    for (std::int64_t j = 0; j < c.synapses_per_branch; ++j)
      route.push_back(std::llround(static_cast<double>(b * (c.inputs - c.synapses_per_branch)) / static_cast<double>(c.branches - 1)) + j);
  const double kappa_s = std::exp(-c.dt / c.tau_s);
  const at::Tensor kappa_m = elm.kappa_m();
  at::Tensor s = torch::zeros({x.size(1), c.branches * c.synapses_per_branch}, x.options());
  at::Tensor m = torch::zeros({x.size(1), c.memory}, x.options());
  std::vector<at::Tensor> y;
  for (std::int64_t t = 0; t < x.size(0); ++t) {
    s = kappa_s * s + torch::relu(p[0]) * x[t].index_select(1, torch::tensor(route));
    const at::Tensor I = s.view({x.size(1), c.branches, c.synapses_per_branch}).sum(2);
    const at::Tensor hidden = torch::silu(torch::linear(torch::cat({I, kappa_m * m}, 1), p[1], p[2]));
    const at::Tensor delta = 1.7159 * torch::tanh(2.0 / 3.0 * torch::linear(hidden, p[3], p[4]));
    m = kappa_m * m + c.lambda * (1 - kappa_m) * delta;
    y.push_back(torch::linear(m, p[5], p[6]));
  }
  return torch::stack(y);
}

}  // namespace

// The repository's table (d_m: parameters), counted from the tensors the model holds.
TEST(elm, neuronio_parameter_counts_match_the_paper) {
  const std::vector<std::pair<std::int64_t, std::int64_t>> table{{1, 4601},  {5, 5077},   {10, 5852},  {15, 6827},
                                                                 {20, 8002}, {30, 10952}, {50, 19252}, {100, 54002}};
  for (const auto& [memory, count] : table) EXPECT_EQ(elm_model(neuronio(memory), 1).parameter_count(), count) << memory;
}

// x = 0 and Dm = 0: m_t = kappa_m m_{t-1} at every step, from any m_0.
TEST(elm, memory_decays_by_kappa_m_without_input_or_update) {
  const elm_model elm(tiny(false), 3, at::kDouble);
  fix_delta(elm, 0);
  const torch::NoGradGuard no_grad;
  const at::Tensor m0 = torch::randn({4, 3}, torch::kDouble);
  const at::Tensor m = elm.memory(torch::zeros({50, 4, 5}, torch::kDouble), m0);
  const at::Tensor kappa = elm.kappa_m();
  EXPECT_TRUE(torch::allclose(m[0], kappa * m0, 1e-15, 0));
  for (std::int64_t t = 1; t < 50; ++t) EXPECT_TRUE(torch::allclose(m[t], kappa * m[t - 1], 1e-15, 0)) << t;
  EXPECT_TRUE(torch::allclose(m[49], kappa.pow(50) * m0, 1e-12, 0));
}

// A constant Dm from m_0 = 0: m_t = lambda Dm (1 - kappa_m^t), converging to lambda Dm.
TEST(elm, memory_follows_the_closed_form_to_lambda_delta_m) {
  auto c = tiny(false);
  c.tau_m_max = 40;
  const elm_model elm(c, 3, at::kDouble);
  fix_delta(elm, 0.8);
  const torch::NoGradGuard no_grad;
  const at::Tensor m = elm.memory(torch::rand({400, 2, 5}, torch::kDouble));
  const double delta = 1.7159 * std::tanh(2.0 / 3.0 * 0.8);
  const at::Tensor kappa = elm.kappa_m();
  for (std::int64_t t = 0; t < 400; ++t) {
    const at::Tensor expected = (c.lambda * delta * (1 - kappa.pow(t + 1))).expand({2, 3});
    EXPECT_TRUE(torch::allclose(m[t], expected, 1e-12, 1e-13)) << t;
  }
  EXPECT_NEAR(m[399][0][2].item<double>(), c.lambda * delta, 1e-3 * c.lambda * delta);  // 400 steps = 10 tau_max
}

TEST(elm, outputs_equal_the_equations_written_op_by_op) {
  const elm_model elm(tiny(true), 5, at::kDouble);
  const at::Tensor x = torch::rand({12, 3, 5}, torch::kDouble);
  const torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::allclose(elm.forward_steps(x), reference_outputs(elm, x), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(elm.forward(x), reference_outputs(elm, x)[-1], 1e-12, 1e-12));
}

TEST(elm, gradients_match_central_differences) {
  const elm_model elm(tiny(true), 7, at::kDouble);
  const at::Tensor x = torch::rand({6, 2, 5}, torch::kDouble), weights = torch::randn({6, 2, 2}, torch::kDouble);
  const auto loss = [&] { return (elm.forward_steps(x) * weights).sum(); };
  const auto grads = torch::autograd::grad({loss()}, elm.parameters());
  const torch::NoGradGuard no_grad;
  const double h = 1e-6;
  for (std::size_t i = 0; i < elm.parameters().size(); ++i) {
    auto flat = elm.parameters()[i].view(-1);
    for (std::int64_t j = 0; j < flat.numel(); ++j) {
      const double v = flat[j].item<double>();
      flat[j] = v + h;
      const double up = loss().item<double>();
      flat[j] = v - h;
      const double down = loss().item<double>();
      flat[j] = v;
      EXPECT_NEAR(grads[i].view(-1)[j].item<double>(), (up - down) / (2 * h), 1e-6) << "parameter " << i << " entry " << j;
    }
  }
}

TEST(elm, bad_configurations_are_refused) {
  auto c = neuronio(10);
  c.synapses_per_branch = 20;  // 45 x 20 < 1278 inputs
  EXPECT_THROW(elm_model(c, 1), std::invalid_argument);
  c = tiny(false);
  c.tau_m_min = 0;
  EXPECT_THROW(elm_model(c, 1), std::invalid_argument);
  EXPECT_THROW(elm_model(tiny(false), 1).forward(torch::zeros({3, 2, 4})), std::invalid_argument);
}

TEST(lstm, parameter_count_and_size_matching) {
  for (const std::int64_t hidden : {1, 7, 44}) {
    EXPECT_EQ(lstm_classifier(28, hidden, 19, 1).parameter_count(), lstm_classifier::parameter_count_for(28, hidden, 19));
  }
  const std::int64_t target = elm_model(elm_config{}, 1).parameter_count();
  const std::int64_t h = size_nearest(target, [](std::int64_t n) { return lstm_classifier::parameter_count_for(28, n, 19); });
  EXPECT_LT(50 * std::abs(lstm_classifier::parameter_count_for(28, h, 19) - target), target);  // within 2%
  EXPECT_GT(std::abs(lstm_classifier::parameter_count_for(28, h + 1, 19) - target),
            std::abs(lstm_classifier::parameter_count_for(28, h, 19) - target));
}

// Fashion-MNIST-Adding through the shared trainer: the same numbers for 1 and 3 threads.
TEST(elm, training_runs_are_identical_for_any_thread_count) {
  const auto images = io::read_fashion_mnist(io::dataset_split::test).first(300);
  const image_pair_sums train(images, image_order::rows, 120, 1), test(images, image_order::rows, 40, 2);
  elm_config c;
  c.memory = 6;
  for (const bool elm : {true, false}) {
    std::vector<training_report> runs;
    for (const int threads : {1, 3}) {
      training_options o;
      o.epochs = 2, o.batch_size = 40, o.micro_batch = 10, o.threads = threads, o.learning_rate = 5e-3;
      if (elm) {
        elm_model model(c, 1);
        runs.push_back(train_classifier(model, train, test, o));
      } else {
        lstm_classifier model(28, 5, 19, 1);
        runs.push_back(train_classifier(model, train, test, o));
      }
    }
    for (std::size_t e = 0; e < 2; ++e) {
      EXPECT_EQ(runs[0].epochs[e].train_loss, runs[1].epochs[e].train_loss) << (elm ? "elm" : "lstm");
      EXPECT_EQ(runs[0].epochs[e].test_accuracy, runs[1].epochs[e].test_accuracy);
    }
    EXPECT_LT(runs[0].epochs[1].train_loss, runs[0].epochs[0].train_loss);
  }
}
