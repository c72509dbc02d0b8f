// The neuron-IO task (learn/neuron_io.hpp) and its scores (learn/spike_metrics.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/neuron_io.hpp"
#include "learn/spike_metrics.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {
// Pairs (spike step, silent step) ordered correctly, ties counting one half.
double pairwise_auc(const std::vector<float>& s, const std::vector<float>& y) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
      }
  return wins / pairs;
}

neuron_io_options small(std::uint32_t samples = 4) {
  neuron_io_options o;
  o.samples = samples;
  o.window = 300;
  o.burn_in = 50;
  return o;
}

bool same(const at::Tensor& a, const at::Tensor& b) { return a.sizes() == b.sizes() && at::equal(a, b); }
}  // namespace

TEST(spike_metrics, auc_equals_pairwise_count_with_ties) {
  for (std::uint32_t trial = 0; trial < 200; ++trial) {
    core::random_stream r(7, core::stream_purpose(core::purpose::test, 0), trial);
    const std::uint32_t n = 2 + r.below(30), levels = 1 + r.below(6);  // few levels: many ties
    std::vector<float> s(n), y(n);
    for (std::uint32_t k = 0; k < n; ++k) s[k] = static_cast<float>(r.below(levels)), y[k] = static_cast<float>(r.below(2));
    y[0] = 1, y[1] = 0;
    EXPECT_NEAR(roc_auc(s, y), pairwise_auc(s, y), 1e-12) << "trial " << trial;
  }
  EXPECT_EQ(roc_auc(std::vector<float>{0.1f, 0.9f, 0.2f}, std::vector<float>{0, 1, 0}), 1.0);
  EXPECT_EQ(roc_auc(std::vector<float>{0.1f, 0.9f, 0.2f}, std::vector<float>{1, 0, 0}), 0.0);
  EXPECT_THROW(roc_auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{0, 0}), std::invalid_argument);
  EXPECT_THROW(roc_auc(std::vector<float>{0.1f}, std::vector<float>{0, 1}), std::invalid_argument);
}

TEST(spike_metrics, rmse_is_root_mean_square) {
  EXPECT_DOUBLE_EQ(rmse(std::vector<float>{1, 2, 3}, std::vector<float>{1, 1, 1}), std::sqrt(5.0 / 3.0));
  EXPECT_THROW(rmse(std::vector<float>{}, std::vector<float>{}), std::invalid_argument);
}

TEST(neuron_io, shapes_and_a_sample_is_the_same_in_any_batch_and_thread) {
  const neuron_io_dataset data(small());
  const std::vector<std::uint32_t> both = {2, 0}, first = {2}, second = {0};
  const sequence_batch ab = data.batch(both, 0, 0);
  ASSERT_EQ(ab.inputs.sizes(), (at::IntArrayRef{300, 2, 280}));
  ASSERT_EQ(ab.spikes.sizes(), (at::IntArrayRef{300, 2}));
  EXPECT_EQ(data.burn_in(), 50u);
  const sequence_batch a = data.batch(first, 0, 0), b = data.batch(second, 1, 3);
  EXPECT_TRUE(same(ab.inputs.select(1, 0), a.inputs.select(1, 0)));
  EXPECT_TRUE(same(ab.inputs.select(1, 1), b.inputs.select(1, 0)));
  EXPECT_TRUE(same(ab.voltage.select(1, 0), a.voltage.select(1, 0)));
  EXPECT_TRUE(same(ab.spikes.select(1, 1), b.spikes.select(1, 0)));
  sequence_batch threaded;
  std::thread worker([&] { threaded = data.batch(both, 0, 0); });
  const sequence_batch here = data.batch(both, 0, 0);
  worker.join();
  EXPECT_TRUE(same(threaded.voltage, here.voltage) && same(threaded.inputs, here.inputs));
  EXPECT_FALSE(same(ab.inputs.select(1, 0), ab.inputs.select(1, 1)));  // samples differ
  neuron_io_options other = small();
  other.seed = 2;
  EXPECT_FALSE(same(neuron_io_dataset(other).batch(first, 0, 0).inputs, a.inputs));
}

// The two targets agree with each other and with the neuron: a bin with a spike ends at V_reset
// (the refractory period, 2 ms, outlasts the 1 ms bin), a bin without ends below threshold. Input
// counts have the mean the envelopes give: rate_ex * bin for excitatory inputs.
TEST(neuron_io, targets_are_consistent_and_inputs_have_their_rates) {
  const neuron_io_dataset data(small(12));
  double spikes = 0, ex_count = 0, ex_slots = 0;
  for (std::uint32_t k = 0; k < data.count(); ++k) {
    const neuron_io_sample s = data.simulate(k);
    for (std::size_t t = 0; t < s.spikes.size(); ++t) {
      if (s.spikes[t] > 0) EXPECT_EQ(s.voltage[t], -60.0f) << "sample " << k << ", bin " << t;
      else EXPECT_LT(s.voltage[t], -50.0f) << "sample " << k << ", bin " << t;
      spikes += s.spikes[t];
      for (std::uint32_t i = 0; i < 40; ++i) ex_count += s.inputs[t * data.features() + i];  // soma_ex
      ex_slots += 40;
    }
  }
  EXPECT_GT(spikes, 0);
  // One envelope per sample and group: 3 segments x 12 samples = 36 uniform draws in [0, 10 Hz),
  // mean 5 Hz with a standard deviation of 5 / sqrt(3 * 36) = 0.48 Hz; 4 sigma either side.
  EXPECT_NEAR(ex_count / ex_slots * 1e3, 5.0, 1.9);
}

TEST(neuron_io, rejects_inconsistent_options) {
  neuron_io_options o = small();
  o.bin = 0.3;
  EXPECT_THROW(neuron_io_dataset{o}, std::invalid_argument);
  o = small();
  o.burn_in = 400;
  EXPECT_THROW(neuron_io_dataset{o}, std::invalid_argument);
}

// The measured statistics of the default task (docs/learn_tasks.md): the output fires at a few to
// tens of Hz, a good part of its spikes fall in dendritic plateaus, which NMDA makes, and a linear
// filter of the inputs predicts the spikes only partly.
TEST(neuron_io, default_task_fires_sparsely_and_partly_through_plateaus) {
  neuron_io_options o;
  o.samples = 32;
  const neuron_io_dataset data(o);
  const neuron_io_statistics with = measure(data, o.samples);
  const double baseline = filtered_input_auc(data, o.samples);
  o.neuron = {{"nmda_ratio", 0.0}};
  const neuron_io_statistics without = measure(neuron_io_dataset(o), o.samples);
  std::printf("rate %.2f Hz, spike bins %.4f, plateau fraction %.3f; without NMDA %.2f Hz; filtered-input AUC %.4f\n",
              with.rate_hz, with.spike_bins, with.plateau_fraction, without.rate_hz, baseline);
  EXPECT_GT(with.rate_hz, 2.0);
  EXPECT_LT(with.rate_hz, 40.0);
  EXPECT_GT(with.plateau_fraction, 0.1);
  EXPECT_LT(with.plateau_fraction, 0.9);
  EXPECT_LT(without.rate_hz, 0.8 * with.rate_hz);
  EXPECT_GT(baseline, 0.6);
  EXPECT_LT(baseline, 0.98);
}
