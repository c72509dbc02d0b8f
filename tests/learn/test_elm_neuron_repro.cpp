// A small `neurite repro elm-neuron` (3000 training images, 3000 pairs x 2 epochs, d_m = 16): the
// parameter counts and memory identities match, the ELM learns Fashion-MNIST-Adding above chance
// and beats its tau_m_max = 1 ablation, neuron fitting and Pathfinder run on a few samples, and the
// result files are written. The checks' helpers against hand cases and closed forms; disabled
// drivers that run (b) alone at the repro's sizes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "learn/neuron_io.hpp"
#include "repro/elm_neuron/elm_neuron.hpp"

using namespace neurite::repro;

namespace {

std::filesystem::path fresh_folder(const std::string& name) {
  // One folder per process: runs of the suite from two checkouts may overlap.
  const auto out = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  std::filesystem::create_directories(out);
  return out;
}

const row& find_row(const std::vector<row>& rows, const std::string& start) {
  for (const auto& r : rows)
    if (r.quantity.rfind(start, 0) == 0) return r;
  throw std::runtime_error("no row " + start);
}

}  // namespace

TEST(elm_neuron_repro, small_run_matches_its_identities_and_learns_the_adding_task) {
  ASSERT_NE(find_reproduction("elm-neuron"), nullptr);
  const auto out = fresh_folder("neurite_test_elm_neuron");
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
  // The linear baseline is measured on (b)'s test samples: 8 after the 16 training ones.
  neurite::learn::neuron_io_options test_samples;
  test_samples.first_sample = 16, test_samples.samples = 8, test_samples.window = 300, test_samples.burn_in = 100;
  const double baseline = neurite::learn::filtered_input_auc(neurite::learn::neuron_io_dataset(test_samples), 8);
  EXPECT_EQ(find_row(rows, "  linear baseline").neurite, fmt::format("{:.4f}", baseline));
  std::ifstream fit_csv(out / "neuron_fit.csv");
  std::string header;
  std::getline(fit_csv, header);
  EXPECT_EQ(header, "memory,parameters,auc,voltage_rmse_mV,train_loss,baseline_auc,seconds");
  EXPECT_NE(find_row(rows, "(c) clearly above chance").neurite.find("p = "), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(out / "neuron_fit.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "pathfinder_curves.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "adding_curves.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "adding_accuracy.csv"));
  std::filesystem::remove_all(out);
}

TEST(elm_neuron_repro, rises_and_saturates_needs_a_rise_no_drop_and_a_smaller_last_step) {
  EXPECT_TRUE(rises_and_saturates({0.90, 0.95, 0.97, 0.975}, 0.01));
  EXPECT_TRUE(rises_and_saturates({0.90, 0.95, 0.945, 0.955}, 0.01));  // a loss within the margin
  EXPECT_FALSE(rises_and_saturates({0.90, 0.95, 0.935, 0.975}, 0.01));  // a step loses 0.015
  EXPECT_FALSE(rises_and_saturates({0.90, 0.905, 0.908}, 0.01));       // no rise beyond the margin
  EXPECT_FALSE(rises_and_saturates({0.90, 0.91, 0.95}, 0.01));          // still rising at the end
  EXPECT_FALSE(rises_and_saturates({0.90, 0.99}, 0.01));                // too few points to saturate
}

TEST(elm_neuron_repro, binomial_tail_equals_closed_forms) {
  EXPECT_NEAR(binomial_tail(0, 10), 1.0, 1e-12);
  EXPECT_NEAR(binomial_tail(20, 20), std::ldexp(1.0, -20), 1e-18);
  EXPECT_NEAR(binomial_tail(6, 11), 0.5, 1e-12);                     // odd n: the halves split evenly
  EXPECT_NEAR(binomial_tail(5, 10), 0.5 + 252.0 / 2048, 1e-12);      // even n: half the middle term above 1/2
  EXPECT_NEAR(binomial_tail(9, 10), 11.0 / 1024, 1e-14);
  EXPECT_EQ(binomial_tail(11, 10), 0.0);
}

namespace {

// (b) alone at the repro's size, on one thread: prints the rows and neuron_fit.csv.
void run_neuron_fit(bool full) {
  options o;
  o.full = full, o.threads = 1;
  o.out = fresh_folder("neurite_elm_neuron_fit").string();
  const auto rows = elm_neuron_fit_rows(o, elm_neuron_fit_default_size(full));
  std::ostringstream csv;
  csv << std::ifstream(o.out + "/neuron_fit.csv").rdbuf();
  std::printf("%s\n%s", format_table(rows).c_str(), csv.str().c_str());
  std::filesystem::remove_all(o.out);
  EXPECT_TRUE(passed(rows));
}

}  // namespace

// Drivers for docs/elm.md, minutes each: --gtest_also_run_disabled_tests --gtest_filter='*neuron_fit_*size'.
TEST(elm_neuron_repro, DISABLED_neuron_fit_quick_size) { run_neuron_fit(false); }
TEST(elm_neuron_repro, DISABLED_neuron_fit_full_size) { run_neuron_fit(true); }
