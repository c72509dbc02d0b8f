// Poisson sources and inputs: rates and ISI statistics within sample-size-based bounds; DC.
#include <gtest/gtest.h>

#include <cmath>

#include "io/model_file.hpp"
#include "io/results.hpp"
#include "network/build.hpp"
#include "network/stimuli.hpp"

using namespace neurite;

// A poisson_source neuron spikes in a step with p = 1 - exp(-rate dt): its count over T is
// Binomial(T/dt, p), and its ISIs are geometric with CV sqrt(1 - p) (0.999 here).
TEST(stimuli, poisson_source_rate_and_isi_cv) {
  network::network_desc d;
  d.file = "test";
  d.simulation = {0.1, 10000, 3, 2};
  d.populations.push_back({"P", "poisson_source", 1000, {{"rate", 20.0}}, {}, {}, "P"});
  auto built = network::build(d);
  built.sim->run(d.simulation.duration);
  const auto s = io::summarize(*built.sim, {});
  const double steps = 1e5, p = -std::expm1(-20.0 * 1e-4), n = 1000 * steps;
  const double spikes = s["populations"]["P"]["spikes"];
  EXPECT_NEAR(spikes, n * p, 5 * std::sqrt(n * p * (1 - p)));
  // Each neuron's CV from ~200 intervals has a standard error of about 0.05, and the mean of
  // 1000 of them 0.002; 0.02 also covers the small-sample bias of the CV estimate (~ -0.3%).
  EXPECT_NEAR(s["populations"]["P"]["cv_isi"].get<double>(), std::sqrt(1 - p), 0.02);
}

// poisson_input adds weight * Poisson(n rate dt) per neuron and step: mean and variance both
// n rate dt, and the draws of a neuron do not depend on how the population is sliced.
TEST(stimuli, poisson_input_counts_are_poisson_and_slice_independent) {
  const double dt = 0.1, rate = 40, weight = 0.5;
  const std::uint64_t n = 500;
  const double lambda = n * rate * dt * 1e-3;  // 2 per step
  network::poisson_input whole(0, 0, rate, n, weight, 0, 1e9, dt, 42, 7), split(0, 0, rate, n, weight, 0, 1e9, dt, 42, 7);
  const core::index_t size = 1001;
  std::vector<core::input_t> a(size), b(size);
  double sum = 0, sum2 = 0;
  const int steps = 200;
  for (int step = 0; step < steps; ++step) {
    std::fill(a.begin(), a.end(), 0.0f);
    std::fill(b.begin(), b.end(), 0.0f);
    core::input_t* pa[] = {a.data()};
    core::input_t* pb[] = {b.data()};
    whole.apply(0, size, step, pa, nullptr);
    split.apply(0, 333, step, pb, nullptr);  // three workers' slices, not aligned to 4
    split.apply(333, 701, step, pb, nullptr);
    split.apply(701, size, step, pb, nullptr);
    ASSERT_EQ(a, b) << step;
    for (const double x : a) sum += x / weight, sum2 += (x / weight) * (x / weight);
  }
  const double count = static_cast<double>(size) * steps, mean = sum / count, var = sum2 / count - mean * mean;
  EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / count));
  EXPECT_NEAR(var, lambda, 5 * std::sqrt((2 * lambda * lambda + lambda) / count));
}

TEST(stimuli, dc_input_is_on_between_start_and_stop) {
  network::dc_input dc(0, 150.0, 1.0, 2.0, 0.1);
  std::vector<double> current(4, 0.0);
  int on = 0;
  for (int step = 0; step < 40; ++step) {
    std::fill(current.begin(), current.end(), 0.0);
    dc.apply(1, 3, step, {}, current.data());
    if (current[1] != 0) {
      ++on;
      EXPECT_GE(step, 10);
      EXPECT_LT(step, 20);
    }
    EXPECT_EQ(current[0], 0.0);
    EXPECT_EQ(current[3], 0.0);
  }
  EXPECT_EQ(on, 10);
}

// A spike source emits every listed time, also several in one step (as NEST's spike_generator
// with multiplicity): each spike is counted and delivers its weight once.
TEST(stimuli, spike_source_keeps_several_spikes_in_one_step) {
  const auto d = io::parse_model(R"(
[simulation]
dt = "0.1 ms"
duration = "50 ms"
threads = 2
[populations.S]
model = "spike_source"
size = 3
spike_times = { unit = "ms", times = [[30, 3, 3], [3, 3.01, 2.99, 3], [40]] }
[populations.T]
model = "iaf_psc_delta"
size = 1
params = { E_L = "0 mV", V_reset = "0 mV", V_th = "1000 mV", tau_m = "1e12 ms" }
[[projections]]
source = "S"
target = "T"
connector = { rule = "all_to_all" }
weight = "1 mV"
delay = "1 ms"
)",
                                 "multiplicity.toml");
  auto built = network::build(d);
  built.sim->run(d.simulation.duration);
  const auto s = io::summarize(*built.sim, {});
  EXPECT_EQ(s["populations"]["S"]["spikes"].get<double>(), 8.0);
  // Eight spikes of 1 mV onto a neuron that does not leak (tau_m = 1e12 ms) and never fires.
  EXPECT_NEAR(built.sim->populations()[1].dynamics->state("V_m")[0], 8.0, 1e-6);
}
