#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/install_dirs.hpp"

extern char** environ;

namespace neurite::apps {
namespace {

// Everything read from fd until end of file, up to its last `keep` bytes.
std::string read_tail(int fd, std::size_t keep) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR)) break;
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > 2 * keep) text.erase(0, text.size() - keep);
  }
  return text;
}

// The last non-empty line of text (a Python traceback ends with the exception), trimmed.
std::string last_line(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text.substr(text.find_last_of('\n') + 1);
}

// Starts argv[0] with argv as its arguments (no shell: nothing in them is interpreted) and waits.
// Its stderr is captured so that a failure costs one line, not a traceback; its stdout goes to
// ours, or to /dev/null when quiet. Returns an empty string on success, else why it failed.
std::string spawn_and_wait(const std::vector<std::string>& argv, bool quiet) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // posix_spawn's signature; not modified
  args.push_back(nullptr);
  int err[2];
  if (pipe2(err, O_CLOEXEC) != 0) return fmt::format("cannot make a pipe: {}", std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  if (quiet) posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::fflush(nullptr);  // what this process printed comes before what the child prints
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(err[1]);
  const std::string errors = spawned == 0 ? read_tail(err[0], 1 << 16) : std::string();
  close(err[0]);
  if (spawned != 0) return fmt::format("{}: {}", argv[0], std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fmt::format("waiting for {}: {}", argv[0], std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (const std::string line = last_line(errors); !line.empty()) return line;
  if (WIFSIGNALED(status)) return fmt::format("{} was killed by signal {}", argv[1], WTERMSIG(status));
  return fmt::format("{} exited with status {}", argv[1], WEXITSTATUS(status));
}

}  // namespace

bool run_python_helper(const std::string& script, const std::vector<std::string>& args, const std::string& what,
                       bool quiet) {
  const auto dirs = python_dirs();
  const auto path = find_in(dirs, script);
  std::string error = fmt::format("no {} in {} (NEURITE_PYTHON_DIR names the folder that has it)", script, dirs_text(dirs));
  if (!path.empty()) {
    std::vector<std::string> argv{NEURITE_PYTHON, path.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    error = spawn_and_wait(argv, quiet);
  }
  if (error.empty()) return true;
  fmt::print(stderr, "warning: {} could not be drawn: {}\n", what, error);
  return false;
}

}  // namespace neurite::apps
