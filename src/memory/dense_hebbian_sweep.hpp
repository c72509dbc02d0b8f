#pragma once
// The zero-temperature, low-load retrieval overlap over a sweep of the dataset entropy rho,
// against the paper's large-M law m = erf(1/sqrt(2 rho)) and the exact majority-vote value: the
// rows a repro can print or write as CSV.
#include <cstdint>
#include <string>
#include <vector>

namespace neurite::memory {

struct rho_sweep_params {
  double r = 0.2;                                     // example quality; M is chosen per rho
  std::vector<double> rho = {0.1, 0.25, 0.5, 1.0, 2.0};  // the [D] table of the paper's section
  std::uint32_t n = 20000, k = 3;                      // neurons, archetypes (low load)
  unsigned p = 4;                                      // interaction order
  std::uint64_t seed = 1;
};

struct rho_sweep_row {
  std::string quantity;  // "m(T=0), rho=..., r=..., M=..."
  double rho = 0;        // the dataset entropy of the (r, M) actually used
  double paper = 0;      // erf(1/sqrt(2 rho)) at the requested rho (the paper's large-M law)
  double theory = 0;     // the exact majority-vote overlap for (r, M)
  double ours = 0;       // m measured after T = 0 relaxation from each archetype, averaged over K
};

// For each requested rho, M is (1 - r^2) / (rho r^2) rounded, plus one when even (so that
// sign(eta_bar) is never 0); the rho actually used therefore differs slightly from the requested one.
std::vector<rho_sweep_row> zero_temperature_rho_sweep(const rho_sweep_params& p);

}  // namespace neurite::memory
