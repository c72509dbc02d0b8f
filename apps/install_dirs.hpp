#pragma once
// Where the program's companion files are, found at run time from the executable's own path, so
// that a moved or installed `neurite` still finds them. The layouts, in search order: a build tree
// (BUILD/neurite beside BUILD/python/ and the learn/ module), an installed tree
// (PREFIX/bin/neurite, PREFIX/share/neurite/python/, PREFIX/lib/neurite/), and, last, the source
// and build trees this binary was made from.
#include <filesystem>
#include <string>
#include <vector>

namespace neurite::apps {

// The folder of the running executable (/proc/self/exe); empty when it cannot be read.
std::filesystem::path executable_dir();

// The folders that may hold the python/ scripts: NEURITE_PYTHON_DIR alone when it is set.
std::vector<std::filesystem::path> python_dirs();

// The folders that may hold a companion library such as the learn/ module.
std::vector<std::filesystem::path> library_dirs();

// The first of dirs/name that exists, else empty.
std::filesystem::path find_in(const std::vector<std::filesystem::path>& dirs, const std::string& name);

// "A, B and C" for messages that say where a file was looked for.
std::string dirs_text(const std::vector<std::filesystem::path>& dirs);

}  // namespace neurite::apps
