#include "analysis/communities.hpp"

#include <igraph/igraph.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace neurite::analysis {

std::size_t pair_count(std::size_t n) { return n * (n - 1) / 2; }

std::size_t pair_index(std::size_t i, std::size_t j, std::size_t n) {
  if (i > j) std::swap(i, j);
  return i * (2 * n - i - 1) / 2 + (j - i - 1);
}

std::vector<double> differential_affinity(const std::vector<double>& traces, std::size_t neurons,
                                          std::size_t samples, std::size_t begin, std::size_t end) {
  if (traces.size() != neurons * samples || end > samples || end < begin + 3)
    throw std::invalid_argument("differential_affinity: window [" + std::to_string(begin) + ", " + std::to_string(end) +
                                ") of " + std::to_string(samples) + " samples x " + std::to_string(neurons) +
                                " neurons (" + std::to_string(traces.size()) +
                                " values); expected at least 3 samples in the window and neurons x samples values");
  const std::size_t L = end - begin - 1;
  // Centred, unit-norm differences per neuron; a flat neuron gets zeros (affinity 0 to everyone).
  std::vector<double> d(neurons * L);
  for (std::size_t i = 0; i < neurons; ++i) {
    double mean = 0;
    for (std::size_t t = 0; t < L; ++t) {
      d[i * L + t] = traces[i * samples + begin + t + 1] - traces[i * samples + begin + t];
      mean += d[i * L + t];
    }
    mean /= static_cast<double>(L);
    double norm = 0;
    for (std::size_t t = 0; t < L; ++t) norm += (d[i * L + t] - mean) * (d[i * L + t] - mean);
    norm = std::sqrt(norm);
    for (std::size_t t = 0; t < L; ++t) d[i * L + t] = norm > 0 ? (d[i * L + t] - mean) / norm : 0.0;
  }
  std::vector<double> a(pair_count(neurons));
  for (std::size_t i = 0; i < neurons; ++i)
    for (std::size_t j = i + 1; j < neurons; ++j) {
      double c = 0;
      for (std::size_t t = 0; t < L; ++t) c += d[i * L + t] * d[j * L + t];
      a[pair_index(i, j, neurons)] = std::max(0.0, c);
    }
  return a;
}

tensor3 affinity_tensor(const std::vector<std::vector<double>>& recordings, std::size_t neurons, std::size_t samples,
                        std::size_t window) {
  if (window < 3 || samples < window || recordings.empty())
    throw std::invalid_argument("affinity_tensor: window " + std::to_string(window) + " of " + std::to_string(samples) +
                                " samples in " + std::to_string(recordings.size()) +
                                " recordings; expected 3 <= window <= samples and at least one recording");
  const std::size_t W = samples / window, P = pair_count(neurons);
  tensor3 x(W, recordings.size(), P);
  for (std::size_t m = 0; m < recordings.size(); ++m)
    for (std::size_t w = 0; w < W; ++w) {
      const auto a = differential_affinity(recordings[m], neurons, samples, w * window, (w + 1) * window);
      for (std::size_t p = 0; p < P; ++p) x.at(w, m, p) = a[p];
    }
  return x;
}

std::vector<double> pairs_to_matrix(const std::vector<double>& pairs, std::size_t n) {
  if (pairs.size() != pair_count(n))
    throw std::invalid_argument("pairs_to_matrix: " + std::to_string(pairs.size()) + " pairs; expected " +
                                std::to_string(pair_count(n)) + " for " + std::to_string(n) + " neurons");
  std::vector<double> W(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) W[i * n + j] = W[j * n + i] = pairs[pair_index(i, j, n)];
  return W;
}

namespace {

void check(igraph_error_t e, const char* what) {
  if (e != IGRAPH_SUCCESS) throw std::runtime_error(std::string("igraph: ") + what + " failed: " + igraph_strerror(e));
}

// Labels renumbered 0.. in order of first appearance, so that equal partitions compare equal.
std::vector<int> canonical(const std::vector<int>& labels) {
  std::map<int, int> id;
  std::vector<int> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) out[i] = id.emplace(labels[i], static_cast<int>(id.size())).first->second;
  return out;
}

}  // namespace

std::vector<int> detect_communities(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                    const std::vector<double>& weights, community_method method, std::uint64_t seed) {
  if (edges.size() != weights.size()) throw std::invalid_argument("detect_communities: edges and weights differ in length");
  if (edges.empty()) {
    std::vector<int> singletons(n);
    for (std::size_t i = 0; i < n; ++i) singletons[i] = static_cast<int>(i);
    return singletons;
  }
  // igraph's random generator and error handler are process-wide: one caller at a time, and an
  // error comes back as a status (thrown below) instead of igraph's default abort().
  static std::mutex igraph_in_use;
  const std::lock_guard<std::mutex> lock(igraph_in_use);
  const auto previous_handler = igraph_set_error_handler(igraph_error_handler_ignore);
  const struct restore_handler {
    igraph_error_handler_t* handler;
    ~restore_handler() { igraph_set_error_handler(handler); }
  } restore{previous_handler};
  igraph_vector_int_t ev;
  igraph_vector_t w;
  igraph_t g;
  igraph_vector_int_t membership;
  check(igraph_vector_int_init(&ev, static_cast<igraph_integer_t>(2 * edges.size())), "vector_int_init");
  for (std::size_t e = 0; e < edges.size(); ++e) {
    VECTOR(ev)[2 * e] = edges[e].first;
    VECTOR(ev)[2 * e + 1] = edges[e].second;
  }
  check(igraph_vector_init(&w, static_cast<igraph_integer_t>(weights.size())), "vector_init");
  for (std::size_t e = 0; e < weights.size(); ++e) VECTOR(w)[e] = weights[e];
  check(igraph_create(&g, &ev, static_cast<igraph_integer_t>(n), IGRAPH_UNDIRECTED), "create");
  check(igraph_vector_int_init(&membership, 0), "vector_int_init");
  igraph_rng_seed(igraph_rng_default(), seed);
  igraph_error_t status;
  if (method == community_method::louvain) {
    status = igraph_community_multilevel(&g, &w, 1.0, &membership, nullptr, nullptr);
  } else {
    // Modularity objective: node weights = strengths, resolution 1 / (2 m) with m the total weight.
    igraph_vector_t strength;
    igraph_vector_init(&strength, static_cast<igraph_integer_t>(n));
    double total = 0;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      VECTOR(strength)[edges[e].first] += weights[e];
      VECTOR(strength)[edges[e].second] += weights[e];
      total += weights[e];
    }
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    status = igraph_community_leiden(&g, &w, &strength, 1.0 / (2.0 * total), 0.01, false, -1, &membership, &clusters,
                                     &quality);
    igraph_vector_destroy(&strength);
  }
  std::vector<int> labels(n);
  if (status == IGRAPH_SUCCESS)
    for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<int>(VECTOR(membership)[static_cast<igraph_integer_t>(i)]);
  igraph_vector_int_destroy(&membership);
  igraph_destroy(&g);
  igraph_vector_destroy(&w);
  igraph_vector_int_destroy(&ev);
  check(status, method == community_method::louvain ? "community_multilevel" : "community_leiden");
  return canonical(labels);
}

std::vector<int> detect_communities(const std::vector<double>& W, std::size_t n, community_method method,
                                    std::uint64_t seed) {
  if (W.size() != n * n)
    throw std::invalid_argument("detect_communities: " + std::to_string(W.size()) + " matrix entries; expected " +
                                std::to_string(n * n));
  std::vector<std::pair<int, int>> edges;
  std::vector<double> weights;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v = 0.5 * (W[i * n + j] + W[j * n + i]);
      if (v > 0) edges.emplace_back(static_cast<int>(i), static_cast<int>(j)), weights.push_back(v);
    }
  return detect_communities(n, edges, weights, method, seed);
}

double normalized_mutual_information(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size() || a.empty())
    throw std::invalid_argument("normalized_mutual_information: partitions of " + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()) + " nodes; expected the same non-zero size");
  const auto ca = canonical(a), cb = canonical(b);
  const double n = static_cast<double>(a.size());
  std::map<std::pair<int, int>, double> joint;
  std::map<int, double> pa, pb;
  for (std::size_t i = 0; i < a.size(); ++i) joint[{ca[i], cb[i]}] += 1, pa[ca[i]] += 1, pb[cb[i]] += 1;
  auto entropy = [n](const std::map<int, double>& p) {
    double h = 0;
    for (const auto& [k, c] : p) h -= c / n * std::log(c / n);
    return h;
  };
  const double ha = entropy(pa), hb = entropy(pb);
  if (ha + hb <= 0) return 1.0;
  double mi = 0;
  for (const auto& [k, c] : joint) mi += c / n * std::log(c * n / (pa[k.first] * pb[k.second]));
  return std::clamp(2.0 * mi / (ha + hb), 0.0, 1.0);
}

}  // namespace neurite::analysis
