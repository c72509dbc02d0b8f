#pragma once
// Stimulus devices that feed a population directly, per neuron (no synapse storage).
#include <cstdint>
#include <memory>

#include "core/rng.hpp"
#include "core/stimulus.hpp"

namespace neurite::network {

// Each target neuron receives its own Poisson spike train of n sources at `rate` each (like
// Brian2's PoissonInput): per step a Poisson count with mean n rate dt, times `weight`.
class poisson_input final : public core::stimulus {
 public:
  poisson_input(std::uint32_t target, std::uint32_t receptor, double rate_hz, std::uint64_t n, double weight,
                double start_ms, double stop_ms, double dt_ms, std::uint64_t seed, std::uint32_t stream);
  void apply(core::index_t begin, core::index_t end, core::step_t step, std::span<core::input_t* const> receptor,
             double* current) override;

 private:
  std::uint32_t receptor_;
  double weight_;
  core::step_t first_, last_;  // active for steps in [first_, last_)
  std::uint64_t seed_;
  std::uint32_t stream_;
  core::poisson_table table_;  // counts per step, mean n rate dt
  double lambda_;
};

// A constant current between start and stop.
class dc_input final : public core::stimulus {
 public:
  dc_input(std::uint32_t target, double amplitude_pa, double start_ms, double stop_ms, double dt_ms);
  void apply(core::index_t begin, core::index_t end, core::step_t step, std::span<core::input_t* const> receptor,
             double* current) override;

 private:
  double amplitude_;
  core::step_t first_, last_;
};

}  // namespace neurite::network
