// A small `neurite repro hlop` (3 permuted tasks of 30 000 images, 784-128-128-10, with EWC): the
// same code as the quick run, with its ordering claims at stated margins, and the same CSV files
// from one thread as from two.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "repro/hlop/hlop.hpp"
#include "../repro_rows.hpp"
#include "../temp_dir.hpp"

using namespace neurite::repro;
using neurite::test_files::find_row;
using neurite::test_files::slurp;

TEST(hlop_repro, small_run_forgets_less_than_fine_tuning_for_any_thread_count) {
  ASSERT_NE(find_reproduction("hlop"), nullptr);
  const auto one = neurite::test_files::unique_temp_dir("neurite_test_hlop");
  const auto two = neurite::test_files::unique_temp_dir("neurite_test_hlop");
  // The subspace reference on all of task 0's images, and two Hebbian-only consolidation epochs per
  // task as in the quick run.
  const hlop_size small{3, 30000, 1000, {784, 128, 128, 10}, {{40, 32, 16}, {30, 16, 16}, {}, 3}, 1, 64, 0.1, 500, 0, {}, 2};
  const auto rows = run_hlop({false, one.string(), 1, 1}, small);
  run_hlop({false, two.string(), 1, 2}, small);
  for (const auto* name : {"summary.csv", "accuracy_baseline.csv", "accuracy_hlop.csv", "accuracy_multitask.csv",
                           "accuracy_ewc.csv", "subspace.csv"})
    EXPECT_EQ(slurp(one / name), slurp(two / name)) << name;
  // At this size: HLOP forgets at most a third as much as fine-tuning, which forgets at least 5
  // points; the Hebbian subspaces lie near the principal ones.
  std::cout << slurp(one / "summary.csv");  // the figures, for the log
  std::ifstream summary(one / "summary.csv");
  std::string header, line;
  std::getline(summary, header);
  std::map<std::string, std::pair<double, double>> acc_bwt;
  while (std::getline(summary, line)) {
    std::stringstream s(line);
    std::string method, acc, bwt;
    std::getline(s, method, ',');
    std::getline(s, acc, ',');
    std::getline(s, bwt, ',');
    acc_bwt[method] = {std::stod(acc), std::stod(bwt)};
  }
  EXPECT_LT(acc_bwt["baseline"].second, -0.05);
  EXPECT_GT(acc_bwt["hlop"].second, acc_bwt["baseline"].second / 3);
  EXPECT_GT(acc_bwt["hlop"].first, acc_bwt["baseline"].first);
  // With 2 consolidation epochs the subspaces reach 0.977 at this size (the repository's schedule
  // alone gave 0.877 in the quick run: a rule that stops short of convergence fails here).
  EXPECT_GT(std::stod(find_row(rows, "Hebbian vs top-k principal").neurite), 0.95);
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}

// The spiking rows at a small size (3 permuted tasks of 10 000 images, 784-64-64-10 LIF, T = 4):
// HLOP, on surrogate-gradient BPTT and on DSR, forgets less than fine-tuning, and one thread gives
// the files of two.
TEST(hlop_repro, small_spiking_run_forgets_less_than_fine_tuning_for_any_thread_count) {
  const auto one = neurite::test_files::unique_temp_dir("neurite_test_hlop_snn");
  const auto two = neurite::test_files::unique_temp_dir("neurite_test_hlop_snn");
  hlop_size small;
  small.batch = 64;
  small.spiking = {3, 10000, 500, {784, 64, 64, 10}, {{40, 24, 16}, {30, 12, 12}, {}, 3}, 4, 0.1, 0.3, true};
  const auto rows = run_hlop_spiking({false, one.string(), 1, 1}, small);
  run_hlop_spiking({false, two.string(), 1, 2}, small);
  for (const auto* name : {"summary_snn.csv", "accuracy_snn_baseline.csv", "accuracy_snn_hlop.csv",
                           "accuracy_snn_dsr_baseline.csv", "accuracy_snn_dsr_hlop.csv"})
    EXPECT_EQ(slurp(one / name), slurp(two / name)) << name;
  std::cout << slurp(one / "summary_snn.csv");  // the figures, for the log
  // At this size fine-tuning forgets about 10 points under BPTT, 20 under DSR; HLOP about 1 or less.
  for (const std::string rule : {"spiking, BPTT: ", "spiking, DSR: "}) {
    const double base = std::stod(find_row(rows, rule + "BWT, baseline").neurite);
    const double ours = std::stod(find_row(rows, rule + "BWT, HLOP").neurite);
    EXPECT_LT(base, -5) << rule;
    EXPECT_GT(ours, base / 3) << rule;
    EXPECT_GT(std::stod(find_row(rows, rule + "ACC, HLOP - baseline").neurite), 3) << rule;
  }
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}
