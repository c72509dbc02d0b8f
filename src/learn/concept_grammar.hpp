#pragma once
// A synthetic corpus with planted concepts, for the LM-head decoding of feature neurons
// (docs/llm_feature_neurons.md): since every concept token and the cues that announce it are
// known, a neuron that "means dog" can be checked against the truth. Word-level vocabulary:
//   concepts   C categories x K concepts (animal: dog cat horse ..., place: paris ..., ...)
//   cues       M per concept ("dog_cue1" ...): a cue predicts its concept later in the sentence
//   fillers    F meaningless words ("w017"), function words ("the", "is", "a", ".", ...)
// Base sentences, one drawn at a time (probabilities in concept_grammar_config):
//   concept:    the CUE FILL^k is a CONCEPT .          (k uniform in 0..max_gap: the cue must be carried)
//   favourite:  my favourite CATEGORY is the CONCEPT .  (concept uniform in its category)
//   filler:     the FILL^n .                            (n uniform in 2..5)
// The shifted "instruction" variant wraps the same content in a dialogue format with words of its
// own, and draws concepts with a skewed (Zipf 1/r) frequency instead of uniformly:
//   concept:    user : what is the CUE FILL^k ? assistant : a CONCEPT .
//   favourite:  user : favourite CATEGORY ? assistant : the CONCEPT .
//   filler:     user : FILL^n ? assistant : ok .
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "learn/classifier.hpp"

namespace neurite::learn {

struct concept_grammar_config {
  std::uint32_t categories = 4;           // at most 6 (the named lists below)
  std::uint32_t concepts_per_category = 8;  // at most 8
  std::uint32_t cues_per_concept = 3;
  std::uint32_t fillers = 120;
  std::uint32_t max_gap = 3;             // fillers between a cue and its concept: 0..max_gap
  double p_concept = 0.6, p_favourite = 0.2;  // the rest: filler sentences
};

enum class grammar_variant { base, instruction };

class concept_grammar {
 public:
  // Throws std::invalid_argument naming the field when a size is impossible.
  explicit concept_grammar(concept_grammar_config config);
  const concept_grammar_config& config() const { return config_; }
  std::uint32_t vocabulary_size() const { return static_cast<std::uint32_t>(words_.size()); }
  const std::string& word(std::uint32_t id) const { return words_.at(id); }
  // The id of a word; throws std::invalid_argument naming the word when it is not in the vocabulary.
  std::uint32_t id(const std::string& word) const;
  // Space-separated words -> ids (errors as id()).
  std::vector<std::uint32_t> encode(const std::string& text) const;
  std::string decode(std::span<const std::uint32_t> ids) const;

  std::uint32_t concept_count() const { return config_.categories * config_.concepts_per_category; }
  std::uint32_t concept_token(std::uint32_t c) const { return concept_ids_.at(c); }
  std::uint32_t category_of(std::uint32_t c) const { return c / config_.concepts_per_category; }
  bool is_concept_token(std::uint32_t id) const;

  // `sentences` sentences of the variant, concatenated, a pure function of (seed, variant,
  // stream_id): drawn from core::random_stream(seed, stream_purpose(learn_tasks, 13), stream_id).
  std::vector<std::uint32_t> corpus(grammar_variant v, std::uint32_t sentences, std::uint64_t seed,
                                    std::uint32_t stream_id) const;

  // Prompts that cue no particular concept: the favourite-question of every category (the
  // concepts of that category equally likely next) and filler-only prefixes (no concept likely
  // next), in the base format.
  std::vector<std::vector<std::uint32_t>> neutral_prompts() const;

 private:
  concept_grammar_config config_;
  std::vector<std::string> words_;
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::uint32_t> concept_ids_;
  std::uint32_t first_cue_ = 0, first_filler_ = 0;
  std::uint32_t add(const std::string& w);
};

// Windows of `steps` + 1 consecutive tokens of a corpus, window i starting at token i * steps:
// inputs (batch, steps) int64 token ids, labels (batch, steps) the next token at each position.
class token_windows final : public labelled_dataset {
 public:
  token_windows(std::vector<std::uint32_t> tokens, std::uint32_t vocabulary, std::uint32_t steps);
  std::uint32_t count() const override { return count_; }
  std::uint32_t classes() const override { return vocabulary_; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

 private:
  std::vector<std::uint32_t> tokens_;
  std::uint32_t vocabulary_, steps_, count_;
};

}  // namespace neurite::learn
