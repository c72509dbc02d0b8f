#include <gtest/gtest.h>

#include "core/units.hpp"

using namespace neurite::core;

TEST(units, parses_values_into_internal_units) {
  std::string err;
  const struct {
    const char* text;
    double value;
    dimension dim;
  } cases[] = {{"20 ms", 20, dimension::time},          {"1 s", 1000, dimension::time},
               {"0.1mV", 0.1, dimension::voltage},      {"-70 mV", -70, dimension::voltage},
               {"250 pF", 250, dimension::capacitance}, {"0.5 nS", 0.5, dimension::conductance},
               {"8 Hz", 8, dimension::frequency},       {"2 kHz", 2000, dimension::frequency},
               {"1 nA", 1000, dimension::current},      {"3", 3, dimension::dimensionless},
               {"1e-3 s", 1, dimension::time},          {"100 MOhm", 0.1, dimension::resistance}};
  for (const auto& c : cases) {
    const auto q = parse_quantity(c.text, err);
    ASSERT_TRUE(q) << c.text << ": " << err;
    EXPECT_DOUBLE_EQ(q->value, c.value) << c.text;
    EXPECT_EQ(q->dim, c.dim) << c.text;
  }
}

TEST(units, rejects_malformed_text_with_a_reason) {
  std::string err;
  EXPECT_FALSE(parse_quantity("20 parsecs", err));
  EXPECT_NE(err.find("unknown unit \"parsecs\""), std::string::npos) << err;
  EXPECT_FALSE(parse_quantity("ms", err));
  EXPECT_NE(err.find("expected a number"), std::string::npos) << err;
  EXPECT_FALSE(parse_quantity("", err));
  EXPECT_FALSE(parse_quantity("inf ms", err));
}
