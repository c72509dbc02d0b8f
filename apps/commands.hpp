#pragma once
// The subcommands of the `neurite` program; each registers its options and its action.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace neurite::apps {

void add_run_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_repro_command(CLI::App& app);
void add_train_command(CLI::App& app);  // runs in the learn/ module (learn_module.hpp)
void add_eval_command(CLI::App& app);   // likewise

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

// Runs python/SCRIPT with the arguments ARGS under Debian's interpreter and waits for it. The
// arguments go to the script as they are: no shell sees them, so quotes or `;` in a file name are
// just characters. Plots are optional: a failure (no matplotlib, say) costs the figure, not the
// result, so it prints one line on stderr, "warning: WHAT could not be drawn: " and the last line
// of the script's error output (not its traceback), and returns false. quiet: the script's stdout
// is discarded.
bool run_python_helper(const std::string& script, const std::vector<std::string>& args, const std::string& what,
                       bool quiet = false);

}  // namespace neurite::apps
