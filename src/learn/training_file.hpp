#pragma once
// Training files: a training run described in TOML (docs/learn.md), with the model, the
// data and its encoding, the optimiser and schedule, threads and seed. Every key is checked; a
// problem is thrown as io::model_error "FILE:LINE: KEY: expected ..., found ...". Overrides are
// "KEY=VALUE" strings with their origins, as for model files ("training.epochs=2").
#include <cstdint>
#include <string>
#include <vector>

#include "io/model_file.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

struct training_run {
  training_config config;
  std::uint32_t train_samples = 0, test_samples = 0;  // the first ones of each split; 0: all
  std::uint32_t checkpoint_every = 1;  // epochs between checkpoints; 0: only at the end (always written then)
  bool keep_checkpoints = false;       // also keep one file per checkpointed epoch
};

// The file's text (io::model_error naming it when it cannot be read): what a checkpoint stores.
std::string read_training_text(const std::string& path);
training_run read_training_file(const std::string& path, const io::override_list& overrides = {});
training_run parse_training(std::string_view text, const std::string& file_name, const io::override_list& overrides = {});

}  // namespace neurite::learn
