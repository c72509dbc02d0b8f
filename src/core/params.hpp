#pragma once
// Parameter tables: what a model, stimulus or connector accepts, with unit, default, range
// and a one-line doc. Generic code (model files, `neurite info`, validation) reads the table.
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/units.hpp"

namespace neurite::core {

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

struct param_spec {
  std::string name;
  dimension dim = dimension::dimensionless;
  double default_value = 0;
  double min = -unbounded;  // allowed range [min, max]; exclusive ends where the flags say so
  double max = unbounded;
  std::string doc;
  bool min_exclusive = false;
  bool integer = false;  // a whole number (counts, sizes)
  // Names of the values 0, 1, ... of an integer parameter that picks one of several behaviours;
  // model files give the name ("subtract"), the engine sees the number.
  std::vector<std::string> choices{};

  // A switch: 0 or 1, written true or false in model files.
  bool is_flag() const { return integer && dim == dimension::dimensionless && min == 0 && max == 1 && choices.empty(); }
  // Empty when value is allowed, else "expected ... , found ...".
  std::string check(double value) const;
  // The values allowed, as reader messages and `neurite info` show them ("[0, 1]", "> 0 ms",
  // "any"; never "inf"), with units on the bounds or, for info's table, without.
  std::string range_text(bool with_units = true) const;
};

using param_table = std::vector<param_spec>;

const param_spec* find_param(const param_table& table, std::string_view name);

// Values for every entry of a table, in table order, starting from the defaults.
class param_set {
 public:
  param_set() = default;
  explicit param_set(const param_table& table);
  double operator[](std::string_view name) const;  // throws std::out_of_range for unknown names
  void set(std::string_view name, double value);
  const param_table& table() const { return *table_; }
  const std::vector<double>& values() const { return values_; }

 private:
  const param_table* table_ = nullptr;
  std::vector<double> values_;
};

// "" when p[lower] < p[upper], else "expected lower < upper, found lower = .. and upper = ..".
std::string expect_less(const param_set& p, std::string_view lower, std::string_view upper);

}  // namespace neurite::core
