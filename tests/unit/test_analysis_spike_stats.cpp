// analysis/spike_stats and correlograms against the closed forms of renewal processes.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/correlograms.hpp"
#include "analysis/spike_stats.hpp"
#include "analysis_trains.hpp"

using namespace neurite;
using analysis::spike_train;

// Standard errors: ~1e4 intervals give CV and LV to about 0.01, so 0.04 is 4 standard errors.
TEST(analysis_spike_stats, poisson_train_has_cv_lv_and_fano_one) {
  const auto train = test_trains::gamma_train(50, 1, 200e3, 1);
  EXPECT_NEAR(analysis::mean_rate_hz({train}, 0, 200e3), 50, 1.5);  // sqrt(1e4) spikes: 1% sd
  EXPECT_NEAR(*analysis::cv_isi(train), 1.0, 0.04);
  EXPECT_NEAR(*analysis::local_variation(train), 1.0, 0.04);
  EXPECT_NEAR(*analysis::fano_factor(train, 0, 200e3, 100), 1.0, 0.1);  // 2000 windows: sd 0.03
}

TEST(analysis_spike_stats, gamma_train_of_order_k_has_cv_one_over_sqrt_k_and_lv_three_over_2k_plus_1) {
  for (const int k : {2, 4, 8}) {
    const auto train = test_trains::gamma_train(20, k, 500e3, 10 + static_cast<std::uint32_t>(k));
    EXPECT_NEAR(*analysis::cv_isi(train), 1 / std::sqrt(k), 0.03) << k;
    EXPECT_NEAR(*analysis::local_variation(train), 3.0 / (2 * k + 1), 0.03) << k;
    // A renewal process's Fano factor tends to CV^2 for windows of many intervals.
    EXPECT_NEAR(*analysis::fano_factor(train, 0, 500e3, 2000), 1.0 / k, 0.1 / k + 0.03) << k;
  }
}

TEST(analysis_spike_stats, short_trains_have_no_statistic) {
  EXPECT_FALSE(analysis::cv_isi({1.0, 2.0}).has_value());
  EXPECT_FALSE(analysis::local_variation({1.0, 5.0}).has_value());
  EXPECT_FALSE(analysis::fano_factor({}, 0, 1000, 100).has_value());
  EXPECT_TRUE(analysis::cv_isi({1.0, 2.0, 3.0}).has_value());
  EXPECT_DOUBLE_EQ(*analysis::cv_isi({1.0, 2.0, 3.0}), 0.0);  // regular: CV 0
  const auto avg = analysis::mean_of({std::nullopt, 1.0, 3.0});
  EXPECT_EQ(avg.n, 2u);
  EXPECT_DOUBLE_EQ(avg.mean, 2.0);
}

TEST(analysis_spike_stats, split_by_neuron_and_binned_counts) {
  const auto trains = analysis::split_by_neuron({1, 2, 3, 4}, {1, 0, 1, 7}, 2);
  ASSERT_EQ(trains.size(), 2u);
  EXPECT_EQ(trains[0], (spike_train{2}));
  EXPECT_EQ(trains[1], (spike_train{1, 3}));
  EXPECT_EQ(analysis::binned_counts({0.5, 1.5, 1.7, 9.9}, 0, 10, 2), (std::vector<double>{3, 0, 0, 0, 1}));
  EXPECT_EQ(analysis::window({1, 2, 3, 4}, 2, 4), (spike_train{2, 3}));
}

TEST(analysis_correlograms, a_shifted_copy_peaks_at_its_shift) {
  spike_train a, b;
  for (int k = 0; k < 100; ++k) a.push_back(20.0 * k), b.push_back(20.0 * k + 3);
  const auto c = analysis::cross_correlogram(a, b, 1, 10);
  ASSERT_EQ(c.lag_ms.size(), 21u);
  EXPECT_DOUBLE_EQ(c.lag_ms[10], 0.0);
  for (std::size_t k = 0; k < c.count.size(); ++k) EXPECT_DOUBLE_EQ(c.count[k], k == 13 ? 100.0 : 0.0) << k;
  // Autocorrelogram of the regular train: nothing within +-10 ms once the self pairs are out.
  const auto auto_c = analysis::cross_correlogram(a, a, 1, 10, true);
  for (const double n : auto_c.count) EXPECT_DOUBLE_EQ(n, 0.0);
}

TEST(analysis_correlograms, independent_poisson_trains_are_flat_at_na_nb_bin_over_t) {
  const double t = 100e3;
  const auto a = test_trains::gamma_train(20, 1, t, 3), b = test_trains::gamma_train(30, 1, t, 4);
  const auto c = analysis::cross_correlogram(a, b, 2, 50);
  double total = 0;
  for (const double n : c.count) total += n;
  const double expected = static_cast<double>(a.size() * b.size()) * 2 / t;  // per bin
  // 51 bins of ~120 pairs each: the total is Poisson-like, sd ~ sqrt(6000) = 1.3%.
  EXPECT_NEAR(total / static_cast<double>(c.count.size()), expected, 0.05 * expected);
}
