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
  EXPECT_EQ(failure_reason(rows), "a row is a miss");
  EXPECT_EQ(result_json("x", rows)["rows"][2]["verdict"], "miss");
}

TEST(repro, rows_all_na_or_all_our_own_criteria_do_not_pass) {
  std::vector<row> rows{{"a", "-", "1", verdict::not_applicable}, {"b", "-", "2", verdict::not_applicable}};
  EXPECT_FALSE(passed(rows));
  EXPECT_EQ(failure_reason(rows), "no row is judged on the paper's figures or claims");
  rows.push_back({"c", ">= 0.9", "0.95", verdict::match, criterion::ours});
  EXPECT_FALSE(passed(rows));
  rows.push_back({"d", "1.5", "1.5", verdict::match});
  EXPECT_TRUE(passed(rows));
}

TEST(repro, rows_are_counted_by_what_they_are_judged_on) {
  const std::vector<row> rows{{"a", "1", "1", verdict::match},
                              {"b", "1", "2", verdict::miss},
                              {"c", ">= 0.9", "0.95", verdict::match, criterion::ours},
                              {"d", "-", "7", verdict::not_applicable, criterion::ours}};
  const tally t = count_rows(rows);
  EXPECT_EQ(t.paper, 2);
  EXPECT_EQ(t.ours, 1);
  EXPECT_EQ(t.not_applicable, 1);
  EXPECT_EQ(describe(t), "2 judged on the paper, 1 on our criteria, 1 n/a");
  const auto j = result_json("x", rows);
  EXPECT_EQ(j["rows_judged_on_paper"], 2);
  EXPECT_EQ(j["rows"][2]["criterion"], "ours");
  EXPECT_EQ(j["rows"][3]["criterion"], "none");
  const std::string table = format_table(rows);
  EXPECT_NE(table.find("match (ours)"), std::string::npos);
  EXPECT_EQ(table.find("n/a (ours)"), std::string::npos);
}

TEST(repro, threads_default_to_one_per_core) {
  options o;
  EXPECT_EQ(training_threads(o), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  o.threads = 3;
  EXPECT_EQ(training_threads(o), 3);
}

}  // namespace
}  // namespace neurite::repro
