#pragma once
// A fresh folder under the system's temporary directory, unique to this process and call
// (mkdtemp), so that test programs run at once never share or remove each other's files.
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

namespace neurite::test_files {

inline std::filesystem::path unique_temp_dir(const std::string& prefix) {
  std::string name = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
  if (!::mkdtemp(name.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + name);
  return name;
}

}  // namespace neurite::test_files
