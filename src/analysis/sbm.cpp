#include "analysis/sbm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>

namespace neurite::analysis {
namespace {

double lgamma1(double m) { return std::lgamma(m + 1); }
double log_binomial(double n, double k) { return k < 0 || k > n ? 0.0 : lgamma1(n) - lgamma1(k) - lgamma1(n - k); }
double log_multiset(double n, double k) { return n <= 0 ? 0.0 : log_binomial(n + k - 1, k); }

// log q(m, n), the number of partitions of the integer m into at most n parts, for m <= M, n <= N:
// q(m, n) = q(m, n - 1) + q(m - n, n) (a partition has fewer than n parts, or n parts that each
// give up one), q(0, n) = 1, and q(m, n) = q(m, m) for n > m. Kept in logs (q grows like e^sqrt(m)).
struct partition_counts {
  std::size_t M = 0, N = 0;
  std::vector<double> lq;  // (N + 1) x (M + 1)
  partition_counts(std::size_t max_m, std::size_t max_n) : M(max_m), N(std::min(max_m, max_n)) {
    if (static_cast<double>(M + 1) * static_cast<double>(N + 1) > 4e7)
      throw std::invalid_argument("weighted SBM: the distributed degree prior needs a table of partition counts of " +
                                  std::to_string(M + 1) + " x " + std::to_string(N + 1) + " entries; too large, use the uniform prior");
    const double none = -std::numeric_limits<double>::infinity();
    lq.assign((N + 1) * (M + 1), none);
    lq[0] = 0;
    for (std::size_t n = 1; n <= N; ++n)
      for (std::size_t m = 0; m <= M; ++m) {
        const double a = lq[(n - 1) * (M + 1) + m];
        const double b = m >= n ? lq[n * (M + 1) + m - n] : none;
        const double hi = std::max(a, b);
        lq[n * (M + 1) + m] = hi == none ? none : hi + std::log1p(std::exp(std::min(a, b) - hi));
      }
  }
  double operator()(double m, double n) const {
    const auto mi = static_cast<std::size_t>(m), ni = std::min(static_cast<std::size_t>(n), std::min(mi, N));
    return lq[ni * (M + 1) + mi];
  }
};

// Block state: sizes, degree sums, degree histograms, edge counts and weight sums between blocks
// (index = block label, fixed at n; dead blocks have size 0).
struct state {
  std::size_t n = 0, B = 0;
  double E = 0, beta = 1, log_k_fact = 0;
  sbm_model model;
  std::vector<int> b;
  std::vector<double> size, deg, k;
  std::vector<double> e, x;  // n x n, upper triangle: e[r][s] edges (r != s) or internal edges (r == s); x: weight sums
  std::vector<std::vector<std::pair<int, double>>> adj;
  std::vector<std::map<int, int>> hist;  // per block: degree -> nodes
  std::vector<double> hist_lf;           // per block: sum_k log n_k^r!
  std::vector<double> lf;                // log m! for m = 0 .. 2E + n
  std::shared_ptr<const partition_counts> q;

  double lfact(double m) const {
    const auto i = static_cast<std::size_t>(m);
    return m >= 0 && i < lf.size() && static_cast<double>(i) == m ? lf[i] : lgamma1(m);
  }
  double weight_term(double m, double w) const {
    return !model.weights || m <= 0 ? 0.0 : (m + 1) * std::log(w + beta) - lfact(m) - std::log(beta);
  }
  double topology_pair(double m, bool same) const { return same ? -(m * std::log(2.0) + lfact(m)) : -lfact(m); }
  // Topology and weights of block pair r < s, or of block r with itself (m internal edges).
  double pair(std::size_t r, std::size_t s) const {
    const double m = e[r * n + s];
    return m <= 0 ? 0.0 : topology_pair(m, r == s) + weight_term(m, x[r * n + s]);
  }
  double degree_prior_term(std::size_t r) const {
    if (model.degrees == degree_prior::uniform) return log_multiset(size[r], deg[r]);
    return lfact(size[r]) - hist_lf[r] + (*q)(deg[r], size[r]);
  }
  // The terms of block r alone: its share of the partition, of the topology and its degree prior.
  double block(std::size_t r) const {
    if (size[r] <= 0) return 0.0;
    const double part = -lfact(size[r]);
    if (!model.degree_corrected) return part + deg[r] * std::log(size[r]);
    return part + lfact(deg[r]) + degree_prior_term(r);
  }
  double partition_global(double blocks) const {
    const double N = static_cast<double>(n);
    return log_binomial(N - 1, blocks - 1) + lfact(N) + std::log(N);
  }
  double flat_counts(double blocks) const { return log_multiset(blocks * (blocks + 1) / 2, E); }
  // What depends on B only, with the flat edge-count prior (also the stand-in of the nested one
  // while blocks merge: merges at one B are ranked the same under either).
  double global(double blocks) const {
    return partition_global(blocks) + flat_counts(blocks) - (model.degree_corrected ? log_k_fact : 0.0);
  }
  // Every term that involves block r or s (pairs counted once).
  double local(std::size_t r, std::size_t s) const {
    double t = block(r) + (s != r ? block(s) : 0.0);
    for (std::size_t u = 0; u < n; ++u) {
      if (size[u] <= 0) continue;
      t += pair(std::min(r, u), std::max(r, u));
      if (s != r && u != r) t += pair(std::min(s, u), std::max(s, u));
    }
    return t;
  }
  double flat_total() const {
    double t = global(static_cast<double>(B));
    for (std::size_t r = 0; r < n; ++r) {
      t += block(r);
      for (std::size_t s = r; s < n; ++s) t += pair(r, s);
    }
    return t;
  }
  std::vector<std::size_t> alive() const {
    std::vector<std::size_t> a;
    for (std::size_t r = 0; r < n; ++r)
      if (size[r] > 0) a.push_back(r);
    return a;
  }
  // The B x B block multigraph of the alive blocks (in label order), for the hierarchy.
  std::vector<double> block_graph(const std::vector<std::size_t>& a) const {
    const std::size_t Bn = a.size();
    std::vector<double> m(Bn * Bn, 0.0);
    for (std::size_t i = 0; i < Bn; ++i)
      for (std::size_t j = i; j < Bn; ++j) m[i * Bn + j] = m[j * Bn + i] = e[a[i] * n + a[j]];
    return m;
  }
  sbm_terms terms(const block_hierarchy* h) const {
    sbm_terms t;
    const double Bd = static_cast<double>(B);
    t.partition = partition_global(Bd);
    t.edge_counts = h ? h->description_length : flat_counts(Bd);
    if (model.degree_corrected) t.topology -= log_k_fact;
    for (std::size_t r = 0; r < n; ++r) {
      if (size[r] <= 0) continue;
      t.partition -= lfact(size[r]);
      t.topology += model.degree_corrected ? lfact(deg[r]) : deg[r] * std::log(size[r]);
      if (model.degree_corrected) t.degrees += degree_prior_term(r);
      for (std::size_t s = r; s < n; ++s) {
        const double m = e[r * n + s];
        if (m <= 0) continue;
        t.topology += topology_pair(m, r == s);
        t.weights += weight_term(m, x[r * n + s]);
      }
    }
    return t;
  }
  void add_edge_to_blocks(std::size_t r, std::size_t s, double w, double sign) {
    const auto lo = std::min(r, s), hi = std::max(r, s);
    e[lo * n + hi] += sign, x[lo * n + hi] += sign * w;
  }
  void histogram_change(std::size_t r, int degree, int sign) {
    int& c = hist[r][degree];
    if (sign > 0) hist_lf[r] += std::log(static_cast<double>(c + 1)), ++c;
    else hist_lf[r] -= std::log(static_cast<double>(c)), --c;
    if (c == 0) hist[r].erase(degree);
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
    histogram_change(r, static_cast<int>(k[i]), -1), histogram_change(s, static_cast<int>(k[i]), +1);
    if (size[r] <= 0) --B;
    b[i] = static_cast<int>(s);
  }
};

state make_state(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                 const std::vector<int>& blocks, const sbm_model& model,
                 std::shared_ptr<const partition_counts> q = nullptr) {
  if (edges.size() != weights.size() || blocks.size() != n)
    throw std::invalid_argument("weighted SBM: " + std::to_string(edges.size()) + " edges, " + std::to_string(weights.size()) +
                                " weights, " + std::to_string(blocks.size()) + " block labels for " + std::to_string(n) +
                                " nodes; expected one weight per edge and one label per node");
  for (std::size_t i = 0; i < n; ++i)
    if (blocks[i] < 0 || static_cast<std::size_t>(blocks[i]) >= n)
      throw std::invalid_argument("weighted SBM: block label " + std::to_string(blocks[i]) + " of node " + std::to_string(i) +
                                  "; expected 0 to n - 1");
  state st;
  st.n = n, st.model = model, st.E = static_cast<double>(edges.size());
  st.b = blocks;
  st.size.assign(n, 0), st.deg.assign(n, 0), st.k.assign(n, 0), st.e.assign(n * n, 0), st.x.assign(n * n, 0);
  st.adj.assign(n, {}), st.hist.assign(n, {}), st.hist_lf.assign(n, 0);
  st.lf.resize(2 * edges.size() + n + 2);
  for (std::size_t m = 0; m < st.lf.size(); ++m) st.lf[m] = lgamma1(static_cast<double>(m));
  double wsum = 0;
  for (std::size_t q_ = 0; q_ < edges.size(); ++q_) {
    const auto [a, c] = edges[q_];
    if (a < 0 || c < 0 || static_cast<std::size_t>(a) >= n || static_cast<std::size_t>(c) >= n || a == c || !(weights[q_] > 0))
      throw std::invalid_argument("weighted SBM: edge " + std::to_string(q_) + " (" + std::to_string(a) + ", " + std::to_string(c) +
                                  ") is a self-loop, out of range or has a weight <= 0");
    st.adj[static_cast<std::size_t>(a)].emplace_back(c, weights[q_]);
    st.adj[static_cast<std::size_t>(c)].emplace_back(a, weights[q_]);
    st.k[static_cast<std::size_t>(a)] += 1, st.k[static_cast<std::size_t>(c)] += 1;
    wsum += weights[q_];
    st.add_edge_to_blocks(static_cast<std::size_t>(blocks[static_cast<std::size_t>(a)]),
                          static_cast<std::size_t>(blocks[static_cast<std::size_t>(c)]), weights[q_], +1);
  }
  st.beta = edges.empty() ? 1.0 : wsum / st.E;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<std::size_t>(blocks[i]);
    st.size[r] += 1, st.deg[r] += st.k[i];
    st.histogram_change(r, static_cast<int>(st.k[i]), +1);
    st.log_k_fact += st.lfact(st.k[i]);
  }
  st.B = st.alive().size();
  if (model.degree_corrected && model.degrees == degree_prior::distributed)
    st.q = q ? std::move(q) : std::make_shared<const partition_counts>(2 * edges.size(), n);
  return st;
}

// Change of description length (flat edge-count prior) when block s merges into r: the merge is
// applied to the two rows, the terms evaluated, and the rows restored (st is unchanged on return).
double merge_delta(state& st, std::size_t r, std::size_t s) {
  const std::size_t n = st.n;
  const double before = st.local(r, s) + st.global(static_cast<double>(st.B));
  std::vector<double> save_e, save_x;
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t v : {r, s}) {
      const auto lo = std::min(u, v), hi = std::max(u, v);
      save_e.push_back(st.e[lo * n + hi]), save_x.push_back(st.x[lo * n + hi]);
    }
  const double sr = st.size[r], ss = st.size[s], dr = st.deg[r], ds = st.deg[s], hr = st.hist_lf[r], hs = st.hist_lf[s];
  // The merged degree histogram: sum_k log (n_k^r + n_k^s)!.
  double merged_hist = hr + hs;
  const auto& small = st.hist[r].size() < st.hist[s].size() ? st.hist[r] : st.hist[s];
  const auto& large = st.hist[r].size() < st.hist[s].size() ? st.hist[s] : st.hist[r];
  for (const auto& [degree, c] : small) {
    const auto it = large.find(degree);
    if (it != large.end())
      merged_hist += st.lfact(c + it->second) - st.lfact(c) - st.lfact(it->second);
  }
  const auto lrs = std::min(r, s), hrs = std::max(r, s);
  const double int_e = st.e[r * n + r] + st.e[s * n + s] + st.e[lrs * n + hrs];
  const double int_x = st.x[r * n + r] + st.x[s * n + s] + st.x[lrs * n + hrs];
  for (std::size_t u = 0; u < n; ++u) {
    if (u == r || u == s) continue;
    const auto ru = std::min(r, u) * n + std::max(r, u), su = std::min(s, u) * n + std::max(s, u);
    st.e[ru] += st.e[su], st.x[ru] += st.x[su];
    st.e[su] = 0, st.x[su] = 0;
  }
  st.e[r * n + r] = int_e, st.x[r * n + r] = int_x, st.e[s * n + s] = 0, st.x[s * n + s] = 0;
  st.e[lrs * n + hrs] = 0, st.x[lrs * n + hrs] = 0;
  st.size[r] = sr + ss, st.size[s] = 0, st.deg[r] = dr + ds, st.deg[s] = 0, st.hist_lf[r] = merged_hist, st.hist_lf[s] = 0;
  const double after = st.local(r, s) + st.global(static_cast<double>(st.B - 1));
  std::size_t q = 0;
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t v : {r, s}) {
      const auto lo = std::min(u, v), hi = std::max(u, v);
      st.e[lo * n + hi] = save_e[q], st.x[lo * n + hi] = save_x[q];
      ++q;
    }
  st.size[r] = sr, st.size[s] = ss, st.deg[r] = dr, st.deg[s] = ds, st.hist_lf[r] = hr, st.hist_lf[s] = hs;
  return after - before;
}

// The hierarchy's description length for the current blocks with the upper levels held fixed.
double fixed_hierarchy(const state& st, const std::vector<std::size_t>& a, const std::vector<std::vector<int>>& levels) {
  return hierarchy_description_length(st.block_graph(a), a.size(), levels);
}

// Sweeps of single-node moves, each node to the neighbouring block that lowers the description
// length most. levels == nullptr: the flat edge-count prior (blocks may empty); otherwise the nested
// one with these upper levels held fixed (blocks may not empty, so the levels stay valid).
// Returns whether anything moved.
bool move_sweeps(state& st, int sweeps, const std::vector<std::vector<int>>* levels) {
  bool any = false;
  const auto a = st.alive();
  double h_now = levels ? fixed_hierarchy(st, a, *levels) : 0.0;
  for (int sweep = 0; sweep < sweeps; ++sweep) {
    bool moved = false;
    for (std::size_t i = 0; i < st.n; ++i) {
      const std::size_t r = static_cast<std::size_t>(st.b[i]);
      if (levels && st.size[r] <= 1) continue;
      std::vector<std::size_t> candidates;
      for (const auto& [j, w] : st.adj[i]) candidates.push_back(static_cast<std::size_t>(st.b[static_cast<std::size_t>(j)]));
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      double best_delta = -1e-9, best_h = h_now;
      std::size_t best_s = r;
      for (std::size_t s : candidates) {
        if (s == r) continue;
        const double before = st.local(r, s) + (levels ? h_now : st.global(static_cast<double>(st.B)));
        st.move(i, s);
        const double h_after = levels ? fixed_hierarchy(st, a, *levels) : 0.0;
        const double after = st.local(r, s) + (levels ? h_after : st.global(static_cast<double>(st.B)));
        st.move(i, r);
        if (after - before < best_delta) best_delta = after - before, best_s = s, best_h = h_after;
      }
      if (best_s != r) st.move(i, best_s), h_now = best_h, moved = any = true;
    }
    if (!moved) break;
  }
  return any;
}

std::vector<int> canonical_blocks(const std::vector<int>& b) {
  std::map<int, int> id;
  std::vector<int> out(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) out[i] = id.emplace(b[i], static_cast<int>(id.size())).first->second;
  return out;
}

// The full description length under the model (nested: the hierarchy fitted greedily).
sbm_terms model_terms(const state& st, block_hierarchy* h_out = nullptr) {
  if (!st.model.nested) return st.terms(nullptr);
  const auto a = st.alive();
  const auto h = fit_block_hierarchy(st.block_graph(a), a.size());
  if (h_out) *h_out = h;
  return st.terms(&h);
}

}  // namespace

sbm_terms sbm_description_terms(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights, const std::vector<int>& blocks, const sbm_model& model) {
  return model_terms(make_state(n, edges, weights, blocks, model));
}

double sbm_description_length(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                              const std::vector<double>& weights, const std::vector<int>& blocks, const sbm_model& model) {
  return sbm_description_terms(n, edges, weights, blocks, model).total();
}

sbm_fit fit_weighted_sbm(std::size_t n, const std::vector<std::pair<int, int>>& edges, const std::vector<double>& weights,
                         const sbm_model& model, int sweeps) {
  if (n == 0) throw std::invalid_argument("weighted SBM: a graph without nodes; expected at least one");
  std::vector<int> singletons(n);
  for (std::size_t i = 0; i < n; ++i) singletons[i] = static_cast<int>(i);
  state st = make_state(n, edges, weights, singletons, model);
  std::vector<int> best_b = st.b;
  double best_dl = model_terms(st).total();
  // Agglomeration in stages (as graph-tool does): each block proposes its best merge partner by the
  // change of description length; the best proposals between untouched blocks are carried out until
  // the number of blocks has fallen by a factor 1.3; then node moves refine the stage (the
  // "multilevel" refinement: a merge cannot undo a wrong early one); down to one block, keeping the
  // stage with the shortest description length under the model.
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
    for (const auto& [r, s] : merge_stage(std::move(proposals), st.B, n))
      for (std::size_t i = 0; i < n; ++i)
        if (static_cast<std::size_t>(st.b[i]) == s) st.move(i, r);
    move_sweeps(st, 2, nullptr);
    const double dl = model_terms(st).total();
    if (dl < best_dl - 1e-9) best_dl = dl, best_b = st.b;
  }
  st = make_state(n, edges, weights, best_b, model, st.q);
  if (!model.nested) {
    move_sweeps(st, sweeps, nullptr);
  } else {
    // Moves under the fixed hierarchy, then the hierarchy refitted, while either improves.
    for (int round = 0; round < 4; ++round) {
      block_hierarchy h;
      model_terms(st, &h);
      if (!move_sweeps(st, sweeps, &h.levels)) break;
    }
  }
  sbm_fit fit;
  fit.blocks = canonical_blocks(st.b);
  fit.terms = model_terms(st, &fit.hierarchy);
  fit.description_length = fit.terms.total();
  fit.degree_corrected = model.degree_corrected;
  return fit;
}

sbm_fit fit_weighted_sbm_by_mdl(std::size_t n, const std::vector<std::pair<int, int>>& edges,
                                const std::vector<double>& weights, sbm_model model) {
  model.degree_corrected = false;
  auto plain = fit_weighted_sbm(n, edges, weights, model);
  model.degree_corrected = true;
  auto dc = fit_weighted_sbm(n, edges, weights, model);
  return dc.description_length < plain.description_length ? dc : plain;
}

}  // namespace neurite::analysis
