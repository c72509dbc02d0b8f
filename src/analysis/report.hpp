#pragma once
// The measures of `neurite analyze` applied to one population of a spikes.h5: what analysis.json
// records for it, with the per-neuron values and the spectrum its plots draw.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/spectrum.hpp"
#include "io/spikes_reader.hpp"

namespace neurite::analysis {

// rate, cv, lv, fano, sttc, spectrum, sync, dimension (docs/analysis.md defines each).
const std::vector<std::string>& known_measures();
// A comma-separated list, each name known (std::invalid_argument naming the first that is not).
std::vector<std::string> parse_measures(const std::string& list);

struct report_options {
  std::vector<std::string> measures = known_measures();
  double t_start = 0;            // [ms] the transient left out; the end is the file's t_stop
  double bin_ms = 1;             // population-rate bins: spectrum, sync
  double window_ms = 100;        // count windows: fano, dimension
  double sttc_dt_ms = 5;         // STTC's coincidence lag
  std::size_t max_neurons = 200; // neurons sampled for the pairwise and covariance measures
};
// Throws std::invalid_argument naming the option that is out of range.
void check(const report_options& o, double t_stop);

struct neuron_values {
  std::vector<std::uint64_t> id;
  std::vector<double> rate_hz, cv, lv, fano;  // NaN where a neuron's train does not define one
};

struct population_report {
  nlohmann::ordered_json json;
  neuron_values neurons;    // the recorded neurons that fired
  power_spectrum spectrum;  // of the population rate, when asked for
};

population_report analyze_population(const io::population_spikes& p, double t_stop, const report_options& o);

}  // namespace neurite::analysis
