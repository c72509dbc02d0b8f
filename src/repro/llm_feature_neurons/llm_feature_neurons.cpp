// Protocol (docs/llm_feature_neurons.md): train on the base grammar, map every neuron through the
// LM head, find each concept's neuron (the concept among its top 5 tokens) and clamp it on neutral
// prompts, fine-tune a copy on the instruction variant, compare the top-1 tokens.
#include "repro/llm_feature_neurons/llm_feature_neurons.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "core/rng.hpp"
#include "io/results.hpp"
#include "learn/astro_tasks.hpp"
#include "learn/neuron_decoding.hpp"
#include "learn/training.hpp"

namespace neurite::repro {
namespace {

constexpr std::uint32_t micro_batch = 16;
constexpr std::int64_t concept_rank = 5;  // the concept must be among a neuron's top 5 tokens
constexpr double clamp_ratio_needed = 5;  // and clamping it must raise the concept's probability 5x
constexpr std::uint32_t calibration_windows = 64;

// The token streams of one seed: base train/test, instruction train/test (stream ids 0..3).
struct corpora {
  learn::token_windows train, test, instruct_train, instruct_test;
};

corpora make_corpora(const learn::concept_grammar& g, const llm_feature_neurons_size& size, std::uint64_t seed) {
  using learn::grammar_variant;
  const auto V = g.vocabulary_size();
  return {{g.corpus(grammar_variant::base, size.train_sentences, seed, 0), V, size.steps},
          {g.corpus(grammar_variant::base, size.test_sentences, seed, 1), V, size.steps},
          {g.corpus(grammar_variant::instruction, size.finetune_sentences, seed, 2), V, size.steps},
          {g.corpus(grammar_variant::instruction, size.test_sentences, seed, 3), V, size.steps}};
}

std::vector<std::uint32_t> first(std::uint32_t n, std::uint32_t count) {
  std::vector<std::uint32_t> ids(std::min(n, count));
  std::iota(ids.begin(), ids.end(), 0u);
  return ids;
}

// Mean next-token cross-entropy [nats] over the windows, and the share of concept answers (the
// token after "a", which in both variants precedes the concept) predicted right: the latter needs
// the cue carried across the fillers. Only answers whose cue lies inside the window count: the
// cue is at most max_gap + 4 tokens before the "a" (instruction variant: cue, fillers, ?,
// assistant, :, a), so answers at window positions >= max_gap + 4.
struct fit {
  double nats = 0, concept_accuracy = 0;
};

fit evaluate(const learn::llama_decoder& model, const learn::token_windows& data, const learn::concept_grammar& g) {
  const at::NoGradGuard no_grad;
  const auto b = data.batch(first(data.count(), data.count()), 1, 0);
  const at::Tensor logits = model.forward(b.inputs);
  const double nats = at::cross_entropy_loss(logits.reshape({-1, logits.size(-1)}), b.labels.reshape({-1})).item<double>();
  const std::int64_t T = b.inputs.size(1), seen = std::min<std::int64_t>(T, g.config().max_gap + 4);
  at::Tensor answers = b.inputs.eq(static_cast<std::int64_t>(g.id("a")));
  answers.narrow(1, 0, seen).fill_(false);
  const at::Tensor right = logits.argmax(-1).eq(b.labels).logical_and(answers);
  return {nats, right.sum().item<double>() / answers.sum().item<double>()};
}

learn::training_options training_for(const options& o, std::uint32_t epochs, double rate, std::uint32_t batch,
                                     std::uint64_t seed, const learn::training_objective& objective) {
  learn::training_options t;
  t.epochs = epochs;
  t.batch_size = batch;
  t.micro_batch = micro_batch;
  t.learning_rate = rate;
  t.threads = training_threads(o);
  t.seed = seed;
  t.objective = &objective;
  return t;
}

// A concept's best neuron: among the neurons with the concept in their top 5 (without the final
// gain), the one whose clamp raises the concept's mean probability on the neutral prompts most.
// The control draws as many neurons from those without the concept in their top 5 (uniformly,
// from the Philox stream (seed, learn_tasks + 16 * 13, 2000 + concept)) and keeps their best, so
// that what the decoding adds is told apart from what any strongly clamped neuron does.
struct concept_neuron {
  std::uint32_t concept_index = 0;
  int candidates = 0;
  std::int64_t layer = -1, neuron = -1, rank = 0;
  double decoded = 0, value = 0, before = 0, after = 0, control_after = 0;
  double ratio() const { return before > 0 ? after / before : 0; }
  double control_ratio() const { return before > 0 ? control_after / before : 0; }
  bool found() const { return layer >= 0 && ratio() >= clamp_ratio_needed; }
  bool control_found() const { return candidates > 0 && control_ratio() >= clamp_ratio_needed; }
};

std::vector<concept_neuron> find_concept_neurons(const learn::llama_decoder& model, const learn::neuron_map& map,
                                                 const learn::concept_grammar& g, const at::Tensor& peaks,
                                                 const std::vector<std::vector<std::uint32_t>>& prompts,
                                                 double clamp_scale, std::uint64_t seed) {
  const at::Tensor base = learn::next_token_probabilities(model, prompts);
  const std::int64_t k = map.top_tokens.size(1), rows = map.layers * map.neurons;
  const auto* ids = map.top_tokens.data_ptr<std::int64_t>();
  const auto* p = map.top_probabilities.data_ptr<float>();
  const auto* peak = peaks.data_ptr<float>();
  const auto clamp_of = [&](std::int64_t row) {
    return learn::neuron_clamp{row / map.neurons, row % map.neurons, clamp_scale * peak[row]};
  };
  const auto after = [&](std::int64_t row, std::int64_t token) {
    return learn::next_token_probabilities(model, prompts, clamp_of(row)).select(1, token).mean().item<double>();
  };
  std::vector<concept_neuron> out;
  for (std::uint32_t c = 0; c < g.concept_count(); ++c) {
    const auto token = static_cast<std::int64_t>(g.concept_token(c));
    concept_neuron best{c, 0, -1, -1, 0, 0, 0, base.select(1, token).mean().item<double>(), 0, 0};
    std::vector<std::int64_t> others;
    for (std::int64_t row = 0; row < rows; ++row) {
      std::int64_t rank = 0;
      for (std::int64_t r = 0; r < std::min(k, concept_rank); ++r)
        if (ids[row * k + r] == token) rank = r + 1;
      if (rank == 0) {
        others.push_back(row);
        continue;
      }
      ++best.candidates;
      const double a = after(row, token);
      if (best.layer < 0 || a > best.after) {
        const auto clamp = clamp_of(row);
        best.layer = clamp.layer;
        best.neuron = clamp.neuron;
        best.rank = rank;
        best.decoded = p[row * k + rank - 1];
        best.value = clamp.value;
        best.after = a;
      }
    }
    core::random_stream s(seed, core::stream_purpose(core::purpose::learn_tasks, 13), 2000 + c);
    for (int i = 0; i < best.candidates && !others.empty(); ++i) {  // without replacement
      const std::size_t pick = s.below(static_cast<std::uint32_t>(others.size()));
      best.control_after = std::max(best.control_after, after(others[pick], token));
      others[pick] = others.back();
      others.pop_back();
    }
    out.push_back(best);
  }
  return out;
}

struct seed_result {
  std::uint64_t seed = 0;
  fit base, base_on_instruct, tuned;
  std::vector<concept_neuron> concepts;
  double agreement = 0, agreement_gain = 0, map_seconds = 0, map_gain_seconds = 0;
  std::string generated_before, generated_after, filler_before, filler_after;
};

std::string words_of(const learn::concept_grammar& g, const std::vector<std::uint32_t>& ids) { return g.decode(ids); }

seed_result run_seed(const options& o, const llm_feature_neurons_size& size, const learn::concept_grammar& g,
                     std::uint64_t seed, bool write_tables) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  seed_result r;
  r.seed = seed;
  const auto data = make_corpora(g, size, seed);
  auto config = size.model;
  config.vocabulary = g.vocabulary_size();
  learn::llama_decoder model(config, seed);
  const learn::sequence_cross_entropy objective;
  learn::train_classifier(model, data.train, data.test,
                          training_for(o, size.epochs, size.learning_rate, size.batch, seed, objective));
  r.base = evaluate(model, data.test, g);
  r.base_on_instruct = evaluate(model, data.instruct_test, g);
  fmt::print("llm-feature-neurons: seed {} trained at {:.1f} s: {:.3f} nats/token, concept accuracy {:.3f}\n", seed,
             elapsed(), r.base.nats, r.base.concept_accuracy);
  std::fflush(stdout);

  const auto map = learn::decode_neurons(model, size.top_k, false);
  const auto map_gain = learn::decode_neurons(model, size.top_k, true);
  r.map_seconds = map.seconds;
  r.map_gain_seconds = map_gain.seconds;
  if (write_tables) {
    std::vector<std::string> words;
    for (std::uint32_t i = 0; i < g.vocabulary_size(); ++i) words.push_back(g.word(i));
    for (std::int64_t l = 0; l < map.layers; ++l) {
      io::write_text_file(fmt::format("{}/topk_layer{}.csv", o.out, l), learn::top_k_csv(map, l, words));
      io::write_text_file(fmt::format("{}/topk_gain_layer{}.csv", o.out, l), learn::top_k_csv(map_gain, l, words));
    }
  }

  const at::Tensor calibration = data.test.batch(first(calibration_windows, data.test.count()), 1, 0).inputs;
  const auto prompts = g.neutral_prompts();
  r.concepts = find_concept_neurons(model, map, g, learn::peak_activations(model, calibration), prompts, size.clamp_scale, seed);
  const auto& dog = r.concepts.front();
  const learn::neuron_clamp dog_clamp{dog.layer, std::max<std::int64_t>(dog.neuron, 0), dog.value};
  const auto favourite = g.encode(". my favourite animal is the"), filler = prompts.back();
  r.generated_before = words_of(g, learn::generate_greedy(model, favourite, 3));
  r.filler_before = words_of(g, learn::generate_greedy(model, filler, 3));
  if (dog.layer >= 0) {
    r.generated_after = words_of(g, learn::generate_greedy(model, favourite, 3, dog_clamp));
    r.filler_after = words_of(g, learn::generate_greedy(model, filler, 3, dog_clamp));
  }
  fmt::print("llm-feature-neurons: seed {} concept neurons at {:.1f} s\n", seed, elapsed());
  std::fflush(stdout);

  auto tuned = model.copy();
  learn::train_classifier(tuned, data.instruct_train, data.instruct_test,
                          training_for(o, size.finetune_epochs, size.finetune_rate, size.batch, seed + 1000, objective));
  r.tuned = evaluate(tuned, data.instruct_test, g);
  r.agreement = learn::top1_agreement(map, learn::decode_neurons(tuned, size.top_k, false));
  r.agreement_gain = learn::top1_agreement(map_gain, learn::decode_neurons(tuned, size.top_k, true));
  fmt::print("llm-feature-neurons: seed {} fine-tuned at {:.1f} s: top-1 kept {:.3f} ({:.3f} with the gain)\n", seed,
             elapsed(), r.agreement, r.agreement_gain);
  std::fflush(stdout);
  return r;
}

std::string percent(double x) { return fmt::format("{:.1f}%", 100 * x); }

template <class F>
std::string per_seed(const std::vector<seed_result>& results, F f) {
  std::string s;
  for (const auto& r : results) s += fmt::format("{}{}", s.empty() ? "" : "; ", f(r));
  return s;
}

}  // namespace

llm_feature_neurons_size llm_feature_neurons_default_size(bool full) {
  llm_feature_neurons_size s;
  s.model = {0, 64, 4, 4, 256, 10000, 1e-5};
  s.train_sentences = 100000;
  s.test_sentences = 1000;
  s.finetune_sentences = 10000;
  s.epochs = 3;
  s.finetune_epochs = 2;
  if (full) {  // a wider model, more categories and fillers, one more epoch, three seeds
    s.grammar.categories = 6;
    s.grammar.fillers = 200;
    s.model = {0, 128, 4, 4, 512, 10000, 1e-5};
    s.epochs = 4;
    s.seeds = 3;
  }
  return s;
}

std::vector<row> run_llm_feature_neurons(const options& o, const llm_feature_neurons_size& size) {
  const auto start = std::chrono::steady_clock::now();
  const learn::concept_grammar g(size.grammar);
  std::vector<seed_result> results;
  // No wall times in the CSV files: they are the same for any thread count (the times are in the rows).
  std::string summary = "seed,nats,concept_accuracy,tuned_nats,tuned_concept_accuracy,top1_kept,top1_kept_gain,"
                        "concepts_found,control_found\n";
  std::string concepts =
      "seed,concept,candidates,layer,neuron,rank,decoded_probability,clamp_value,before,after,ratio,control_ratio\n";
  for (std::uint32_t s = 0; s < size.seeds; ++s) {
    results.push_back(run_seed(o, size, g, o.seed + s, s == 0));
    const auto& r = results.back();
    const auto found = std::count_if(r.concepts.begin(), r.concepts.end(), [](const auto& c) { return c.found(); });
    const auto control = std::count_if(r.concepts.begin(), r.concepts.end(), [](const auto& c) { return c.control_found(); });
    summary += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n", r.seed, r.base.nats,
                           r.base.concept_accuracy, r.tuned.nats, r.tuned.concept_accuracy, r.agreement, r.agreement_gain,
                           found, control);
    for (const auto& c : r.concepts)
      concepts += fmt::format("{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n", r.seed,
                              g.word(g.concept_token(c.concept_index)), c.candidates, c.layer, c.neuron, c.rank, c.decoded,
                              c.value, c.before, c.after, c.ratio(), c.control_ratio());
  }
  io::write_text_file(o.out + "/summary.csv", summary);
  io::write_text_file(o.out + "/concepts.csv", concepts);

  const double chance = 1.0 / g.vocabulary_size();
  const auto& m = size.model;
  std::vector<row> rows;
  rows.push_back({"base model: held-out cross-entropy (nats/token); concept answered after its cue (accuracy)", "-",
                  per_seed(results, [](const auto& r) { return fmt::format("{:.3f}; {:.3f}", r.base.nats, r.base.concept_accuracy); }),
                  verdict::not_applicable, criterion::paper});
  const bool learned = std::all_of(results.begin(), results.end(), [](const auto& r) { return r.base.concept_accuracy >= 0.9; });
  rows.push_back({"base model learned the planted concepts: concept accuracy >= 0.9 on every seed", ">= 0.9 (ours)",
                  per_seed(results, [](const auto& r) { return fmt::format("{:.3f}", r.base.concept_accuracy); }),
                  learned ? verdict::match : verdict::miss, criterion::ours});
  const auto count_found = [](const seed_result& r, bool control) {
    return std::count_if(r.concepts.begin(), r.concepts.end(),
                         [&](const concept_neuron& c) { return control ? c.control_found() : c.found(); });
  };
  const bool some_found = std::all_of(results.begin(), results.end(), [&](const auto& r) { return count_found(r, false) >= 1; });
  rows.push_back({"concept neurons: concepts whose best top-5 neuron (p_i = softmax(W_U w_i)) raises P(concept) on neutral "
                  "prompts >= 5x when clamped, of all concepts (the strongest)",
                  "a neuron decoded to a concept steers the model to it [A]; here: >= 1 concept with top 5 and >= 5x",
                  per_seed(results,
                           [&](const auto& r) {
                             const auto best = std::max_element(r.concepts.begin(), r.concepts.end(),
                                                                [](const auto& a, const auto& b) { return a.ratio() < b.ratio(); });
                             return fmt::format("{} / {} (strongest: '{}', L{} n{} rank {}, {:.1f}x)", count_found(r, false),
                                                r.concepts.size(), g.word(g.concept_token(best->concept_index)), best->layer,
                                                best->neuron, best->rank, best->ratio());
                           }),
                  some_found ? verdict::match : verdict::miss, criterion::paper});
  const bool beats_control = std::all_of(results.begin(), results.end(),
                                         [&](const auto& r) { return count_found(r, false) > count_found(r, true); });
  rows.push_back({"control: the same with as many random neurons without the concept in their top 5",
                  "fewer concepts than with the decoded neurons (ours)",
                  per_seed(results, [&](const auto& r) { return fmt::format("{} / {}", count_found(r, true), r.concepts.size()); }),
                  beats_control ? verdict::match : verdict::miss, criterion::ours});
  rows.push_back({"'dog' (the paper's example; here one of the symmetric concepts): its best top-5 neuron (layer, neuron, "
                  "rank, mean P(dog) on neutral prompts before -> after the clamp, ratio)",
                  "-",
                  per_seed(results,
                           [](const auto& r) {
                             const auto& d = r.concepts.front();
                             if (d.layer < 0) return std::string("no neuron has 'dog' in its top 5");
                             return fmt::format("L{} n{} rank {}, {:.4f} -> {:.4f}, {:.1f}x", d.layer, d.neuron, d.rank,
                                                d.before, d.after, d.ratio());
                           }),
                  verdict::not_applicable, criterion::paper});
  rows.push_back({"greedy continuation of 'my favourite animal is the' / of a filler prompt, without -> with the 'dog' neuron clamped", "-",
                  per_seed(results,
                           [](const auto& r) {
                             return fmt::format("'{}' -> '{}' / '{}' -> '{}'", r.generated_before, r.generated_after,
                                                r.filler_before, r.filler_after);
                           }),
                  verdict::not_applicable, criterion::paper});
  rows.push_back({"instruction fine-tune: held-out cross-entropy (nats/token) before -> after; concept accuracy after", "-",
                  per_seed(results,
                           [](const auto& r) {
                             return fmt::format("{:.3f} -> {:.3f}; {:.3f}", r.base_on_instruct.nats, r.tuned.nats,
                                                r.tuned.concept_accuracy);
                           }),
                  verdict::not_applicable, criterion::paper});
  const bool kept = std::all_of(results.begin(), results.end(), [&](const auto& r) { return r.agreement >= 10 * chance; });
  rows.push_back({fmt::format("neurons keeping their top-1 token after instruction fine-tuning, without the final gain "
                              "(chance 1/V = {})",
                              percent(chance)),
                  "75.4% on Llama-3.1-8B [A] (context only); here far above chance: >= 10/V (ours)",
                  per_seed(results, [](const auto& r) { return percent(r.agreement); }), kept ? verdict::match : verdict::miss,
                  criterion::ours});
  rows.push_back({"the same with the final norm's gain applied before W_U", "-",
                  per_seed(results, [](const auto& r) { return percent(r.agreement_gain); }), verdict::not_applicable,
                  criterion::paper});
  const bool fast = std::all_of(results.begin(), results.end(),
                                [](const auto& r) { return std::max(r.map_seconds, r.map_gain_seconds) < 1; });
  rows.push_back({fmt::format("wall time to map all {} neurons (one product, softmax, top-{}), without / with the gain",
                              m.layers * m.hidden, size.top_k),
                  "< 10 s for Llama-3.1-8B [A]; here < 1 s (ours)",
                  per_seed(results, [](const auto& r) { return fmt::format("{:.2g} s / {:.2g} s", r.map_seconds, r.map_gain_seconds); }),
                  fast ? verdict::match : verdict::miss, criterion::ours});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rows.push_back({fmt::format("protocol: V = {} tokens, d = {}, {} layers, {} heads, {} MLP neurons per layer, windows of {}; "
                              "{} + {} sentences, {} + {} epochs; clamp at {}x the peak activation; {} seed(s), {} threads",
                              g.vocabulary_size(), m.d_model, m.layers, m.heads, m.hidden, size.steps, size.train_sentences,
                              size.finetune_sentences, size.epochs, size.finetune_epochs, size.clamp_scale, size.seeds,
                              training_threads(o)),
                  "-", fmt::format("{:.1f} s", seconds), verdict::not_applicable, criterion::paper});
  return rows;
}

namespace {

const bool registered = register_reproduction(
    {"llm-feature-neurons",
     "Decoding feature neurons through the LM head (Davies 2025): a small Llama-style decoder on a planted-concept grammar",
     "quick: d = 64, 4 layers, V = 265, 1 seed, 3.5-4.2 min loaded: passes; --full: d = 128, 4 layers, 6 categories, 3 seeds, 42 min: passes",
     [](const options& o) { return run_llm_feature_neurons(o, llm_feature_neurons_default_size(o.full)); }});

}  // namespace
}  // namespace neurite::repro
