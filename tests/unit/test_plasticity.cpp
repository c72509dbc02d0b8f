// The kernel side of plasticity: traces against direct sums, and the plumbing of plastic
// projections (weights by synapse, weight recorders, refused requests).
#include <gtest/gtest.h>

#include <cmath>

#include "core/plasticity.hpp"
#include "core/rng.hpp"
#include "network/build.hpp"

using namespace neurite;

// A trace is the sum over earlier spikes of e^{-lag/tau}: checked against that sum for random
// spike steps, with lags inside and beyond the decay table.
TEST(trace_set, equals_the_sum_over_earlier_spikes) {
  const double tau = 7.5, dt = 0.1;
  core::trace_set x(tau, dt, false), nearest(tau, dt, true);
  x.resize(1);
  nearest.resize(1);
  core::random_stream r(3, core::stream_purpose(core::purpose::test, 0), 0, 0);
  std::vector<core::step_t> spikes;
  core::step_t t = 0;
  for (int k = 0; k < 200; ++k) {
    t += 1 + static_cast<core::step_t>(r.uniform() * (k % 10 == 0 ? 9000 : 300));
    double sum = 0;
    for (const auto s : spikes) sum += std::exp(-static_cast<double>(t - s) * dt / tau);
    ASSERT_NEAR(x.at(0, t), sum, 1e-12 * (1 + sum)) << "spike " << k;
    if (!spikes.empty()) {
      ASSERT_NEAR(nearest.at(0, t), std::exp(-static_cast<double>(t - spikes.back()) * dt / tau), 1e-12);
    }
    x.add(0, t);
    nearest.add(0, t);
    spikes.push_back(t);
  }
}

namespace {

network::network_desc plastic_pair(int threads) {
  using network::value_dist;
  network::network_desc d;
  d.file = "plasticity_test";
  d.simulation = {0.1, 100, 1, threads};
  d.populations.push_back({"A", "poisson_source", 20, {{"rate", 50.0}}, {}, {}, "A"});
  d.populations.push_back({"B", "iaf_psc_delta", 10, {}, {}, {}, "B"});
  network::connector_desc all;
  d.projections.push_back({"AB", "A", "B", all, {value_dist::kind::constant, 4.0}, {value_dist::kind::constant, 1.0},
                           network::plasticity_desc{"stdp_pair", {{"w_max", 8.0}, {"A_plus", 0.05}}}, "AB"});
  d.projections.push_back({"static", "A", "B", all, {value_dist::kind::constant, 0.1}, {value_dist::kind::constant, 1.0},
                           {}, "static"});
  return d;
}

}  // namespace

TEST(plastic_projection, weights_are_listed_by_synapse_and_recorded_over_time) {
  auto built = network::build(plastic_pair(2));
  auto& sim = *built.sim;
  const auto& rec = sim.record_weights(0, {{0, 0}, {19, 9}, {3, 5}}, 100);  // every 10 ms
  sim.run(100);
  const auto all = sim.weights(0);
  ASSERT_EQ(all.size(), 200u);
  for (std::size_t k = 1; k < all.size(); ++k)
    EXPECT_TRUE(all[k - 1].source < all[k].source ||
                (all[k - 1].source == all[k].source && all[k - 1].target < all[k].target));
  ASSERT_EQ(rec.times.size(), 10u);
  EXPECT_DOUBLE_EQ(rec.times.front(), 10.0);
  EXPECT_DOUBLE_EQ(rec.times.back(), 100.0);
  EXPECT_EQ(rec.values.back()[0], all[0].weight);
  EXPECT_EQ(rec.values.back()[1], all[199].weight);
  bool changed = false;
  for (const auto& s : all) changed = changed || s.weight != 4.0f;
  EXPECT_TRUE(changed) << "50 Hz input must move some weights";
}

TEST(plastic_projection, impossible_recordings_are_refused) {
  auto built = network::build(plastic_pair(1));
  EXPECT_THROW(built.sim->record_weights(1, {{0, 0}}, 10), std::invalid_argument);   // static
  EXPECT_THROW(built.sim->record_weights(0, {{0, 10}}, 10), std::invalid_argument);  // no such target
  EXPECT_THROW(built.sim->record_weights(0, {{20, 0}}, 10), std::invalid_argument);  // no such source
}

TEST(plastic_projection, initial_weights_outside_the_bounds_are_refused) {
  auto d = plastic_pair(1);
  d.projections[0].weight.a = 9.0;  // w_max is 8
  EXPECT_THROW(network::build(d), network::build_error);
}
