// The demo of the paper's repository (FINDINGS 11): S = 5 states, N = 20 neurons, T = 2000 bins,
// 30 training and 20 test trials, 10 EM iterations. Random streams: stream_purpose(learn_tasks, 8);
// the planted model from the seed, trial k from id 2^24 + k (training first), initial weights
// from the fit's own ids (analysis/hmm_glm.hpp).
#include "repro/onehot_glm/onehot_glm.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>

#include <fmt/format.h>

#include "analysis/hmm_glm.hpp"
#include "core/rng.hpp"
#include "io/results.hpp"

namespace neurite::repro {
namespace {
using namespace neurite::analysis;
constexpr std::uint32_t glm_purpose = core::stream_purpose(core::purpose::learn_tasks, 8);
constexpr weight_prior kinds[3] = {weight_prior::none, weight_prior::gaussian, weight_prior::onehot};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Three-class agreement of a fitted adjacency with the truth, self-connections left out.
struct adjacency_score {
  double accuracy = 0, macro_f1 = 0, balanced = 0, threshold = 0;
  double majority = 0, chance = 0;  // all-"none" accuracy; agreement of independent labels, same marginals
};

adjacency_score score_adjacency(const std::vector<int>& truth, const std::vector<int>& fitted, std::size_t N) {
  double table[3][3] = {};
  double total = 0;
  for (std::size_t k = 0; k < truth.size(); ++k) {
    if ((k / N) % N == k % N) continue;  // post == pre
    table[truth[k] + 1][fitted[k] + 1] += 1;
    total += 1;
  }
  adjacency_score a;
  double f1 = 0, recall = 0;
  for (int c = 0; c < 3; ++c) {
    double row = 0, col = 0;
    for (int j = 0; j < 3; ++j) row += table[c][j], col += table[j][c];
    a.accuracy += table[c][c] / total;
    f1 += row + col > 0 ? 2 * table[c][c] / (row + col) : 0;
    recall += row > 0 ? table[c][c] / row : 0;
    a.chance += (row / total) * (col / total);
    if (c == 1) a.majority = row / total;
  }
  a.macro_f1 = f1 / 3, a.balanced = recall / 3;
  return a;
}

// Continuous weights as three classes: |w| <= threshold none, else by sign. The threshold is the
// one (of a grid) with the best macro F1 against the truth: an oracle that favours these models.
adjacency_score threshold_adjacency(const std::vector<int>& truth, const std::vector<double>& w, std::size_t N) {
  adjacency_score best;
  best.macro_f1 = -1;
  for (int k = 1; k <= 60; ++k) {
    const double theta = 0.05 * k;
    std::vector<int> cls(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) cls[i] = w[i] > theta ? 1 : (w[i] < -theta ? -1 : 0);
    auto a = score_adjacency(truth, cls, N);
    a.threshold = theta;
    if (a.macro_f1 > best.macro_f1) best = a;
  }
  return best;
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b, std::size_t N) {
  double s = 0;
  std::size_t count = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if ((k / N) % N == k % N) continue;
    s += (a[k] - b[k]) * (a[k] - b[k]);
    ++count;
  }
  return std::sqrt(s / static_cast<double>(count));
}

double path_accuracy(const std::vector<spike_trial>& trials, const switching_glm& m) {
  double right = 0, total = 0;
  for (const auto& tr : trials) {
    const auto path = glm_viterbi(m, tr);
    for (std::size_t t = 0; t < tr.bins; ++t) right += path[t] == tr.states[t] ? 1 : 0;
    total += static_cast<double>(tr.bins);
  }
  return right / total;
}

// Held-out log-likelihood per bin (summed over neurons), by the forward algorithm.
double log_likelihood_per_bin(const std::vector<spike_trial>& trials, const switching_glm& m) {
  double ll = 0, bins = 0;
  for (const auto& tr : trials) ll += glm_posteriors(m, tr).log_likelihood, bins += static_cast<double>(tr.bins);
  return ll / bins;
}

struct fit_result {
  weight_prior kind;
  switching_glm model;  // aligned to the truth
  std::vector<double> em_ll;
  double train_accuracy = 0, test_accuracy = 0, weight_rmse = 0, test_ll = 0, seconds = 0;
  adjacency_score adjacency;
};

struct run_result {
  std::size_t states, neurons;
  std::uint64_t seed;
  planted_glm truth;
  double true_test_ll = 0, true_train_accuracy = 0;
  std::vector<fit_result> fits;  // naive, gaussian, onehot
  std::vector<spike_trial> test;
};

fit_result fit_one(weight_prior kind, const planted_glm& truth, const std::vector<spike_trial>& train,
                   const std::vector<spike_trial>& test, const onehot_glm_size& z, std::uint64_t seed, int threads) {
  hmm_glm_options ho;
  ho.prior = kind, ho.states = truth.model.states, ho.em_iterations = z.em_iterations, ho.m_iterations = z.m_iterations;
  ho.threads = threads, ho.seed = seed, ho.purpose = glm_purpose;
  ho.prior_weight = z.prior_weight > 0 ? z.prior_weight : static_cast<double>(train.size());
  fit_result r;
  r.kind = kind;
  const auto t0 = std::chrono::steady_clock::now();
  const auto fit = fit_hmm_glm(train, ho);
  r.seconds = seconds_since(t0);
  r.em_ll = fit.log_likelihood;
  fmt::print(stderr, "{} HMM-GLM, S = {}, N = {}, seed {}: {:.1f} s, training log-likelihood {:.1f}\n",
             weight_prior_name(kind), ho.states, truth.model.neurons, seed, r.seconds, fit.log_likelihood.back());
  // Align on the training trials' posteriors (the paper's code uses the first training trial).
  const auto perm = best_permutation(state_overlap(fit.model, train), ho.states);
  r.model = permute_states(fit.model, perm);
  r.train_accuracy = path_accuracy(train, r.model);
  r.test_accuracy = path_accuracy(test, r.model);
  r.weight_rmse = rms_difference(r.model.weights, truth.model.weights, truth.model.neurons);
  r.test_ll = log_likelihood_per_bin(test, r.model);
  r.adjacency = kind == weight_prior::onehot
                    ? score_adjacency(truth.adjacency, permute_adjacency(fit.adjacency, ho.states, perm), truth.model.neurons)
                    : threshold_adjacency(truth.adjacency, r.model.weights, truth.model.neurons);
  return r;
}

run_result run_one(const onehot_glm_size::config& c, std::uint64_t seed, const onehot_glm_size& size, int threads) {
  const std::size_t S = c.states, N = c.neurons;
  onehot_glm_size z = size;
  if (c.bins) z.bins = c.bins, z.train_trials = c.train_trials, z.test_trials = c.test_trials;
  run_result r;
  r.states = S, r.neurons = N, r.seed = seed;
  plant_options po;
  po.states = S, po.neurons = N, po.softplus_strength = size.softplus_strength;
  r.truth = plant_switching_glm(po, seed, glm_purpose);
  std::vector<spike_trial> train;
  for (std::size_t k = 0; k < z.train_trials + z.test_trials; ++k)
    (k < z.train_trials ? train : r.test)
        .push_back(sample_switching_glm(r.truth.model, z.bins, seed, glm_purpose, (1u << 24) + static_cast<std::uint32_t>(k)));
  r.true_test_ll = log_likelihood_per_bin(r.test, r.truth.model);
  r.true_train_accuracy = path_accuracy(train, r.truth.model);
  for (const auto kind : kinds) r.fits.push_back(fit_one(kind, r.truth, train, r.test, z, seed, threads));
  return r;
}

void write_csvs(const options& o, const std::vector<run_result>& runs) {
  std::string metrics =
      "states,neurons,seed,model,train_state_accuracy,test_state_accuracy,weight_rmse,adjacency_accuracy,adjacency_f1,"
      "adjacency_balanced_accuracy,threshold,test_ll_per_bin,true_test_ll_per_bin,fit_s\n";
  std::string em = "states,neurons,seed,model,iteration,train_ll\n";
  for (const auto& r : runs)
    for (const auto& f : r.fits) {
      metrics += fmt::format("{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.2f},{:.6f},{:.6f},{:.2f}\n",
                             r.states, r.neurons, r.seed, weight_prior_name(f.kind), f.train_accuracy, f.test_accuracy,
                             f.weight_rmse, f.adjacency.accuracy, f.adjacency.macro_f1, f.adjacency.balanced,
                             f.adjacency.threshold, f.test_ll, r.true_test_ll, f.seconds);
      for (std::size_t i = 0; i < f.em_ll.size(); ++i)
        em += fmt::format("{},{},{},{},{},{:.6f}\n", r.states, r.neurons, r.seed, weight_prior_name(f.kind), i, f.em_ll[i]);
    }
  io::write_text_file(o.out + "/metrics.csv", metrics);
  io::write_text_file(o.out + "/em.csv", em);
  // The first run's first test trial: truth, each model's Viterbi path and posteriors.
  const auto& r = runs.front();
  const auto& trial = r.test.front();
  std::string states = "model,bin,true_state,viterbi";
  for (std::size_t s = 0; s < r.states; ++s) states += fmt::format(",p{}", s);
  states += "\n";
  for (const auto& f : r.fits) {
    const auto post = glm_posteriors(f.model, trial);
    const auto path = glm_viterbi(f.model, trial);
    for (std::size_t t = 0; t < trial.bins; ++t) {
      states += fmt::format("{},{},{},{}", weight_prior_name(f.kind), t, trial.states[t], path[t]);
      for (std::size_t s = 0; s < r.states; ++s) states += fmt::format(",{:.4f}", post.gamma[t * r.states + s]);
      states += "\n";
    }
  }
  io::write_text_file(o.out + "/states.csv", states);
  std::string weights = "model,state,post,pre,weight\n";
  const auto add = [&](std::string_view name, const std::vector<double>& w) {
    for (std::size_t k = 0; k < w.size(); ++k)
      weights += fmt::format("{},{},{},{},{:.5f}\n", name, k / (r.neurons * r.neurons), (k / r.neurons) % r.neurons,
                             k % r.neurons, w[k]);
  };
  add("true", r.truth.model.weights);
  for (const auto& f : r.fits) add(weight_prior_name(f.kind), f.model.weights);
  io::write_text_file(o.out + "/weights.csv", weights);
}

verdict holds(bool ok) { return ok ? verdict::match : verdict::miss; }

// Means over the runs of one configuration.
struct summary {
  double train_acc[3] = {}, test_acc[3] = {}, rmse[3] = {}, adj_acc[3] = {}, adj_f1[3] = {}, adj_bal[3] = {};
  double test_ll[3] = {}, seconds[3] = {}, true_ll = 0, true_acc = 0, majority = 0, chance = 0;
  std::size_t runs = 0;
};

summary summarise(const std::vector<run_result>& runs, std::size_t S, std::size_t N) {
  summary m;
  for (const auto& r : runs) {
    if (r.states != S || r.neurons != N) continue;
    ++m.runs;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto& f = r.fits[k];
      m.train_acc[k] += f.train_accuracy, m.test_acc[k] += f.test_accuracy, m.rmse[k] += f.weight_rmse;
      m.adj_acc[k] += f.adjacency.accuracy, m.adj_f1[k] += f.adjacency.macro_f1, m.adj_bal[k] += f.adjacency.balanced;
      m.test_ll[k] += f.test_ll, m.seconds[k] += f.seconds;
    }
    m.true_ll += r.true_test_ll, m.true_acc += r.true_train_accuracy;
    m.majority += r.fits[2].adjacency.majority, m.chance += r.fits[2].adjacency.chance;
  }
  const double n = static_cast<double>(m.runs);
  for (std::size_t k = 0; k < 3; ++k) {
    m.train_acc[k] /= n, m.test_acc[k] /= n, m.rmse[k] /= n, m.adj_acc[k] /= n, m.adj_f1[k] /= n, m.adj_bal[k] /= n;
    m.test_ll[k] /= n, m.seconds[k] /= n;
  }
  m.true_ll /= n, m.true_acc /= n, m.majority /= n, m.chance /= n;
  return m;
}

std::string three(const double* v, const char* format = "{:.3f}") {
  return fmt::format("naive {} / Gaussian {} / one-hot {}", fmt::format(fmt::runtime(format), v[0]),
                     fmt::format(fmt::runtime(format), v[1]), fmt::format(fmt::runtime(format), v[2]));
}

// The demo's rows are judged on the paper's claims; other sizes carry the same claims as ours.
void add_rows(std::vector<row>& rows, const summary& m, const onehot_glm_size::config& c, const onehot_glm_size& size,
              bool demo) {
  const std::size_t first = rows.size();
  onehot_glm_size z = size;
  if (c.bins) z.bins = c.bins, z.train_trials = c.train_trials, z.test_trials = c.test_trials;
  const std::string where = fmt::format("S = {}, N = {}, {} x {} bins, {} seed{}", c.states, c.neurons, z.train_trials,
                                        z.bins, m.runs, m.runs > 1 ? "s (means)" : "");
  constexpr int naive = 0, gauss = 1, onehot = 2;
  rows.push_back({fmt::format("state accuracy, Viterbi on the {} training trials ({}; truth's own parameters: {:.3f})",
                              z.train_trials, where, m.true_acc),
                  "one-hot and Gaussian >= 0.95, naive lower", three(m.train_acc) + fmt::format(" (held-out trials: {})", three(m.test_acc)),
                  holds(m.train_acc[onehot] >= 0.95 && m.train_acc[gauss] >= 0.95 && m.train_acc[naive] < m.train_acc[gauss] &&
                        m.train_acc[naive] < m.train_acc[onehot])});
  rows.push_back({fmt::format("weight error, RMS over states and pairs ({})", where), "one-hot < Gaussian <= naive",
                  three(m.rmse), holds(m.rmse[onehot] < m.rmse[gauss] && m.rmse[gauss] <= m.rmse[naive])});
  rows.push_back({fmt::format("adjacency accuracy, three classes (naive and Gaussian at their best threshold on |w|; {})", where),
                  "one-hot above the others", three(m.adj_acc) + fmt::format(" (balanced: {})", three(m.adj_bal)),
                  holds(m.adj_acc[onehot] > m.adj_acc[gauss] && m.adj_acc[onehot] > m.adj_acc[naive])});
  rows.push_back({fmt::format("adjacency macro F1, three classes ({})", where), "one-hot above the others", three(m.adj_f1),
                  holds(m.adj_f1[onehot] > m.adj_f1[gauss] && m.adj_f1[onehot] > m.adj_f1[naive])});
  const double acc_bar = m.majority + 0.5 * (1 - m.majority);
  rows.push_back({fmt::format("one-hot adjacency against chance ({})", where),
                  fmt::format("well above chance: accuracy >= {:.3f} (all-none {:.3f} plus half the rest), macro F1 >= "
                              "0.667 (twice the 1/3 of random labels)",
                              acc_bar, m.majority),
                  fmt::format("accuracy {:.3f} (chance agreement {:.3f}), macro F1 {:.3f}", m.adj_acc[onehot], m.chance,
                              m.adj_f1[onehot]),
                  holds(m.adj_acc[onehot] >= acc_bar && m.adj_f1[onehot] >= 2.0 / 3.0), criterion::ours});
  rows.push_back({fmt::format("held-out log-likelihood per bin, {} test trials ({}; truth's parameters: {:.4f})",
                              z.test_trials, where, m.true_ll),
                  "one-hot and Gaussian >= naive", three(m.test_ll, "{:.4f}"),
                  holds(m.test_ll[onehot] >= m.test_ll[naive] && m.test_ll[gauss] >= m.test_ll[naive])});
  rows.push_back({fmt::format("fit time per model, {} EM iterations x {} L-BFGS steps ({})", z.em_iterations, z.m_iterations, where),
                  "- (no figure)", three(m.seconds, "{:.1f} s"), verdict::not_applicable});
  if (!demo)
    for (std::size_t k = first; k < rows.size(); ++k)
      if (rows[k].result != verdict::not_applicable) rows[k].basis = criterion::ours;
}

}  // namespace

onehot_glm_size onehot_glm_default_size(bool full) {
  onehot_glm_size z;
  if (full) z.configs = {{5, 20, 5}, {3, 8, 5, 1000, 10, 4}, {3, 10, 2}, {8, 20, 1}, {5, 30, 1}};
  return z;
}

std::vector<row> run_onehot_glm(const options& o, const onehot_glm_size& z) {
  std::filesystem::create_directories(o.out);
  const int threads = training_threads(o);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<run_result> runs;
  for (const auto& c : z.configs)
    for (std::size_t s = 0; s < c.seeds; ++s) runs.push_back(run_one(c, o.seed + s, z, threads));
  write_csvs(o, runs);
  std::vector<row> rows;
  for (std::size_t k = 0; k < z.configs.size(); ++k)
    add_rows(rows, summarise(runs, z.configs[k].states, z.configs[k].neurons), z.configs[k], z, k == 0);
  rows.push_back({"whole run (all fits and evaluations)", "- (no figure)", fmt::format("{:.0f} s on {} threads", seconds_since(t0), threads),
                  verdict::not_applicable});
  return rows;
}

namespace {
const bool registered = register_reproduction(
    {"onehot-glm",
     "Li et al. 2024: one-hot HMM-GLM for switching brain states, the repository's synthetic demo (naive, Gaussian "
     "and one-hot priors)",
     "quick: the demo (S = 5, N = 20, 30 x 2000 bins, 10 EM iterations) and a data-poor run, 7-12 min wall / 3.2 min "
     "CPU on 2 busy cores: FAILED, every variant finds the demo's states (0.994) and naive has the smallest weight "
     "error (docs/onehot_glm.md); --full: 5 seeds and other S, N (16 min on 2 threads)",
     [](const options& o) { return run_onehot_glm(o, onehot_glm_default_size(o.full)); }});
}  // namespace

}  // namespace neurite::repro
