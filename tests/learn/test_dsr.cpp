// DSR (learn/dsr.hpp): the rate identity it rests on, measured on LIF layers, and its gradient
// against central finite differences of the rate mapping.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/ATen.h>

#include "learn/dsr.hpp"
#include "learn/lif_network.hpp"

using namespace neurite::learn;

namespace {

constexpr std::int64_t steps = 8, batch = 5;

lif_network small_network() {
  lif_network_config c;
  c.sizes = {12, 7, 3};
  c.neuron.V_th = 0.3;
  return lif_network(c, 3);
}

// Constant inputs in [0, 1] over T steps, (T, batch, 12), from a formula (no generator).
at::Tensor constant_inputs() {
  const at::Tensor x = (at::sin(at::arange(batch * 12, at::kFloat) * 1.7) + 1) / 2;
  return x.reshape({1, batch, 12}).expand({steps, batch, 12}).contiguous();
}

}  // namespace

// With reset by subtraction and V(0) = 0: weighted rate = weighted current / V_th - V(T) / (V_th Lambda).
TEST(dsr, weighted_rate_obeys_the_membrane_identity) {
  const auto net = small_network();
  const at::NoGradGuard no_grad;
  const at::Tensor x = constant_inputs();
  const auto out = net.layer_outputs(x)[0];
  const double lambda = net.config().neuron.beta(), V_th = net.config().neuron.V_th;
  double big_lambda = 0;
  for (std::int64_t t = 0; t < steps; ++t) big_lambda += std::pow(lambda, static_cast<double>(t));
  const at::Tensor current = at::linear(x[0], net.parameters()[0], net.parameters()[1]);
  const at::Tensor last_v = out.membrane[steps - 1] - V_th * out.spikes[steps - 1];
  const at::Tensor expected = current / V_th - last_v / (V_th * big_lambda);
  EXPECT_GT(out.spikes.sum().item<double>(), 0);  // some neurons fire
  EXPECT_LT(out.spikes.mean().item<double>(), 1);  // not all at every step
  EXPECT_LT((weighted_rate(out.spikes, lambda) - expected).abs().max().item<double>(), 1e-5);
}

// The first layer's weight and bias gradients of sum(c * scores) are the derivatives of
// sum(c * (W2 g(W1 x + b1) + b2)), g(I) = clamp(I / V_th, 0, 1), here by central differences in
// double precision; the output layer's weight gradient is c^T (measured rates).
TEST(dsr, gradient_matches_finite_differences_of_the_rate_mapping) {
  const dsr_network net(small_network());
  const at::Tensor x = constant_inputs();
  const at::Tensor c = at::cos(at::arange(batch * 3, at::kFloat)).reshape({batch, 3});
  const auto& p = net.parameters();
  for (const auto& t : p) t.mutable_grad() = at::Tensor();
  (net.forward(x) * c).sum().backward();

  const double V_th = net.network().config().neuron.V_th, h = 1e-6;
  const at::Tensor xd = x[0].to(at::kDouble), cd = c.to(at::kDouble);
  const at::Tensor w2 = p[2].detach().to(at::kDouble), b2 = p[3].detach().to(at::kDouble);
  const auto mapping = [&](const at::Tensor& w1, const at::Tensor& b1) {
    const at::Tensor a = at::clamp(at::linear(xd, w1, b1) / V_th, 0.0, 1.0);
    return (at::linear(a, w2, b2) * cd).sum().item<double>();
  };
  const at::Tensor w1 = p[0].detach().to(at::kDouble), b1 = p[1].detach().to(at::kDouble);
  // No current within h of a kink of g, where a one-sided change would differ.
  const at::Tensor current = at::linear(xd, w1, b1);
  ASSERT_GT(at::minimum(current.abs(), (current - V_th).abs()).min().item<double>(), 10 * h);
  at::Tensor fd_w = at::zeros_like(w1), fd_b = at::zeros_like(b1);
  for (std::int64_t i = 0; i < w1.size(0); ++i) {
    for (std::int64_t j = 0; j < w1.size(1); ++j) {
      at::Tensor up = w1.clone(), down = w1.clone();
      up[i][j] += h;
      down[i][j] -= h;
      fd_w[i][j] = (mapping(up, b1) - mapping(down, b1)) / (2 * h);
    }
    at::Tensor up = b1.clone(), down = b1.clone();
    up[i] += h;
    down[i] -= h;
    fd_b[i] = (mapping(w1, up) - mapping(w1, down)) / (2 * h);
  }
  EXPECT_GT(fd_w.abs().max().item<double>(), 0.1);  // some currents inside (0, V_th)
  EXPECT_LT((p[0].grad().to(at::kDouble) - fd_w).abs().max().item<double>(), 1e-4);
  EXPECT_LT((p[1].grad().to(at::kDouble) - fd_b).abs().max().item<double>(), 1e-4);
  const at::NoGradGuard no_grad;
  const double lambda = net.network().config().neuron.beta();
  const at::Tensor rates = weighted_rate(net.network().layer_outputs(x)[0].spikes, lambda);
  EXPECT_LT((p[2].grad() - at::matmul(c.t(), rates)).abs().max().item<double>(), 1e-5);
}
