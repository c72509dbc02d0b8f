// A small `neurite repro elm-neuron` (3000 training images, 3000 pairs x 2 epochs, d_m = 16): the
// parameter counts and memory identities match, the ELM learns Fashion-MNIST-Adding above chance
// and beats its tau_m_max = 1 ablation, neuron fitting and Pathfinder run on a few samples, and the
// result files are written.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "repro/elm_neuron/elm_neuron.hpp"

using namespace neurite::repro;

namespace {

const row& find_row(const std::vector<row>& rows, const std::string& start) {
  for (const auto& r : rows)
    if (r.quantity.rfind(start, 0) == 0) return r;
  throw std::runtime_error("no row " + start);
}

}  // namespace

TEST(elm_neuron_repro, small_run_matches_its_identities_and_learns_the_adding_task) {
  ASSERT_NE(find_reproduction("elm-neuron"), nullptr);
  // One folder per process: runs of the suite from two checkouts may overlap.
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_elm_neuron_" + std::to_string(getpid()));
  std::filesystem::create_directories(out);
  const elm_neuron_size small{3000, 1000, 3000, 1000, 16, 500, 2, 32, 1e-2};
  const elm_neuron_fit_size fit{16, 8, 1, 8, 300, 100, {1, 4, 8}, 1e-2};
  const elm_pathfinder_size pathfinder{200, 100, 1, 50, 8, 1e-2};
  const auto rows = run_elm_neuron({false, out.string(), 1}, small, fit, pathfinder);
  for (const auto& r : rows) {
    if (r.quantity.rfind("Branch-ELM", 0) == 0 || r.quantity.rfind("decay", 0) == 0 || r.quantity.rfind("steady", 0) == 0) {
      EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
    }
  }
  EXPECT_EQ(find_row(rows, "ELM > ablation").result, verdict::match);
  EXPECT_EQ(find_row(rows, "ELM above 3x chance").result, verdict::match);
  // (b) and (c) at this size are too small to judge: they run, score and write their files.
  const double auc = std::stod(find_row(rows, "(b) neuron fitting spike AUC, Branch-ELM 28 x 10, d_m = 8").neurite);
  EXPECT_GE(auc, 0.0);
  EXPECT_LE(auc, 1.0);
  EXPECT_NE(find_row(rows, "(c) clearly above chance").neurite.find("p = "), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(out / "neuron_fit.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "pathfinder_curves.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "adding_curves.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "adding_accuracy.csv"));
  std::filesystem::remove_all(out);
}
