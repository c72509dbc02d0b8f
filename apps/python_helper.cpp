#include <cstdlib>

#include <fmt/format.h>

#include "apps/commands.hpp"

namespace neurite::apps {

void run_python_helper(const std::string& script, const std::string& args, const std::string& what) {
  const std::string cmd = fmt::format("'{}' '{}/python/{}' {}", NEURITE_PYTHON, NEURITE_SOURCE_DIR, script, args);
  if (std::system(cmd.c_str()) != 0) fmt::print(stderr, "warning: {} could not be drawn\n", what);
}

}  // namespace neurite::apps
