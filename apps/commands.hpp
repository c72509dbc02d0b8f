#pragma once
// The subcommands of the `neurite` program; each registers its options and its action.
#include <CLI/CLI.hpp>

namespace neurite::apps {

void add_run_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_repro_command(CLI::App& app);

// Exit codes: 0 success, 1 failure while running or writing, 2 bad input (model file, options).
inline constexpr int exit_bad_input = 2;

}  // namespace neurite::apps
