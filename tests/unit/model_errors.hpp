#pragma once
// Shared by the model-file reader tests: what parsing a model text reports.
#include <exception>
#include <string>

#include "io/model_file.hpp"

namespace neurite::test {

// The model_error message, "(no error)", or the type of a wrong exception.
inline std::string error_of(const std::string& text, const io::override_list& overrides = {},
                            const std::string& file = "bad.toml") {
  try {
    io::parse_model(text, file, overrides);
  } catch (const io::model_error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(wrong exception type) ") + e.what();
  }
  return "(no error)";
}

}  // namespace neurite::test
