// A small `neurite repro gain-control`: N = 16 neurons, 16 orientations, 800 presentations. Asserts
// what holds at any size: the rate model's four ordering claims (gains fall near the adapter,
// homeostasis, repulsion, decorrelation), the W = 0 and time-domain checks, the spiking network on
// 1 and 2 threads giving the same spike counts, the spike rates following the rate model, and
// the files for the plots.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../repro_rows.hpp"
#include "repro/gain_control/gain_control.hpp"

using namespace neurite::repro;
using neurite::test_files::find_row;

TEST(gain_control_repro, small_run_rate_claims_and_thread_independent_spikes) {
  gain_size z;
  z.neurons = 16, z.orientations = 16, z.presentations = 800, z.check_presentations = 100;
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_gain_control_" + std::to_string(getpid()));
  options o;
  o.out = out.string();
  o.seed = 1;
  o.threads = 1;
  const auto rows = run_gain_control(o, z);
  // The rate model is deterministic: its four paper rows must all match at this size too.
  for (const char* start : {"rate model: gain", "rate model: CV", "rate model: shift", "rate model: mean pairwise"}) {
    const auto& r = find_row(rows, start);
    EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
    EXPECT_EQ(r.basis, criterion::paper);
  }
  for (const char* start : {"W = 0", "tau dr/dt", "spiking network (adapted gains) on 1 and on 2 threads"}) {
    const auto& r = find_row(rows, start);
    EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
  }
  // The spiking network follows the rate model: "0.99 / 0.96; ..." (Pearson r of tuning curves).
  const auto& follow = find_row(rows, "spikes vs rate model");
  EXPECT_GT(std::stod(follow.neurite), 0.9) << follow.neurite;
  // Gains fall near the adapter in the spikes as well (the largest effect; the others are small
  // at N = 16 with 800 presentations and are left to the reproduction's own run).
  const auto& peak = find_row(rows, "spikes: peak response");
  EXPECT_EQ(peak.result, verdict::match) << peak.neurite;
  for (const char* csv : {"gains.csv", "tuning.csv", "correlations.csv", "variants.csv", "ensembles.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / csv)) << csv;
  std::filesystem::remove_all(out);
}
