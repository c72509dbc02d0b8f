// learn/astro_rnn and learn/astro_tasks: the parameter count against the tensors, the astrocyte
// trace's closed-form response to a step of spikes, the surrogate's forward value and gradient,
// gradients reaching every tensor, and the datasets' layouts.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <ATen/ATen.h>

#include "learn/astro_rnn.hpp"
#include "learn/astro_tasks.hpp"
#include "learn/lstm.hpp"
#include "../temp_dir.hpp"

using namespace neurite::learn;

namespace {

std::int64_t count(const astro_rnn& net) {
  std::int64_t n = 0;
  for (const auto& p : net.parameters()) n += p.numel();
  return n;
}

TEST(astro_rnn, parameter_count_matches_its_tensors) {
  for (const std::int64_t m : {0, 5}) {
    const astro_rnn_config c{7, 11, m, 3};
    EXPECT_EQ(count(astro_rnn(c, 1)), astro_rnn::parameter_count_for(c)) << m << " astrocytes";
  }
}

// Every neuron spikes at every step (W x = 10 >= V_th, nothing else drives it), so astrocyte m
// integrates the constant P S = c_m: A_m(t) = c_m (1 - kappa_m^(t + 1)), the step response of a
// leaky integrator.
TEST(astro_rnn, astrocyte_trace_follows_the_step_response_of_constant_spiking) {
  astro_rnn_config c{1, 4, 2, 2};
  c.tau_astro_min = 5, c.tau_astro_max = 50;
  const astro_rnn net(c, 3);
  {
    const at::NoGradGuard no_grad;
    const auto& p = net.parameters();
    p[0].fill_(10);  // W
    p[1].zero_();    // b
    p[2].zero_();    // R
    p[6].copy_(at::tensor({0.25f, 0.25f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 0.5f}).reshape({2, 4}));  // P: c = 1, 2
    p[7].zero_();    // G
    p[8].zero_();    // Q
  }
  const std::int64_t T = 60;
  const auto trace = net.run(at::ones({T, 1, 1}));
  EXPECT_EQ(trace.spikes.sum().item<double>(), static_cast<double>(T * 4));
  const auto tau = net.astro_time_constants();
  ASSERT_EQ(tau.size(), 2u);
  for (std::int64_t m = 0; m < 2; ++m) {
    const double c_m = static_cast<double>(m + 1), kappa = std::exp(-1 / tau[static_cast<std::size_t>(m)]);
    EXPECT_GE(tau[static_cast<std::size_t>(m)], 5 - 1e-4);
    EXPECT_LE(tau[static_cast<std::size_t>(m)], 50 + 1e-3);
    for (std::int64_t t = 0; t < T; ++t)
      EXPECT_NEAR(trace.astro[t][0][m].item<double>(), c_m * (1 - std::pow(kappa, static_cast<double>(t + 1))), 2e-6)
          << "astrocyte " << m << " step " << t;
  }
}

TEST(astro_rnn, surrogate_is_the_step_forward_and_fast_sigmoid_backward) {
  const at::Tensor x = at::linspace(-2, 2, 41, at::kDouble).requires_grad_(true);
  const double k = 5;
  const at::Tensor s = surrogate_step(x, k);
  EXPECT_TRUE(at::equal(s.detach(), (x.detach() >= 0).to(at::kDouble)));
  s.sum().backward();
  const at::Tensor expected = 1 / (1 + k * x.detach().abs()).square();
  EXPECT_TRUE(at::allclose(x.grad(), expected, 1e-12, 1e-12));
}

TEST(astro_rnn, gradients_reach_every_tensor) {
  astro_rnn_config c{3, 8, 4, 3};
  const astro_rnn net(c, 5);
  const at::Tensor x = at::rand({12, 2, 3}, at::kFloat) * 2;
  net.forward(x).square().sum().backward();
  for (std::size_t i = 0; i < net.parameters().size(); ++i) {
    ASSERT_TRUE(net.parameters()[i].grad().defined()) << i;
    EXPECT_GT(net.parameters()[i].grad().abs().sum().item<double>(), 0) << i;
  }
  EXPECT_EQ(net.forward(x).sizes(), (std::vector<std::int64_t>{2, 12, 3}));
}

// The LSTM baseline read at every step gives the last step's scores where the classifier reads them.
TEST(astro_rnn, lstm_read_at_every_step_ends_with_the_classifier_scores) {
  const lstm_classifier every(3, 6, 4, 7, true), last(3, 6, 4, 7);
  const at::Tensor x = at::rand({5, 2, 3}, at::kFloat);
  const at::Tensor all = every.forward(x);
  ASSERT_EQ(all.sizes(), (std::vector<std::int64_t>{2, 5, 4}));
  EXPECT_TRUE(at::allclose(all.select(1, 4), last.forward(x), 1e-6, 1e-6));
  EXPECT_EQ(every.parameter_count(), lstm_classifier::parameter_count_for(3, 6, 4));
}

TEST(astro_tasks, char_windows_label_each_character_with_the_next) {
  const auto dir = neurite::test_files::unique_temp_dir("neurite_test_astro_text");
  const auto file = (dir / "text.txt").string();
  std::ofstream(file) << "abcabcabcab";
  const auto corpus = read_char_corpus({file});
  EXPECT_EQ(corpus.alphabet, "abc");
  const char_windows w(corpus, 0, corpus.ids.size(), 3);
  ASSERT_EQ(w.count(), 3u);  // 11 characters: 3 windows of 3 with a next character each
  const std::vector<std::uint32_t> samples{1};
  const auto b = w.batch(samples, 0, 0);
  EXPECT_TRUE(at::equal(b.inputs.argmax(2).squeeze(1), at::tensor({0, 1, 2}, at::kLong)));
  EXPECT_TRUE(at::equal(b.labels.squeeze(0), at::tensor({1, 2, 0}, at::kLong)));
  std::filesystem::remove_all(dir);
}

TEST(astro_tasks, delayed_recall_shows_the_cue_first_and_the_go_signal_last) {
  const delayed_recall d({4, 4, 7, 50, 0}, 9);
  std::vector<std::uint32_t> all(50);
  std::iota(all.begin(), all.end(), 0u);
  const auto b = d.batch(all, 0, 0);
  ASSERT_EQ(b.inputs.sizes(), (std::vector<std::int64_t>{9, 50, 9}));
  EXPECT_TRUE(at::equal(b.inputs[0].slice(1, 0, 4).argmax(1), b.labels));
  EXPECT_TRUE(at::equal(b.inputs.sum(2), at::ones({9, 50})));  // one symbol per step
  EXPECT_EQ(b.inputs[8].select(1, 8).sum().item<double>(), 50.0);
  EXPECT_TRUE(at::equal(d.batch(std::vector<std::uint32_t>{3}, 0, 0).labels, b.labels.slice(0, 3, 4)));
  const delayed_recall other({4, 4, 7, 50, 1}, 9);
  EXPECT_FALSE(at::equal(other.batch(all, 0, 0).inputs, b.inputs));
}

}  // namespace
