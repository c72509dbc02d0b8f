#pragma once
// `neurite repro dynamics-measures`: the synchrony and oscillation measures of analysis/ against
// the closed forms that paper 13 (Monaco, Rajan & Hwang 2021, a perspective) points to, and on
// neurite's own Brunel (2000) network in four states of its phase diagram. Rows: the Kuramoto
// order parameter of Lorentzian oscillators against sqrt(1 - 2 gamma / K); the PLV of phases with
// Gaussian jitter against exp(-sigma^2 / 2); Tort's modulation index of a phase-amplitude coupled
// signal against its ideal envelope, falling with the coupling noise chi; the SR, AI, SI-fast and
// SI-slow states told apart by CV, synchrony and the population-rate spectrum as Brunel describes
// them; the same spikes on 1 and 2 threads. docs/dynamics_measures.md.
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct dynamics_size {
  std::uint32_t oscillators = 2000;  // Kuramoto: N, integrated by RK4 with dt over [0, t_end]
  double kuramoto_dt = 0.01, kuramoto_t_end = 200, kuramoto_t_discard = 100;
  std::uint32_t plv_trials = 2000;   // PLV: trials per sigma
  double pac_seconds = 10;           // Tort MI: signal length
  std::uint32_t n_e = 10000, c_e = 1000;  // Brunel: N_I = n_e / 4, C_I = c_e / 4, J C_E = 100 mV
  double duration_ms = 1000, transient_ms = 200;
  std::uint32_t seeds = 1;           // Brunel runs per state (seed, seed + 1, ...)
  bool thread_check = true;          // the AI state again on the other thread count
};

dynamics_size dynamics_default_size(bool full);
std::vector<row> run_dynamics_measures(const options& o, const dynamics_size& size);

}  // namespace neurite::repro
