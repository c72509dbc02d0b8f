#pragma once
// Spike trains with known statistics for the analysis/ tests, from the test random stream.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "analysis/spike_stats.hpp"
#include "core/rng.hpp"

namespace neurite::test_trains {

// Counts and indices as doubles, for formulas (-Wconversion).
inline double d(std::size_t v) { return static_cast<double>(v); }

inline constexpr std::uint32_t purpose = core::stream_purpose(core::purpose::test, 0);

// A renewal process whose intervals are gamma of order k (k = 1: Poisson) at rate_hz over [0, t_ms).
inline analysis::spike_train gamma_train(double rate_hz, int k, double t_ms, std::uint32_t id) {
  core::random_stream r(1, purpose, id);
  analysis::spike_train train;
  const double mean_isi = 1000.0 / rate_hz;
  for (double t = 0;;) {
    double isi = 0;
    for (int j = 0; j < k; ++j) isi += r.exponential();
    t += isi * mean_isi / k;
    if (t >= t_ms) return train;
    train.push_back(t);
  }
}

// An inhomogeneous Poisson train of rate r0 (1 + m sin(2 pi f t)) by thinning.
inline analysis::spike_train modulated_train(double r0_hz, double m, double f_hz, double t_ms, std::uint32_t id) {
  core::random_stream r(2, purpose, id);
  analysis::spike_train train;
  const double peak = r0_hz * (1 + m) * 1e-3;  // per ms
  for (double t = 0;;) {
    t += r.exponential() / peak;
    if (t >= t_ms) return train;
    const double rate = r0_hz * (1 + m * std::sin(2 * std::numbers::pi * f_hz * t * 1e-3)) * 1e-3;
    if (r.uniform() * peak < rate) train.push_back(t);
  }
}

}  // namespace neurite::test_trains
