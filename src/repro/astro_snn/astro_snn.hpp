#pragma once
// `neurite repro astro-snn`: astrocyte-modulated spiking units (Shen et al. 2023, paper 15), in
// our formulation (learn/astro_rnn.hpp, docs/astro_snn.md): the paper's equations and numbers were
// not found, so the rows compare orderings. (a) A character-level language model on the English
// text of Debian's fortunes-min, bits per character of the astrocyte-modulated spiking RNN, a
// plain spiking RNN and an LSTM of equal parameter count. (b) Delayed recall of a cue across
// growing stretches of distractors, the same three models at equal parameter count. CSV files:
// lm.csv (model, parameters, test bits per character, spikes per neuron per step), recall.csv
// (delay, model, parameters, test accuracy), astro_tau.csv (the trained astrocyte time constants).
#include <cstdint>
#include <string>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct astro_snn_size {
  // (a) language model
  std::vector<std::string> text_files;
  std::size_t text_chars = 0;     // the first ones of the text (0: all); the last 10% are the test set
  std::uint32_t lm_steps = 64;    // characters per training window
  std::int64_t lm_hidden = 128, lm_astrocytes = 32;
  std::uint32_t lm_epochs = 20;
  double lm_rate = 3e-3;
  // (b) delayed recall
  std::vector<std::uint32_t> delays{10, 40, 100};
  std::uint32_t recall_train = 2000, recall_test = 500, recall_epochs = 10;
  std::int64_t recall_hidden = 32, recall_astrocytes = 8;
  double recall_rate = 3e-3;
  std::uint32_t batch = 32;
};

astro_snn_size astro_snn_default_size(bool full);
std::vector<row> run_astro_snn(const options& o, const astro_snn_size& size);

}  // namespace neurite::repro
