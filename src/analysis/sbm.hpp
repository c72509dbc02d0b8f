#pragma once
// A weighted stochastic block model fitted by minimum description length (ours, after Peixoto's
// microcanonical SBM; the paper fits graph-tool's nested SBM with real-exponential weights, which
// this does not reproduce: one level, no nesting). docs/dynamic_connectome.md gives the terms.
//
// Description length (nats) of a simple undirected weighted graph with partition b into B blocks:
//   partition   log C(N-1, B-1) + log N! - sum_r log n_r! + log N
//   edge counts log multiset(B(B+1)/2, E)
//   topology    non-degree-corrected: sum_r e_r log n_r - sum_{r<s} log e_rs! - sum_r log e_rr!!
//               degree-corrected:     sum_r log e_r! - sum_{r<s} log e_rs! - sum_r log e_rr!! - sum_i log k_i!
//                                     + sum_r log multiset(n_r, e_r)   (the degrees within each block)
//   weights     per block pair with m edges of total weight x, exponential weights with rate
//               lambda ~ Exp(mean 1 / beta), beta = the mean weight, integrated out:
//               (m + 1) log(x + beta) - log m! - log beta
// (e_rs: edges between r and s, e_rr twice the edges inside r, e_r = sum_s e_rs). Fitted by
// agglomerative merges from singletons (the best merge by description length each step, down to one
// block, keeping the best partition on the way), then sweeps of single-node moves that lower it.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace neurite::analysis {

struct sbm_fit {
  std::vector<int> blocks;
  double description_length = 0;
  bool degree_corrected = false;
};

double sbm_description_length(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                              const std::vector<double>& weights, const std::vector<int>& blocks, bool degree_corrected);
// One model (degree_corrected or not), or both with `choose_by_description_length` picking the shorter.
sbm_fit fit_weighted_sbm(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                         bool degree_corrected, int move_sweeps = 20);
sbm_fit fit_weighted_sbm_by_mdl(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights);

}  // namespace neurite::analysis
