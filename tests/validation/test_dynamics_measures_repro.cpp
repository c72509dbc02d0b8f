// A small `neurite repro dynamics-measures`: 300 oscillators, 300 PLV trials, 2 s of PAC signal and
// a Brunel network of 1250 neurons (J C_E = 100 mV kept) for 400 ms per state. Asserts what holds
// at any size: the closed-form rows match within their stated (size-dependent) tolerances, the
// Brunel network gives the same spikes and measures on 1 and 2 threads, SR fires far more
// regularly and synchronously than AI, and every file is written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "repro/dynamics_measures/dynamics_measures.hpp"
#include "../repro_rows.hpp"

using namespace neurite;
using namespace neurite::repro;

TEST(dynamics_measures_repro, small_run_matches_the_closed_forms_and_is_thread_independent) {
  dynamics_size z;
  z.oscillators = 300, z.kuramoto_t_end = 80, z.kuramoto_t_discard = 40, z.kuramoto_dt = 0.02;
  z.plv_trials = 300, z.pac_seconds = 2;
  z.n_e = 1000, z.c_e = 100, z.duration_ms = 400, z.transient_ms = 100;
  const auto out = std::filesystem::temp_directory_path() / ("neurite_test_dynamics_measures_" + std::to_string(getpid()));
  options o;
  o.out = out.string();
  o.threads = 1;
  const auto rows = run_dynamics_measures(o, z);
  for (const auto& r : rows) {
    const bool closed_form = r.quantity.rfind("Kuramoto", 0) == 0 || r.quantity.rfind("PLV", 0) == 0 ||
                             r.quantity.rfind("Tort", 0) == 0;
    if (closed_form) {
      EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
    }
  }
  const auto& threads = test_files::find_row(rows, "AI state on 1 and 2 threads");
  EXPECT_EQ(threads.result, verdict::match) << threads.neurite;
  const auto states = test_files::csv_records(out / "states.csv");
  ASSERT_EQ(states.size(), 4u);
  ASSERT_EQ(states[0][0], "SR");
  ASSERT_EQ(states[1][0], "AI");
  const double cv_sr = std::stod(states[0][5]), cv_ai = std::stod(states[1][5]);
  const double chi_sr = std::stod(states[0][9]), chi_ai = std::stod(states[1][9]);
  EXPECT_LT(cv_sr, 0.5 * cv_ai);
  EXPECT_GT(chi_sr, chi_ai);
  for (const char* f : {"kuramoto.csv", "plv.csv", "tort.csv", "spectra.csv", "SR_seed1/spikes.h5", "AI_seed1/analysis.json"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  std::filesystem::remove_all(out);
}
