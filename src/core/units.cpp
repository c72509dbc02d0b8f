#include "core/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/text.hpp"

namespace neurite::core {
namespace {

struct unit_entry {
  std::string_view symbol;
  dimension dim;
  double factor;  // multiply by this to reach the internal unit
};

constexpr std::array units{
    unit_entry{"s", dimension::time, 1e3},          unit_entry{"ms", dimension::time, 1.0},
    unit_entry{"us", dimension::time, 1e-3},        unit_entry{"min", dimension::time, 6e4},
    unit_entry{"V", dimension::voltage, 1e3},       unit_entry{"mV", dimension::voltage, 1.0},
    unit_entry{"uV", dimension::voltage, 1e-3},     unit_entry{"A", dimension::current, 1e12},
    unit_entry{"mA", dimension::current, 1e9},      unit_entry{"uA", dimension::current, 1e6},
    unit_entry{"nA", dimension::current, 1e3},      unit_entry{"pA", dimension::current, 1.0},
    unit_entry{"fA", dimension::current, 1e-3},     unit_entry{"F", dimension::capacitance, 1e12},
    unit_entry{"uF", dimension::capacitance, 1e6},  unit_entry{"nF", dimension::capacitance, 1e3},
    unit_entry{"pF", dimension::capacitance, 1.0},  unit_entry{"S", dimension::conductance, 1e9},
    unit_entry{"mS", dimension::conductance, 1e6},  unit_entry{"uS", dimension::conductance, 1e3},
    unit_entry{"nS", dimension::conductance, 1.0},  unit_entry{"pS", dimension::conductance, 1e-3},
    unit_entry{"Hz", dimension::frequency, 1.0},    unit_entry{"kHz", dimension::frequency, 1e3},
    unit_entry{"MHz", dimension::frequency, 1e6},   unit_entry{"Ohm", dimension::resistance, 1e-9},
    unit_entry{"kOhm", dimension::resistance, 1e-6}, unit_entry{"MOhm", dimension::resistance, 1e-3},
    unit_entry{"GOhm", dimension::resistance, 1.0},
};

}  // namespace

std::string_view unit_name(dimension d) {
  switch (d) {
    case dimension::dimensionless: return "";
    case dimension::time: return "ms";
    case dimension::voltage: return "mV";
    case dimension::current: return "pA";
    case dimension::capacitance: return "pF";
    case dimension::conductance: return "nS";
    case dimension::frequency: return "Hz";
    case dimension::resistance: return "GOhm";
  }
  return "?";
}

std::string_view dimension_name(dimension d) {
  switch (d) {
    case dimension::dimensionless: return "a plain number";
    case dimension::time: return "a time";
    case dimension::voltage: return "a voltage";
    case dimension::current: return "a current";
    case dimension::capacitance: return "a capacitance";
    case dimension::conductance: return "a conductance";
    case dimension::frequency: return "a frequency";
    case dimension::resistance: return "a resistance";
  }
  return "?";
}

std::optional<quantity> parse_quantity(std::string_view text, std::string& error) {
  const std::string_view s = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end == s.data()) {
    error = fmt::format("expected a number with a unit such as \"20 ms\", found \"{}\"", text);
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    error = fmt::format("expected a finite number, found \"{}\"", text);
    return std::nullopt;
  }
  const std::string_view symbol = trim(s.substr(static_cast<std::size_t>(end - s.data())));
  if (symbol.empty()) return quantity{value, dimension::dimensionless};
  for (const auto& u : units) {
    if (u.symbol == symbol) return quantity{value * u.factor, u.dim};
  }
  error = fmt::format("unknown unit \"{}\" in \"{}\"", symbol, text);
  return std::nullopt;
}

std::string format_quantity(double value, dimension d) {
  const auto u = unit_name(d);
  return u.empty() ? fmt::format("{:g}", value) : fmt::format("{:g} {}", value, u);
}

}  // namespace neurite::core
