#pragma once
// Functional affinities from traces and communities on weighted affinity matrices (issue 12,
// `neurite repro dynamic-connectome`; docs/dynamic_connectome.md).
//
// Differential affinity (ours: the paper's exact formula could not be read): in a window of samples
// [begin, end), the Pearson correlation of the first differences dx_i(t) = x_i(t + 1) - x_i(t) of
// two neurons' traces, clipped at zero,
//   a_ij = max(0, corr(dx_i, dx_j)).
// Differences rather than levels, so that slow drifts shared by all neurons (bleaching, baseline)
// do not make everything affine; clipping, so that the tensor is non-negative.
//
// Communities: Louvain (igraph_community_multilevel) and Leiden with the modularity objective
// (igraph_community_leiden) from igraph's C library, and the normalised mutual information between
// two partitions.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/tensor_factorisation.hpp"

namespace neurite::analysis {

// Index of the unordered pair i < j among n neurons, in row order (0,1), (0,2), ..., (n-2,n-1).
std::size_t pair_index(std::size_t i, std::size_t j, std::size_t n);
std::size_t pair_count(std::size_t n);

// traces: neurons x samples, row-major. Returns the pair_count(neurons) affinities of the window.
std::vector<double> differential_affinity(const std::vector<double>& traces, std::size_t neurons,
                                          std::size_t samples, std::size_t begin, std::size_t end);

// Windows x recordings x pairs: recording m's traces cut into consecutive windows of `window`
// samples (a last partial window is dropped). Every recording has the same neurons and samples.
tensor3 affinity_tensor(const std::vector<std::vector<double>>& recordings, std::size_t neurons, std::size_t samples,
                        std::size_t window);

// A pair vector as a symmetric n x n matrix with a zero diagonal.
std::vector<double> pairs_to_matrix(const std::vector<double>& pairs, std::size_t n);

enum class community_method { louvain, leiden };
// Communities of the weighted undirected graph with adjacency W (n x n, symmetric, >= 0; entries
// <= 0 are no edge), labels 0..c-1. igraph's process-wide random number generator is seeded with
// `seed` under a lock, so concurrent calls are serialised and each gives the same labels.
std::vector<int> detect_communities(const std::vector<double>& W, std::size_t n, community_method method,
                                    std::uint64_t seed);
// Same, from an edge list with weights.
std::vector<int> detect_communities(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                    const std::vector<double>& weights, community_method method, std::uint64_t seed);

// Normalised mutual information, arithmetic normalisation 2 I(a; b) / (H(a) + H(b)) (as sklearn's
// default and igraph's "nmi"); 1 when both partitions are a single community.
double normalized_mutual_information(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace neurite::analysis
