// A small `neurite repro dynamic-confidence` (8000 training and 2000 validation images, 784-128-10,
// 2 epochs, 2000 test images): the same code as the full run. Tolerances: on 2000 test images one
// sample is 0.05 point, so the chosen threshold's accuracy is held to within 1 point of T = 32
// (the full run's 0.1-point check needs its 10 000 images); the latency check is the full run's.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <string>

#include "repro/dynamic_confidence/dynamic_confidence.hpp"

using namespace neurite::repro;

namespace {

// The numbers of the line of `file` that starts with `name,`.
std::vector<double> csv_line(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + ",", 0) == 0) {
      std::vector<double> values;
      std::size_t start = name.size() + 1;
      while (start <= line.size()) {
        const std::size_t end = std::min(line.find(',', start), line.size());
        values.push_back(end > start ? std::stod(line.substr(start, end - start)) : NAN);
        start = end + 1;
      }
      return values;
    }
  return {};
}

}  // namespace

TEST(dynamic_confidence_repro, small_run_exits_early_without_losing_accuracy) {
  ASSERT_NE(find_reproduction("dynamic-confidence"), nullptr);
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_dynamic_confidence_" + std::to_string(::getpid()));
  std::filesystem::create_directories(out);
  const dynamic_confidence_size small{8000, 2000, 2000, {128}, 8, 2, 32, 30};
  const auto rows = run_dynamic_confidence({false, out.string(), 1}, small);
  ASSERT_EQ(rows.size(), 16u);
  const auto full_t = csv_line(out / "fixed_t.csv", "32");  // validation, test accuracy at T = 32
  const auto chosen = csv_line(out / "operating_points.csv", "chosen");  // theta, val latency, val acc, test latency, test acc
  const auto oracle = csv_line(out / "operating_points.csv", "oracle");
  ASSERT_EQ(full_t.size(), 2u);
  ASSERT_EQ(chosen.size(), 5u);
  ASSERT_EQ(oracle.size(), 5u);
  EXPECT_GT(full_t[1], 0.75);                    // chance is 0.1
  EXPECT_GE(chosen[2], full_t[0] - 0.001);       // the rule, on validation
  EXPECT_LE(chosen[3], 0.7 * 32);                // latency on test
  EXPECT_GE(chosen[4], full_t[1] - 0.01);        // accuracy on test, see above
  EXPECT_GE(oracle[4], full_t[1]);               // ever correct includes correct at T
  EXPECT_LT(oracle[3], chosen[3]);
  for (const auto* f : {"pareto.csv", "learning_curve.csv"}) EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  std::filesystem::remove_all(out);
}

TEST(dynamic_confidence_repro, overlapping_training_and_validation_images_are_refused) {
  const dynamic_confidence_size overlap{55000, 10000, 1000, {16}, 8, 1, 8, 30};
  EXPECT_THROW(run_dynamic_confidence({false, "", 1}, overlap), std::invalid_argument);
}
