#pragma once
// Synchrony and oscillation measures: phase locking (PLV), the Kuramoto order parameter,
// phase-amplitude coupling (Tort's modulation index), spike-field coherence, the spike time
// tiling coefficient and Golomb's population synchrony. Phases in radians, times in ms.
#include <optional>
#include <vector>

#include "analysis/spectrum.hpp"
#include "analysis/spike_stats.hpp"

namespace neurite::analysis {

// |mean_t exp(i (a_t - b_t))| (Lachaux 1999) over the samples (or trials) given: 1 for a fixed
// phase difference, exp(-sigma^2 / 2) for a Gaussian one of variance sigma^2, ~0 for independent.
double phase_locking_value(const std::vector<double>& phase_a, const std::vector<double>& phase_b);

// R e^{i psi} = (1/N) sum_j exp(i theta_j) of one snapshot of N phases.
complex order_parameter(const std::vector<double>& phases);
// R(t) of units whose phases are phases[unit][t] (NaN: the unit has no phase then and is left
// out at that sample), and its mean over the samples where at least two units have one.
struct order_series {
  std::vector<double> r;
  double mean = 0;
};
order_series kuramoto_order(const std::vector<std::vector<double>>& phases);

// The phase of a spike train at each sample time: 2 pi k + 2 pi (t - t_k) / (t_{k+1} - t_k)
// between its k-th and next spike, NaN before the first and after the last.
std::vector<double> spike_phase(const spike_train& train, const std::vector<double>& times);

// Tort et al. (2010): the phase range (-pi, pi] in n_bins bins, P_j the mean amplitude in bin j
// normalised to sum 1, MI = (log n_bins - H(P)) / log n_bins. 0 for no coupling. Samples whose phase
// or amplitude is not finite are left out.
double tort_modulation_index(const std::vector<double>& phase, const std::vector<double>& amplitude, int n_bins = 18);
// The MI of the ideal envelope A(phi) = ((1 - chi) sin(phi) + 1 + chi) / 2 (Tort's synthetic
// coupling; chi = 0 full, 1 none) from its exact bin averages: 0.10458 for chi = 0, 18 bins.
double tort_ideal_envelope_mi(double chi, int n_bins = 18);

// Spike-field coherence (Fries et al. 2001) of the field x (sampled at fs_hz from t0_ms) around a
// train's spikes: segments of `window` samples centred on each spike, SFC(f) = |mean_k X_k(f)|^2 /
// mean_k |X_k(f)|^2 (the spike-triggered average's power over the segments' mean power), in [0, 1]:
// 1 where every spike sees the same phase, ~1/spikes for spikes independent of the field.
struct coherence_spectrum {
  std::vector<double> frequency_hz, sfc;
  std::size_t spikes = 0;  // segments that fit inside the field
};
coherence_spectrum spike_field_coherence(const spike_train& train, const std::vector<double>& x, double fs_hz,
                                         double t0_ms, std::size_t window);

// Spike time tiling coefficient (Cutts & Eglen 2014) at lag dt over [t0, t1):
// (1/2) [(P_A - T_B) / (1 - P_A T_B) + (P_B - T_A) / (1 - P_B T_A)], T_A the fraction of time within
// dt of a spike of A, P_A the fraction of A's spikes within dt of one of B. 1 for identical trains,
// ~0 for independent ones; nullopt when a train is empty.
std::optional<double> sttc(const spike_train& a, const spike_train& b, double dt, double t0, double t1);

// Golomb's chi^2 = Var_t(mean_i x_i(t)) / mean_i Var_t(x_i(t)) of signals x[unit][t] (e.g. binned
// counts): 1 for identical signals, ~1/N for N independent ones.
double golomb_synchrony(const std::vector<std::vector<double>>& x);

}  // namespace neurite::analysis
