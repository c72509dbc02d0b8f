// analysis/spectrum: the FFT against a direct DFT, the analytic signal of a sine, the band-pass,
// and Welch's density of white noise and of a sinusoidally modulated population rate.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analysis/spectrum.hpp"
#include "analysis_trains.hpp"

using namespace neurite;
using analysis::complex;
using test_trains::d;
constexpr double two_pi = 2 * std::numbers::pi;

TEST(analysis_spectrum, fft_matches_a_direct_dft_for_any_length) {
  for (const std::size_t n : {1u, 2u, 8u, 12u, 17u, 100u}) {
    std::vector<complex> x(n);
    for (std::size_t k = 0; k < n; ++k) x[k] = {std::sin(0.7 * d(k)) + 0.1 * d(k), std::cos(1.3 * d(k * k))};
    auto y = x;
    analysis::fft(y);
    for (std::size_t f = 0; f < n; ++f) {
      complex direct = 0;
      for (std::size_t k = 0; k < n; ++k) direct += x[k] * std::polar(1.0, -two_pi * d(f * k) / d(n));
      EXPECT_NEAR(std::abs(y[f] - direct), 0.0, 1e-9 * d(n)) << n << " " << f;
    }
    analysis::fft(y, true);
    for (std::size_t k = 0; k < n; ++k) EXPECT_NEAR(std::abs(y[k] / double(n) - x[k]), 0.0, 1e-12 * d(n));
  }
}

TEST(analysis_spectrum, analytic_signal_of_a_cosine_is_a_complex_exponential) {
  const std::size_t n = 1000;  // not a power of two: the Bluestein path
  std::vector<double> x(n);
  for (std::size_t k = 0; k < n; ++k) x[k] = 3 * std::cos(two_pi * 7 * d(k) / d(n) + 0.4);
  const auto z = analysis::analytic_signal(x);
  const auto phase = analysis::phase_of(z), amp = analysis::amplitude_of(z);
  for (std::size_t k = 0; k < n; ++k) {
    EXPECT_NEAR(amp[k], 3.0, 1e-9);
    EXPECT_NEAR(std::remainder(phase[k] - (two_pi * 7 * d(k) / d(n) + 0.4), two_pi), 0.0, 1e-9);
  }
}

TEST(analysis_spectrum, band_pass_keeps_the_band_and_removes_the_rest) {
  const double fs = 1000;
  std::vector<double> x(2000), low(2000);
  for (std::size_t k = 0; k < x.size(); ++k) {
    low[k] = std::sin(two_pi * 10 * d(k) / fs);
    x[k] = low[k] + 0.5 * std::sin(two_pi * 120 * d(k) / fs) + 2;
  }
  const auto y = analysis::band_pass(x, fs, 5, 20);
  for (std::size_t k = 0; k < x.size(); ++k) EXPECT_NEAR(y[k], low[k], 1e-9);
}

TEST(analysis_spectrum, welch_of_white_noise_is_flat_at_twice_the_variance_over_fs) {
  core::random_stream r(1, test_trains::purpose, 50);
  std::vector<double> x(1 << 16);
  for (auto& v : x) v = 2 * r.normal();
  const auto s = analysis::welch(x, 1000, 256);
  ASSERT_EQ(s.power.size(), 129u);
  EXPECT_DOUBLE_EQ(s.frequency_hz[1], 1000.0 / 256);
  double mean = 0;
  for (std::size_t k = 1; k + 1 < s.power.size(); ++k) mean += s.power[k] / 127;
  EXPECT_NEAR(mean, 2 * 4.0 / 1000, 0.03 * 8e-3);  // one-sided density 2 sigma^2 / fs; ~500 segments
  EXPECT_LT(analysis::peak(s, 1, 499).relative, 1.5);
}

// The population rate of 200 neurons firing at 10 (1 + 0.5 sin(2 pi 40 t)) Hz peaks at 40 Hz.
TEST(analysis_spectrum, a_sinusoidally_modulated_rate_peaks_at_its_frequency) {
  const double t = 20e3;
  std::vector<double> rate(static_cast<std::size_t>(t), 0.0);  // 1 ms bins
  for (std::uint32_t i = 0; i < 200; ++i)
    for (const double s : test_trains::modulated_train(10, 0.5, 40, t, 100 + i)) rate[static_cast<std::size_t>(s)] += 1;
  const auto p = analysis::peak(analysis::welch(rate, 1000, 1000), 2, 499);
  EXPECT_DOUBLE_EQ(p.frequency_hz, 40.0);
  EXPECT_GT(p.relative, 20.0);
}
