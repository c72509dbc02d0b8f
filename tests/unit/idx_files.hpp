#pragma once
// IDX files written by the tests: a header (magic, dimensions) and data, gzip-compressed.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <zlib.h>

namespace neurite::test {

inline std::vector<std::uint8_t> idx_bytes(std::uint32_t magic, const std::vector<std::uint32_t>& dims,
                                           const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> out;
  const auto put = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
  };
  put(magic);
  for (const auto d : dims) put(d);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// A file name made this process's own (test binaries may run side by side).
inline std::string own(const std::string& name) { return std::to_string(::getpid()) + "_" + name; }

// Writes bytes gzip-compressed to NAME (a path below the temporary folder) and returns its path.
inline std::string write_gzip(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  const auto path = (std::filesystem::temp_directory_path() / name).string();
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  return path;
}

}  // namespace neurite::test
