#pragma once
// A weighted stochastic block model fitted by minimum description length, after Peixoto's
// microcanonical SBM (2017) with exponential edge weights (2018); the paper fits graph-tool's nested
// SBM with real-exponential weights. This is our own implementation of those equations (not
// graph-tool's code); docs/dynamic_connectome.md gives the terms and what differs.
//
// Description length (nats) of a simple undirected weighted graph with partition b into B blocks,
// the sum of five terms (sbm_terms):
//   partition   log C(N-1, B-1) + log N! - sum_r log n_r! + log N
//   edge_counts flat:   log multiset(B(B+1)/2, E)
//               nested: the block hierarchy's description length (nested_sbm.hpp), fitted greedily
//   topology    non-degree-corrected: sum_r e_r log n_r - sum_{r<s} log e_rs! - sum_r log e_rr!!
//               degree-corrected:     sum_r log e_r! - sum_{r<s} log e_rs! - sum_r log e_rr!! - sum_i log k_i!
//   degrees     (degree-corrected only) uniform:     sum_r log multiset(n_r, e_r)
//               distributed (graph-tool's default hyperprior): sum_r [log n_r! - sum_k log n_k^r! + log q(e_r, n_r)],
//               n_k^r the nodes of degree k in r, q(m, n) the number of partitions of m into at most n parts
//   weights     per block pair with m edges of total weight x, exponential weights with rate
//               lambda ~ Exp(mean 1 / beta), beta = the mean weight, integrated out:
//               (m + 1) log(x + beta) - log m! - log beta
// (e_rs: edges between r and s, e_rr twice the edges inside r, e_r = sum_s e_rs = the degree sum of r).
// Fitted by staged agglomeration from singletons with single-node move sweeps after each stage (the
// merges do not depend on the edge-count prior, which depends on B only in the flat model), the
// shortest stage kept under the chosen model, then move sweeps (nested: with the hierarchy held
// fixed, refitted after each round).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "analysis/nested_sbm.hpp"

namespace neurite::analysis {

enum class degree_prior { uniform, distributed };

struct sbm_model {
  bool degree_corrected = false;
  degree_prior degrees = degree_prior::distributed;
  bool nested = true;   // edge counts by a block hierarchy; false: the flat prior
  bool weights = true;  // the exponential weight model; false: the topology only
};

struct sbm_terms {
  double partition = 0, edge_counts = 0, topology = 0, degrees = 0, weights = 0;
  double total() const { return partition + edge_counts + topology + degrees + weights; }
};

struct sbm_fit {
  std::vector<int> blocks;
  block_hierarchy hierarchy;  // nested: the levels above the blocks
  double description_length = 0;
  sbm_terms terms;
  bool degree_corrected = false;
};

// The terms of the description length of partition `blocks` (nested: its hierarchy fitted greedily).
sbm_terms sbm_description_terms(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights, const std::vector<int>& blocks, const sbm_model& model);
double sbm_description_length(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                              const std::vector<double>& weights, const std::vector<int>& blocks, const sbm_model& model);
sbm_fit fit_weighted_sbm(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                         const sbm_model& model, int move_sweeps = 20);
// Both the degree-corrected and the plain variant of `model`, the shorter kept (as the paper does).
sbm_fit fit_weighted_sbm_by_mdl(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights, sbm_model model = {});

}  // namespace neurite::analysis
