// A small `neurite repro dynamic-connectome`: 16 neurons, 3 recordings, 12 windows; two LFR
// settings (mu_w = 0.25 and 0.75) x 2 repetitions. Asserts what holds at any size: the planted
// factors recovered (FMS >= 0.9), temporal peaks in the planted windows, planted groups found
// (NMI >= 0.9), the LFR generator's mixing on target, NMI falling with mu_w; the same CSV files on
// 1 and 2 threads (the analysis is single-threaded: nothing may depend on the thread count).
// The weighted SBM's mu_w row is not asserted: it misses at the paper's sizes (docs/dynamic_connectome.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../repro_rows.hpp"
#include "repro/dynamic_connectome/dynamic_connectome.hpp"

using namespace neurite::repro;
using neurite::test_files::find_row;
using neurite::test_files::slurp;

TEST(dynamic_connectome_repro, small_run_recovers_planted_structure) {
  connectome_size z;
  z.neurons = 16, z.recordings = 3, z.restarts = 4;
  z.diagnostic_ranks = {2, 3, 4};
  z.lfr = {{2, 0.5, 0.25, 25}, {2, 0.5, 0.5, 25}, {2, 0.5, 0.75, 25}};
  z.lfr_repetitions = 1;
  const auto base = std::filesystem::temp_directory_path() / ("neurite_test_connectome_" + std::to_string(getpid()));
  std::vector<row> rows[2];
  for (int t = 0; t < 2; ++t) {
    options o;
    o.out = (base / std::to_string(t + 1)).string();
    o.seed = 1;
    o.threads = t + 1;
    rows[t] = run_dynamic_connectome(o, z);
  }
  for (const char* start : {"worms (", "worms: temporal", "worms: communities", "worms: rank", "LFR (N", "LFR: mean NMI of the igraph Leiden"}) {
    const auto& r = find_row(rows[0], start);
    EXPECT_EQ(r.result, verdict::match) << r.quantity << ": " << r.neurite;
  }
  EXPECT_EQ(find_row(rows[0], "LFR (N").basis, criterion::paper);
  EXPECT_GE(std::stod(find_row(rows[0], "worms (").neurite), 0.9);
  for (const char* csv : {"worm_factors.csv", "worm_rank.csv", "worm_communities.csv", "nmf_matrix.csv", "nmf_ours.csv",
                          "lfr.csv", "lfr_edges.csv", "lfr_nodes.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(base / "1" / csv)) << csv;
    EXPECT_EQ(slurp(base / "1" / csv), slurp(base / "2" / csv)) << csv << " differs between 1 and 2 threads";
  }
  std::filesystem::remove_all(base);
}

TEST(dynamic_connectome_repro, refuses_an_impossible_window) {
  connectome_size z;
  z.window_samples = 2;
  options o;
  o.out = (std::filesystem::temp_directory_path() / ("neurite_test_connectome_bad_" + std::to_string(getpid()))).string();
  EXPECT_THROW(run_dynamic_connectome(o, z), std::invalid_argument);
  std::filesystem::remove_all(o.out);
}
