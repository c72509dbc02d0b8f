#pragma once
// Checkpoints of a training run: everything needed to continue it bit for bit or to evaluate it
// later. The model is rebuilt from its kind and the training file (text and overrides, stored
// whole), then given the stored parameters; the run continues from training_state. The file is a
// LibTorch archive (a zip, docs/learn.md lists its entries), written to FILE.tmp and renamed, so a
// crash mid-write leaves the previous checkpoint whole.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

struct checkpoint {
  std::string model_kind = "lif_network";    // how to rebuild the model from the settings
  std::string settings_file, settings_text;  // the training file's name and its text as read
  std::vector<std::string> overrides;        // KEY=VALUE applied to it
  std::uint64_t seed = 0;
  std::uint32_t epochs = 0;  // the run's total; state.epochs holds those done
  training_state state;
  std::vector<at::Tensor> parameters;  // classifier_model::parameters(), in order
};

// A checkpoint that cannot be read: the message names the file and what is wrong with it.
class checkpoint_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

checkpoint make_checkpoint(const classifier_model& model, const training_state& state);
void write_checkpoint(const std::string& path, const checkpoint& c);
checkpoint read_checkpoint(const std::string& path);
// Copies stored parameters into the model; their number and shapes must match (else
// checkpoint_error naming `path`).
void load_parameters(const classifier_model& model, const std::vector<at::Tensor>& parameters, const std::string& path);

}  // namespace neurite::learn
