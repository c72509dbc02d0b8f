// The event-driven input product against at::linear (LibTorch's dense product and its autograd
// derivative): values and all three gradients, exact where the sums are, on any thread count.
#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>

#include "learn/spike_linear.hpp"

using neurite::learn::spike_linear;

namespace {

// 70 outputs: one full tile of 64 columns and a partial one; 150 inputs span several blocks.
constexpr std::int64_t steps = 3, batch = 4, in = 150, out = 70;

struct layer {
  at::Tensor x, weight, bias, upstream;  // upstream: dL/dI of a fixed linear loss
};

// Spikes at about 30%; weights on a 2^-10 grid in [-1, 1), so that float sums of up to 2^13 of them
// are exact and the summation order cannot matter.
layer random_layer(at::ScalarType type, double density = 0.3) {
  at::manual_seed(3);
  const auto grid = [&](at::IntArrayRef shape) {
    return (at::randint(-1024, 1024, shape, at::kLong).to(type) / 1024).requires_grad_(true);
  };
  return {at::rand({steps, batch, in}, at::kDouble).lt(density).to(type).requires_grad_(true), grid({out, in}),
          grid({out}), (at::randint(-1024, 1024, {steps, batch, out}, at::kLong).to(type) / 1024)};
}

// The product and the gradients of (I * upstream).sum() with respect to x, weight and bias.
std::vector<at::Tensor> product_and_gradients(const layer& l, bool events) {
  const at::Tensor y = events ? spike_linear(l.x, l.weight, l.bias) : at::linear(l.x, l.weight, l.bias);
  auto g = torch::autograd::grad({(y * l.upstream).sum()}, {l.x, l.weight, l.bias});
  g.insert(g.begin(), y.detach());
  return g;
}

void expect_all_equal(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(at::equal(a[i], b[i])) << "tensor " << i;
}

TEST(spike_linear, equals_the_dense_product_and_its_gradients_where_sums_are_exact) {
  for (const auto type : {at::kFloat, at::kDouble}) {
    const layer l = random_layer(type);
    expect_all_equal(product_and_gradients(l, true), product_and_gradients(l, false));
  }
}

TEST(spike_linear, agrees_with_the_dense_product_on_general_weights) {
  at::manual_seed(5);
  layer l = random_layer(at::kDouble);
  l.weight = at::randn({out, in}, at::kDouble).requires_grad_(true);
  l.bias = at::randn({out}, at::kDouble).requires_grad_(true);
  l.upstream = at::randn({steps, batch, out}, at::kDouble);
  const auto events = product_and_gradients(l, true), dense = product_and_gradients(l, false);
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_TRUE(at::allclose(events[i], dense[i], 1e-12, 1e-12)) << "tensor " << i;
}

TEST(spike_linear, takes_the_dense_product_for_inputs_that_are_not_spikes) {
  layer l = random_layer(at::kFloat);
  l.weight = at::randn({out, in}).requires_grad_(true);  // sums in another order would round differently
  l.x = (l.x.detach() * 0.5).requires_grad_(true);       // direct currents
  expect_all_equal(product_and_gradients(l, true), product_and_gradients(l, false));
  l.x = at::ones({steps, batch, in}).requires_grad_(true);  // every input spiking: events would not pay
  expect_all_equal(product_and_gradients(l, true), product_and_gradients(l, false));
}

TEST(spike_linear, gives_the_same_bits_on_any_thread_count) {
  at::manual_seed(7);
  layer l = random_layer(at::kFloat);
  l.weight = at::randn({out, in}).requires_grad_(true);
  l.upstream = at::randn({steps, batch, out});
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const auto one = product_and_gradients(l, true);
  at::set_num_threads(3);
  const auto three = product_and_gradients(l, true);
  at::set_num_threads(threads);
  expect_all_equal(one, three);
}

TEST(spike_linear, reports_the_shapes_the_dense_product_refuses) {
  const layer l = random_layer(at::kFloat);
  EXPECT_THROW(spike_linear(l.x, l.weight.t(), l.bias), c10::Error);
}

}  // namespace
