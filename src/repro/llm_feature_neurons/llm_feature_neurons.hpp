#pragma once
// `neurite repro llm-feature-neurons`: decoding specialised feature neurons through the LM head
// (Davies 2025, arXiv:2501.02688, paper 10), in small. A Llama-style decoder (learn/llama_decoder)
// is trained on a synthetic grammar with planted concepts (learn/concept_grammar); every
// up-projection neuron is decoded through the LM head in one product (learn/neuron_decoding), with
// and without the final norm's gain; the neuron that decodes best to a concept is clamped on
// prompts that do not cue it; the model is fine-tuned on a shifted "instruction" variant of the
// grammar and the neurons' top-1 tokens compared before and after. CSV files: topk_layerL.csv and
// topk_gain_layerL.csv (first seed), concepts.csv (every concept's best neuron and its clamp
// effect), summary.csv (per seed).
#include <cstdint>
#include <vector>

#include "learn/concept_grammar.hpp"
#include "learn/llama_decoder.hpp"
#include "repro/repro.hpp"

namespace neurite::repro {

struct llm_feature_neurons_size {
  learn::concept_grammar_config grammar;
  learn::llama_config model;  // its vocabulary is the grammar's
  std::uint32_t steps = 24;   // tokens per training window
  std::uint32_t train_sentences = 0, test_sentences = 0, finetune_sentences = 0;
  std::uint32_t epochs = 1, finetune_epochs = 1, batch = 32;
  double learning_rate = 3e-3, finetune_rate = 1e-3;  // Adam, cosine decay (learn/training.hpp)
  std::uint32_t seeds = 1;
  double clamp_scale = 4;  // a clamp holds the neuron at this multiple of its peak activation on held-out text
  std::int64_t top_k = 10;  // tokens per neuron in the CSV tables (the concept check reads the top 5)
};

llm_feature_neurons_size llm_feature_neurons_default_size(bool full);
std::vector<row> run_llm_feature_neurons(const options& o, const llm_feature_neurons_size& size);

}  // namespace neurite::repro
