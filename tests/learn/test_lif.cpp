// LIF layers: spikes against a hand-traced case, the fused kernel against the op-by-op reference
// (whose surrogate derivative autograd takes from the antiderivative), and the fused backward
// pass against central finite differences in double.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <torch/torch.h>

#include "learn/lif.hpp"
#include "learn/lif_network.hpp"

using namespace neurite::learn;

namespace {

// A loss that reads both outputs, with fixed random weights, so that both incoming gradients count.
struct weighted_sum {
  at::Tensor on_spikes, on_membrane;
  at::Tensor operator()(const lif_output& out) const {
    return (out.spikes * on_spikes).sum() + (out.membrane * on_membrane).sum();
  }
};

weighted_sum random_loss(at::IntArrayRef shape, at::ScalarType type) {
  return {torch::randn(shape, torch::dtype(type)), torch::randn(shape, torch::dtype(type))};
}

// Both resets, both surrogates, plain and adaptive.
std::vector<lif_params> every_variant(bool smooth) {
  std::vector<lif_params> all;
  for (const auto reset : {reset_mode::subtract, reset_mode::to_zero})
    for (const auto shape : {surrogate_shape::fast_sigmoid, surrogate_shape::arctan})
      for (const double q_sfa : {0.0, 0.4}) all.push_back({8.0, 1.0, 1.0, reset, {shape, 5.0, smooth}, q_sfa, 20.0});
  return all;
}

// Currents that drive some neurons past threshold and keep others below it.
at::Tensor random_currents(at::IntArrayRef shape, at::ScalarType type) {
  return (torch::rand(shape, torch::dtype(type)) * 1.4 - 0.3).requires_grad_(true);
}

at::Tensor gradient(const at::Tensor& currents, const lif_params& p, lif_kernel k, const weighted_sum& loss) {
  return torch::autograd::grad({loss(lif(currents, p, k))}, {currents})[0];
}

}  // namespace

// With beta = 1 (tau_m infinite) the membrane sums the currents; 0.375 is exact in binary.
TEST(lif, spikes_follow_a_hand_trace_for_both_resets_and_adaptation) {
  const at::Tensor currents = torch::full({8, 1, 1}, 0.375);
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto kernel : {lif_kernel::fused, lif_kernel::op_by_op}) {
    // subtract: U = .375 .75 1.125* | .5 .875 1.25* | .625 1.0*  (V after a spike: U - 1)
    const auto sub = lif(currents, {inf, 1.0, 1.0, reset_mode::subtract, {}}, kernel);
    EXPECT_TRUE(sub.spikes.flatten().equal(torch::tensor({0., 0., 1., 0., 0., 1., 0., 1.}).to(torch::kFloat)));
    EXPECT_FLOAT_EQ(sub.membrane.flatten()[7].item<float>(), 1.0f);
    // to zero: U = .375 .75 1.125* | .375 .75 1.125* | .375 .75
    const auto zero = lif(currents, {inf, 1.0, 1.0, reset_mode::to_zero, {}}, kernel);
    EXPECT_TRUE(zero.spikes.flatten().equal(torch::tensor({0., 0., 1., 0., 0., 1., 0., 0.}).to(torch::kFloat)));
    EXPECT_FLOAT_EQ(zero.membrane.flatten()[7].item<float>(), 0.75f);
    // adaptive, each spike raising the threshold by 0.5 for good (tau_sfa infinite):
    // U = .375 .75 1.125* (theta 1) | .5 .875 1.25 1.625* (theta 1.5) | 1.0 (theta 2)
    const auto adaptive = lif(currents, {inf, 1.0, 1.0, reset_mode::subtract, {}, 0.5, inf}, kernel);
    EXPECT_TRUE(adaptive.spikes.flatten().equal(torch::tensor({0., 0., 1., 0., 0., 0., 1., 0.}).to(torch::kFloat)));
    EXPECT_FLOAT_EQ(adaptive.membrane.flatten()[7].item<float>(), 1.0f);
  }
}

TEST(lif, fused_kernel_matches_op_by_op_in_float) {
  torch::manual_seed(3);
  const std::vector<std::int64_t> shape{30, 4, 50};
  for (const auto& p : every_variant(false)) {
    const at::Tensor currents = random_currents(shape, torch::kFloat);
    const auto fused = lif(currents, p, lif_kernel::fused), reference = lif(currents, p, lif_kernel::op_by_op);
    EXPECT_GT(fused.spikes.sum().item<float>(), 100.0f);  // spikes and resets are exercised
    EXPECT_TRUE(fused.spikes.equal(reference.spikes));
    EXPECT_TRUE(torch::allclose(fused.membrane, reference.membrane, 1e-5, 1e-5));
    const auto loss = random_loss(shape, torch::kFloat);
    const at::Tensor g_fused = gradient(currents, p, lif_kernel::fused, loss);
    const at::Tensor g_reference = gradient(currents, p, lif_kernel::op_by_op, loss);
    EXPECT_GT(g_reference.abs().max().item<float>(), 0.1f);
    EXPECT_TRUE(torch::allclose(g_fused, g_reference, 1e-4, 1e-4))
        << "max difference " << (g_fused - g_reference).abs().max().item<float>();
  }
}

// With the smooth spike the backward pass is the exact gradient of the forward pass: every term of
// the recurrence (leak, reset, adaptation, surrogate) is checked against (L(I + h) - L(I - h)) / 2h.
TEST(lif, fused_backward_matches_finite_differences_in_double) {
  torch::manual_seed(5);
  const std::vector<std::int64_t> shape{7, 2, 3};
  const double h = 1e-6;
  for (const auto& p : every_variant(true)) {
    const at::Tensor currents = random_currents(shape, torch::kDouble) * 4;  // the smooth spike is 2/k or pi/k high
    const auto loss = random_loss(shape, torch::kDouble);
    const at::Tensor analytic = gradient(currents, p, lif_kernel::fused, loss);
    at::Tensor numeric = torch::zeros_like(analytic);
    const torch::NoGradGuard no_grad;
    for (std::int64_t i = 0; i < currents.numel(); ++i) {
      at::Tensor plus = currents.detach().clone(), minus = currents.detach().clone();
      plus.view(-1)[i] += h;
      minus.view(-1)[i] -= h;
      numeric.view(-1)[i] = (loss(lif(plus, p, lif_kernel::fused)) - loss(lif(minus, p, lif_kernel::fused))) / (2 * h);
    }
    const double error = (analytic - numeric).abs().max().item<double>();
    EXPECT_LT(error, 1e-7 * std::max(1.0, analytic.abs().max().item<double>())) << "max |analytic - numeric| " << error;
  }
}

namespace {

// A layer with recurrent weights and per-neuron decays, all trained: n neurons.
lif_layer_tensors random_trained_layer(std::int64_t n, at::ScalarType type) {
  const auto options = torch::dtype(type);
  return {(torch::randn({n, n}, options) * 0.6).requires_grad_(true),
          (torch::rand({n}, options) * 0.5 + 0.4).requires_grad_(true),
          (torch::rand({n}, options) * 0.5 + 0.4).requires_grad_(true)};
}

// dL/d(currents, V, beta, rho).
std::vector<at::Tensor> layer_gradients(const at::Tensor& currents, const lif_layer_tensors& layer, const lif_params& p,
                                        lif_kernel k, const weighted_sum& loss) {
  return torch::autograd::grad({loss(lif(currents, layer, p, k))}, {currents, layer.recurrent, layer.beta, layer.rho});
}

}  // namespace

TEST(lif, recurrent_layer_with_trained_decays_matches_op_by_op_in_float) {
  torch::manual_seed(7);
  const std::vector<std::int64_t> shape{30, 4, 50};
  for (const auto& p : every_variant(false)) {
    const at::Tensor currents = random_currents(shape, torch::kFloat) * 0.5;
    const auto layer = random_trained_layer(shape.back(), torch::kFloat);
    const auto fused = lif(currents, layer, p, lif_kernel::fused);
    const auto reference = lif(currents, layer, p, lif_kernel::op_by_op);
    EXPECT_GT(fused.spikes.sum().item<float>(), 100.0f);
    EXPECT_TRUE(fused.spikes.equal(reference.spikes));
    EXPECT_TRUE(torch::allclose(fused.membrane, reference.membrane, 1e-5, 1e-5));
    const auto loss = random_loss(shape, torch::kFloat);
    const auto g_fused = layer_gradients(currents, layer, p, lif_kernel::fused, loss);
    const auto g_reference = layer_gradients(currents, layer, p, lif_kernel::op_by_op, loss);
    for (std::size_t i = 0; i < g_fused.size(); ++i) {
      if (i == 3 && p.q_sfa == 0) {  // rho plays no part without adaptation
        EXPECT_EQ(g_fused[i].abs().max().item<float>(), 0.0f);
        continue;
      }
      EXPECT_GT(g_reference[i].abs().max().item<float>(), 0.1f) << "input " << i;
      const float scale = g_reference[i].abs().max().item<float>();
      EXPECT_TRUE(torch::allclose(g_fused[i], g_reference[i], 1e-4, 1e-5 * scale))
          << "input " << i << ": max difference " << (g_fused[i] - g_reference[i]).abs().max().item<float>();
    }
  }
}

// The recurrent term (carried back through V S(t-1)) and the decays' gradients, against central
// differences of every entry of the currents, V, beta and rho.
TEST(lif, recurrent_layer_with_trained_decays_matches_finite_differences_in_double) {
  torch::manual_seed(11);
  const std::vector<std::int64_t> shape{7, 2, 3};
  const double h = 1e-6;
  for (const auto& p : every_variant(true)) {
    const at::Tensor currents = random_currents(shape, torch::kDouble) * 3;
    const auto layer = random_trained_layer(shape.back(), torch::kDouble);
    const auto loss = random_loss(shape, torch::kDouble);
    const auto analytic = layer_gradients(currents, layer, p, lif_kernel::fused, loss);
    const torch::NoGradGuard no_grad;
    std::vector<at::Tensor> inputs{currents.detach(), layer.recurrent.detach(), layer.beta.detach(), layer.rho.detach()};
    const auto loss_at = [&](const std::vector<at::Tensor>& x) {
      return loss(lif(x[0], {x[1], x[2], x[3]}, p, lif_kernel::fused)).item<double>();
    };
    for (std::size_t which = 0; which < inputs.size(); ++which) {
      at::Tensor numeric = torch::zeros_like(analytic[which]);
      for (std::int64_t i = 0; i < numeric.numel(); ++i) {
        auto plus = inputs, minus = inputs;
        plus[which] = inputs[which].clone(), minus[which] = inputs[which].clone();
        plus[which].view(-1)[i] += h;
        minus[which].view(-1)[i] -= h;
        numeric.view(-1)[i] = (loss_at(plus) - loss_at(minus)) / (2 * h);
      }
      const double error = (analytic[which] - numeric).abs().max().item<double>();
      EXPECT_LT(error, 1e-7 * std::max(1.0, analytic[which].abs().max().item<double>()))
          << "input " << which << ": max |analytic - numeric| " << error;
    }
  }
}

// The max-membrane readout passes the gradient to the step where each neuron's membrane peaks:
// checked against central differences through the whole layer, in double with the smooth spike.
TEST(lif, max_membrane_readout_matches_finite_differences_in_double) {
  torch::manual_seed(13);
  const std::vector<std::int64_t> shape{9, 2, 4};
  const double h = 1e-6;
  const lif_params p{8.0, 1.0, 1.0, reset_mode::subtract, {surrogate_shape::fast_sigmoid, 5.0, true}, 0.4, 20.0};
  const at::Tensor currents = random_currents(shape, torch::kDouble) * 3;
  const at::Tensor weights = torch::randn({shape[1], shape[2]}, torch::kDouble);
  const auto loss = [&](const at::Tensor& c) {
    return (read_out(lif(c, p, lif_kernel::fused), readout::max_membrane) * weights).sum();
  };
  const at::Tensor analytic = torch::autograd::grad({loss(currents)}, {currents})[0];
  EXPECT_GE(analytic.ne(0).sum().item<std::int64_t>(), shape[1] * shape[2]);  // every neuron's peak is reached
  const torch::NoGradGuard no_grad;
  at::Tensor numeric = torch::zeros_like(analytic);
  for (std::int64_t i = 0; i < currents.numel(); ++i) {
    at::Tensor plus = currents.detach().clone(), minus = currents.detach().clone();
    plus.view(-1)[i] += h;
    minus.view(-1)[i] -= h;
    numeric.view(-1)[i] = (loss(plus) - loss(minus)) / (2 * h);
  }
  const double error = (analytic - numeric).abs().max().item<double>();
  EXPECT_LT(error, 1e-7 * std::max(1.0, analytic.abs().max().item<double>())) << "max |analytic - numeric| " << error;
}

// Recurrent hidden layers and trained decays: the parameters come after the input weights, the
// decays start at the configured tau, and the fused network gives the op-by-op one's scores.
TEST(lif_network, recurrent_layers_and_trained_decays_are_parameters) {
  lif_network_config c;
  c.sizes = {20, 16, 12, 5};
  c.neuron.q_sfa = 0.2;
  c.recurrent = true;
  c.learn_tau = true;
  const lif_network net(c, 3);
  // W, b of 3 layers; V of the 2 hidden ones; beta and rho logits of all 3.
  ASSERT_EQ(net.parameters().size(), 6u + 2 + 6);
  EXPECT_EQ(net.parameters()[6].sizes(), (std::vector<std::int64_t>{16, 16}));
  EXPECT_FALSE(net.trained(2).recurrent.defined());
  EXPECT_TRUE(torch::allclose(net.trained(0).beta, torch::full({16}, c.neuron.beta(), torch::kFloat)));
  EXPECT_TRUE(torch::allclose(net.trained(2).rho, torch::full({5}, c.neuron.rho(), torch::kFloat)));
  torch::manual_seed(2);
  const at::Tensor inputs = torch::rand({10, 3, 20}) * 2;
  auto reference_config = c;
  reference_config.kernel = lif_kernel::op_by_op;
  const lif_network reference(reference_config, 3);
  EXPECT_TRUE(torch::allclose(net.forward(inputs), reference.forward(inputs), 1e-5, 1e-5));
  EXPECT_GT(net.layer_outputs(inputs)[0].spikes.sum().item<float>(), 0.0f);
  c.recurrent = c.learn_tau = false;
  EXPECT_EQ(lif_network(c, 3).parameters().size(), 6u);
}
