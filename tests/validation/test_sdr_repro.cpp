#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "repro/repro.hpp"

using namespace neurite::repro;

// The quick version of `neurite repro sdr-dendrites`: every row that has a verdict matches
// (the Monte Carlo rows with 99.9% intervals on fixed seeds, so the test is deterministic).
TEST(sdr_repro, no_row_is_a_miss) {
  const auto* r = find_reproduction("sdr-dendrites");
  ASSERT_NE(r, nullptr);
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_sdr_repro_" + std::to_string(getpid()));
  const auto rows = r->run({false, out.string(), 1});
  EXPECT_GT(rows.size(), 40u);
  for (const auto& row : rows) EXPECT_NE(row.result, verdict::miss) << row.quantity << ": paper " << row.paper << ", neurite " << row.neurite;
  for (const char* csv : {"effect_of_n.csv", "effect_of_s.csv", "unions.csv", "noise.csv", "noise_mc.csv",
                          "optimal_threshold.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / csv)) << csv;
  EXPECT_TRUE(passed(rows));
  std::filesystem::remove_all(out);
}
