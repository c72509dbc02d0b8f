#include "analysis/lfr.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"

namespace neurite::analysis {
namespace {

// Mean of the continuous power law x^-t on [lo, hi].
double power_law_mean(double t, double lo, double hi) {
  auto integral = [](double a, double lo_, double hi_) {
    return std::abs(a + 1) < 1e-12 ? std::log(hi_ / lo_) : (std::pow(hi_, a + 1) - std::pow(lo_, a + 1)) / (a + 1);
  };
  return integral(1 - t, lo, hi) / integral(-t, lo, hi);
}

// Inverse-CDF sample of x^-t on [lo, hi].
double power_law_sample(core::random_stream& rng, double t, double lo, double hi) {
  const double u = rng.uniform();
  if (std::abs(t - 1) < 1e-12) return lo * std::pow(hi / lo, u);
  const double a = 1 - t;
  return std::pow(std::pow(lo, a) + u * (std::pow(hi, a) - std::pow(lo, a)), 1 / a);
}

template <class T>
void shuffle(std::vector<T>& v, core::random_stream& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(rng.uniform() * static_cast<double>(i))]);
}

// Pairs stubs at random; a pair that is a self-loop, a repeat, or (when `forbid` says so) not
// allowed is retried with another stub. A stub that finds no partner takes over one end of an
// edge wired earlier by this call ((c, d) becomes (a, c), d's stub goes back to the pool), which
// resolves the dead ends of the last few stubs; a stub still unpaired after that is dropped.
// `seen` is the n x n adjacency (1 where an edge exists), shared by the calls.
template <class Forbid>
void wire(std::vector<int> stubs, std::vector<std::uint8_t>& seen, std::size_t n, std::vector<std::pair<int, int>>& edges,
          core::random_stream& rng, Forbid forbid) {
  shuffle(stubs, rng);
  const std::size_t first = edges.size();
  auto allowed = [&](int a, int b) {
    const auto e = std::minmax(a, b);
    return a != b && !forbid(a, b) && !seen[static_cast<std::size_t>(e.first) * n + static_cast<std::size_t>(e.second)];
  };
  auto add = [&](int a, int b) {
    const auto e = std::minmax(a, b);
    seen[static_cast<std::size_t>(e.first) * n + static_cast<std::size_t>(e.second)] = 1;
    edges.emplace_back(e.first, e.second);
  };
  auto pick = [&](std::size_t count) { return static_cast<std::size_t>(rng.uniform() * static_cast<double>(count)); };
  int swaps = 0;
  while (!stubs.empty()) {
    const int a = stubs.back();
    stubs.pop_back();
    bool done = false;
    for (int attempt = 0; attempt < 200 && !stubs.empty() && !done; ++attempt) {
      const std::size_t k = pick(stubs.size());
      if (!allowed(a, stubs[k])) continue;
      add(a, stubs[k]);
      stubs[k] = stubs.back();
      stubs.pop_back();
      done = true;
    }
    for (int attempt = 0; attempt < 200 && !done && edges.size() > first && swaps < 10000; ++attempt) {
      const std::size_t e = first + pick(edges.size() - first);
      auto [c, d] = edges[e];
      if (rng.uniform() < 0.5) std::swap(c, d);
      if (!allowed(a, c)) continue;
      seen[static_cast<std::size_t>(std::min(c, d)) * n + static_cast<std::size_t>(std::max(c, d))] = 0;
      edges[e] = edges.back();
      edges.pop_back();
      add(a, c);
      stubs.push_back(d);
      ++swaps;
      done = true;
    }
  }
}

}  // namespace

void measure_mixing(lfr_graph& g) {
  const std::size_t n = g.community.size();
  std::vector<double> deg(n, 0), ext(n, 0), str(n, 0), sext(n, 0);
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    const auto [a, b] = g.edges[e];
    const bool out = g.community[static_cast<std::size_t>(a)] != g.community[static_cast<std::size_t>(b)];
    for (int v : {a, b}) {
      deg[static_cast<std::size_t>(v)] += 1, str[static_cast<std::size_t>(v)] += g.weights[e];
      if (out) ext[static_cast<std::size_t>(v)] += 1, sext[static_cast<std::size_t>(v)] += g.weights[e];
    }
  }
  double mt = 0, mw = 0, kd = 0;
  std::size_t counted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    kd += deg[i];
    if (deg[i] == 0) continue;
    mt += ext[i] / deg[i], mw += str[i] > 0 ? sext[i] / str[i] : 0.0, ++counted;
  }
  g.realised_mu_t = counted ? mt / static_cast<double>(counted) : 0.0;
  g.realised_mu_w = counted ? mw / static_cast<double>(counted) : 0.0;
  g.realised_mean_degree = n ? kd / static_cast<double>(n) : 0.0;
}

lfr_graph make_lfr(const lfr_parameters& p, std::uint64_t seed, std::uint32_t purpose) {
  if (p.n < 4 || p.mean_degree < 1 || p.max_degree < p.mean_degree || p.max_degree >= static_cast<double>(p.n) ||
      p.mu_t < 0 || p.mu_t > 1 || p.mu_w < 0 || p.mu_w > 1)
    throw std::invalid_argument("make_lfr: n " + std::to_string(p.n) + ", k " + std::to_string(p.mean_degree) + ", maxk " +
                                std::to_string(p.max_degree) +
                                "; expected n >= 4, 1 <= k <= maxk < n and mixing parameters in [0, 1]");
  core::random_stream rng(seed, purpose, 0);
  // The smallest degree that gives the mean: bisection on the power law's mean.
  double lo = 1, hi = p.mean_degree;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (power_law_mean(p.t1, mid, p.max_degree) < p.mean_degree ? lo : hi) = mid;
  }
  const double kmin = 0.5 * (lo + hi);
  std::vector<int> degree(p.n);
  for (auto& k : degree) k = static_cast<int>(std::lround(power_law_sample(rng, p.t1, kmin, p.max_degree)));
  std::vector<int> internal(p.n);
  // Internal degree (1 - mu_t) k_i, rounded up or down at random so that the mean is exact.
  for (std::size_t i = 0; i < p.n; ++i) {
    const double want = (1 - p.mu_t) * degree[i];
    internal[i] = static_cast<int>(std::floor(want)) + (rng.uniform() < want - std::floor(want) ? 1 : 0);
  }

  // Community sizes until they cover n; the last is cut, and merged into another when too small.
  const double cmin = p.min_community ? static_cast<double>(p.min_community) : *std::min_element(degree.begin(), degree.end());
  // Largest community at most half the nodes unless given: a community with most of the external
  // stubs could not pair them outside itself, and the realised mu_t would fall short.
  const double cmax = std::min(0.5 * static_cast<double>(p.n), p.max_community ? static_cast<double>(p.max_community)
                                                                         : *std::max_element(degree.begin(), degree.end()));
  std::vector<std::size_t> sizes;
  std::size_t total = 0;
  while (total < p.n) {
    std::size_t s = static_cast<std::size_t>(std::lround(power_law_sample(rng, p.t2, cmin, std::max(cmin, cmax))));
    s = std::min(s, p.n - total);
    if (s < static_cast<std::size_t>(cmin) && !sizes.empty()) {
      sizes[static_cast<std::size_t>(rng.uniform() * static_cast<double>(sizes.size()))] += s;
    } else {
      sizes.push_back(s);
    }
    total += s;
  }
  // Nodes by decreasing internal degree, each into a random community with room and enough members
  // for its internal degree; failing that, the one with room and the most members (internal degree capped).
  std::vector<std::size_t> order(p.n);
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return internal[a] > internal[b]; });
  std::vector<std::size_t> filled(sizes.size(), 0);
  lfr_graph g;
  g.community.assign(p.n, 0);
  for (std::size_t i : order) {
    std::vector<std::size_t> fit, room;
    for (std::size_t c = 0; c < sizes.size(); ++c) {
      if (filled[c] >= sizes[c]) continue;
      room.push_back(c);
      if (sizes[c] > static_cast<std::size_t>(internal[i])) fit.push_back(c);
    }
    std::size_t c;
    if (!fit.empty()) {
      c = fit[static_cast<std::size_t>(rng.uniform() * static_cast<double>(fit.size()))];
    } else {
      c = *std::max_element(room.begin(), room.end(), [&](std::size_t a, std::size_t b) { return sizes[a] < sizes[b]; });
      internal[i] = static_cast<int>(sizes[c]) - 1;
    }
    g.community[i] = static_cast<int>(c);
    ++filled[c];
  }
  // External edges first (the harder constraint), then internal ones community by community.
  std::vector<std::uint8_t> seen(p.n * p.n, 0);
  std::vector<int> stubs;
  for (std::size_t i = 0; i < p.n; ++i)
    for (int s = 0; s < degree[i] - internal[i]; ++s) stubs.push_back(static_cast<int>(i));
  wire(stubs, seen, p.n, g.edges, rng, [&](int a, int b) { return g.community[static_cast<std::size_t>(a)] == g.community[static_cast<std::size_t>(b)]; });
  for (std::size_t c = 0; c < sizes.size(); ++c) {
    std::vector<int> in;
    for (std::size_t i = 0; i < p.n; ++i)
      if (g.community[i] == static_cast<int>(c))
        for (int s = 0; s < internal[i]; ++s) in.push_back(static_cast<int>(i));
    wire(in, seen, p.n, g.edges, rng, [](int, int) { return false; });
  }
  // Weights: targets (1 - mu_w) s_i inside and mu_w s_i outside with s_i = k_i^beta (realised k_i),
  // reached by iterative proportional fitting, each edge scaled by the geometric mean of its two
  // nodes' target / current ratios for its kind (internal or external).
  std::vector<double> k(p.n, 0);
  for (const auto& [a, b] : g.edges) k[static_cast<std::size_t>(a)] += 1, k[static_cast<std::size_t>(b)] += 1;
  std::vector<double> target_in(p.n), target_out(p.n);
  for (std::size_t i = 0; i < p.n; ++i) {
    const double s = std::pow(k[i], p.beta);
    target_in[i] = (1 - p.mu_w) * s, target_out[i] = p.mu_w * s;
  }
  g.weights.assign(g.edges.size(), 1.0);
  for (int it = 0; it < 300; ++it) {
    std::vector<double> in(p.n, 0), out(p.n, 0);
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      const auto [a, b] = g.edges[e];
      auto& v = g.community[static_cast<std::size_t>(a)] == g.community[static_cast<std::size_t>(b)] ? in : out;
      v[static_cast<std::size_t>(a)] += g.weights[e], v[static_cast<std::size_t>(b)] += g.weights[e];
    }
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      const auto [a, b] = g.edges[e];
      const auto ia = static_cast<std::size_t>(a), ib = static_cast<std::size_t>(b);
      const bool inside = g.community[ia] == g.community[ib];
      // A node with no strength of this kind yet keeps its edge (ratio 1).
      auto ratio = [](double target, double current) { return current > 0 ? target / current : 1.0; };
      const double ra = inside ? ratio(target_in[ia], in[ia]) : ratio(target_out[ia], out[ia]);
      const double rb = inside ? ratio(target_in[ib], in[ib]) : ratio(target_out[ib], out[ib]);
      g.weights[e] *= std::sqrt(ra * rb);
    }
  }
  measure_mixing(g);
  return g;
}

}  // namespace neurite::analysis
