#include "analysis/nested_sbm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

namespace neurite::analysis {

std::vector<std::pair<std::size_t, std::size_t>> merge_stage(
    std::vector<std::tuple<double, std::size_t, std::size_t>> proposals, std::size_t blocks, std::size_t labels) {
  std::sort(proposals.begin(), proposals.end());
  const auto target =
      std::max<std::size_t>(1, blocks - static_cast<std::size_t>(std::ceil(static_cast<double>(blocks) / 1.3)));
  std::vector<bool> touched(labels, false);
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& [change, a, b] : proposals) {
    if (out.size() >= target) break;
    if (touched[a] || touched[b]) continue;
    touched[a] = touched[b] = true;
    out.emplace_back(a, b);
  }
  return out;
}
namespace {

double lfact(double m) { return std::lgamma(m + 1); }
double log_binomial(double n, double k) { return k < 0 || k > n ? 0.0 : lfact(n) - lfact(k) - lfact(n - k); }
double log_multiset(double n, double k) { return n <= 0 ? 0.0 : log_binomial(n + k - 1, k); }

// Groups (0 .. G - 1, G the number of distinct labels, relabelled in order of appearance) and sizes.
std::vector<int> compact(const std::vector<int>& g, std::size_t& G) {
  std::map<int, int> id;
  std::vector<int> out(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) out[i] = id.emplace(g[i], static_cast<int>(id.size())).first->second;
  G = id.size();
  return out;
}

// The G x G counts between groups g (0 .. G - 1) of the B x B multigraph m.
std::vector<double> aggregate(const std::vector<double>& m, std::size_t B, const std::vector<int>& g, std::size_t G) {
  std::vector<double> out(G * G, 0.0);
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t s = r; s < B; ++s) {
      const double v = m[r * B + s];
      if (v == 0) continue;
      const auto c = static_cast<std::size_t>(g[r]), d = static_cast<std::size_t>(g[s]);
      if (c == d) out[c * G + c] += v;
      else out[c * G + d] += v, out[d * G + c] += v;
    }
  return out;
}

// Partition and count terms of one level: the B nodes of m grouped by g into G groups.
double level_terms(const std::vector<double>& m, std::size_t B, const std::vector<int>& g, std::size_t G) {
  std::vector<double> n(G, 0.0);
  for (int c : g) n[static_cast<std::size_t>(c)] += 1;
  const auto M = aggregate(m, B, g, G);
  const double Bd = static_cast<double>(B);
  double t = log_binomial(Bd - 1, static_cast<double>(G) - 1) + lfact(Bd) + std::log(Bd);
  for (std::size_t c = 0; c < G; ++c) {
    t += -lfact(n[c]) + log_multiset(n[c] * (n[c] + 1) / 2, M[c * G + c]);
    for (std::size_t d = c + 1; d < G; ++d) t += log_multiset(n[c] * n[d], M[c * G + d]);
  }
  return t;
}

// What one group on top of G nodes costs (log G + the flat prior): an upper bound of the levels above.
double top_bound(std::size_t G, double E) {
  const double Gd = static_cast<double>(G);
  return G <= 1 ? 0.0 : std::log(Gd) + log_multiset(Gd * (Gd + 1) / 2, E);
}

// The change of a level's terms when groups c and d merge (sizes n, counts M over G labels, dead
// groups of size 0); the terms that depend only on the number of groups are left out (equal for all merges).
double merge_change(const std::vector<double>& n, const std::vector<double>& M, std::size_t G, std::size_t c, std::size_t d) {
  const double nc = n[c], nd = n[d], nm = nc + nd;
  double t = -lfact(nm) + lfact(nc) + lfact(nd);
  t += log_multiset(nm * (nm + 1) / 2, M[c * G + c] + M[d * G + d] + M[c * G + d]) -
       log_multiset(nc * (nc + 1) / 2, M[c * G + c]) - log_multiset(nd * (nd + 1) / 2, M[d * G + d]) -
       log_multiset(nc * nd, M[c * G + d]);
  for (std::size_t u = 0; u < G; ++u) {
    if (u == c || u == d || n[u] <= 0) continue;
    t += log_multiset(nm * n[u], M[c * G + u] + M[d * G + u]) - log_multiset(nc * n[u], M[c * G + u]) -
         log_multiset(nd * n[u], M[d * G + u]);
  }
  return t;
}

// One level's grouping of the B nodes of m into fewer groups: staged agglomeration from singletons
// (each group proposes its best partner; the best disjoint proposals merge until the number of
// groups falls by 1.3x), keeping the grouping with the least level terms + top bound.
std::vector<int> best_grouping(const std::vector<double>& m, std::size_t B, double E) {
  std::vector<int> g(B);
  for (std::size_t i = 0; i < B; ++i) g[i] = static_cast<int>(i);
  std::vector<int> best(B, 0);
  double best_cost = level_terms(m, B, best, 1);
  std::size_t G = B;
  while (G > 1) {
    std::vector<double> n(B, 0.0);
    for (int c : g) n[static_cast<std::size_t>(c)] += 1;
    const auto M = aggregate(m, B, g, B);  // indexed by label (labels stay below B)
    std::vector<std::tuple<double, std::size_t, std::size_t>> proposals;
    for (std::size_t c = 0; c < B; ++c) {
      if (n[c] <= 0) continue;
      double top = std::numeric_limits<double>::infinity();
      std::size_t partner = c;
      for (std::size_t d = 0; d < B; ++d) {
        if (d == c || n[d] <= 0) continue;
        const double change = merge_change(n, M, B, std::min(c, d), std::max(c, d));
        if (change < top) top = change, partner = d;
      }
      if (partner != c) proposals.emplace_back(top, std::min(c, partner), std::max(c, partner));
    }
    for (const auto& [c, d] : merge_stage(std::move(proposals), G, B)) {
      for (auto& label : g)
        if (static_cast<std::size_t>(label) == d) label = static_cast<int>(c);
      --G;
    }
    std::size_t Gc = 0;
    const auto gc = compact(g, Gc);
    const double cost = level_terms(m, B, gc, Gc) + top_bound(Gc, E);
    if (cost < best_cost - 1e-9) best_cost = cost, best = gc;
  }
  return best;
}

}  // namespace

double hierarchy_description_length(const std::vector<double>& m, std::size_t B,
                                    const std::vector<std::vector<int>>& levels) {
  if (m.size() != B * B)
    throw std::invalid_argument("block hierarchy: " + std::to_string(m.size()) + " block counts for " + std::to_string(B) +
                                " blocks; expected B x B");
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t s = 0; s < B; ++s)
      if (!(m[r * B + s] >= 0) || m[r * B + s] != m[s * B + r])
        throw std::invalid_argument("block hierarchy: count (" + std::to_string(r) + ", " + std::to_string(s) +
                                    ") is negative or not symmetric");
  if (B <= 1 && levels.empty()) return 0.0;
  std::vector<double> cur = m;
  std::size_t Bc = B;
  double t = 0;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const auto& g = levels[l];
    if (g.size() != Bc)
      throw std::invalid_argument("block hierarchy: level " + std::to_string(l + 1) + " labels " + std::to_string(g.size()) +
                                  " nodes; expected " + std::to_string(Bc));
    int top = -1;
    for (int c : g) {
      if (c < 0 || static_cast<std::size_t>(c) >= Bc)
        throw std::invalid_argument("block hierarchy: level " + std::to_string(l + 1) + " has group label " + std::to_string(c) +
                                    "; expected 0 to " + std::to_string(Bc - 1));
      top = std::max(top, c);
    }
    std::size_t G = 0;
    const auto gc = compact(g, G);
    if (G != static_cast<std::size_t>(top) + 1)
      throw std::invalid_argument("block hierarchy: level " + std::to_string(l + 1) + " has empty groups");
    t += level_terms(cur, Bc, gc, G);
    cur = aggregate(cur, Bc, gc, G), Bc = G;
  }
  if (Bc != 1)
    throw std::invalid_argument("block hierarchy: the top level has " + std::to_string(Bc) + " groups; expected 1");
  return t;
}

block_hierarchy fit_block_hierarchy(const std::vector<double>& m, std::size_t B) {
  block_hierarchy h;
  if (m.size() != B * B)
    throw std::invalid_argument("block hierarchy: " + std::to_string(m.size()) + " block counts for " + std::to_string(B) +
                                " blocks; expected B x B");
  double E = 0;
  for (std::size_t r = 0; r < B; ++r)
    for (std::size_t s = r; s < B; ++s) E += m[r * B + s];
  std::vector<double> cur = m;
  std::size_t Bc = B;
  while (Bc > 1) {
    const auto g = best_grouping(cur, Bc, E);
    std::size_t G = 0;
    const auto gc = compact(g, G);
    h.levels.push_back(gc);
    cur = aggregate(cur, Bc, gc, G), Bc = G;
  }
  h.description_length = hierarchy_description_length(m, B, h.levels);
  return h;
}

}  // namespace neurite::analysis
