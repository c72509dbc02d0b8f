// neurite: command-line entry point.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "apps/commands.hpp"
#include "core/version.hpp"

namespace neurite::apps {

std::vector<std::string>& command_line() {
  static std::vector<std::string> args;
  return args;
}

}  // namespace neurite::apps

int main(int argc, char** argv) {
  neurite::apps::command_line().assign(argv, argv + argc);
  CLI::App app{"neurite: a fast, reproducible engine for spiking and brain-inspired networks"};
  app.set_version_flag("--version", "neurite " + std::string(neurite::core::version()));
  app.require_subcommand(1);
  neurite::apps::add_run_command(app);
  neurite::apps::add_info_command(app);
  neurite::apps::add_repro_command(app);
  neurite::apps::add_analyze_command(app);
  neurite::apps::add_train_command(app);
  neurite::apps::add_eval_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {  // a command failed and has said why
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {  // includes --help, which exits with 0
    const int code = app.exit(e);
    return code == 0 ? 0 : neurite::apps::exit_bad_input;
  } catch (const std::exception& e) {  // I/O and other failures: a message, never a crash
    std::fprintf(stderr, "neurite: %s\n", e.what());
    return 1;
  }
  return 0;
}
