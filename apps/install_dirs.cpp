#include "apps/install_dirs.hpp"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

namespace neurite::apps {

namespace fs = std::filesystem;

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::vector<fs::path> python_dirs() {
  if (const char* dir = std::getenv("NEURITE_PYTHON_DIR"); dir != nullptr && *dir != '\0') return {dir};
  std::vector<fs::path> dirs;
  if (const auto exe = executable_dir(); !exe.empty())
    dirs = {exe / "python", exe.parent_path() / "share" / "neurite" / "python"};
  dirs.push_back(fs::path(NEURITE_SOURCE_DIR) / "python");
  return dirs;
}

std::vector<fs::path> library_dirs() {
  std::vector<fs::path> dirs;
  if (const auto exe = executable_dir(); !exe.empty()) dirs = {exe, exe.parent_path() / "lib" / "neurite"};
  dirs.emplace_back(NEURITE_BINARY_DIR);
  return dirs;
}

fs::path find_in(const std::vector<fs::path>& dirs, const std::string& name) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (fs::is_regular_file(dir / name, ec)) return dir / name;
  }
  return {};
}

std::string dirs_text(const std::vector<fs::path>& dirs) {
  std::vector<std::string> names;
  for (const auto& dir : dirs) names.push_back(dir.string());
  if (names.size() < 2) return fmt::format("{}", fmt::join(names, ""));
  const std::string last = names.back();
  names.pop_back();
  return fmt::format("{} and {}", fmt::join(names, ", "), last);
}

}  // namespace neurite::apps
