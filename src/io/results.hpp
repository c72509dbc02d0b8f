#pragma once
// What a run leaves on disk: spikes in the SONATA layout (HDF5), sampled state, and a JSON
// summary. Every file is written under a temporary name and renamed into place, so a crash
// or Ctrl-C never leaves a truncated file where a complete one was.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/simulation.hpp"

namespace neurite::io {

struct run_timing {
  double build_s = 0, simulate_s = 0;
  bool interrupted = false;
};

// spikes.h5: /spikes/<population>/{timestamps [ms], node_ids}, sorted by time (attribute
// sorting = by_time, an HDF5 enum; attributes population_size and recorded_neurons, numbers, since
// a silent neuron leaves no row); the root's attribute t_stop [ms] is the run's end (written by
// finish()); /population_rate/<population>/{times [ms], rate [Hz]} in the
// simulation's rate bins (times are bin starts); /state/<population>_<variable>_<k>/{times,
// node_ids, values} for state recorders; /weights/<projection>_<k>/{times, source_ids,
// target_ids, values (with units)} for weight recorders.
//
// Written while the network runs: the kernel drains its recorders into append() (as
// core::run_options::drain), which grows chunked datasets in PATH.part; finish() adds the rate
// bin still filling and renames PATH.part to PATH. Memory stays bounded by the drain size.
// Covers the recorders that exist when it is created. Destroyed unfinished (an error), it
// removes PATH.part only where this process created it and no checkpoint names its rows (see
// keep() and kept_at()); a file already at PATH stays as it was.
class spike_file {
 public:
  spike_file(std::string path, const core::simulation& sim);
  ~spike_file();
  spike_file(const spike_file&) = delete;
  spike_file& operator=(const spike_file&) = delete;

  void append(const core::simulation& sim);
  void finish(const core::simulation& sim);
  // Rows of every dataset that grows, by path in the file, e.g. "spikes/E/node_ids".
  std::vector<std::pair<std::string, std::uint64_t>> rows() const;
  // Makes the rows appended so far durable (for a checkpoint that names them).
  void flush();
  // A checkpoint now names rows of PATH.part: it stays if the run fails from here on.
  void keep();
  // Where the data written so far stays if this file is destroyed unfinished now: PATH.part
  // when a checkpoint names it or it is a killed run's adopted by resume(), else "" (removed).
  std::string kept_at() const;

  // For a resumed run: PATH (or, where a run was killed, PATH.part) copied to PATH.part, every
  // dataset cut back to the rows given, to be appended to.
  static std::unique_ptr<spike_file> resume(std::string path, const core::simulation& sim,
                                            const std::vector<std::pair<std::string, std::uint64_t>>& rows);

 private:
  struct impl;
  explicit spike_file(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

// The whole file at once, from what the recorders hold (for runs without a drain).
void write_spikes_h5(const std::string& path, const core::simulation& sim);

// Rate, spike count and mean ISI coefficient of variation per population; synapses; timing.
// Populations and projections are in the model file's order (an ordered object, not sorted).
nlohmann::ordered_json summarize(const core::simulation& sim, const run_timing& timing);

// Where a result came from, as summary.json and train's metrics.json record it: neurite's
// version, the input file (under file_key: "model", "config"), the KEY=VALUE overrides applied
// to it (--set's and those of options such as --seed) and the command line.
nlohmann::ordered_json provenance(const std::string& file_key, const std::string& file,
                                  const std::vector<std::string>& overrides, const std::vector<std::string>& command_line);

// Writes text to path atomically (temporary file + rename).
void write_text_file(const std::string& path, const std::string& text);

// Renames a whole, closed temporary file into place durably: the file's data reaches the disk
// before the rename and the rename before it returns, so after a crash PATH is the old file or
// the whole new one, never a damaged one.
void durable_rename(const std::string& tmp, const std::string& path);

// Peak resident memory of this process in MB.
double peak_rss_mb();

}  // namespace neurite::io
