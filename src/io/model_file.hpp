#pragma once
// Model files: a network described in TOML (docs/model_files.md), read into a validated
// network::network_desc in internal units (docs/units.md). Every key is checked; the first
// problem found is thrown as a model_error whose message reads
//   "FILE:LINE: KEY: expected ..., found ..."
// where KEY is the full dotted path (e.g. "populations.E.params.tau_m", "projections[2].weight").
// Problems in a value given as an override are located by the option that gave it: "--set:N" for
// the Nth --set, or an option's own name ("--seed").
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "network/description.hpp"

namespace neurite::io {

// The most worker threads a run may ask for, in the file or with --threads.
inline constexpr int max_threads = 256;

struct model_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One override, "KEY=VALUE", and where it came from for messages: empty for the Nth `--set`
// (located as "--set:N"), else the option the user typed, such as "--seed" for the override
// "simulation.seed=..." that the option stands for, so that an error names that option.
struct override_value {
  std::string text, origin;
  override_value(std::string t, std::string o = {}) : text(std::move(t)), origin(std::move(o)) {}
  override_value(const char* t) : text(t) {}
};
// Plain KEY=VALUE strings convert to a list of --set entries.
struct override_list : std::vector<override_value> {
  using std::vector<override_value>::vector;
  override_list() = default;
  override_list(const std::vector<std::string>& sets) : std::vector<override_value>(sets.begin(), sets.end()) {}
};
// The override an option stands for: KEY set to the option's text as typed, so that the reader
// checks that text and names the option. The text goes in as a TOML string (escaped), or, for an
// integer key, bare when it is digits with an optional minus sign: "--seed 0x10" or "--duration '1 s\"#'" are errors,
// never read as 16 or as 1 s.
override_value option_override(std::string_view key, std::string_view text, std::string origin, bool integer = false);
// The KEY=VALUE texts, as checkpoints and result files record them.
std::vector<std::string> override_texts(const override_list& overrides);

// Reads and validates the model file at `path`. Overrides are "KEY=VALUE" strings with dotted
// keys ("simulation.duration=2 s", "populations.E.size=100", "projections.0.weight=0.2 mV");
// VALUE is a TOML value if it parses as one, else a string. They are applied to the TOML tree
// before validation, so they get exactly the checks of the file. Relative paths in the file
// (explicit connection lists) are relative to the file's directory.
network::network_desc read_model_file(const std::string& path, const override_list& overrides = {});

// The text of the model file at path, as read_model_file reads it (a regular file of at most
// 64 MiB), for callers that keep it (checkpoints store the model they continue).
std::string read_model_text(const std::string& path);

// The same for a model given as text; file_name is used in messages and as the base of
// relative paths.
network::network_desc parse_model(std::string_view text, const std::string& file_name,
                                  const override_list& overrides = {});

}  // namespace neurite::io
