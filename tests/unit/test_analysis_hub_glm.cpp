// analysis/hub_glm: the planted links (count, no self-links, hubs only), the stimulus repeated on
// every trial, the rate without drive against the base rate (4 standard errors), a planted link
// raising its target's rate after a hub spike, trials as pure functions of their index, and
// errors on impossible sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "analysis/hub_glm.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
const std::uint32_t test_purpose = static_cast<std::uint32_t>(neurite::core::purpose::test);
}

TEST(hub_glm, plants_hubs_times_targets_links_from_the_hubs_only) {
  hub_glm_options o;
  o.neurons = 20, o.hubs = 4, o.targets_per_hub = 5;
  const auto m = plant_hub_glm(o, 3, test_purpose);
  const auto a = hub_adjacency(m);
  const std::set<int> hubs(m.hub_ids.begin(), m.hub_ids.end());
  EXPECT_EQ(hubs, (std::set<int>{0, 5, 10, 15}));
  int links = 0;
  for (std::size_t post = 0; post < 20; ++post)
    for (std::size_t pre = 0; pre < 20; ++pre)
      if (a[post * 20 + pre]) {
        ++links;
        EXPECT_NE(post, pre);
        EXPECT_TRUE(hubs.count(static_cast<int>(pre)));
        EXPECT_EQ(m.weights[post * 20 + pre], o.hub_weight);
      }
  EXPECT_EQ(links, 20);
  // Each neuron's stimulus has zero mean and unit variance over the trial.
  for (std::size_t n = 0; n < 20; ++n) {
    double s = 0, s2 = 0;
    for (std::size_t t = 0; t < o.bins; ++t) s += m.stimulus[t * 20 + n], s2 += m.stimulus[t * 20 + n] * m.stimulus[t * 20 + n];
    EXPECT_NEAR(s / static_cast<double>(o.bins), 0.0, 1e-12);
    EXPECT_NEAR(s2 / static_cast<double>(o.bins), 1.0, 1e-12);
  }
}

TEST(hub_glm, rate_without_drive_is_the_base_rate_and_a_hub_spike_raises_its_targets) {
  hub_glm_options o;
  o.neurons = 10, o.hubs = 1, o.targets_per_hub = 3, o.bins = 400, o.stimulus_gain = 0, o.hub_weight = 0;
  o.base_rate = 0.1;
  const auto quiet = plant_hub_glm(o, 4, test_purpose);
  double spikes = 0, total = 0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    const auto t = sample_hub_glm(quiet, r, 4, test_purpose);
    for (const auto x : t.spikes) spikes += x, total += 1;
  }
  EXPECT_NEAR(spikes / total, 0.1, 4 * std::sqrt(0.1 * 0.9 / total));
  // With the link: P(target spikes | hub spiked in the bin before) against the base rate.
  o.hub_weight = 3;
  const auto linked = plant_hub_glm(o, 4, test_purpose);
  const auto a = hub_adjacency(linked);
  double after = 0, count = 0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    const auto t = sample_hub_glm(linked, r, 4, test_purpose);
    for (std::size_t b = 1; b < o.bins; ++b)
      if (t.spikes[(b - 1) * 10]) {
        for (std::size_t n = 1; n < 10; ++n)
          if (a[n * 10]) after += t.spikes[b * 10 + n], count += 1;
      }
  }
  // sigmoid(logit(0.1) + 3 phi_0) with phi_0 = 0.665 at least, before the older bins add theirs.
  const double expected = 1 / (1 + std::exp(-(std::log(0.1 / 0.9) + 3 * 0.665)));
  EXPECT_GT(after / count, expected - 4 * std::sqrt(expected * (1 - expected) / count));
}

TEST(hub_glm, trials_are_pure_functions_of_their_index_and_behaviour_varies_by_trial) {
  hub_glm_options o;
  o.neurons = 8, o.hubs = 2, o.targets_per_hub = 2, o.behaviour_gain = 1;
  const auto m = plant_hub_glm(o, 5, test_purpose);
  const auto a = sample_hub_glm(m, 3, 5, test_purpose), b = sample_hub_glm(m, 3, 5, test_purpose),
             c = sample_hub_glm(m, 4, 5, test_purpose);
  EXPECT_EQ(a.spikes, b.spikes);
  EXPECT_EQ(a.behaviour, b.behaviour);
  EXPECT_NE(a.behaviour, c.behaviour);
  EXPECT_NE(a.spikes, c.spikes);
  o.behaviour_gain = 0;
  const auto still = sample_hub_glm(plant_hub_glm(o, 5, test_purpose), 3, 5, test_purpose);
  for (const double v : still.behaviour) EXPECT_EQ(v, 0.0);
}

TEST(hub_glm, impossible_sizes_are_refused) {
  hub_glm_options o;
  o.neurons = 5, o.targets_per_hub = 5;
  EXPECT_THROW(plant_hub_glm(o, 1, test_purpose), std::invalid_argument);
  o.targets_per_hub = 2, o.base_rate = 1.5;
  EXPECT_THROW(plant_hub_glm(o, 1, test_purpose), std::invalid_argument);
}
