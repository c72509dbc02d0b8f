#pragma once
// checkpoint.h5: the state of a `neurite run` between two intervals, from which the run goes on
// bit-identically with any number of threads (docs/checkpoint.md). It holds the model file's
// text with the overrides and their hash, the neurite version, the step, the planned end, the
// rows already in spikes.h5, and the named state arrays the kernel and the models list
// (core/state.hpp). Written atomically; read with every size and name checked, so that a
// truncated, corrupt, foreign or mismatched file is an error naming the file and the problem.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/simulation.hpp"

namespace neurite::io {

// Its message starts with the checkpoint's path.
struct checkpoint_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct state_array {
  enum class kind : std::uint8_t { real, single, integer };
  std::string name;
  kind type = kind::real;
  std::vector<double> reals;
  std::vector<float> singles;
  std::vector<std::int64_t> integers;
};

struct checkpoint {
  std::string neurite_version;
  std::string model_file, model_text;  // the model file's absolute path and its text
  std::vector<std::string> overrides;
  std::string model_hash;              // of text and overrides (model_hash())
  std::int64_t step = 0;               // the state is that before this step
  std::int64_t end_step = 0;           // where the run was to stop
  std::int64_t checkpoint_every = 0;   // [steps] 0: only on a signal
  std::vector<std::pair<std::string, std::uint64_t>> output_rows;  // of spikes.h5's growing datasets
  std::vector<state_array> arrays;
};

// This build's version, written into checkpoints and compared on reading.
std::string neurite_version();
// 16 hex digits (FNV-1a, 64 bits) of the model text and the overrides.
std::string model_hash(const std::string& text, const std::vector<std::string>& overrides);

// The state arrays of a simulation between runs.
std::vector<state_array> capture_state(core::simulation& sim);
// Restores them into a simulation built from the checkpoint's model; throws checkpoint_error
// (naming `path`) when they do not fit it.
void restore_state(const checkpoint& c, core::simulation& sim, const std::string& path);

void write_checkpoint(const std::string& path, const checkpoint& c);
// Writes the header (the first 512 bytes, an HDF5 user block) naming the checksum and length of
// the rest of the file; write_checkpoint calls it, read_checkpoint checks it before HDF5 reads.
void seal_checkpoint(const std::string& path);
// Reads and checks a checkpoint file (format, version, hash, sizes): the entry point for
// fuzzing. Throws checkpoint_error "PATH: what is wrong".
checkpoint read_checkpoint(const std::string& path);

}  // namespace neurite::io
