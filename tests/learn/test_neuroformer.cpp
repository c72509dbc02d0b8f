// Neuroformer (learn/spike_tokens.hpp, learn/neuroformer.hpp): the tokeniser's round trip
// spikes -> tokens -> spikes (exact) and its caps, the training labels of a hand-made window, the
// causal mask (outputs at t do not depend on later tokens), gradient-weighted attention on a
// hand-computed case, the rate-only baseline against its closed form, sampling's well-formed and
// reproducible output, and errors on malformed input.
#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/neuroformer.hpp"
#include "learn/spike_tokens.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

const std::uint32_t test_purpose = static_cast<std::uint32_t>(core::purpose::test);

// bins x N random spike flags with probability p.
std::vector<std::uint8_t> random_spikes(std::uint32_t bins, std::uint32_t N, double p, std::uint32_t id) {
  core::random_stream r(5, test_purpose, id);
  std::vector<std::uint8_t> s(std::size_t{bins} * N);
  for (auto& x : s) x = r.uniform() < p ? 1 : 0;
  return s;
}

neuroformer_config tiny_config(std::uint32_t N, std::uint32_t W) {
  neuroformer_config c;
  c.layout = {N, W, 16, 16};
  c.windows = 8;
  c.embedding = 16, c.layers = 2, c.heads = 2, c.feedforward = 32;
  return c;
}

}  // namespace

TEST(spike_tokens, round_trip_spikes_tokens_spikes_is_exact) {
  // 23 bins: four full windows of 5 and a partial one of 3.
  const std::uint32_t N = 7, bins = 23;
  const token_layout l{N, 5, 64, 64};
  const auto spikes = random_spikes(bins, N, 0.3, 1);
  const auto windows = tokenise_trial(spikes, bins, l);
  ASSERT_EQ(windows.size(), 5u);
  std::vector<std::uint8_t> back(spikes.size(), 0);
  std::vector<spike_event> events;
  for (const auto& w : windows) {
    EXPECT_FALSE(w.truncated);
    for (const auto& e : detokenise(w, l)) {
      events.push_back(e);
      ++back[std::size_t{e.bin} * N + e.neuron];
    }
  }
  EXPECT_EQ(back, spikes);
  // In (bin, neuron) order, as the tokens are.
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end(),
                             [](const spike_event& a, const spike_event& b) { return a.bin != b.bin ? a.bin < b.bin : a.neuron < b.neuron; }));
  // The context of window w is window w - 1's current part, in previous-window time slots.
  for (std::size_t w = 1; w < windows.size(); ++w) {
    const auto& prev = windows[w - 1].tokens;
    std::vector<spike_token> expected;
    for (std::size_t i = windows[w - 1].sos + 1; i + 1 < prev.size(); ++i) expected.push_back({prev[i].id, prev[i].time - 5});
    EXPECT_EQ(std::vector<spike_token>(windows[w].tokens.begin(), windows[w].tokens.begin() + windows[w].sos), expected);
  }
  EXPECT_EQ(windows[0].sos, 0u);
}

TEST(spike_tokens, caps_keep_the_latest_context_and_the_earliest_current_spikes) {
  const std::uint32_t N = 4, bins = 10;
  const token_layout l{N, 5, 3, 2};
  const std::vector<std::uint8_t> all(std::size_t{bins} * N, 1);
  const auto w = tokenise_window(all, bins, 1, l);
  EXPECT_TRUE(w.truncated);
  ASSERT_EQ(w.tokens.size(), 3u + 1 + 2 + 1);
  EXPECT_EQ(w.tokens[0], (spike_token{1, 4}));  // the last three of bin 4
  EXPECT_EQ(w.tokens[2], (spike_token{3, 4}));
  EXPECT_EQ(w.tokens[4], (spike_token{0, 5}));  // the first two of bin 5
  EXPECT_EQ(w.tokens[5], (spike_token{1, 5}));
}

TEST(spike_tokens, malformed_input_is_refused_with_what_was_expected) {
  const token_layout l{3, 5, 8, 8};
  const std::vector<std::uint8_t> wrong(7, 0);
  EXPECT_THROW(tokenise_window(wrong, 5, 0, l), std::invalid_argument);
  window_sequence s;
  s.tokens = {{l.sos(), l.special_time()}, {5, 6}, {l.eos(), l.special_time()}};  // neuron 5 of 3
  EXPECT_THROW(detokenise(s, l), std::invalid_argument);
  s.tokens = {{l.sos(), l.special_time()}, {1, 6}};  // no EOS
  EXPECT_THROW(detokenise(s, l), std::invalid_argument);
}

TEST(neuroformer, labels_are_the_next_token_from_sos_on) {
  const token_layout l{2, 2, 8, 8};  // EOS 2, SOS 3, PAD 4
  window_sequence w;
  w.window = 1, w.sos = 1;
  w.tokens = {{0, 1}, {l.sos(), 4}, {1, 2}, {l.eos(), 4}};
  window_sequence shorter;
  shorter.tokens = {{l.sos(), 4}, {l.eos(), 4}};
  const window_dataset d(l, {w, shorter}, {0.5, -0.25});
  const std::vector<std::uint32_t> both{0, 1};
  const auto b = d.batch(both, 1, 0);
  ASSERT_EQ(b.inputs.sizes(), (std::vector<std::int64_t>{2, 4, 3}));
  auto in = b.inputs.accessor<std::int64_t, 3>();
  auto y = b.labels.accessor<double, 3>();
  EXPECT_EQ(in[0][0][0], 0);
  EXPECT_EQ(in[0][2][2], 1);  // the window index
  EXPECT_EQ(in[1][3][0], 4);  // padding
  const double ids[] = {-1, 1, 2, -1}, offsets[] = {-1, 0, -1, -1};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(y[0][i][0], ids[i]) << i;
    EXPECT_EQ(y[0][i][1], offsets[i]) << i;
  }
  EXPECT_EQ(y[0][3][2], 0.5);
  EXPECT_EQ(y[0][3][3], 1.0);
  EXPECT_EQ(y[1][0][0], 2);  // SOS predicts EOS at once
  EXPECT_EQ(y[1][1][3], 1.0);
  EXPECT_EQ(y[1][2][0], -1);
  EXPECT_THROW(window_dataset(l, {w}, {1.0, 2.0}), std::invalid_argument);
}

TEST(neuroformer, output_at_t_does_not_depend_on_later_tokens) {
  const auto c = tiny_config(5, 3);
  const neuroformer model(c, 3);
  const at::NoGradGuard no_grad;
  core::random_stream r(2, test_purpose, 9);
  const std::int64_t L = 9, t = 4;
  at::Tensor x = at::zeros({2, L, 3}, at::kLong);
  auto a = x.accessor<std::int64_t, 3>();
  for (std::int64_t b = 0; b < 2; ++b)
    for (std::int64_t i = 0; i < L; ++i) {
      a[b][i][0] = r.below(c.layout.id_vocabulary());
      a[b][i][1] = r.below(c.layout.time_vocabulary());
      a[b][i][2] = 3;
    }
  at::Tensor changed = x.clone();
  auto ch = changed.accessor<std::int64_t, 3>();
  for (std::int64_t b = 0; b < 2; ++b)
    for (std::int64_t i = t + 1; i < L; ++i) {
      ch[b][i][0] = (ch[b][i][0] + 1) % c.layout.id_vocabulary();
      ch[b][i][1] = (ch[b][i][1] + 2) % c.layout.time_vocabulary();
    }
  const at::Tensor y = model.forward(x), z = model.forward(changed);
  ASSERT_EQ(y.size(2), model.outputs());
  EXPECT_TRUE(at::equal(y.slice(1, 0, t + 1), z.slice(1, 0, t + 1)));
  EXPECT_GT((y.slice(1, t + 1) - z.slice(1, t + 1)).abs().max().item<double>(), 1e-4);
  // The attention rows are causal: nothing above the diagonal.
  for (const auto& att : model.run(x).attention) EXPECT_EQ(att.triu(1).abs().max().item<double>(), 0.0);
}

TEST(neuroformer, gradient_weighted_attention_on_a_hand_computed_case) {
  // Two heads, three positions; attention times max(gradient, 0), averaged over the heads:
  //   [[1, 0, 0], [0.3, 0.75, 0], [0.2, 0.3, 0.15]];
  // discard 0.5 drops floor(0.5 (q + 1)) of row q's q + 1 entries: none, then 0.3, then 0.15.
  const at::Tensor attention = at::tensor({1.0, 0.0, 0.0, 0.6, 0.4, 0.0, 0.2, 0.3, 0.5,  //
                                           1.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.1, 0.6, 0.3}, at::kDouble)
                                   .view({1, 2, 3, 3});
  const at::Tensor gradient = at::tensor({2.0, 0.0, 0.0, 1.0, -1.0, 0.0, 1.0, 1.0, -2.0,  //
                                          0.0, 0.0, 0.0, -1.0, 3.0, 0.0, 2.0, 0.5, 1.0}, at::kDouble)
                                  .view({1, 2, 3, 3});
  const at::Tensor kept = gradient_weighted_attention(attention, gradient, 0.0);
  const at::Tensor expected_kept = at::tensor({1.0, 0.0, 0.0, 0.3, 0.75, 0.0, 0.2, 0.3, 0.15}, at::kDouble).view({1, 3, 3});
  EXPECT_TRUE(at::allclose(kept, expected_kept, 0, 1e-12));
  const at::Tensor w = gradient_weighted_attention(attention, gradient, 0.5);
  const at::Tensor expected = at::tensor({1.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.2, 0.3, 0.0}, at::kDouble).view({1, 3, 3});
  EXPECT_TRUE(at::allclose(w, expected, 0, 1e-12));
  EXPECT_THROW(gradient_weighted_attention(attention, gradient, 1.0), std::invalid_argument);
  EXPECT_THROW(gradient_weighted_attention(attention, gradient.slice(2, 0, 2), 0.5), std::invalid_argument);
}

TEST(neuroformer, rate_baseline_is_the_smoothed_frequency_of_the_training_targets) {
  const token_layout l{2, 2, 8, 8};
  window_sequence train, test;
  train.tokens = {{l.sos(), 4}, {0, 2}, {0, 2}, {1, 3}, {l.eos(), 4}};
  test.tokens = {{l.sos(), 4}, {1, 2}, {l.eos(), 4}};
  const auto ce = rate_baseline_cross_entropy(window_dataset(l, {train}), window_dataset(l, {test}));
  // ids with add-one counts {3, 2, 2} of 7; the test targets are neuron 1 and EOS. Offsets {3, 2} of 5.
  EXPECT_NEAR(ce.id, std::log(3.5), 1e-12);
  EXPECT_NEAR(ce.offset, -std::log(0.6), 1e-12);
  EXPECT_EQ(ce.id_targets, 2u);
  EXPECT_EQ(ce.offset_targets, 1u);
}

TEST(neuroformer, samples_are_well_formed_keep_their_context_and_repeat_for_a_seed) {
  const auto c = tiny_config(6, 4);
  const neuroformer model(c, 4);
  const auto spikes = random_spikes(16, 6, 0.2, 2);
  const auto prompts = tokenise_trial(spikes, 16, c.layout);
  const auto a = sample_windows(model, prompts, 1.0, 11, test_purpose, 0);
  const auto b = sample_windows(model, prompts, 1.0, 11, test_purpose, 0);
  const auto other = sample_windows(model, prompts, 1.0, 12, test_purpose, 0);
  ASSERT_EQ(a.size(), prompts.size());
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].tokens, b[i].tokens);
    differs = differs || a[i].tokens != other[i].tokens;
    EXPECT_EQ(std::vector<spike_token>(a[i].tokens.begin(), a[i].tokens.begin() + a[i].sos + 1),
              std::vector<spike_token>(prompts[i].tokens.begin(), prompts[i].tokens.begin() + prompts[i].sos + 1));
    const auto events = detokenise(a[i], c.layout);
    EXPECT_LE(events.size(), c.layout.max_current);
    for (std::size_t k = 1; k < events.size(); ++k) EXPECT_GE(events[k].bin, events[k - 1].bin);
    for (const auto& e : events) EXPECT_EQ(e.bin / 4, prompts[i].window);
  }
  EXPECT_TRUE(differs);
  EXPECT_THROW(sample_windows(model, prompts, 0.0, 11, test_purpose, 0), std::invalid_argument);
}
