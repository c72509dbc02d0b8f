#pragma once
// A weighted LFR benchmark graph (Lancichinetti and Fortunato 2009), written for neurite: power-law
// degrees (exponent t1, mean k, maximum maxk), power-law community sizes (exponent t2, between the
// smallest and the largest degree, at most n / 2, unless given), topological mixing mu_t (each node's share of
// edges leaving its community) and weight mixing mu_w (its share of strength leaving), strengths
// s_i = k_i^beta. docs/dynamic_connectome.md describes where it differs from the original code:
// edges are wired by a configuration model with rejection of self-loops and repeated edges, and
// weights by iterative proportional fitting to the internal and external target strengths.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace neurite::analysis {

struct lfr_parameters {
  std::size_t n = 125;
  double mean_degree = 25, max_degree = 100;
  double t1 = 2, t2 = 1;
  double mu_t = 0.5, mu_w = 0.5, beta = 2;
  std::size_t min_community = 0, max_community = 0;  // 0: the smallest / largest degree
};

struct lfr_graph {
  std::vector<std::pair<int, int>> edges;
  std::vector<double> weights;
  std::vector<int> community;      // planted community of each node
  double realised_mu_t = 0;        // mean over nodes of external degree / degree
  double realised_mu_w = 0;        // mean over nodes of external strength / strength
  double realised_mean_degree = 0;
};

// Stream (seed, purpose, id = 0).
lfr_graph make_lfr(const lfr_parameters& p, std::uint64_t seed, std::uint32_t purpose);
// The realised mixing of any partitioned weighted graph (nodes without edges are skipped).
void measure_mixing(lfr_graph& g);

}  // namespace neurite::analysis
