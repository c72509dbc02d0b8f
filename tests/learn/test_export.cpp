// Export of a lif_network to a model file: the kernel, run on that file by the code path of
// `neurite run` (read_model_file, build, run), spikes exactly when learn's forward does, with the
// documented shift of one step per layer, for 1 and 2 kernel threads.
//
// Exact by design: learn sums W x + b in BLAS's order, the kernel in the order spikes arrive, so
// arbitrary float weights could give sums one rounding apart and, rarely, a spike on one side
// only. Here the weights and biases lie on a grid of 2^-10 (random draws, rounded): every such sum
// is exact in float whatever its order, and both sides then do the same float operations on the
// same numbers (learn/lif.cpp and models/lif_discrete.cpp, without fused multiply-adds).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "core/rng.hpp"
#include "io/model_file.hpp"
#include "learn/encoders.hpp"
#include "learn/export.hpp"
#include "network/build.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

constexpr std::uint32_t pixels = 20, samples = 3, steps = 25;

// `samples` images of 20 pixels with intensities from a Philox stream.
io::labelled_images random_images() {
  io::labelled_images data{samples, 1, pixels, {}, std::vector<std::uint8_t>(samples, 0)};
  core::random_stream stream(7, 0, 0);
  for (std::uint32_t k = 0; k < samples * pixels; ++k) data.pixels.push_back(static_cast<std::uint8_t>(stream.uniform() * 256));
  return data;
}

at::Tensor encoded_input(encoding kind) { return encode_first({kind, steps, 0.6, 0.2, 3}, random_images(), samples); }

// A 20-16-8 network with its parameters scaled by `gain` (enough activity to test) and rounded
// to multiples of 2^-10.
lif_network grid_network(const lif_params& neuron, double gain) {
  lif_network_config c;
  c.sizes = {pixels, 16, 8};
  c.neuron = neuron;
  lif_network net(c, 11);
  at::NoGradGuard no_grad;
  for (const auto& p : net.parameters()) p.mul_(gain * 1024).round_().div_(1024);
  return net;
}

// The recorded spikes of a population in the T steps that learn/ computes for layer l, kernel
// steps [l, l + T); layers before the last run on after them, which learn/ does not see.
std::vector<core::spike> recorded(const core::simulation& sim, const std::string& population, std::size_t layer) {
  const auto first = static_cast<core::step_t>(layer), end = first + steps;
  for (const auto& r : sim.spike_recorders())
    if (sim.populations()[r.population].name == population) {
      std::vector<core::spike> out;
      std::copy_if(r.spikes.begin(), r.spikes.end(), std::back_inserter(out),
                   [&](const core::spike& s) { return s.step >= first && s.step < end; });
      return out;
    }
  ADD_FAILURE() << "no spike recorder for " << population;
  return {};
}

std::vector<std::pair<core::step_t, core::index_t>> pairs(const std::vector<core::spike>& spikes) {
  std::vector<std::pair<core::step_t, core::index_t>> out;
  for (const auto& s : spikes) out.emplace_back(s.step, s.id);
  return out;
}

void expect_kernel_spikes_as_learn(const lif_params& neuron, encoding kind, const std::string& name) {
  const lif_network net = grid_network(neuron, 3.5);
  const at::Tensor input = encoded_input(kind);
  const auto layers = net.layer_outputs(input);
  // layer_outputs are forward() layer by layer: the readout agrees bit for bit.
  ASSERT_TRUE(at::equal(layers.back().membrane.mean(0), net.forward(input)));

  const auto dir = std::filesystem::path(testing::TempDir()) / ("neurite_export_" + name);
  const auto file = export_model_file(net, input, dir);
  for (const int threads : {1, 2}) {
    SCOPED_TRACE(name + ", threads " + std::to_string(threads));
    const auto desc = io::read_model_file(file.string(), {"simulation.threads=" + std::to_string(threads)});
    const auto built = network::build(desc);
    built.sim->run(desc.simulation.duration);
    EXPECT_EQ(pairs(recorded(*built.sim, "input", 0)), pairs(kernel_spikes(input, 0)));
    for (std::size_t l = 1; l <= layers.size(); ++l) {
      const auto expected = kernel_spikes(layers[l - 1].spikes, l);
      EXPECT_GE(expected.size(), 20u) << "layer " << l << ": too few spikes for a meaningful test";
      EXPECT_EQ(pairs(recorded(*built.sim, layer_population(l), l)), pairs(expected)) << "layer " << l;
    }
  }
}

}  // namespace

TEST(export_model_file, kernel_spikes_as_learn_reset_by_subtraction) {
  lif_params p;
  p.reset = reset_mode::subtract;
  expect_kernel_spikes_as_learn(p, encoding::poisson_rate, "subtract");
}

TEST(export_model_file, kernel_spikes_as_learn_reset_to_zero_latency_input) {
  lif_params p;
  p.reset = reset_mode::to_zero;
  p.tau_m = 5;
  expect_kernel_spikes_as_learn(p, encoding::latency, "to_zero");
}

TEST(export_model_file, kernel_spikes_as_learn_adaptive_threshold) {
  lif_params p;
  p.q_sfa = 0.3;
  p.tau_sfa = 20;
  p.dt = 0.5;
  expect_kernel_spikes_as_learn(p, encoding::poisson_rate, "adaptive");
}

TEST(export_model_file, refuses_input_that_is_not_spikes) {
  const lif_network net = grid_network(lif_params{}, 1);
  EXPECT_THROW(export_model_file(net, encoded_input(encoding::direct_current),
                                 std::filesystem::path(testing::TempDir()) / "neurite_export_refused"),
               std::invalid_argument);
}
