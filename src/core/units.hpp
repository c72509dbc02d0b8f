#pragma once
// Physical dimensions and the one internal unit system of neurite (docs/units.md):
// time ms, voltage mV, current pA, capacitance pF, conductance nS, frequency Hz,
// resistance GOhm (= mV/pA). Values cross every public boundary as strings with units
// ("20 ms") and live as plain doubles in these units inside the engine.
#include <optional>
#include <string>
#include <string_view>

namespace neurite::core {

enum class dimension { dimensionless, time, voltage, current, capacitance, conductance, frequency, resistance };

// The internal unit of a dimension, e.g. "ms" for time; "" for dimensionless.
std::string_view unit_name(dimension d);
// A human name such as "time" or "voltage", for error messages.
std::string_view dimension_name(dimension d);

struct quantity {
  double value;  // in the internal unit of dim
  dimension dim;
};

// Parses "20 ms", "0.5nS", "8 Hz", "1e-3 s", "-70 mV" or a bare number (dimensionless).
// Returns nullopt and sets error to a sentence naming what was wrong.
std::optional<quantity> parse_quantity(std::string_view text, std::string& error);

// Formats a value in the internal unit of d, e.g. "20 ms".
std::string format_quantity(double value, dimension d);

}  // namespace neurite::core
