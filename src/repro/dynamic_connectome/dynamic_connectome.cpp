#include "repro/dynamic_connectome/dynamic_connectome.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "analysis/communities.hpp"
#include "analysis/lfr.hpp"
#include "analysis/sbm.hpp"
#include "analysis/tensor_factorisation.hpp"
#include "core/rng.hpp"
#include "io/results.hpp"

namespace neurite::repro {
namespace {

using namespace neurite::analysis;

constexpr std::uint32_t purpose = core::stream_purpose(core::purpose::learn_tasks, 11);
verdict holds(bool ok) { return ok ? verdict::match : verdict::miss; }

// The synthetic worms: every recording has the same neurons and the same schedule of states
// (window w is in state (w / 2) mod S, so each state recurs); state s groups the neurons by a
// random permutation into `groups` equal groups. Within a window, the first differences of a
// neuron's trace are c_{m,s} z_g(t) + e_i(t) (z shared by its group, e private, both standard
// normal), so two neurons of one group have difference correlation c^2 / (1 + c^2) and others 0;
// c_{m,s} = 1 + 0.5 ((m + s) mod 3) makes the recordings differ.
struct worms {
  std::vector<std::vector<int>> group;              // [state][neuron]
  std::vector<std::uint32_t> state_of_window;
  std::vector<std::vector<double>> traces;          // [recording] neurons x samples
  cp_model planted;                                 // windows x recordings x pairs, rank = states
};

double amplitude(std::uint32_t m, std::uint32_t s) { return 1.0 + 0.5 * static_cast<double>((m + s) % 3); }

worms make_worms(const connectome_size& z, std::uint64_t seed) {
  worms w;
  const std::uint32_t N = z.neurons, S = z.states, T = z.windows * z.window_samples;
  for (std::uint32_t s = 0; s < S; ++s) {
    core::random_stream rng(seed, purpose, 2000 + s);
    std::vector<int> perm(N);
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t i = N; i > 1; --i) std::swap(perm[i - 1], perm[static_cast<std::size_t>(rng.uniform() * static_cast<double>(i))]);
    std::vector<int> g(N);
    for (std::uint32_t i = 0; i < N; ++i) g[static_cast<std::size_t>(perm[i])] = static_cast<int>(i * z.groups / N);
    w.group.push_back(g);
  }
  for (std::uint32_t win = 0; win < z.windows; ++win) w.state_of_window.push_back((win / 2) % S);
  for (std::uint32_t m = 0; m < z.recordings; ++m) {
    core::random_stream rng(seed, purpose, 1000 + m);
    std::vector<double> x(static_cast<std::size_t>(N) * T);
    std::vector<double> level(N, 0.0), shared(z.groups);
    for (std::uint32_t t = 0; t < T; ++t) {
      const std::uint32_t s = w.state_of_window[t / z.window_samples];
      for (auto& v : shared) v = rng.normal();
      for (std::uint32_t i = 0; i < N; ++i) {
        level[i] += amplitude(m, s) * shared[static_cast<std::size_t>(w.group[s][i])] + rng.normal();
        x[static_cast<std::size_t>(i) * T + t] = level[i];
      }
    }
    w.traces.push_back(std::move(x));
  }
  // The planted factors: the state's windows, its expected correlation per recording, its pairs.
  const std::size_t P = pair_count(N);
  w.planted.rank = S;
  w.planted.A.assign(z.windows * S, 0.0);
  w.planted.B.assign(z.recordings * S, 0.0);
  w.planted.C.assign(P * S, 0.0);
  for (std::uint32_t s = 0; s < S; ++s) {
    for (std::uint32_t win = 0; win < z.windows; ++win) w.planted.A[win * S + s] = w.state_of_window[win] == s ? 1.0 : 0.0;
    for (std::uint32_t m = 0; m < z.recordings; ++m) {
      const double c = amplitude(m, s);
      w.planted.B[m * S + s] = c * c / (1 + c * c);
    }
    for (std::uint32_t i = 0; i < N; ++i)
      for (std::uint32_t j = i + 1; j < N; ++j)
        w.planted.C[pair_index(i, j, N) * S + s] = w.group[s][i] == w.group[s][j] ? 1.0 : 0.0;
  }
  return w;
}

std::vector<double> column(const std::vector<double>& f, std::size_t n, std::size_t R, std::size_t r) {
  std::vector<double> c(n);
  for (std::size_t i = 0; i < n; ++i) c[i] = f[i * R + r];
  return c;
}

void worm_rows(const options& o, const connectome_size& z, std::vector<row>& rows) {
  const auto w = make_worms(z, o.seed);
  const std::uint32_t N = z.neurons, S = z.states;
  const auto x = affinity_tensor(w.traces, N, static_cast<std::size_t>(z.windows) * z.window_samples, z.window_samples);
  hals_options h;
  h.rank = S, h.restarts = z.restarts, h.max_iterations = 2000, h.tolerance = 1e-10;
  const auto fit = nonnegative_cp(x, h, o.seed, purpose);
  // Shapes only: the planted factors have no common scale with the data, so no weight term.
  const double fms = factor_match_score(w.planted, fit.model, false);
  const auto perm = factor_match(w.planted, fit.model, false);
  rows.push_back({fmt::format("worms ({} neurons, {} recordings, {} windows of {} samples, {} planted states): factor match "
                              "score of the rank-{} non-negative CP (HALS, best of {} restarts, fit {:.3f}) to the planted "
                              "factors (cosines only)",
                              N, z.recordings, z.windows, z.window_samples, S, S, z.restarts, fit.fit),
                  ">= 0.9 (the issue's criterion)", fmt::format("{:.4f}", fms), holds(fms >= 0.9), criterion::ours});

  // Temporal loadings: each planted state's component peaks in one of that state's windows.
  std::string csv = "component,state,mode,index,fitted,planted\n";
  bool peaks = true;
  double worst_ratio = 1e300;
  for (std::uint32_t s = 0; s < S; ++s) {
    const std::size_t r = perm[s];
    const auto a = column(fit.model.A, z.windows, S, r);
    const std::size_t peak = static_cast<std::size_t>(std::max_element(a.begin(), a.end()) - a.begin());
    peaks = peaks && w.state_of_window[peak] == s;
    double in = 0, out = 0, nin = 0, nout = 0;
    for (std::uint32_t win = 0; win < z.windows; ++win)
      (w.state_of_window[win] == s ? (in += a[win], nin += 1) : (out += a[win], nout += 1));
    worst_ratio = std::min(worst_ratio, (in / nin) / std::max(out / nout, 1e-12));
    for (int mode = 0; mode < 3; ++mode) {
      const auto& f = mode == 0 ? fit.model.A : mode == 1 ? fit.model.B : fit.model.C;
      const auto& g = mode == 0 ? w.planted.A : mode == 1 ? w.planted.B : w.planted.C;
      const std::size_t n = f.size() / S;
      for (std::size_t i = 0; i < n; ++i)
        csv += fmt::format("{},{},{},{},{:.6g},{:.6g}\n", r, s, mode == 0 ? "time" : mode == 1 ? "recording" : "pair", i,
                           f[i * S + r], g[i * S + s]);
    }
  }
  io::write_text_file(o.out + "/worm_factors.csv", csv);
  rows.push_back({"worms: temporal loading of each state's component peaks in a window of that state; mean loading in "
                  "its windows / elsewhere (smallest over states)",
                  "peaks in the planted windows (the issue's criterion)",
                  fmt::format("{}; ratio {:.1f}", peaks ? "all peak in planted windows" : "a peak outside", worst_ratio),
                  holds(peaks), criterion::ours});

  // Communities of each component's pair loadings against the planted groups of its state.
  std::string ccsv = "state,method,neuron,planted,found\n";
  double worst[2] = {1, 1};
  for (std::uint32_t s = 0; s < S; ++s) {
    const auto W = pairs_to_matrix(column(fit.model.C, pair_count(N), S, perm[s]), N);
    for (int k = 0; k < 2; ++k) {
      const auto method = k == 0 ? community_method::louvain : community_method::leiden;
      const auto found = detect_communities(W, N, method, o.seed);
      worst[k] = std::min(worst[k], normalized_mutual_information(found, w.group[s]));
      for (std::uint32_t i = 0; i < N; ++i)
        ccsv += fmt::format("{},{},{},{},{}\n", s, k == 0 ? "louvain" : "leiden", i, w.group[s][i], found[i]);
    }
  }
  io::write_text_file(o.out + "/worm_communities.csv", ccsv);
  rows.push_back({"worms: communities of each component's pair loadings (igraph Leiden, modularity) vs the planted groups, "
                  "smallest NMI over states (Louvain alongside)",
                  ">= 0.9 (the issue's criterion)", fmt::format("Leiden {:.3f}; Louvain {:.3f}", worst[1], worst[0]),
                  holds(worst[1] >= 0.9), criterion::ours});

  // Rank diagnostic: fit rises to the planted rank and then flattens; stability is high at it.
  const std::vector<std::size_t> ranks(z.diagnostic_ranks.begin(), z.diagnostic_ranks.end());
  hals_options d = h;
  d.restarts = std::max(3, z.restarts / 2);
  const auto diag = rank_diagnostic(x, ranks, d, o.seed, purpose);
  std::string rcsv = "rank,best_fit,mean_fit,stability\n";
  double fit_at = 0, fit_below = 0, fit_above = 0, stab_at = 0;
  for (const auto& r : diag) {
    rcsv += fmt::format("{},{:.6f},{:.6f},{:.6f}\n", r.rank, r.best_fit, r.mean_fit, r.stability);
    if (r.rank == S) fit_at = r.best_fit, stab_at = r.stability;
    if (r.rank == S - 1) fit_below = r.best_fit;
    if (r.rank == S + 1) fit_above = r.best_fit;
  }
  io::write_text_file(o.out + "/worm_rank.csv", rcsv);
  const double gain_to = fit_at - fit_below, gain_after = fit_above - fit_at;
  rows.push_back({fmt::format("worms: rank diagnostic, fit gain from rank {} to {} vs from {} to {}; stability (mean FMS of "
                              "restarts to the best) at rank {}",
                              S - 1, S, S, S + 1, S),
                  "an elbow at the planted rank, stable there (ours)",
                  fmt::format("{:.3f} vs {:.3f}; stability {:.3f}", gain_to, gain_after, stab_at),
                  holds(gain_to > 2 * gain_after && stab_at > 0.9), criterion::ours});

  // The 2-way case for the NMF peer (tests/validation/dynamic_connectome_peers.py): windows x pairs
  // affinities averaged over recordings, rank S, as an I x 1 x K tensor.
  tensor3 mat(z.windows, 1, pair_count(N));
  std::string mcsv;
  for (std::uint32_t win = 0; win < z.windows; ++win) {
    for (std::size_t p = 0; p < pair_count(N); ++p) {
      double v = 0;
      for (std::uint32_t m = 0; m < z.recordings; ++m) v += x.at(win, m, p);
      mat.at(win, 0, p) = v / z.recordings;
      mcsv += fmt::format("{}{:.17g}", p ? "," : "", mat.at(win, 0, p));
    }
    mcsv += "\n";
  }
  const auto nmf = nonnegative_cp(mat, h, o.seed, purpose);
  io::write_text_file(o.out + "/nmf_matrix.csv", mcsv);
  io::write_text_file(o.out + "/nmf_ours.csv", fmt::format("rank,relative_error\n{},{:.17g}\n", S, 1.0 - nmf.fit));
}

void lfr_rows(const options& o, const connectome_size& z, std::vector<row>& rows) {
  std::string csv =
      "setting,beta,mu_t,mu_w,k,repetition,seed,realised_mu_t,realised_mu_w,realised_k,nmi_louvain,nmi_leiden,nmi_sbm,"
      "sbm_degree_corrected,sbm_blocks,planted_blocks,sbm_dl,planted_dl,planted_minus_found_weights\n";
  std::string edges = "graph,a,b,weight\n", nodes = "graph,node,planted,louvain,leiden,sbm\n";
  double worst_mixing = 0, worst_mean_mixing = 0;
  struct mean_nmi {
    double louvain = 0, leiden = 0, sbm = 0, mu_t = 0, mu_w = 0, dc_share = 0;
    double blocks = 0, planted_blocks = 0, dl_gap = 0, weight_gap = 0;  // the SBM's diagnosis, means
  };
  std::vector<mean_nmi> means(z.lfr.size());
  int graph = 0;
  for (std::size_t s = 0; s < z.lfr.size(); ++s) {
    const auto& set = z.lfr[s];
    for (std::uint32_t rep = 0; rep < z.lfr_repetitions; ++rep, ++graph) {
      lfr_parameters p;
      p.beta = set.beta, p.mu_t = set.mu_t, p.mu_w = set.mu_w, p.mean_degree = set.k;
      const std::uint64_t seed = o.seed + 12 + rep;  // from 13 at the default seed, as the paper
      const auto g = make_lfr(p, seed, purpose);
      worst_mixing = std::max({worst_mixing, std::abs(g.realised_mu_t - set.mu_t), std::abs(g.realised_mu_w - set.mu_w)});
      const auto lv = detect_communities(p.n, g.edges, g.weights, community_method::louvain, seed);
      const auto ld = detect_communities(p.n, g.edges, g.weights, community_method::leiden, seed);
      const double nl = normalized_mutual_information(lv, g.community), nd = normalized_mutual_information(ld, g.community);
      const auto sbm = fit_weighted_sbm_by_mdl(p.n, g.edges, g.weights);
      const double ns = normalized_mutual_information(sbm.blocks, g.community);
      const int blocks = *std::max_element(sbm.blocks.begin(), sbm.blocks.end()) + 1;
      const int planted_blocks = *std::max_element(g.community.begin(), g.community.end()) + 1;
      // The planted partition's description length under the chosen variant: longer than the found
      // one means the model prefers what it found (not an optimiser failure); the weight term's share.
      sbm_model chosen;
      chosen.degree_corrected = sbm.degree_corrected;
      const auto planted_terms = sbm_description_terms(p.n, g.edges, g.weights, g.community, chosen);
      const double reps = z.lfr_repetitions;
      means[s].blocks += blocks / reps, means[s].planted_blocks += planted_blocks / reps;
      means[s].dl_gap += (planted_terms.total() - sbm.description_length) / reps;
      means[s].weight_gap += (planted_terms.weights - sbm.terms.weights) / reps;
      means[s].louvain += nl / z.lfr_repetitions, means[s].leiden += nd / z.lfr_repetitions;
      means[s].sbm += ns / z.lfr_repetitions, means[s].dc_share += (sbm.degree_corrected ? 1.0 : 0.0) / z.lfr_repetitions;
      means[s].mu_t += g.realised_mu_t / z.lfr_repetitions, means[s].mu_w += g.realised_mu_w / z.lfr_repetitions;
      csv += fmt::format("{},{},{},{},{},{},{},{:.6f},{:.6f},{:.3f},{:.6f},{:.6f},{:.6f},{},{},{},{:.3f},{:.3f},{:.3f}\n", s,
                         set.beta, set.mu_t, set.mu_w, set.k, rep, seed, g.realised_mu_t, g.realised_mu_w,
                         g.realised_mean_degree, nl, nd, ns, sbm.degree_corrected ? 1 : 0, blocks, planted_blocks,
                         sbm.description_length, planted_terms.total(), planted_terms.weights - sbm.terms.weights);
      for (std::size_t e = 0; e < g.edges.size(); ++e)
        edges += fmt::format("{},{},{},{:.17g}\n", graph, g.edges[e].first, g.edges[e].second, g.weights[e]);
      for (std::size_t i = 0; i < p.n; ++i) nodes += fmt::format("{},{},{},{},{},{}\n", graph, i, g.community[i], lv[i], ld[i], sbm.blocks[i]);
    }
  }
  for (std::size_t s = 0; s < z.lfr.size(); ++s)
    worst_mean_mixing = std::max({worst_mean_mixing, std::abs(means[s].mu_t - z.lfr[s].mu_t), std::abs(means[s].mu_w - z.lfr[s].mu_w)});
  io::write_text_file(o.out + "/lfr.csv", csv);
  io::write_text_file(o.out + "/lfr_edges.csv", edges);
  io::write_text_file(o.out + "/lfr_nodes.csv", nodes);
  rows.push_back({fmt::format("LFR (N = 125, maxk = 100, t1 = 2, t2 = 1; {} settings x {} repetitions from seed {}): largest "
                              "|mean realised - target| of mu_t and mu_w over settings (largest single graph's alongside)",
                              z.lfr.size(), z.lfr_repetitions, o.seed + 12),
                  "realised mixing matches the target (we ask <= 0.05 on the mean)",
                  fmt::format("{:.4f} (single graph {:.4f})", worst_mean_mixing, worst_mixing), holds(worst_mean_mixing <= 0.05),
                  criterion::paper});
  // NMI as mixing grows: the settings that differ from the base (beta 2, k 25) in mu_w only, and in mu_t only.
  auto sweep = [&](bool weight) {
    std::vector<std::pair<double, mean_nmi>> pts;
    for (std::size_t s = 0; s < z.lfr.size(); ++s) {
      const auto& set = z.lfr[s];
      if (set.beta != 2 || set.k != 25) continue;
      if (weight ? set.mu_t != 0.5 : set.mu_w != 0.5) continue;
      const double mu = weight ? set.mu_w : set.mu_t;
      if (std::none_of(pts.begin(), pts.end(), [&](const auto& q) { return q.first == mu; })) pts.emplace_back(mu, means[s]);
    }
    std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return pts;
  };
  // The paper's claim judged on the weight mixing mu_w for both the SBM and Leiden; the mu_t sweep at
  // fixed mu_w = 0.5 is shown as context (docs/dynamic_connectome.md: with half the strength inside,
  // raising mu_t makes the few internal edges heavier, so it is not "more mixing" for weighted methods).
  for (bool weight : {true, false}) {
    const auto pts = sweep(weight);
    if (pts.size() < 2) continue;
    for (int method = 0; method < 2; ++method) {
      auto value = [&](const mean_nmi& m) { return method == 0 ? m.sbm : m.leiden; };
      std::string text;
      bool falling = true;
      for (std::size_t i = 0; i < pts.size(); ++i) {
        text += method == 0 ? fmt::format("{}{:.3f}", i ? " / " : "", pts[i].second.sbm)
                            : fmt::format("{}{:.3f} ({:.3f})", i ? " / " : "", pts[i].second.leiden, pts[i].second.louvain);
        if (i) falling = falling && value(pts[i].second) <= value(pts[i - 1].second) + 1e-9;
      }
      falling = falling && value(pts.back().second) < value(pts.front().second);
      std::string mus;
      for (std::size_t i = 0; i < pts.size(); ++i) mus += fmt::format("{}{}", i ? " / " : "", pts[i].first);
      const std::string name = method == 0 ? "weighted nested SBM by description length (ours, after graph-tool's)"
                                           : "igraph Leiden (Louvain in brackets)";
      if (weight) {
        rows.push_back({fmt::format("LFR: mean NMI of the {} to the planted communities at mu_w = {} (mu_t = 0.5, beta = 2, "
                                    "k = 25)", name, mus),
                        "NMI falls as mixing grows", text, holds(falling), criterion::paper});
        if (method == 0) {
          std::string why;
          for (std::size_t i = 0; i < pts.size(); ++i)
            why += fmt::format("{}{:.1f} vs {:.1f}; {:+.0f} ({:+.0f})", i ? " / " : "", pts[i].second.blocks,
                               pts[i].second.planted_blocks, pts[i].second.dl_gap, pts[i].second.weight_gap);
          rows.push_back({fmt::format("LFR: the SBM at mu_w = {}: blocks found vs planted; description length of the planted "
                                      "partition minus the found one, nats (of which the weight term), means",
                                      mus),
                          "(diagnosis: > 0 means the model, not the optimiser, prefers what it found)", why,
                          verdict::not_applicable, criterion::ours});
        }
      } else {
        rows.push_back({fmt::format("LFR: mean NMI of the {} at mu_t = {} with mu_w = 0.5 fixed (context: not more mixing "
                                    "for a weighted method, see docs)", name, mus),
                        "(no figure)", text + (falling ? ", falls" : ", does not fall"), verdict::not_applicable,
                        criterion::paper});
      }
    }
  }
  double sbm = 0, leiden = 0, dc = 0;
  const double count = static_cast<double>(means.size());
  for (const auto& m : means) sbm += m.sbm / count, leiden += m.leiden / count, dc += m.dc_share / count;
  rows.push_back({"LFR: weighted nested SBM by description length (ours, after Peixoto's microcanonical terms and "
                  "graph-tool's priors, exponential weights) vs igraph Leiden, mean NMI over all graphs; share "
                  "of graphs where the degree-corrected model is shorter",
                  "the paper's method vs a baseline (no figure)",
                  fmt::format("SBM {:.3f}, Leiden {:.3f}; degree-corrected chosen in {:.0f}%", sbm, leiden, 100 * dc),
                  verdict::not_applicable, criterion::paper});
}

// The SBM along mu_w at settings that are not the paper's (context, ours): mean NMI and the planted
// minus found weight term per setting, written to lfr_context.csv, one row.
void lfr_context_rows(const options& o, const connectome_size& z, std::vector<row>& rows) {
  if (z.lfr_context.empty()) return;
  std::string csv = "beta,mu_t,mu_w,k,repetition,seed,nmi_sbm,sbm_degree_corrected,sbm_blocks,planted_minus_found_weights\n";
  std::string settings, nmi, gap;
  for (std::size_t s = 0; s < z.lfr_context.size(); ++s) {
    const auto& set = z.lfr_context[s];
    double mean_nmi = 0, mean_gap = 0;
    for (std::uint32_t rep = 0; rep < z.lfr_repetitions; ++rep) {
      lfr_parameters p;
      p.beta = set.beta, p.mu_t = set.mu_t, p.mu_w = set.mu_w, p.mean_degree = set.k;
      const std::uint64_t seed = o.seed + 12 + rep;
      const auto g = make_lfr(p, seed, purpose);
      const auto sbm = fit_weighted_sbm_by_mdl(p.n, g.edges, g.weights);
      sbm_model chosen;
      chosen.degree_corrected = sbm.degree_corrected;
      const double weight_gap = sbm_description_terms(p.n, g.edges, g.weights, g.community, chosen).weights - sbm.terms.weights;
      const double ns = normalized_mutual_information(sbm.blocks, g.community);
      mean_nmi += ns / z.lfr_repetitions, mean_gap += weight_gap / z.lfr_repetitions;
      csv += fmt::format("{},{},{},{},{},{},{:.6f},{},{},{:.3f}\n", set.beta, set.mu_t, set.mu_w, set.k, rep, seed, ns,
                         sbm.degree_corrected ? 1 : 0, *std::max_element(sbm.blocks.begin(), sbm.blocks.end()) + 1, weight_gap);
    }
    const char* sep = s ? " / " : "";
    settings += fmt::format("{}{}", sep, set.mu_w), nmi += fmt::format("{}{:.3f}", sep, mean_nmi), gap += fmt::format("{}{:+.0f}", sep, mean_gap);
  }
  io::write_text_file(o.out + "/lfr_context.csv", csv);
  rows.push_back({fmt::format("LFR context (not the paper's settings): the SBM at beta = {} (weights independent of degree on "
                              "average), mu_t = {}, mu_w = {}; mean NMI, and the planted minus found weight term (nats)",
                              z.lfr_context[0].beta, z.lfr_context[0].mu_t, settings),
                  "(ours: with unbiased weights a block model's NMI is V-shaped along mu_w, lowest at mu_w = mu_t)",
                  "NMI " + nmi + "; weights " + gap, verdict::not_applicable, criterion::ours});
}

}  // namespace

connectome_size connectome_default_size(bool full) {
  connectome_size z;
  // The paper's nine settings as FINDINGS lists them: beta in {0.5, 1, 2} at mu_t = mu_w = 0.5;
  // mu_t in {0.25, 0.5, 0.75} at beta = 2; k = 10; mu_w in {0.25, 0.75}. The mu_t = 0.5 member of
  // the mu_t sweep is the beta = 2 member of the beta sweep, so eight graphs families are distinct.
  const std::vector<lfr_setting> nine = {{0.5, 0.5, 0.5, 25}, {1, 0.5, 0.5, 25}, {2, 0.5, 0.5, 25},
                                         {2, 0.25, 0.5, 25},  {2, 0.5, 0.5, 25}, {2, 0.75, 0.5, 25},
                                         {2, 0.5, 0.5, 10},   {2, 0.5, 0.25, 25}, {2, 0.5, 0.75, 25}};
  if (full) {
    z.lfr = nine;
    z.lfr_repetitions = 10;
    z.lfr_context = {{1, 0.5, 0.25, 25}, {1, 0.5, 0.5, 25}, {1, 0.5, 0.75, 25}};
    z.recordings = 6, z.windows = 18, z.restarts = 12;
  } else {
    z.lfr = {{2, 0.5, 0.5, 25}, {2, 0.25, 0.5, 25}, {2, 0.75, 0.5, 25}, {2, 0.5, 0.25, 25}, {2, 0.5, 0.75, 25}};
    z.lfr_repetitions = 3;
  }
  return z;
}

std::vector<row> run_dynamic_connectome(const options& o, const connectome_size& z) {
  std::filesystem::create_directories(o.out);
  std::vector<row> rows;
  worm_rows(o, z, rows);
  lfr_rows(o, z, rows);
  lfr_context_rows(o, z, rows);
  return rows;
}

namespace {
const bool registered = register_reproduction(
    {"dynamic-connectome",
     "Dyballa et al.: the dynamic functional connectome, differential affinities, non-negative CP (HALS) and communities "
     "(igraph Louvain / Leiden) on synthetic worms with planted community schedules, and the weighted LFR benchmark "
     "with a weighted nested SBM by description length",
     "quick: 20 neurons x 4 recordings x 12 windows, 5 LFR settings x 3 repetitions, 30 s; --full: 9 LFR settings x 10 "
     "repetitions and a beta = 1 context sweep, 4 min; both fail on one paper row, our nested SBM's NMI against mu_w "
     "(docs/dynamic_connectome.md)",
     [](const options& o) { return run_dynamic_connectome(o, connectome_default_size(o.full)); }});
}  // namespace

}  // namespace neurite::repro
