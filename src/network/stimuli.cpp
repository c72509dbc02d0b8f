#include "network/stimuli.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurite::network {
namespace {
// Steps whose start time lies in [start, stop).
core::step_t first_step(double t_ms, double dt_ms) {
  return static_cast<core::step_t>(std::ceil(t_ms / dt_ms - 1e-9));
}
core::step_t last_step(double t_ms, double dt_ms) {
  return std::isinf(t_ms) ? std::numeric_limits<core::step_t>::max() : first_step(t_ms, dt_ms);
}
}  // namespace

poisson_input::poisson_input(std::uint32_t target, std::uint32_t receptor, double rate_hz, std::uint64_t n,
                             double weight, double start_ms, double stop_ms, double dt_ms, std::uint64_t seed,
                             std::uint32_t stream)
    : stimulus(target), receptor_(receptor), weight_(weight), first_(first_step(start_ms, dt_ms)),
      last_(last_step(stop_ms, dt_ms)), seed_(seed), stream_(stream),
      table_(std::min(64.0, static_cast<double>(n) * rate_hz * dt_ms * 1e-3)),
      lambda_(static_cast<double>(n) * rate_hz * dt_ms * 1e-3) {}

void poisson_input::apply(core::index_t begin, core::index_t end, core::step_t step,
                          std::span<core::input_t* const> receptor, double*) {
  if (step < first_ || step >= last_) return;
  core::input_t* in = receptor[receptor_];
  if (lambda_ <= 64) {  // one 32-bit word per neuron and step (lane i % 4 of block i / 4), inverted by table
    constexpr core::index_t chunk = 256;
    std::uint32_t words[chunk], counts[chunk];
    for (core::index_t i0 = begin & ~3u; i0 < end; i0 += chunk) {
      core::philox_group_words(seed_, stream_, static_cast<std::uint64_t>(step), i0 / 4, chunk / 4, words);
      table_.count(words, chunk, counts);
      for (core::index_t i = std::max(i0, begin); i < std::min(i0 + chunk, end); ++i)
        in[i] += static_cast<core::input_t>(weight_ * counts[i - i0]);
    }
  } else {
    for (core::index_t i = begin; i < end; ++i) {
      core::random_stream s(seed_, stream_, i, static_cast<std::uint64_t>(step));
      in[i] += static_cast<core::input_t>(weight_ * s.poisson(lambda_));
    }
  }
}

dc_input::dc_input(std::uint32_t target, double amplitude_pa, double start_ms, double stop_ms, double dt_ms)
    : stimulus(target), amplitude_(amplitude_pa), first_(first_step(start_ms, dt_ms)),
      last_(last_step(stop_ms, dt_ms)) {}

void dc_input::apply(core::index_t begin, core::index_t end, core::step_t step, std::span<core::input_t* const>,
                     double* current) {
  if (step < first_ || step >= last_) return;
  for (core::index_t i = begin; i < end; ++i) current[i] += amplitude_;
}

}  // namespace neurite::network
