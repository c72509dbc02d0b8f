#pragma once
// `neurite repro dynamic-connectome`: the dynamic functional connectome of paper 4 (Dyballa et al.,
// dyballa/dynamic-connectomes) in small (docs/dynamic_connectome.md). Synthetic "worms": recordings
// of traces whose correlated groups of neurons switch over time windows on a planted schedule;
// differential affinities give a windows x recordings x pairs tensor, non-negative CP by HALS
// recovers the planted factors, and communities of each component's pair loadings recover the
// planted groups (igraph Louvain / Leiden). Then the weighted LFR benchmark at the paper's settings
// (analysis/lfr.hpp): realised mixing against the target, NMI of a weighted SBM by description
// length (analysis/sbm.hpp) and of Louvain / Leiden as mixing grows.
// CSV files: worm_factors.csv, worm_rank.csv, worm_communities.csv, nmf_matrix.csv, nmf_ours.csv,
// lfr.csv, lfr_edges.csv, lfr_nodes.csv (and lfr_context.csv with --full).
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct lfr_setting {
  double beta = 2, mu_t = 0.5, mu_w = 0.5, k = 25;
};

struct connectome_size {
  std::uint32_t neurons = 20, groups = 4, states = 3, recordings = 4;
  std::uint32_t windows = 12, window_samples = 150;
  int restarts = 8;
  std::vector<std::uint32_t> diagnostic_ranks{1, 2, 3, 4, 5};
  std::vector<lfr_setting> lfr;
  std::uint32_t lfr_repetitions = 3;
  // Context (ours, not the paper's settings): the SBM along mu_w where the weights do not scale with
  // degree (beta = 1), to tell the weight model's degree bias from the claim; empty: skipped.
  std::vector<lfr_setting> lfr_context;
};

connectome_size connectome_default_size(bool full);
std::vector<row> run_dynamic_connectome(const options& o, const connectome_size& size);

}  // namespace neurite::repro
