// analysis/synchrony and dimension against their closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analysis/dimension.hpp"
#include "analysis/synchrony.hpp"
#include "analysis_trains.hpp"

using namespace neurite;
using analysis::spike_train;
using test_trains::d;
constexpr double two_pi = 2 * std::numbers::pi;

TEST(analysis_synchrony, plv_under_gaussian_phase_noise_is_exp_minus_sigma_squared_over_2) {
  for (const double sigma : {0.3, 0.8, 1.5}) {
    core::random_stream r(1, test_trains::purpose, 200);
    std::vector<double> a(20000), b(20000);
    for (std::size_t k = 0; k < a.size(); ++k) a[k] = 0.01 * d(k), b[k] = a[k] + 1.0 + sigma * r.normal();
    // sd of the mean of cos over 2e4 samples < 0.005
    EXPECT_NEAR(analysis::phase_locking_value(a, b), std::exp(-sigma * sigma / 2), 0.02) << sigma;
  }
}

TEST(analysis_synchrony, kuramoto_order_is_one_in_phase_and_zero_for_evenly_spread_phases) {
  EXPECT_NEAR(std::abs(analysis::order_parameter({0.3, 0.3, 0.3})), 1.0, 1e-15);
  std::vector<double> spread;
  for (int k = 0; k < 12; ++k) spread.push_back(two_pi * k / 12);
  EXPECT_NEAR(std::abs(analysis::order_parameter(spread)), 0.0, 1e-12);
  // Spike trains: three regular trains in step have R = 1; two in antiphase R = 0.
  std::vector<double> times;
  for (int k = 0; k < 100; ++k) times.push_back(5.0 + k);
  spike_train a, b;
  for (int k = 0; k < 20; ++k) a.push_back(10.0 * k), b.push_back(10.0 * k + 5);
  const auto sync = analysis::kuramoto_order(
      {analysis::spike_phase(a, times), analysis::spike_phase(a, times), analysis::spike_phase(a, times)});
  EXPECT_NEAR(sync.mean, 1.0, 1e-12);
  const auto anti = analysis::kuramoto_order({analysis::spike_phase(a, times), analysis::spike_phase(b, times)});
  EXPECT_NEAR(anti.mean, 0.0, 1e-9);
}

TEST(analysis_synchrony, spike_phase_interpolates_between_spikes) {
  const auto p = analysis::spike_phase({10, 20, 40}, {5, 10, 15, 30, 40, 50});
  EXPECT_TRUE(std::isnan(p[0]));
  EXPECT_DOUBLE_EQ(p[1], 0.0);
  EXPECT_DOUBLE_EQ(p[2], std::numbers::pi);
  EXPECT_DOUBLE_EQ(p[3], 3 * std::numbers::pi);
  EXPECT_TRUE(std::isnan(p[4]) && std::isnan(p[5]));
}

// The ideal envelope's MI from exact bin averages, and from a densely sampled envelope (each
// bin's sample mean converging to its exact average).
TEST(analysis_synchrony, tort_mi_of_the_ideal_envelope) {
  EXPECT_NEAR(analysis::tort_ideal_envelope_mi(0), 0.104580, 5e-7);
  EXPECT_NEAR(analysis::tort_ideal_envelope_mi(1), 0.0, 1e-15);
  double last = 1;
  for (const double chi : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const double mi = analysis::tort_ideal_envelope_mi(chi);
    EXPECT_LT(mi, last);
    last = mi;
    std::vector<double> phase, amp;
    for (int k = 0; k < 180000; ++k) {
      const double phi = -std::numbers::pi + two_pi * (k + 0.5) / 180000;
      phase.push_back(phi), amp.push_back(0.5 * ((1 - chi) * std::sin(phi) + 1 + chi));
    }
    EXPECT_NEAR(analysis::tort_modulation_index(phase, amp), mi, 1e-6) << chi;
  }
}

TEST(analysis_synchrony, spike_field_coherence_is_one_for_locked_spikes_and_small_for_random_ones) {
  const double fs = 1000;
  std::vector<double> x(10000);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = std::sin(two_pi * 20 * d(k) / fs);
  spike_train locked;
  for (int k = 2; k < 190; ++k) locked.push_back(50.0 * k + 12);  // one phase of the sine
  const auto c = analysis::spike_field_coherence(locked, x, fs, 0, 200);
  ASSERT_EQ(c.frequency_hz[4], 20.0);
  EXPECT_NEAR(c.sfc[4], 1.0, 1e-9);
  const auto poisson = test_trains::gamma_train(20, 1, 10e3, 300);
  const auto r = analysis::spike_field_coherence(poisson, x, fs, 0, 200);
  EXPECT_GT(r.spikes, 150u);
  EXPECT_LT(r.sfc[4], 5.0 / static_cast<double>(r.spikes));  // expectation 1/spikes
}

TEST(analysis_synchrony, sttc_is_one_for_identical_trains_and_near_zero_for_independent_ones) {
  const auto a = test_trains::gamma_train(10, 1, 100e3, 400), b = test_trains::gamma_train(10, 1, 100e3, 401);
  EXPECT_DOUBLE_EQ(*analysis::sttc(a, a, 5, 0, 100e3), 1.0);
  EXPECT_NEAR(*analysis::sttc(a, b, 5, 0, 100e3), 0.0, 0.05);  // 1000 spikes: sd ~0.03
  EXPECT_FALSE(analysis::sttc(a, {}, 5, 0, 100e3).has_value());
}

TEST(analysis_synchrony, golomb_chi_is_one_for_identical_signals_and_one_over_n_for_independent_ones) {
  core::random_stream r(1, test_trains::purpose, 500);
  std::vector<double> shared(5000);
  for (auto& v : shared) v = r.normal();
  EXPECT_NEAR(analysis::golomb_synchrony({shared, shared, shared}), 1.0, 1e-12);
  std::vector<std::vector<double>> independent(20, std::vector<double>(5000));
  for (auto& unit : independent)
    for (auto& v : unit) v = r.normal();
  EXPECT_NEAR(analysis::golomb_synchrony(independent), 1.0 / 20, 0.01);
}

TEST(analysis_dimension, participation_ratio_of_independent_and_shared_units) {
  core::random_stream r(1, test_trains::purpose, 600);
  std::vector<std::vector<double>> independent(10, std::vector<double>(20000));
  for (auto& unit : independent)
    for (auto& v : unit) v = r.normal();
  EXPECT_NEAR(analysis::participation_ratio(independent), 10.0, 0.2);  // bias ~N^2/T = 0.005 N
  std::vector<std::vector<double>> shared(10, std::vector<double>(300));
  for (std::size_t s = 0; s < 300; ++s) {
    const double v = r.normal();
    for (std::size_t i = 0; i < 10; ++i) shared[i][s] = (1.0 + d(i)) * v + 3;
  }
  EXPECT_NEAR(analysis::participation_ratio(shared), 1.0, 1e-9);
}

// More units than samples takes the other Gram matrix; both against the covariance summed directly.
TEST(analysis_dimension, participation_ratio_matches_the_covariance_computed_directly) {
  core::random_stream r(1, test_trains::purpose, 700);
  for (const std::size_t n : {5u, 40u}) {
    const std::size_t t = 12;
    std::vector<std::vector<double>> x(n, std::vector<double>(t));
    for (auto& unit : x)
      for (auto& v : unit) v = r.normal() + r.uniform();
    std::vector<double> mean(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (const double v : x[i]) mean[i] += v / d(t);
    double trace = 0, sum_sq = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double c = 0;
        for (std::size_t s = 0; s < t; ++s) c += (x[i][s] - mean[i]) * (x[j][s] - mean[j]) / d(t);
        sum_sq += c * c;
        if (i == j) trace += c;
      }
    EXPECT_NEAR(analysis::participation_ratio(x), trace * trace / sum_sq, 1e-9) << n;
  }
}
