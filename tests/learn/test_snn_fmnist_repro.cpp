// A tiny `neurite repro snn-fmnist` (5000 training images, 64 hidden neurons, 10 steps): the same
// code as the full run learns well above chance (10%) in seconds and writes its learning curve.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "repro/snn_fmnist/snn_fmnist.hpp"

using namespace neurite::repro;

TEST(snn_fmnist_repro, tiny_run_learns_and_writes_its_curve) {
  ASSERT_NE(find_reproduction("snn-fmnist"), nullptr);
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_snn_fmnist_" + std::to_string(::getpid()));
  std::filesystem::create_directories(out);
  const snn_fmnist_size tiny{5000, 1000, 64, 10, 2, 0.65, 60};
  const auto rows = run_snn_fmnist({false, out.string(), 1}, tiny);
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& row : rows) EXPECT_NE(row.result, verdict::miss) << row.quantity << ": " << row.neurite;
  EXPECT_TRUE(std::filesystem::exists(out / "learning_curve.csv"));
  std::filesystem::remove_all(out);
}
