// analysis/report: the measures of `neurite analyze` on hand-made populations, and its option checks.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "analysis/report.hpp"

using namespace neurite;

namespace {

// Two neurons firing every 10 ms in step (ids 0 and 1) in a population the file says is huge.
io::population_spikes two_regular_neurons(std::uint64_t size) {
  io::population_spikes p;
  p.name.assign(1, 'E');  // (not = "E": GCC 12 warns falsely, -Wrestrict, at -O3)
  for (int k = 1; k <= 100; ++k)
    for (std::uint64_t id : {0u, 1u}) p.times.push_back(10.0 * k), p.node_ids.push_back(id);
  p.size = p.recorded = size;
  p.size_known = true;
  return p;
}

TEST(analysis_report, regular_synchronous_neurons) {
  const auto r = analysis::analyze_population(two_regular_neurons(2), 1000, {});
  const auto& j = r.json;
  EXPECT_EQ(j["spikes"].get<int>(), 200);  // the spike at t_stop = 1000 ms included
  EXPECT_DOUBLE_EQ(j["rate_hz"].get<double>(), 100.0);
  EXPECT_NEAR(j["cv_isi"]["mean"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(j["lv"]["mean"].get<double>(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(j["sttc"]["mean"].get<double>(), 1.0);
  EXPECT_NEAR(j["sync"]["golomb_chi"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(j["sync"]["kuramoto_r"].get<double>(), 1.0, 1e-12);
  // A pulse train every 10 ms: equal harmonics of 100 Hz, the peak at one of them.
  const double peak = j["spectrum"]["peak_hz"].get<double>();
  EXPECT_GE(peak, 100.0);
  EXPECT_NEAR(std::remainder(peak, 100.0), 0.0, 1e-9) << peak;
  ASSERT_EQ(r.neurons.id.size(), 2u);
}

TEST(analysis_report, a_huge_stated_population_costs_only_its_spikes) {
  analysis::report_options o;
  o.measures = {"rate"};
  const auto r = analysis::analyze_population(two_regular_neurons(std::uint64_t{1} << 40), 1000, o);
  EXPECT_NEAR(r.json["rate_hz"].get<double>(), 200.0 / (std::ldexp(1.0, 40)), 1e-20);
  EXPECT_FALSE(r.json.contains("cv_isi"));
}

TEST(analysis_report, unknown_measures_and_bad_options_are_named) {
  EXPECT_EQ(analysis::parse_measures("cv,rate,cv"), (std::vector<std::string>{"cv", "rate"}));
  try {
    analysis::parse_measures("rate,wobble");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown measure 'wobble'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(analysis::parse_measures(""), std::invalid_argument);
  analysis::report_options o;
  o.bin_ms = 0;
  EXPECT_THROW(analysis::check(o, 1000), std::invalid_argument);
  o.bin_ms = 1e-9;
  EXPECT_THROW(analysis::check(o, 1000), std::invalid_argument);  // 1e12 bins
  o.bin_ms = 1, o.t_start = 1000;
  EXPECT_THROW(analysis::check(o, 1000), std::invalid_argument);
}

}  // namespace
