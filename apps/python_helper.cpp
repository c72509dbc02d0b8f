#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "apps/commands.hpp"

extern char** environ;

namespace neurite::apps {
namespace {

// Starts argv[0] with argv as its arguments (no shell: nothing in them is interpreted) and waits.
// stdout goes to /dev/null when quiet. Returns an empty string on success, else why it failed.
std::string spawn_and_wait(const std::vector<std::string>& argv, bool quiet) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // posix_spawn's signature; not modified
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::fflush(nullptr);  // what this process printed comes before what the child prints
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return fmt::format("{}: {}", argv[0], std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fmt::format("waiting for {}: {}", argv[0], std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (WIFSIGNALED(status)) return fmt::format("{} was killed by signal {}", argv[1], WTERMSIG(status));
  return fmt::format("{} exited with status {}", argv[1], WEXITSTATUS(status));
}

}  // namespace

bool run_python_helper(const std::string& script, const std::vector<std::string>& args, const std::string& what,
                       bool quiet) {
  std::vector<std::string> argv{NEURITE_PYTHON, fmt::format("{}/python/{}", NEURITE_SOURCE_DIR, script)};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string error = spawn_and_wait(argv, quiet);
  if (error.empty()) return true;
  fmt::print(stderr, "warning: {} could not be drawn: {}\n", what, error);
  return false;
}

}  // namespace neurite::apps
