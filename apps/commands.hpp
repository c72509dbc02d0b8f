#pragma once
// The subcommands of the `neurite` program; each registers its options and its action.
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace neurite::apps {

void add_run_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_repro_command(CLI::App& app);
void add_analyze_command(CLI::App& app);
void add_train_command(CLI::App& app);  // runs in the learn/ module (learn_module.hpp)
void add_eval_command(CLI::App& app);   // likewise

// The program's arguments as given (main sets them), for the provenance of result files.
std::vector<std::string>& command_line();

// Exit codes: 0 success, 1 failure while running or writing, 2 bad input (model file, options).
inline constexpr int exit_bad_input = 2;

// Ends a subcommand's action: a non-zero code becomes the program's exit status.
inline void exit_with(int code) {
  if (code != 0) throw CLI::RuntimeError(code);
}

// For --out: an empty name is refused (naming the option) rather than read as "the default".
inline const CLI::Validator non_empty_folder(
    [](const std::string& s) { return s.empty() ? std::string("expected a folder name, found an empty string") : std::string(); },
    "FOLDER");

// For a seed given straight to a command: a decimal integer in [0, 2^64 - 1], rewritten in plain
// digits (CLI11's own conversion would wrap -1 round to 2^64 - 1 and read 010 as octal).
inline const CLI::Validator seed_value(
    [](std::string& s) {
      std::uint64_t v = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
        return fmt::format("expected an integer in [0, {}], found \"{}\"", std::numeric_limits<std::uint64_t>::max(), s);
      s = std::to_string(v);
      return std::string();
    },
    "SEED");

// Runs python/SCRIPT with the arguments ARGS under Debian's interpreter and waits for it. The
// arguments go to the script as they are: no shell sees them, so quotes or `;` in a file name are
// just characters. Plots are optional: a failure (no matplotlib, say) costs the figure, not the
// result, so it prints one line on stderr, "warning: WHAT could not be drawn: " and the last line
// of the script's error output (not its traceback), and returns false. quiet: the script's stdout
// is discarded. Give paths as absolute_path(...), so that one starting with '-' is not an option.
bool run_python_helper(const std::string& script, const std::vector<std::string>& args, const std::string& what,
                       bool quiet = false);
inline std::string absolute_path(const std::string& path) { return std::filesystem::absolute(path).string(); }

}  // namespace neurite::apps
