// A small `neurite repro granet` (10 000 images, 3 epochs, 98% sparsity, Delta T = 20, and the LIF
// classifier pruned to 90% on 2 000 images): the same code as the quick run, real properties at
// this size, and the same CSV files from one thread as from two.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "repro/granet/granet.hpp"
#include "../repro_rows.hpp"
#include "../temp_dir.hpp"

using namespace neurite::repro;
using neurite::test_files::csv_records;
using neurite::test_files::find_row;
using neurite::test_files::slurp;

TEST(granet_repro, small_run_prunes_to_its_target_for_any_thread_count) {
  ASSERT_NE(find_reproduction("granet"), nullptr);
  const auto one = neurite::test_files::unique_temp_dir("neurite_test_granet");
  const auto two = neurite::test_files::unique_temp_dir("neurite_test_granet");
  granet_size small;
  small.train_images = 10000;
  small.test_images = 2000;
  small.epochs = 3;
  small.prune_epochs = 2;
  small.interval = 20;
  small.snn_train_images = 2000;
  small.snn_epochs = 1;
  small.snn_sparsities = {0.9};
  const auto rows = run_granet({false, one.string(), 1, 1}, small);
  run_granet({false, two.string(), 1, 2}, small);
  for (const auto* name : {"accuracy.csv", "events.csv", "layers.csv", "snn.csv"})
    EXPECT_EQ(slurp(one / name), slurp(two / name)) << name;
  std::cout << format_table(rows);  // the figures, for the log

  // Every sparse network holds 2% of the 266 200 weights: exactly round(0.02 N) after global
  // pruning, the per-layer ERK roundings (at most one weight per layer) for the ERK masks.
  std::map<std::string, double> nonzeros;
  for (const auto& r : csv_records(one / "layers.csv")) nonzeros[r[0]] += std::stod(r[4]);
  EXPECT_EQ(nonzeros["gmp"], 5324);
  EXPECT_EQ(nonzeros["granet"], 5324);
  EXPECT_NEAR(nonzeros["rigl"], 5324, 3);
  EXPECT_NEAR(nonzeros["static-erk"], 5324, 3);
  // GraNet's sparsity rises on the cubic schedule: each pruning event at or above the last.
  double last = 0;
  for (const auto& r : csv_records(one / "events.csv"))
    if (r[0] == "granet") {
      EXPECT_GE(std::stod(r[4]), last - 1e-12);
      last = std::stod(r[4]);
    }
  EXPECT_NEAR(last, 0.98, 1e-4);
  // Far above chance at 98% sparsity; the CSR network classifies as the LibTorch model does, in
  // under a tenth of the dense storage.
  EXPECT_GT(std::stod(find_row(rows, "granet at 98% sparsity").neurite), 70);
  EXPECT_EQ(find_row(rows, "GraNet 98%: CSR storage").result, verdict::match);
  const auto csr = find_row(rows, "GraNet: test accuracy of the CSR network").neurite;
  const auto vs = csr.find(" vs ");
  EXPECT_NEAR(std::stod(csr.substr(0, vs)), std::stod(csr.substr(vs + 4)), 0.1);
  // The pruned LIF network reaches its sparsity and classifies above chance.
  const auto snn = csv_records(one / "snn.csv");
  ASSERT_EQ(snn.size(), 1u);
  EXPECT_NEAR(std::stod(snn[0][1]), 0.9, 1e-4);
  EXPECT_GT(std::stod(snn[0][2]), 0.3);
  std::filesystem::remove_all(one);
  std::filesystem::remove_all(two);
}

TEST(granet_repro, full_run_paths_at_a_tiny_size) {
  // --full's paths: two seeds, two sparsities, GraNet from s_i = 0.5, the pruning-plasticity sweep.
  const auto out = neurite::test_files::unique_temp_dir("neurite_test_granet_full");
  granet_size tiny;
  tiny.train_images = 2000;
  tiny.test_images = 500;
  tiny.epochs = 2;
  tiny.prune_epochs = 1;
  tiny.interval = 4;
  tiny.sparsities = {0.9, 0.98};
  tiny.seeds = 2;
  tiny.sparse_start = true;
  tiny.plasticity_epochs = {1};
  const auto rows = run_granet({true, out.string(), 3, 1}, tiny);
  EXPECT_NO_THROW(find_row(rows, "granet-si0.5 at 90% sparsity"));
  EXPECT_NO_THROW(find_row(rows, "GraNet - GMP at 98%"));
  EXPECT_NO_THROW(find_row(rows, "pruning plasticity"));
  std::map<std::string, double> nonzeros;  // by method and target, summed over layers and both seeds
  for (const auto& r : csv_records(out / "layers.csv")) nonzeros[r[0] + "@" + r[1]] += std::stod(r[4]);
  EXPECT_EQ(nonzeros["granet-si0.5@0.9"], 2 * 26620);  // 2 x round(0.1 x 266 200)
  EXPECT_EQ(nonzeros["granet@0.98"], 2 * 5324);
  const auto sweep = csv_records(out / "plasticity.csv");
  ASSERT_EQ(sweep.size(), 2u);  // prune epoch 1, without and with regeneration
  EXPECT_EQ(sweep[0][0], "1");
  std::filesystem::remove_all(out);
}
