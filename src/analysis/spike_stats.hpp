#pragma once
// Single-train statistics: rates, irregularity of the intervals (CV, local variation) and the
// variability of counts (Fano factor). Times in ms, rates in Hz. A statistic that a train is too
// short to define is nullopt, never a number made up.
#include <cstdint>
#include <optional>
#include <vector>

namespace neurite::analysis {

using spike_train = std::vector<double>;  // spike times [ms], ascending

// One train per neuron id in [0, n) from a population's (time, id) lists; ids >= n are dropped.
std::vector<spike_train> split_by_neuron(const std::vector<double>& times, const std::vector<std::uint64_t>& ids,
                                         std::size_t n);
// The spikes of one train in [t0, t1).
spike_train window(const spike_train& train, double t0, double t1);

// Spikes per neuron and second over [t0, t1), averaged over the trains given.
double mean_rate_hz(const std::vector<spike_train>& trains, double t0, double t1);

std::vector<double> intervals(const spike_train& train);  // ISIs [ms]
// CV = sd(ISI) / mean(ISI) (population sd); needs 2 intervals. Poisson: 1; gamma of order k: 1/sqrt(k).
std::optional<double> cv_isi(const spike_train& train);
// Shinomoto's local variation LV = 3/(n-1) sum_i ((I_i - I_{i+1}) / (I_i + I_{i+1}))^2 over the n
// intervals; needs 2. Poisson: 1; gamma of order k: 3/(2k+1); insensitive to slow rate changes.
std::optional<double> local_variation(const spike_train& train);

// Spike counts in consecutive bins of `bin` ms from t0 (the last partial bin left out).
std::vector<double> binned_counts(const spike_train& train, double t0, double t1, double bin);
// Var/mean of the counts in windows of `window_ms`; needs 2 windows and a spike. Poisson: 1.
std::optional<double> fano_factor(const spike_train& train, double t0, double t1, double window_ms);

// Mean and count of the values that exist (the population average of a per-neuron statistic).
struct average {
  double mean = 0;
  std::size_t n = 0;
};
average mean_of(const std::vector<std::optional<double>>& values);

}  // namespace neurite::analysis
