// A small `neurite repro elm-neuron` (3000 training images, 3000 pairs x 2 epochs, d_m = 16): the
// parameter counts and memory identities match, the ELM learns Fashion-MNIST-Adding above chance
// and beats its tau_m_max = 1 ablation, and the learning curves are written.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
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
  const auto rows = run_elm_neuron({false, out.string(), 1}, small);
  for (const auto& r : rows) {
    if (r.quantity.rfind("Branch-ELM", 0) == 0 || r.quantity.rfind("decay", 0) == 0 || r.quantity.rfind("steady", 0) == 0) {
      EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
    }
  }
  EXPECT_EQ(find_row(rows, "ELM > ablation").result, verdict::match);
  EXPECT_EQ(find_row(rows, "ELM above 3x chance").result, verdict::match);
  EXPECT_EQ(find_row(rows, "(b) neuron fitting").result, verdict::not_applicable);
  EXPECT_TRUE(std::filesystem::exists(out / "adding_curves.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "adding_accuracy.csv"));
  std::filesystem::remove_all(out);
}
