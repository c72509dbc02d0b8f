#pragma once
// learn/ (LibTorch) is a module that `neurite` loads only when a command needs it: linked into the
// program, LibTorch's ~300 libraries would add ~0.7 s (seconds on a busy machine) to the start of
// every command, `neurite run` included. When the module loads, its static initialisers register
// its reproductions (repro/repro.hpp) and the runners of its commands (below).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/model_file.hpp"

namespace neurite::apps {

// Loads the module once. False when this build has none (LibTorch was not found); false with a
// message on stderr when it fails to load.
bool load_learn_module();

struct train_request {
  std::string config, out;
  io::override_list overrides;  // --set's, then the options that stand for keys (--threads, --seed)
  bool no_plot = false;
  std::uint32_t export_samples = 0;  // > 0: write a model file of the trained network on that many test samples
  std::string resume;  // a checkpoint to continue from (its settings replace config's)
};
// `neurite train`, set by the module: returns the exit code.
std::function<int(const train_request&)>& train_runner();

struct eval_request {
  std::string checkpoint, out;
  std::string data = "test";  // or "train"
  int threads = 0;            // 0: the training file's
};
// `neurite eval`, set by the module: returns the exit code.
std::function<int(const eval_request&)>& eval_runner();

}  // namespace neurite::apps
