#include "learn/concept_grammar.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

constexpr std::uint32_t max_categories = 6, max_concepts = 8;

const std::array<const char*, max_categories> category_names{"animal", "place", "food", "colour", "tool", "sport"};
const std::array<std::array<const char*, max_concepts>, max_categories> concept_names{{
    {"dog", "cat", "horse", "bird", "fish", "cow", "sheep", "mouse"},
    {"california", "paris", "london", "tokyo", "rome", "berlin", "texas", "cairo"},
    {"bread", "apple", "cheese", "rice", "soup", "cake", "pizza", "honey"},
    {"red", "blue", "green", "yellow", "black", "white", "purple", "orange"},
    {"hammer", "saw", "drill", "wrench", "knife", "needle", "shovel", "ladder"},
    {"tennis", "golf", "chess", "rugby", "boxing", "rowing", "skiing", "karate"},
}};
const std::array<const char*, 13> function_words{".", "the", "is", "a", "my", "favourite", "user", ":", "what", "?",
                                                 "assistant", "ok", "<unk>"};

void require(bool ok, const std::string& field, const std::string& what) {
  if (!ok) throw std::invalid_argument(fmt::format("concept_grammar: {} {}", field, what));
}

// The Zipf (1/r) draw of the instruction variant: rank r = 1..n with probability (1/r) / H_n.
std::uint32_t zipf(core::random_stream& s, std::uint32_t n) {
  double total = 0;
  for (std::uint32_t r = 1; r <= n; ++r) total += 1.0 / r;
  double u = s.uniform() * total;
  for (std::uint32_t r = 1; r <= n; ++r) {
    u -= 1.0 / r;
    if (u < 0) return r - 1;
  }
  return n - 1;
}

}  // namespace

concept_grammar::concept_grammar(concept_grammar_config config) : config_(config) {
  const auto& c = config_;
  require(c.categories >= 1 && c.categories <= max_categories, "categories", fmt::format("must be in 1..{}", max_categories));
  require(c.concepts_per_category >= 2 && c.concepts_per_category <= max_concepts, "concepts_per_category",
          fmt::format("must be in 2..{}", max_concepts));
  require(c.cues_per_concept >= 1, "cues_per_concept", "must be at least 1");
  require(c.fillers >= 2, "fillers", "must be at least 2");
  require(c.p_concept >= 0 && c.p_favourite >= 0 && c.p_concept + c.p_favourite <= 1, "p_concept + p_favourite",
          "must be probabilities summing to at most 1");
  for (const auto* w : function_words) add(w);
  for (std::uint32_t k = 0; k < c.categories; ++k) add(category_names[k]);
  for (std::uint32_t k = 0; k < c.categories; ++k)
    for (std::uint32_t j = 0; j < c.concepts_per_category; ++j) concept_ids_.push_back(add(concept_names[k][j]));
  first_cue_ = vocabulary_size();
  for (const auto cid : concept_ids_)
    for (std::uint32_t m = 0; m < c.cues_per_concept; ++m) add(fmt::format("{}_cue{}", words_[cid], m + 1));
  first_filler_ = vocabulary_size();
  for (std::uint32_t f = 0; f < c.fillers; ++f) add(fmt::format("w{:03}", f));
}

std::uint32_t concept_grammar::add(const std::string& w) {
  const auto id = static_cast<std::uint32_t>(words_.size());
  words_.push_back(w);
  index_.emplace(w, id);
  return id;
}

std::uint32_t concept_grammar::id(const std::string& word) const {
  const auto it = index_.find(word);
  if (it == index_.end())
    throw std::invalid_argument(fmt::format("concept_grammar: the word '{}' is not in the vocabulary of {} words", word,
                                            words_.size()));
  return it->second;
}

std::vector<std::uint32_t> concept_grammar::encode(const std::string& text) const {
  std::vector<std::uint32_t> ids;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto start = text.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    auto end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    ids.push_back(id(text.substr(start, end - start)));
    pos = end;
  }
  return ids;
}

std::string concept_grammar::decode(std::span<const std::uint32_t> ids) const {
  std::string s;
  for (const auto i : ids) {
    if (!s.empty()) s += ' ';
    s += word(i);
  }
  return s;
}

bool concept_grammar::is_concept_token(std::uint32_t id) const {
  return id >= concept_ids_.front() && id <= concept_ids_.back();
}

std::vector<std::uint32_t> concept_grammar::corpus(grammar_variant v, std::uint32_t sentences, std::uint64_t seed,
                                                   std::uint32_t stream_id) const {
  const auto& c = config_;
  core::random_stream s(seed, core::stream_purpose(core::purpose::learn_tasks, 13), stream_id);
  const bool instruct = v == grammar_variant::instruction;
  std::vector<std::uint32_t> out;
  const auto say = [&](const char* text) { out.push_back(id(text)); };
  const auto filler = [&] { out.push_back(first_filler_ + s.below(c.fillers)); };
  // Uniform over concepts in the base variant, Zipf over a fixed order in the instruction one.
  const auto draw_concept = [&](std::uint32_t n) { return instruct ? zipf(s, n) : s.below(n); };
  // Where the answer begins: the assistant's turn in the instruction variant, "is" in the base one.
  const auto answer_turn = [&] {
    if (!instruct) return say("is");
    say("?");
    say("assistant");
    say(":");
  };
  for (std::uint32_t i = 0; i < sentences; ++i) {
    const double u = s.uniform();
    if (instruct) {
      say("user");
      say(":");
    }
    if (u < c.p_concept) {
      const std::uint32_t k = draw_concept(concept_count());
      const std::uint32_t gap = s.below(c.max_gap + 1);
      if (instruct) {
        say("what");
        say("is");
      }
      say("the");
      out.push_back(first_cue_ + k * c.cues_per_concept + s.below(c.cues_per_concept));
      for (std::uint32_t g = 0; g < gap; ++g) filler();
      answer_turn();
      say("a");
      out.push_back(concept_ids_[k]);
    } else if (u < c.p_concept + c.p_favourite) {
      const std::uint32_t category = s.below(c.categories);
      const std::uint32_t k = category * c.concepts_per_category + draw_concept(c.concepts_per_category);
      if (!instruct) say("my");
      say("favourite");
      out.push_back(id(category_names[category]));
      answer_turn();
      say("the");
      out.push_back(concept_ids_[k]);
    } else {
      if (!instruct) say("the");
      const std::uint32_t n = 2 + s.below(4);
      for (std::uint32_t g = 0; g < n; ++g) filler();
      if (instruct) {
        say("?");
        say("assistant");
        say(":");
        say("ok");
      }
    }
    say(".");
  }
  return out;
}

std::vector<std::vector<std::uint32_t>> concept_grammar::neutral_prompts() const {
  std::vector<std::vector<std::uint32_t>> prompts;
  for (std::uint32_t k = 0; k < config_.categories; ++k)
    prompts.push_back(encode(fmt::format(". my favourite {} is the", category_names[k])));
  // Filler-only prefixes: fixed fillers, so that the prompts are the same for every seed.
  for (std::uint32_t p = 0; p < 4; ++p) {
    std::vector<std::uint32_t> ids = encode(". the");
    for (std::uint32_t g = 0; g <= p; ++g) ids.push_back(first_filler_ + (7 * p + 3 * g) % config_.fillers);
    prompts.push_back(ids);
  }
  return prompts;
}

token_windows::token_windows(std::vector<std::uint32_t> tokens, std::uint32_t vocabulary, std::uint32_t steps)
    : tokens_(std::move(tokens)), vocabulary_(vocabulary), steps_(steps) {
  if (steps < 1) throw std::invalid_argument("token_windows: steps must be at least 1");
  if (tokens_.size() < steps + 1)
    throw std::invalid_argument(fmt::format("token_windows: {} tokens hold no window of {} + 1", tokens_.size(), steps));
  for (const auto t : tokens_)
    if (t >= vocabulary)
      throw std::invalid_argument(fmt::format("token_windows: token id {} outside the vocabulary of {}", t, vocabulary));
  count_ = static_cast<std::uint32_t>((tokens_.size() - 1) / steps);
}

labelled_batch token_windows::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  const auto n = static_cast<std::int64_t>(samples.size()), T = static_cast<std::int64_t>(steps_);
  at::Tensor inputs = at::empty({n, T}, at::kLong), labels = at::empty({n, T}, at::kLong);
  auto* x = inputs.data_ptr<std::int64_t>();
  auto* y = labels.data_ptr<std::int64_t>();
  for (std::int64_t b = 0; b < n; ++b) {
    const std::size_t start = static_cast<std::size_t>(samples[static_cast<std::size_t>(b)]) * steps_;
    for (std::int64_t t = 0; t < T; ++t) {
      x[b * T + t] = tokens_[start + static_cast<std::size_t>(t)];
      y[b * T + t] = tokens_[start + static_cast<std::size_t>(t) + 1];
    }
  }
  return {inputs, labels};
}

}  // namespace neurite::learn
