// A small `neurite repro neuroformer` (20 neurons, 2 hubs, 70 trials, the behaviour path too): the
// same code as the quick run, its paper rows at this size's margins, and the same CSV files from
// one thread as from two.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "repro/neuroformer/neuroformer.hpp"
#include "../repro_rows.hpp"
#include "../temp_dir.hpp"

using namespace neurite::repro;
using neurite::test_files::csv_records;
using neurite::test_files::slurp;

TEST(neuroformer_repro, small_run_beats_the_rate_baseline_and_finds_the_hubs_for_any_thread_count) {
  ASSERT_NE(find_reproduction("neuroformer"), nullptr);
  const auto one = neurite::test_files::unique_temp_dir("neurite_test_neuroformer");
  const auto two = neurite::test_files::unique_temp_dir("neurite_test_neuroformer");
  auto small = neuroformer_default_size(false);
  small.network.neurons = 20, small.network.hubs = 2, small.network.targets_per_hub = 5;
  small.network.behaviour_gain = 1.0, small.behaviour = true, small.few_shot_trials = 5;
  small.train_trials = 100, small.test_trials = 10, small.epochs = 6;
  small.embedding = 32, small.heads = 2, small.feedforward = 64, small.layers = 1;
  const auto rows = run_neuroformer({false, one.string(), 1, 1}, small);
  run_neuroformer({false, two.string(), 1, 2}, small);
  for (const auto* name : {"summary.csv", "training.csv", "psth.csv", "connectivity.csv"})
    EXPECT_EQ(slurp(one / name), slurp(two / name)) << name;
  std::cout << slurp(one / "summary.csv");  // the figures, for the log
  std::map<std::string, double> v;
  for (const auto& r : csv_records(one / "summary.csv")) v[r.at(0)] = std::stod(r.at(1));
  // At this size: below the rate baseline, PSTHs that follow the real ones, hubs well above chance.
  EXPECT_LT(v.at("id_ce"), v.at("id_ce_baseline") - 0.3);
  EXPECT_GT(v.at("psth_r"), 0.5);
  EXPECT_LE(v.at("psth_r"), v.at("psth_r_repeat") + 0.05);
  EXPECT_GT(v.at("auroc"), 0.75);
  EXPECT_GT(v.at("direction_auroc"), 0.75);
  EXPECT_GT(v.at("auroc_last_layer"), 0.75);
  EXPECT_GT(v.at("behaviour_r_joint"), 0.3);
  EXPECT_EQ(count_rows(rows).paper, 6);
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}
