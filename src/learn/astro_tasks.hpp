#pragma once
// The tasks of the astrocyte-modulated spiking RNN (docs/astro_snn.md): next-character prediction
// on English text, scored in bits per character, and delayed recall of a cue across a stretch of
// distractors. Both are labelled_datasets for train_classifier.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

// A text as symbol ids over its own alphabet (the distinct bytes it holds, in byte order).
struct char_corpus {
  std::string alphabet;
  std::vector<std::uint8_t> ids;
};
// The files concatenated as they are; throws std::runtime_error naming a file that cannot be read.
char_corpus read_char_corpus(const std::vector<std::string>& files);

// Windows of `steps` characters of ids[begin, end): sample i is the characters
// [begin + i steps, begin + (i + 1) steps) as one-hot inputs (T, batch, alphabet) and the
// character after each as its label, (batch, T). Windows start from a zero state.
class char_windows final : public labelled_dataset {
 public:
  char_windows(const char_corpus& corpus, std::size_t begin, std::size_t end, std::uint32_t steps);
  std::uint32_t count() const override { return count_; }
  std::uint32_t classes() const override { return static_cast<std::uint32_t>(corpus_.alphabet.size()); }
  std::uint32_t steps() const { return steps_; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

 private:
  const char_corpus& corpus_;
  std::size_t begin_;
  std::uint32_t steps_, count_;
};

// Outputs (batch, T, classes) against labels (batch, T): each sample's mean cross-entropy over its
// steps [nats], and the share of its steps whose largest score is the label.
class sequence_cross_entropy final : public training_objective {
 public:
  at::Tensor loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;
  double score_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;
};

// Bits per character of a per-step model over every window of `data`.
double bits_per_character(const classifier_model& model, const char_windows& data, std::uint32_t micro_batch,
                          int threads);

// Delayed recall: a cue (one of `cues` symbols) at step 0, then `delay` steps each showing one of
// `distractors` other symbols at random, then a go signal; the label is the cue. Inputs
// (delay + 2, batch, cues + distractors + 1); chance is 1 / cues. Sample i of split `split` is a
// pure function of (seed, split, i), drawn from the stream of purpose learn_tasks + 16 * 6, id 1 + i.
struct delayed_recall_config {
  std::uint32_t cues = 4, distractors = 4, delay = 20, samples = 1000;
  std::uint32_t split = 0;  // 0 train, 1 test: other samples
};

class delayed_recall final : public labelled_dataset {
 public:
  delayed_recall(delayed_recall_config config, std::uint64_t seed) : config_(config), seed_(seed) {}
  std::uint32_t count() const override { return config_.samples; }
  std::uint32_t classes() const override { return config_.cues; }
  std::uint32_t features() const { return config_.cues + config_.distractors + 1; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

 private:
  delayed_recall_config config_;
  std::uint64_t seed_;
};

}  // namespace neurite::learn
