// The model trains through learn::train_classifier (Adam with cosine decay, micro-batches summed in
// order), so every figure is the same for any thread count; generation, the attention readout and
// the ridge readouts run on one thread.
#include "repro/neuroformer/neuroformer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "core/rng.hpp"
#include "io/results.hpp"
#include "learn/spike_metrics.hpp"
#include "learn/training.hpp"

namespace neurite::repro {
namespace {

constexpr std::uint32_t micro_batch = 16;
const std::uint32_t stream = core::stream_purpose(core::purpose::learn_tasks, 12);

using trials = std::vector<analysis::glm_trial>;

trials simulate(const analysis::hub_glm& m, std::uint32_t first, std::uint32_t count, std::uint64_t seed) {
  trials out;
  for (std::uint32_t r = first; r < first + count; ++r) out.push_back(analysis::sample_hub_glm(m, r, seed, stream));
  return out;
}

// Every window of every trial, in trial order, with the mean behaviour of its bins.
learn::window_dataset windows_of(const trials& ts, const learn::token_layout& l, std::uint32_t bins) {
  std::vector<learn::window_sequence> windows;
  std::vector<double> behaviour;
  for (const auto& t : ts)
    for (auto& w : learn::tokenise_trial(t.spikes, bins, l)) {
      const std::uint32_t first = w.window * l.window_bins, last = std::min(first + l.window_bins, bins);
      behaviour.push_back(std::accumulate(t.behaviour.begin() + first, t.behaviour.begin() + last, 0.0) / (last - first));
      windows.push_back(std::move(w));
    }
  return {l, std::move(windows), std::move(behaviour)};
}

// Trial-averaged spike counts per neuron and PSTH bin, psth[n * P + p].
std::vector<double> psth(const std::vector<std::vector<double>>& counts, std::uint32_t N, std::uint32_t bins,
                         std::uint32_t per_bin) {
  const std::uint32_t P = bins / per_bin;
  std::vector<double> out(std::size_t{N} * P, 0.0);
  for (const auto& c : counts)
    for (std::uint32_t t = 0; t < P * per_bin; ++t)
      for (std::uint32_t n = 0; n < N; ++n) out[std::size_t{n} * P + t / per_bin] += c[std::size_t{t} * N + n];
  for (double& v : out) v /= static_cast<double>(counts.size());
  return out;
}

double pearson(const double* x, const double* y, std::size_t n) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(n), my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

// Per-neuron Pearson r of two PSTHs (N x P).
std::vector<double> neuron_correlations(const std::vector<double>& a, const std::vector<double>& b, std::uint32_t N) {
  const std::size_t P = a.size() / N;
  std::vector<double> r(N);
  for (std::uint32_t n = 0; n < N; ++n) r[n] = pearson(&a[n * P], &b[n * P], P);
  return r;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }
double standard_error(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (const double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
}

std::vector<std::vector<double>> counts_of(const trials& ts) {
  std::vector<std::vector<double>> out;
  for (const auto& t : ts) out.emplace_back(t.spikes.begin(), t.spikes.end());
  return out;
}

learn::neuroformer_config config_for(const neuroformer_size& s, const learn::token_layout& l, bool behaviour_head) {
  return {l, static_cast<std::uint32_t>((s.network.bins + s.window_bins - 1) / s.window_bins), s.embedding, s.layers, s.heads,
          s.feedforward, behaviour_head};
}

learn::neuroformer train(const neuroformer_size& s, const learn::token_layout& l, const learn::window_dataset& data,
                         bool behaviour_head, const options& o, std::string& log) {
  learn::neuroformer model(config_for(s, l, behaviour_head), o.seed);
  const learn::neuroformer_objective objective(l.neurons, l.window_bins, behaviour_head ? s.behaviour_weight : 0.0);
  learn::training_options t;
  t.epochs = s.epochs;
  t.batch_size = s.batch;
  t.micro_batch = micro_batch;
  t.learning_rate = s.learning_rate;
  t.threads = training_threads(o);
  t.seed = o.seed;
  t.objective = &objective;
  const learn::window_dataset none(l, {});
  const auto report = learn::train_classifier(model, data, none, t);
  for (const auto& e : report.epochs)
    log += fmt::format("{},{},{:.6f},{:.6f}\n", behaviour_head ? "joint" : "spikes", e.epoch, e.train_loss, e.train_accuracy);
  return model;
}

// Each test window generated from its real previous window; the spikes of trial r as counts.
std::vector<std::vector<double>> generate(const learn::neuroformer& model, const learn::window_dataset& test,
                                          std::uint32_t trials_count, std::uint32_t bins, std::uint64_t seed) {
  const auto& l = test.layout();
  const auto sampled = learn::sample_windows(model, test.windows(), 1.0, seed, stream, 1u << 24);
  const std::size_t per_trial = sampled.size() / trials_count;
  std::vector<std::vector<double>> out(trials_count, std::vector<double>(std::size_t{bins} * l.neurons, 0.0));
  for (std::size_t i = 0; i < sampled.size(); ++i)
    for (const auto& e : learn::detokenise(sampled[i], l)) out[i / per_trial][std::size_t{e.bin} * l.neurons + e.neuron] += 1;
  return out;
}

struct link_scores {
  double auroc = 0, direction = 0;
  std::size_t links = 0;
};

// AUROC of the scores over all ordered pairs (the diagonal left out) against the planted links;
// and of each link against its reverse pair (where that is no link itself).
link_scores score_links(const std::vector<double>& score, const std::vector<int>& adjacency, std::size_t N) {
  std::vector<float> s, t, ds, dt;
  link_scores out;
  for (std::size_t post = 0; post < N; ++post)
    for (std::size_t pre = 0; pre < N; ++pre) {
      if (post == pre) continue;
      s.push_back(static_cast<float>(score[post * N + pre]));
      t.push_back(static_cast<float>(adjacency[post * N + pre]));
      if (adjacency[post * N + pre] && !adjacency[pre * N + post]) {
        ++out.links;
        ds.push_back(static_cast<float>(score[post * N + pre]));
        dt.push_back(1);
        ds.push_back(static_cast<float>(score[pre * N + post]));
        dt.push_back(0);
      }
    }
  out.auroc = learn::roc_auc(s, t);
  out.direction = learn::roc_auc(ds, dt);
  return out;
}

// Ridge regression on standardised features: fitted on (x, y), Pearson r of its prediction on (xt, yt).
double ridge_r(const at::Tensor& x, const std::vector<double>& y, const at::Tensor& xt, const std::vector<double>& yt,
               double lambda) {
  const at::Tensor mu = x.mean(0), sd = x.std(0).clamp_min(1e-8);
  const at::Tensor a = (x - mu) / sd, at_ = (xt - mu) / sd;
  const at::Tensor target = at::tensor(y, at::kDouble);
  const double offset = target.mean().item<double>();
  const at::Tensor gram = at::matmul(a.t(), a) + lambda * at::eye(a.size(1), at::kDouble);
  const at::Tensor w = at::linalg_solve(gram, at::matmul(a.t(), target - offset).unsqueeze(1)).squeeze(1);
  const at::Tensor pred = (at::matmul(at_, w) + offset).contiguous();
  return pearson(pred.data_ptr<double>(), yt.data(), yt.size());
}

// Binned counts of each window and the one before, (windows, 2N): the linear baseline's features.
at::Tensor count_features(const learn::window_dataset& d) {
  const auto& l = d.layout();
  at::Tensor x = at::zeros({static_cast<std::int64_t>(d.count()), 2 * static_cast<std::int64_t>(l.neurons)}, at::kDouble);
  auto a = x.accessor<double, 2>();
  for (std::size_t i = 0; i < d.windows().size(); ++i)
    for (const auto& k : d.windows()[i].tokens)
      if (k.id < l.neurons) a[static_cast<std::int64_t>(i)][k.id + (k.time >= l.window_bins ? l.neurons : 0)] += 1;
  return x;
}

std::vector<double> behaviour_of(const trials& ts, const learn::token_layout& l, std::uint32_t bins) {
  std::vector<double> out;
  for (const auto& t : ts)
    for (std::uint32_t first = 0; first < bins; first += l.window_bins) {
      const std::uint32_t last = std::min(first + l.window_bins, bins);
      out.push_back(std::accumulate(t.behaviour.begin() + first, t.behaviour.begin() + last, 0.0) / (last - first));
    }
  return out;
}

}  // namespace

neuroformer_size neuroformer_default_size(bool full) {
  neuroformer_size s;
  if (full) {
    // 50 neurons, 5 hubs of 8 targets, three times the trials; the caps raised with the rates' sum.
    s.network.neurons = 50, s.network.hubs = 5, s.network.targets_per_hub = 8;
    s.train_trials = 600, s.test_trials = 100, s.epochs = 15;
    s.max_context = 64, s.max_current = 64;
    s.behaviour = true;
    s.network.behaviour_gain = 1.0;
  }
  return s;
}

std::vector<row> run_neuroformer(const options& o, const neuroformer_size& s) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  const auto glm = analysis::plant_hub_glm(s.network, o.seed, stream);
  const std::uint32_t N = static_cast<std::uint32_t>(s.network.neurons), bins = static_cast<std::uint32_t>(s.network.bins);
  const learn::token_layout l{N, s.window_bins, s.max_context, s.max_current};
  const auto train_set = simulate(glm, 0, s.train_trials, o.seed);
  const auto test_set = simulate(glm, s.train_trials, s.test_trials, o.seed);
  const auto repeat_set = simulate(glm, s.train_trials + s.test_trials, s.test_trials, o.seed);
  const auto train_windows = windows_of(train_set, l, bins), test_windows = windows_of(test_set, l, bins);
  std::size_t truncated = 0, tokens = 0;
  for (const auto& w : train_windows.windows()) truncated += w.truncated, tokens += w.tokens.size();
  fmt::print("neuroformer: {} training windows, {:.1f} tokens each on average, {} truncated; simulated at {:.1f} s\n",
             train_windows.count(), static_cast<double>(tokens) / train_windows.count(), truncated, elapsed());

  std::string log = "model,epoch,loss_per_window,id_cross_entropy_per_window\n";
  const auto model = train(s, l, train_windows, false, o, log);
  fmt::print("neuroformer: trained at {:.1f} s\n", elapsed());
  const auto ce = learn::evaluate_cross_entropy(model, test_windows, micro_batch);
  const auto base = learn::rate_baseline_cross_entropy(train_windows, test_windows);

  const auto generated = generate(model, test_windows, s.test_trials, bins, o.seed);
  fmt::print("neuroformer: generated at {:.1f} s\n", elapsed());
  const auto real_psth = psth(counts_of(test_set), N, bins, s.psth_bins);
  const auto gen_psth = psth(generated, N, bins, s.psth_bins);
  const auto rep_psth = psth(counts_of(repeat_set), N, bins, s.psth_bins);
  const auto r_gen = neuron_correlations(gen_psth, real_psth, N), r_rep = neuron_correlations(rep_psth, real_psth, N);
  std::vector<double> gap(N);
  for (std::uint32_t n = 0; n < N; ++n) gap[n] = r_gen[n] - r_rep[n];
  const double pooled = pearson(gen_psth.data(), real_psth.data(), gen_psth.size());

  // The readout the rows judge: gradient-weighted attention rolled out over all layers, as the
  // paper's code gathers attention (neuroformer/gather_atts.py passes rollout = True). Until
  // 2026-12-07 the last layer alone was judged; it missed on seeds 2-4, and the switch was checked
  // on seeds 6-10, unseen before it (docs/neuroformer.md).
  const auto score = learn::attention_connectivity(model, test_windows, s.discard, micro_batch, true);
  const auto adjacency = analysis::hub_adjacency(glm);
  const auto links = score_links(score, adjacency, N);
  // Control: the same readout of the untrained model (the same initial weights).
  const auto untrained = score_links(learn::attention_connectivity(learn::neuroformer(config_for(s, l, false), o.seed),
                                                                   test_windows, s.discard, micro_batch, true),
                                     adjacency, N);
  // A variant: the last layer's attention alone.
  const auto last_layer = score_links(learn::attention_connectivity(model, test_windows, s.discard, micro_batch), adjacency, N);
  fmt::print("neuroformer: attention read out at {:.1f} s\n", elapsed());

  std::string psth_csv = "neuron,bin,real,generated,repeat\n", conn_csv = "post,pre,score,planted\n";
  const std::size_t P = real_psth.size() / N;
  for (std::uint32_t n = 0; n < N; ++n)
    for (std::size_t p = 0; p < P; ++p)
      psth_csv += fmt::format("{},{},{:.6f},{:.6f},{:.6f}\n", n, p, real_psth[n * P + p], gen_psth[n * P + p], rep_psth[n * P + p]);
  for (std::uint32_t post = 0; post < N; ++post)
    for (std::uint32_t pre = 0; pre < N; ++pre)
      conn_csv += fmt::format("{},{},{:.9g},{}\n", post, pre, score[post * N + pre], adjacency[post * N + pre]);
  io::write_text_file(o.out + "/psth.csv", psth_csv);
  io::write_text_file(o.out + "/connectivity.csv", conn_csv);

  std::vector<row> rows;
  rows.push_back({"held-out id cross-entropy per token (nats): transformer vs rate-only baseline",
                  "below the rate-only baseline [A: it predicts simulated activity]",
                  fmt::format("{:.4f} vs {:.4f} ({} targets)", ce.id, base.id, ce.id_targets),
                  ce.id < base.id ? verdict::match : verdict::miss});
  rows.push_back({"held-out offset cross-entropy per spike (nats): transformer vs rate-only baseline", "-",
                  fmt::format("{:.4f} vs {:.4f}", ce.offset, base.offset), verdict::not_applicable, criterion::paper});
  rows.push_back({"generated vs real PSTH, mean per-neuron Pearson r", "> 0.7 [FINDINGS 7]",
                  fmt::format("{:.3f} +- {:.3f} (pooled over neurons and bins {:.3f}; {} trials, {} ms bins)", mean(r_gen),
                              standard_error(r_gen), pooled, s.test_trials, 10 * s.psth_bins),
                  mean(r_gen) > 0.7 ? verdict::match : verdict::miss});
  rows.push_back({"generated-vs-real PSTH r at most the repeat reliability (real vs an independent repeat set)",
                  "prediction r <= repeat r [V: V1AL]",
                  fmt::format("{:.3f} vs {:.3f} (difference {:+.3f} +- {:.3f}; tolerance 2 SE)", mean(r_gen), mean(r_rep),
                              mean(gap), standard_error(gap)),
                  mean(gap) <= 2 * standard_error(gap) ? verdict::match : verdict::miss});
  rows.push_back({fmt::format("planted links from gradient-weighted attention rolled out over the layers, AUROC over "
                              "all ordered pairs ({} links, discard {})", links.links, s.discard),
                  "> 0.8 [FINDINGS 7; A: recovers hub connectivity]", fmt::format("{:.3f}", links.auroc),
                  links.auroc > 0.8 ? verdict::match : verdict::miss});
  rows.push_back({"control: the same readout of the untrained model, AUROC all pairs / direction", "-",
                  fmt::format("{:.3f} / {:.3f}", untrained.auroc, untrained.direction), verdict::not_applicable});
  rows.push_back({"variant: the last layer's gradient-weighted attention alone, AUROC all pairs / direction", "-",
                  fmt::format("{:.3f} / {:.3f}", last_layer.auroc, last_layer.direction), verdict::not_applicable});
  rows.push_back({"direction: each planted link's score against its reverse pair's, AUROC",
                  "> 0.8 [A: including direction]", fmt::format("{:.3f}", links.direction),
                  links.direction > 0.8 ? verdict::match : verdict::miss});

  std::string summary = "quantity,value\n";
  summary += fmt::format("id_ce,{:.6f}\nid_ce_baseline,{:.6f}\noffset_ce,{:.6f}\noffset_ce_baseline,{:.6f}\n", ce.id, base.id,
                         ce.offset, base.offset);
  summary += fmt::format("psth_r,{:.6f}\npsth_r_repeat,{:.6f}\npsth_r_pooled,{:.6f}\nauroc,{:.6f}\ndirection_auroc,{:.6f}\n",
                         mean(r_gen), mean(r_rep), pooled, links.auroc, links.direction);
  summary += fmt::format("auroc_untrained,{:.6f}\ndirection_auroc_untrained,{:.6f}\n", untrained.auroc, untrained.direction);
  summary += fmt::format("auroc_last_layer,{:.6f}\ndirection_auroc_last_layer,{:.6f}\n", last_layer.auroc,
                         last_layer.direction);

  if (s.behaviour) {
    const auto joint = train(s, l, train_windows, true, o, log);
    fmt::print("neuroformer: joint model trained at {:.1f} s\n", elapsed());
    const auto few = simulate(glm, s.train_trials + 2 * s.test_trials, s.few_shot_trials, o.seed);
    const auto few_windows = windows_of(few, l, bins);
    const auto y_few = behaviour_of(few, l, bins), y_test = behaviour_of(test_set, l, bins);
    const double r_spikes = ridge_r(learn::window_features(model, few_windows, micro_batch), y_few,
                                    learn::window_features(model, test_windows, micro_batch), y_test, s.ridge);
    const double r_joint = ridge_r(learn::window_features(joint, few_windows, micro_batch), y_few,
                                   learn::window_features(joint, test_windows, micro_batch), y_test, s.ridge);
    const double r_counts = ridge_r(count_features(few_windows), y_few, count_features(test_windows), y_test, s.ridge);
    rows.push_back({fmt::format("few-shot behaviour decoding ({} trials, ridge on frozen features), Pearson r: joint vs "
                                "spikes-only pretraining", s.few_shot_trials),
                    "joint >= spikes-only [A: the ablation]", fmt::format("{:.3f} vs {:.3f}", r_joint, r_spikes),
                    r_joint >= r_spikes ? verdict::match : verdict::miss});
    rows.push_back({"few-shot decoding from binned counts of the window and the one before (ridge), Pearson r", "-",
                    fmt::format("{:.3f}", r_counts), verdict::not_applicable});
    rows.push_back({"the paper's decoding on its own data (Visnav lateral), Pearson r: speed / eye phi / eye theta",
                    "0.93 / 0.84 / 0.92 [V]", "not compared (other data)", verdict::not_applicable});
    summary += fmt::format("behaviour_r_joint,{:.6f}\nbehaviour_r_spikes,{:.6f}\nbehaviour_r_counts,{:.6f}\n", r_joint,
                           r_spikes, r_counts);
  }
  io::write_text_file(o.out + "/training.csv", log);
  io::write_text_file(o.out + "/summary.csv", summary);
  rows.push_back({fmt::format("protocol: GLM N = {}, {} hubs x {} targets (w = {}), {} trials x {} bins of 10 ms "
                              "({} train, {} test, {} repeat); d = {}, {} layers, {} heads, {} epochs, {} threads",
                              N, s.network.hubs, s.network.targets_per_hub, s.network.hub_weight, 2 * s.test_trials + s.train_trials,
                              bins, s.train_trials, s.test_trials, s.test_trials, s.embedding, s.layers, s.heads, s.epochs,
                              training_threads(o)),
                  "-", fmt::format("{:.1f} s", elapsed()), verdict::not_applicable});
  return rows;
}

namespace {

const bool registered = register_reproduction(
    {"neuroformer", "Neuroformer: generative pretraining on spike tokens (Antoniades et al. 2024), a small causal transformer on a simulated hub network",
     "quick: GLM of 30 neurons with 3 hubs, 300 trials, 45-117 s on 2 cores: passes on seeds 1-10 with the judged "
     "rollout readout (AUROC 0.96-0.999; the last layer alone misses on seeds 2-4); --full: 50 neurons with behaviour, "
     "45 min at load 8 (18 min quieter): passes (rollout 0.987, direction 0.993; joint 0.93 vs spikes-only 0.86)",
     [](const options& o) { return run_neuroformer(o, neuroformer_default_size(o.full)); }});

}  // namespace
}  // namespace neurite::repro
