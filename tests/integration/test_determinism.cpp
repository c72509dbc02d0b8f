// The same seed gives bit-identical spikes and state for any number of threads; another seed
// gives other spikes.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "network/build.hpp"
#include "../small_networks.hpp"

using namespace neurite;

namespace {

struct run_record {
  std::vector<std::vector<core::spike>> spikes;
  std::vector<std::vector<double>> v;
  std::uint64_t events;
  std::vector<float> weights;  // of every plastic projection, by (source, target)
};

run_record run(network::network_desc d) {
  d.state_recordings = {{"E", "V_m", {0, 1, 399, 400, 799}, 0.5}};
  auto built = network::build(d);
  built.sim->run(d.simulation.duration / 2);
  built.sim->run(d.simulation.duration / 2);  // two calls continue where the first stopped
  run_record r;
  for (const auto& rec : built.sim->spike_recorders()) r.spikes.push_back(rec.spikes);
  r.v = built.sim->state_recorders()[0].values;
  r.events = built.sim->synaptic_events();
  for (std::uint32_t p = 0; p < built.sim->projections().size(); ++p)
    if (built.sim->projections()[p].plasticity)
      for (const auto& s : built.sim->weights(p)) r.weights.push_back(s.weight);
  return r;
}

bool same_spikes(const run_record& a, const run_record& b) {
  if (a.spikes.size() != b.spikes.size()) return false;
  for (std::size_t p = 0; p < a.spikes.size(); ++p) {
    if (a.spikes[p].size() != b.spikes[p].size()) return false;
    for (std::size_t k = 0; k < a.spikes[p].size(); ++k)
      if (a.spikes[p][k].step != b.spikes[p][k].step || a.spikes[p][k].id != b.spikes[p][k].id) return false;
  }
  return true;
}

void expect_identical_across_threads(const network::network_desc& base) {
  auto d = base;
  d.simulation.threads = 1;
  const auto reference = run(d);
  ASSERT_GT(reference.spikes[0].size(), 100u) << "the network must be active for the test to mean anything";
  for (const int threads : {2, 3, 4}) {
    d.simulation.threads = threads;
    const auto other = run(d);
    EXPECT_TRUE(same_spikes(reference, other)) << threads << " threads";
    EXPECT_EQ(reference.v, other.v) << threads << " threads";  // bitwise equality of doubles
    EXPECT_EQ(reference.events, other.events) << threads << " threads";
    EXPECT_EQ(reference.weights, other.weights) << threads << " threads";
  }
}

}  // namespace

TEST(determinism, brunel_is_bit_identical_for_1_to_4_threads) {
  expect_identical_across_threads(test_networks::brunel_network({}, 7, 1));
}

// Random weights and delays make the order of additions into the ring buffers matter.
TEST(determinism, random_weights_and_delays_are_bit_identical_for_1_to_4_threads) {
  auto d = test_networks::brunel_network({}, 11, 1);
  for (auto& p : d.projections) {
    p.weight = {network::value_dist::kind::normal, p.weight.a, std::abs(p.weight.a) * 0.3};
    p.delay = {network::value_dist::kind::uniform, 0.5, 3.0};
  }
  expect_identical_across_threads(d);
}

// STDP on E->E: weights change during delivery, from traces of both sides.
TEST(determinism, stdp_weights_and_spikes_are_bit_identical_for_1_to_4_threads) {
  for (const char* rule : {"stdp_pair", "stdp_triplet"}) {
    auto d = test_networks::brunel_network({}, 13, 1);
    const double j = d.projections[0].weight.a;
    d.projections[0].plasticity = network::plasticity_desc{
        rule, {{"w_min", 0.0}, {"w_max", 2 * j}, {std::string(rule) == "stdp_pair" ? "A_plus" : "A3_plus", 0.05}}};
    expect_identical_across_threads(d);
    const auto r = run(d);
    ASSERT_FALSE(r.weights.empty());
    EXPECT_NE(*std::min_element(r.weights.begin(), r.weights.end()),
              *std::max_element(r.weights.begin(), r.weights.end()))
        << rule << ": the weights must have changed for the test to mean anything";
  }
}

// A plastic target smaller than the team: workers owning none of its synapses still see every
// presynaptic spike, so their copies of the presynaptic traces must not fall behind.
TEST(determinism, stdp_onto_fewer_neurons_than_threads_is_bit_identical_for_1_to_4_threads) {
  for (const std::string rule : {"stdp_pair", "stdp_triplet", "stdp_pair_spinnaker"}) {
    SCOPED_TRACE(rule);
    const auto d = test_networks::with_small_plastic_target(test_networks::brunel_network({}, 17, 1), rule);
    expect_identical_across_threads(d);
    const auto r = run(d);
    ASSERT_GT(r.spikes.back().size(), 10u) << "the small target must fire for the test to mean anything";
    EXPECT_NE(*std::min_element(r.weights.begin(), r.weights.end()),
              *std::max_element(r.weights.begin(), r.weights.end()))
        << "the weights must have changed for the test to mean anything";
  }
}

TEST(determinism, repeated_runs_agree_and_seeds_differ) {
  const auto a = run(test_networks::brunel_network({}, 3, 2));
  const auto b = run(test_networks::brunel_network({}, 3, 2));
  const auto c = run(test_networks::brunel_network({}, 4, 2));
  EXPECT_TRUE(same_spikes(a, b));
  EXPECT_FALSE(same_spikes(a, c));
}

TEST(simulation, recorders_may_be_added_between_runs_but_not_populations) {
  auto built = network::build(test_networks::brunel_network({}, 5, 2));
  built.sim->run(20);
  auto& late = built.sim->record_spikes(0);
  built.sim->run(20);
  ASSERT_FALSE(late.spikes.empty());
  EXPECT_GE(late.spikes.front().step, 200);  // only spikes after the recorder was added
  const auto& model = *core::find_neuron_model("iaf_psc_delta");
  EXPECT_THROW(built.sim->add_population("X", model, core::param_set(model.params), 10), std::logic_error);
}

// Near the limit of 2^53 steps a count of steps does not survive the trip through milliseconds
// (steps * dt, then rounded back): run_steps takes the count itself. The run is stopped after
// its first interval; the total it reports is that of the steps asked.
TEST(simulation, run_steps_runs_step_counts_that_milliseconds_cannot_express) {
  auto built = network::build(test_networks::brunel_network({}, 5, 2));
  core::simulation& sim = *built.sim;
  const double dt = sim.dt();
  core::step_t steps = core::simulation::max_step;
  const auto through_ms = [&](core::step_t n) { return core::steps_of(static_cast<double>(n) * dt, dt); };
  while (steps > core::simulation::max_step - 1000 &&
         static_cast<double>(through_ms(steps)) * dt == static_cast<double>(steps) * dt)
    --steps;
  ASSERT_NE(through_ms(steps), steps) << "no step count near 2^53 that milliseconds miss";
  const std::atomic<bool> stop{true};
  double total_ms = 0;
  core::run_options options;
  options.stop = &stop;
  options.progress = [&](const core::run_status& s) { total_ms = s.total_ms; };
  EXPECT_EQ(sim.run_steps(steps, options), sim.interval_steps());
  EXPECT_EQ(sim.now(), sim.interval_steps());
  EXPECT_EQ(total_ms, static_cast<double>(steps) * dt);
}
