#include "apps/learn_module.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "apps/install_dirs.hpp"

namespace neurite::apps {

bool load_learn_module() {
  static const bool loaded = [] {
    const std::string name = NEURITE_LEARN_MODULE;  // its file name; empty when this build has none
    if (name.empty()) return false;
    const auto dirs = library_dirs();
    const std::string path = find_in(dirs, name).string();
    if (path.empty()) {
      fmt::print(stderr, "neurite: cannot load the learn/ module: no {} in {}\n", name, dirs_text(dirs));
      return false;
    }
    // OpenMP reads its wait policy once, as LibTorch loads it; spinning waits ran 20-30x slower on
    // a busy 2-core machine (shared/DEPENDENCIES.md, trap 3). A policy set by the user stays.
    setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    if (dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
      fmt::print(stderr, "neurite: cannot load the learn/ module: {}\n", dlerror());
      return false;
    }
    return true;
  }();
  return loaded;
}

std::function<int(const train_request&)>& train_runner() {
  static std::function<int(const train_request&)> runner;
  return runner;
}

std::function<int(const eval_request&)>& eval_runner() {
  static std::function<int(const eval_request&)> runner;
  return runner;
}

}  // namespace neurite::apps
