// A small `neurite repro astro-snn` (the first 24 000 characters of the text, delays 5 and 20):
// the same code as the quick run, its CSV files the same from one thread as from two, and the
// properties every run must have: finite bits per character below the uniform code's, equal
// parameter counts within 5%, recall above chance at the short delay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "repro/astro_snn/astro_snn.hpp"
#include "../repro_rows.hpp"
#include "../temp_dir.hpp"

using namespace neurite::repro;
using neurite::test_files::csv_records;
using neurite::test_files::find_row;
using neurite::test_files::slurp;

TEST(astro_snn_repro, small_run_is_the_same_on_one_and_two_threads) {
  ASSERT_NE(find_reproduction("astro-snn"), nullptr);
  auto size = astro_snn_default_size(false);
  if (!std::filesystem::exists(size.text_files.front())) GTEST_SKIP() << "fortunes-min is not installed";
  size.text_chars = 24000, size.lm_steps = 32, size.lm_hidden = 32, size.lm_astrocytes = 8, size.lm_epochs = 2;
  size.delays = {5, 20}, size.recall_train = 512, size.recall_test = 128, size.recall_epochs = 4;
  size.recall_hidden = 16, size.recall_astrocytes = 4;
  const auto one = neurite::test_files::unique_temp_dir("neurite_test_astro_snn");
  const auto two = neurite::test_files::unique_temp_dir("neurite_test_astro_snn");
  const auto rows = run_astro_snn({false, one.string(), 1, 1}, size);
  run_astro_snn({false, two.string(), 1, 2}, size);
  for (const auto* name : {"lm.csv", "recall.csv", "astro_tau.csv"}) EXPECT_EQ(slurp(one / name), slurp(two / name)) << name;
  std::cout << slurp(one / "lm.csv") << slurp(one / "recall.csv");  // the figures, for the log
  const auto lm = csv_records(one / "lm.csv");
  ASSERT_EQ(lm.size(), 3u);
  const double astro_parameters = std::stod(lm[0][1]);
  for (const auto& r : lm) {
    const double bpc = std::stod(r[2]);
    EXPECT_TRUE(std::isfinite(bpc)) << r[0];
    EXPECT_LT(bpc, std::log2(60.0)) << r[0];  // below a uniform code over (at least) 60 symbols
    EXPECT_NEAR(std::stod(r[1]), astro_parameters, 0.05 * astro_parameters) << r[0];
  }
  const auto recall = csv_records(one / "recall.csv");
  ASSERT_EQ(recall.size(), 6u);
  // The best model at delay 5 above chance (0.25; 0.35 is 2.6 binomial standard deviations over 128 trials).
  EXPECT_GT(std::max({std::stod(recall[0][3]), std::stod(recall[1][3]), std::stod(recall[2][3])}), 0.35);
  EXPECT_EQ(rows.size(), 4u + 2u + 3u);
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}
