// A small `neurite repro place-recognition`: 2 modules of 5 places, n_e = 25. Asserts what holds
// at any size: a module trained on 1 and on 2 threads ends with the same bits, the rows and
// files are all there, recalls are fractions, and a module of the paper's settings (7x7
// patch-normalised views) recognises its own places above chance. The modular system (10
// places) is at chance at this size with the paper's settings, on patch-normalised and on raw
// pixels alike (as the quick run's is at 100 places: docs/place_recognition.md), so only its
// range is checked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "repro/place_recognition/place_recognition.hpp"

using namespace neurite::repro;

namespace {
place_size small() {
  place_size z;
  z.modules = 2, z.places_per_module = 5, z.n_e = 25, z.epochs = 5;
  z.train_views = 3, z.calibration_views = 1, z.test_views = 2;
  z.present_ms = 350, z.rest_ms = 150;
  return z;
}

options in(const std::filesystem::path& out) {
  options o;
  o.out = out.string();
  o.seed = 1;
  o.threads = 1;
  return o;
}
}  // namespace

TEST(place_recognition_repro, small_run_is_thread_independent_and_above_chance) {
  const auto z = small();
  const auto out =
      std::filesystem::temp_directory_path() / ("neurite_test_place_recognition_" + std::to_string(getpid()));
  const auto rows = run_place_recognition(in(out), z);
  ASSERT_GE(rows.size(), 6u);
  bool identical_row = false;
  for (const auto& r : rows)
    if (r.quantity.find("1 and on 2 threads") != std::string::npos) {
      identical_row = true;
      EXPECT_EQ(r.result, verdict::match) << r.neurite;
    }
  EXPECT_TRUE(identical_row);
  for (const char* csv : {"recall.csv", "modules.csv", "pr_curve.csv", "timing.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / csv)) << csv;
  EXPECT_NE(rows[0].quantity.find("7x7 patch-normalised"), std::string::npos) << rows[0].quantity;
  const double module_r1 = std::stod(rows[0].neurite);  // "0.600 (mean over modules ...)"
  EXPECT_GT(module_r1, 1.0 / z.places_per_module) << rows[0].neurite;
  EXPECT_LE(module_r1, 1.0);
  const double modular = std::stod(rows[1].neurite);  // "regularised vs unregularised"
  EXPECT_GE(modular, 0.0);
  EXPECT_LE(modular, 1.0);
  std::filesystem::remove_all(out);
}
