#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "repro/repro.hpp"

using namespace neurite::repro;

// The quick version of `neurite repro dense-hebbian`: no row is a miss (the Monte Carlo rows are
// 4-standard-error checks on fixed seeds, so the test is deterministic) and the CSV files exist.
TEST(dense_hebbian_repro, no_row_is_a_miss) {
  const auto* r = find_reproduction("dense-hebbian");
  ASSERT_NE(r, nullptr);
  // One folder per process: runs of the suite from two checkouts may overlap.
  const auto out =
      std::filesystem::temp_directory_path() / ("neurite_test_dense_hebbian_repro_" + std::to_string(getpid()));
  const auto rows = r->run({false, out.string(), 1});
  EXPECT_GT(rows.size(), 15u);
  for (const auto& row : rows)
    EXPECT_NE(row.result, verdict::miss) << row.quantity << ": paper " << row.paper << ", neurite " << row.neurite;
  for (const char* csv : {"zero_temperature.csv", "rho_temperature.csv", "mean_field.csv", "alpha_temperature.csv", "storage.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / csv)) << csv;
  EXPECT_TRUE(passed(rows));
  std::filesystem::remove_all(out);
}
