// libFuzzer harness: the model-file reader with overrides (io::parse_model). The input is a
// model text, optionally followed by a line "--set" and one override ("KEY=VALUE") per line
// (at most 8); every problem must come out as an io::model_error.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "io/model_file.hpp"

namespace {

constexpr std::string_view separator = "\n--set\n";
constexpr std::size_t max_overrides = 8;

std::vector<std::string> split_overrides(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty() && out.size() < max_overrides) {
    const auto end = std::min(text.find('\n'), text.size());
    out.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cut = input.find(separator);
  const std::string_view model = input.substr(0, cut);
  const auto overrides =
      cut == std::string_view::npos ? std::vector<std::string>{} : split_overrides(input.substr(cut + separator.size()));
  try {
    // Relative connection files resolve against the working directory: ctest runs this in
    // examples/, so that the connection lists of examples/ca3_cam.toml are found.
    const auto desc = neurite::io::parse_model(model, "fuzz.toml", overrides);
    neurite::fuzz::require(desc.simulation.dt > 0);
  } catch (const neurite::io::model_error&) {
  }
  return 0;
}
