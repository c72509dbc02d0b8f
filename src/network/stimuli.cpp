#include "network/stimuli.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/neuron_model.hpp"
#include "network/catalog.hpp"

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

// ---- the types' tables (stimulus registry) ---------------------------------------------------

namespace {
using kind = option_spec::kind;
using core::dimension;

option_spec start_option() {
  return {"start", kind::quantity, dimension::time, false, 0.0, 0, std::numeric_limits<double>::infinity(), "onset"};
}
option_spec stop_option() {
  return {"stop", kind::quantity, dimension::time, false, std::nullopt, 0, std::numeric_limits<double>::infinity(),
          "offset (after start)", "never"};
}

void apply_times(const option_values& v, stimulus_desc& s) {
  s.start = v.number("start");
  if (v.has("stop")) s.stop = v.number("stop");
}

std::optional<option_error> check_times(const stimulus_desc& s) {
  if (s.stop > s.start) return std::nullopt;
  return option_error{"stop", fmt::format("expected a stop time after start ({}), found {}",
                                          core::format_quantity(s.start, dimension::time),
                                          core::format_quantity(s.stop, dimension::time))};
}

const register_stimulus poisson_input_registration{{
    .name = "poisson_input",
    .doc = "independent Poisson spike trains into every neuron of the target (n sources at `rate` each)",
    .options = {{"rate", kind::quantity, dimension::frequency, false, std::nullopt, 0,
                 std::numeric_limits<double>::infinity(), "rate of each source"},
                {"n", kind::integer, dimension::dimensionless, false, 1.0, 1, 4294967295.0, "sources per target neuron"},
                {"weight", kind::quantity, dimension::dimensionless, true, std::nullopt,
                 -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                 "weight of each spike, in the target model's weight unit"},
                start_option(), stop_option()},
    .apply = [](const option_values& v, stimulus_desc& s) {
      s.rate = v.number("rate"), s.n = static_cast<std::uint64_t>(v.number("n")), s.weight = v.number("weight");
      apply_times(v, s);
    },
    .check = check_times,
    .make = [](const stimulus_desc& s, const stimulus_context& c) -> std::unique_ptr<core::stimulus> {
      // Onto a model with two receptors the sign of the weight picks the receptor.
      const std::uint32_t receptor = c.model->receptors.size() >= 2 && s.weight < 0 ? 1 : 0;
      return std::make_unique<poisson_input>(c.target, receptor, s.rate, s.n, s.weight, s.start, s.stop, c.dt, c.seed,
                                             c.stream);
    },
}};

const register_stimulus dc_registration{{
    .name = "dc",
    .doc = "constant current into every neuron of the target",
    .options = {{"amplitude", kind::quantity, dimension::current, false, std::nullopt,
                 -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), "current"},
                start_option(), stop_option()},
    .apply = [](const option_values& v, stimulus_desc& s) { s.amplitude = v.number("amplitude"), apply_times(v, s); },
    .check = check_times,
    .make = [](const stimulus_desc& s, const stimulus_context& c) -> std::unique_ptr<core::stimulus> {
      return std::make_unique<dc_input>(c.target, s.amplitude, s.start, s.stop, c.dt);
    },
}};

}  // namespace

}  // namespace neurite::network
