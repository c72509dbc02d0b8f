// The shared parts of `neurite repro`: printed-value comparison, verdicts, thread choice.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "repro/repro.hpp"

namespace neurite::repro {
namespace {

TEST(repro, a_printed_value_matches_within_half_its_last_digit) {
  EXPECT_EQ(compare_printed(0.9922, 4, 0.99224), verdict::match);
  EXPECT_EQ(compare_printed(0.9922, 4, 0.99215), verdict::match);
  EXPECT_EQ(compare_printed(0.9922, 4, 0.99226), verdict::miss);
  EXPECT_EQ(compare_printed(76.4, 3, 76.2), verdict::miss);
  EXPECT_EQ(compare_printed(-1.5, 2, -1.54), verdict::match);
}

TEST(repro, one_miss_fails_the_reproduction) {
  std::vector<row> rows{{"a", "1", "1", verdict::match}, {"b", "-", "2", verdict::not_applicable}};
  EXPECT_TRUE(passed(rows));
  rows.push_back({"c", "3", "4", verdict::miss});
  EXPECT_FALSE(passed(rows));
  EXPECT_EQ(result_json("x", rows)["rows"][2]["verdict"], "miss");
}

TEST(repro, threads_default_to_one_per_core) {
  options o;
  EXPECT_EQ(training_threads(o), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  o.threads = 3;
  EXPECT_EQ(training_threads(o), 3);
}

}  // namespace
}  // namespace neurite::repro
