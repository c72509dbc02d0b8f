#pragma once
// What a run leaves on disk: spikes in the SONATA layout (HDF5), sampled state, and a JSON
// summary. Every file is written under a temporary name and renamed into place, so a crash
// or Ctrl-C never leaves a truncated file where a complete one was.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/simulation.hpp"

namespace neurite::io {

struct run_timing {
  double build_s = 0, simulate_s = 0;
  bool interrupted = false;
};

// /spikes/<population>/{timestamps [ms], node_ids}, sorted by time (attribute sorting =
// "by_time"); /population_rate/<population>/{times [ms], rate [Hz]} in bins of rate_bin_ms
// (times are bin starts); /state/<name>/{times, node_ids, values} for state recorders.
void write_spikes_h5(const std::string& path, const core::simulation& sim, double rate_bin_ms);

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

// Peak resident memory of this process in MB.
double peak_rss_mb();

}  // namespace neurite::io
