#include "analysis/sbm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

namespace neurite::analysis {
namespace {

double lfact(double m) { return std::lgamma(m + 1); }
double log_binomial(double n, double k) { return k < 0 || k > n ? 0.0 : lfact(n) - lfact(k) - lfact(n - k); }
double log_multiset(double n, double k) { return n <= 0 ? 0.0 : log_binomial(n + k - 1, k); }

// Block state: sizes, degree sums, edge counts and weight sums between blocks (index = block
// label, fixed at n; dead blocks have size 0).
struct state {
  std::size_t n = 0, B = 0;
  double E = 0, beta = 1, log_k_fact = 0;
  bool dc = false;
  std::vector<int> b;
  std::vector<double> size, deg, k;
  std::vector<double> e, x;  // n x n: e[r][s] edges (r != s) or internal edges (r == s); x: weight sums
  std::vector<std::vector<std::pair<int, double>>> adj;

  double& E_(std::size_t r, std::size_t s) { return e[r * n + s]; }
  double& X_(std::size_t r, std::size_t s) { return x[r * n + s]; }

  double weight_term(double m, double w) const { return m <= 0 ? 0.0 : (m + 1) * std::log(w + beta) - lfact(m) - std::log(beta); }
  // Topology and weights of block pair r < s, or of block r with itself (m internal edges).
  double pair(std::size_t r, std::size_t s) const {
    const double m = e[r * n + s], w = x[r * n + s];
    const double topo = r == s ? -(m * std::log(2.0) + lfact(m)) : -lfact(m);
    return topo + weight_term(m, w);
  }
  double block(std::size_t r) const {
    if (size[r] <= 0) return 0.0;
    const double part = -lfact(size[r]);
    return dc ? part + lfact(deg[r]) + log_multiset(size[r], deg[r]) : part + deg[r] * std::log(size[r]);
  }
  double global(double blocks) const {
    const double N = static_cast<double>(n);
    return log_binomial(N - 1, blocks - 1) + lfact(N) + std::log(N) + log_multiset(blocks * (blocks + 1) / 2, E) -
           (dc ? log_k_fact : 0.0);
  }
  // Every term that involves block r or s (pairs counted once).
  double local(std::size_t r, std::size_t s) const {
    double t = block(r) + (s != r ? block(s) : 0.0);
    for (std::size_t u = 0; u < n; ++u) {
      if (size[u] <= 0 && u != r && u != s) continue;
      t += pair(std::min(r, u), std::max(r, u));
      if (s != r && u != r) t += pair(std::min(s, u), std::max(s, u));
    }
    return t;
  }
  double total() const {
    double t = global(static_cast<double>(B));
    for (std::size_t r = 0; r < n; ++r) {
      t += block(r);
      for (std::size_t s = r; s < n; ++s) t += pair(r, s);
    }
    return t;
  }
  void add_edge_to_blocks(std::size_t r, std::size_t s, double w, double sign) {
    const auto lo = std::min(r, s), hi = std::max(r, s);
    e[lo * n + hi] += sign, x[lo * n + hi] += sign * w;
  }
  // Moves node i to block s (blocks may empty or come alive).
  void move(std::size_t i, std::size_t s) {
    const std::size_t r = static_cast<std::size_t>(b[i]);
    if (r == s) return;
    for (const auto& [j, w] : adj[i]) {
      const std::size_t t = static_cast<std::size_t>(b[static_cast<std::size_t>(j)]);
      add_edge_to_blocks(r, t, w, -1);
      add_edge_to_blocks(s, t, w, +1);
    }
    if (size[s] <= 0) ++B;
    size[r] -= 1, size[s] += 1, deg[r] -= k[i], deg[s] += k[i];
    if (size[r] <= 0) --B;
    b[i] = static_cast<int>(s);
  }
};

state make_state(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                 const std::vector<int>& blocks, bool dc) {
  if (edges.size() != weights.size() || blocks.size() != n)
    throw std::invalid_argument("weighted SBM: " + std::to_string(edges.size()) + " edges, " + std::to_string(weights.size()) +
                                " weights, " + std::to_string(blocks.size()) + " block labels for " + std::to_string(n) +
                                " nodes; expected one weight per edge and one label per node");
  state st;
  st.n = n, st.dc = dc, st.E = static_cast<double>(edges.size());
  st.b = blocks;
  st.size.assign(n, 0), st.deg.assign(n, 0), st.k.assign(n, 0), st.e.assign(n * n, 0), st.x.assign(n * n, 0);
  st.adj.assign(n, {});
  double wsum = 0;
  for (std::size_t q = 0; q < edges.size(); ++q) {
    const auto [a, c] = edges[q];
    if (a < 0 || c < 0 || static_cast<std::size_t>(a) >= n || static_cast<std::size_t>(c) >= n || a == c || !(weights[q] > 0))
      throw std::invalid_argument("weighted SBM: edge " + std::to_string(q) + " (" + std::to_string(a) + ", " + std::to_string(c) +
                                  ") is a self-loop, out of range or has a weight <= 0");
    st.adj[static_cast<std::size_t>(a)].emplace_back(c, weights[q]);
    st.adj[static_cast<std::size_t>(c)].emplace_back(a, weights[q]);
    st.k[static_cast<std::size_t>(a)] += 1, st.k[static_cast<std::size_t>(c)] += 1;
    wsum += weights[q];
    st.add_edge_to_blocks(static_cast<std::size_t>(blocks[static_cast<std::size_t>(a)]),
                          static_cast<std::size_t>(blocks[static_cast<std::size_t>(c)]), weights[q], +1);
  }
  st.beta = edges.empty() ? 1.0 : wsum / st.E;
  for (std::size_t i = 0; i < n; ++i) {
    if (blocks[i] < 0 || static_cast<std::size_t>(blocks[i]) >= n)
      throw std::invalid_argument("weighted SBM: block label " + std::to_string(blocks[i]) + " of node " + std::to_string(i) +
                                  "; expected 0 to n - 1");
    st.size[static_cast<std::size_t>(blocks[i])] += 1;
    st.deg[static_cast<std::size_t>(blocks[i])] += st.k[i];
    st.log_k_fact += lfact(st.k[i]);
  }
  st.B = static_cast<std::size_t>(std::count_if(st.size.begin(), st.size.end(), [](double v) { return v > 0; }));
  return st;
}

// Change of description length when block s merges into r: the merge is applied to the two rows,
// the terms evaluated, and the rows restored (st is unchanged on return).
double merge_delta(state& st, std::size_t r, std::size_t s) {
  state& m = st;
  const std::size_t n = st.n;
  const double before = st.local(r, s) + st.global(static_cast<double>(st.B));
  // Save rows r, s and apply the merge to them.
  std::vector<double> save_e, save_x;
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t v : {r, s}) {
      const auto lo = std::min(u, v), hi = std::max(u, v);
      save_e.push_back(m.e[lo * n + hi]), save_x.push_back(m.x[lo * n + hi]);
    }
  const double sr = m.size[r], ss = m.size[s], dr = m.deg[r], ds = m.deg[s];
  const auto lrs = std::min(r, s), hrs = std::max(r, s);
  const double int_e = m.e[r * n + r] + m.e[s * n + s] + m.e[lrs * n + hrs];
  const double int_x = m.x[r * n + r] + m.x[s * n + s] + m.x[lrs * n + hrs];
  for (std::size_t u = 0; u < n; ++u) {
    if (u == r || u == s) continue;
    const auto ru = std::min(r, u) * n + std::max(r, u), su = std::min(s, u) * n + std::max(s, u);
    m.e[ru] += m.e[su], m.x[ru] += m.x[su];
    m.e[su] = 0, m.x[su] = 0;
  }
  m.e[r * n + r] = int_e, m.x[r * n + r] = int_x, m.e[s * n + s] = 0, m.x[s * n + s] = 0;
  m.e[lrs * n + hrs] = 0, m.x[lrs * n + hrs] = 0;
  m.size[r] = sr + ss, m.size[s] = 0, m.deg[r] = dr + ds, m.deg[s] = 0;
  const double after = m.local(r, s) + st.global(static_cast<double>(st.B - 1));
  // Restore.
  std::size_t q = 0;
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t v : {r, s}) {
      const auto lo = std::min(u, v), hi = std::max(u, v);
      m.e[lo * n + hi] = save_e[q], m.x[lo * n + hi] = save_x[q];
      ++q;
    }
  m.size[r] = sr, m.size[s] = ss, m.deg[r] = dr, m.deg[s] = ds;
  return after - before;
}

std::vector<int> canonical_blocks(const std::vector<int>& b) {
  std::map<int, int> id;
  std::vector<int> out(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) out[i] = id.emplace(b[i], static_cast<int>(id.size())).first->second;
  return out;
}

}  // namespace

double sbm_description_length(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                              const std::vector<double>& weights, const std::vector<int>& blocks, bool degree_corrected) {
  return make_state(n, edges, weights, blocks, degree_corrected).total();
}

sbm_fit fit_weighted_sbm(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                         bool degree_corrected, int move_sweeps) {
  std::vector<int> singletons(n);
  for (std::size_t i = 0; i < n; ++i) singletons[i] = static_cast<int>(i);
  state st = make_state(n, edges, weights, singletons, degree_corrected);
  double dl = st.total();
  std::vector<int> best_b = st.b;
  double best_dl = dl;
  // Agglomeration in stages (as graph-tool does): each block proposes its best merge partner by the
  // change of description length; the best proposals between untouched blocks are carried out until
  // the number of blocks has fallen by a factor 1.3; down to one block, keeping the best partition.
  while (st.B > 1) {
    std::vector<std::tuple<double, std::size_t, std::size_t>> proposals;
    for (std::size_t r = 0; r < n; ++r) {
      if (st.size[r] <= 0) continue;
      double top = std::numeric_limits<double>::infinity();
      std::size_t bs = r;
      for (std::size_t s = 0; s < n; ++s) {
        if (s == r || st.size[s] <= 0) continue;
        const double d = merge_delta(st, std::min(r, s), std::max(r, s));
        if (d < top) top = d, bs = s;
      }
      if (bs != r) proposals.emplace_back(top, std::min(r, bs), std::max(r, bs));
    }
    std::sort(proposals.begin(), proposals.end());
    const std::size_t target = std::max<std::size_t>(1, st.B - static_cast<std::size_t>(std::ceil(static_cast<double>(st.B) / 1.3)));
    std::vector<bool> touched(n, false);
    std::size_t merged = 0;
    for (const auto& [d, r, s] : proposals) {
      if (merged >= target) break;
      if (touched[r] || touched[s]) continue;
      touched[r] = touched[s] = true;
      for (std::size_t i = 0; i < n; ++i)
        if (static_cast<std::size_t>(st.b[i]) == s) st.move(i, r);
      ++merged;
    }
    dl = st.total();
    if (dl < best_dl - 1e-9) best_dl = dl, best_b = st.b;
  }
  // Node moves from the best partition: each node to the neighbouring block that lowers the length most.
  st = make_state(n, edges, weights, best_b, degree_corrected);
  dl = st.total();
  for (int sweep = 0; sweep < move_sweeps; ++sweep) {
    bool moved = false;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = static_cast<std::size_t>(st.b[i]);
      std::vector<std::size_t> candidates;
      for (const auto& [j, w] : st.adj[i]) candidates.push_back(static_cast<std::size_t>(st.b[static_cast<std::size_t>(j)]));
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      double best_delta = -1e-9;
      std::size_t best_s = r;
      for (std::size_t s : candidates) {
        if (s == r) continue;
        const double before = st.local(r, s) + st.global(static_cast<double>(st.B));
        st.move(i, s);
        const double after = st.local(r, s) + st.global(static_cast<double>(st.B));
        st.move(i, r);
        if (after - before < best_delta) best_delta = after - before, best_s = s;
      }
      if (best_s != r) st.move(i, best_s), dl += best_delta, moved = true;
    }
    if (!moved) break;
  }
  sbm_fit fit;
  fit.blocks = canonical_blocks(st.b);
  fit.description_length = st.total();
  fit.degree_corrected = degree_corrected;
  return fit;
}

sbm_fit fit_weighted_sbm_by_mdl(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights) {
  auto plain = fit_weighted_sbm(n, edges, weights, false), dc = fit_weighted_sbm(n, edges, weights, true);
  return dc.description_length < plain.description_length ? dc : plain;
}

}  // namespace neurite::analysis
