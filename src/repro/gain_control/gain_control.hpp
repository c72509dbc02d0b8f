#pragma once
// `neurite repro gain-control`: adaptive coding efficiency through recurrent gain control (Duong,
// Bredenberg, Heeger & Simoncelli 2023, paper 3), a reconstruction (analysis/gain_control.hpp,
// docs/gain_control.md). Gains optimal for a uniform orientation ensemble ("unadapted") and for a
// biased one, the adapter at 0 deg over-represented as in Benucci, Saleem & Carandini 2013
// ("adapted"). Rows: the paper's four ordering claims in the rate model (gains fall near the
// adapter, homeostasis, repulsion, decorrelation) and the same four measured from the spikes of
// a LIF network run by the kernel whose input weights are the gains times the drive's and the
// recurrent weights' (network/, iaf_psc_exp); the W = 0 limit, the time-domain solver, the
// variants, and 1 vs 2 threads. CSV files: gains.csv, tuning.csv, correlations.csv,
// variants.csv, spikes.csv.
#include <cstdint>

#include "repro/repro.hpp"

namespace neurite::repro {

struct gain_size {
  std::uint32_t neurons = 32, orientations = 32;  // rate model and spiking network alike
  double p_adapter = 0.5;                         // probability of the adapter orientation (0 deg)
  // Spiking: presentations drawn from the biased ensemble, each settle_ms (not counted) + count_ms.
  std::uint32_t presentations = 3000;
  double settle_ms = 20, count_ms = 80;
  bool thread_check = true;  // the adapted run again on 2 threads (first `check_presentations`)
  std::uint32_t check_presentations = 300;
};

gain_size gain_default_size(bool full);
std::vector<row> run_gain_control(const options& o, const gain_size& size);

}  // namespace neurite::repro
