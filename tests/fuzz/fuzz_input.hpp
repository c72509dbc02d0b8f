#pragma once
// Shared by the libFuzzer harnesses: the input as a file, for readers that take a path.
// A harness catches only the errors its reader documents; anything else it lets through, so
// libFuzzer reports it (an uncaught exception aborts), as it does a crash, a sanitizer report,
// a timeout or memory past -rss_limit_mb.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace neurite::fuzz {

// A file of this process (mkstemps: unique, so parallel -jobs/-fork workers never share one),
// rewritten with each input and removed at exit.
class temp_file {
 public:
  explicit temp_file(const std::string& suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/neurite-fuzz-XXXXXX" + suffix;
    const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd < 0) std::abort();
    close(fd);
    path_ = pattern;
  }
  ~temp_file() { std::remove(path_.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  // Replaces the file's contents with the bytes given and returns its path.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (!f || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) std::abort();
    return path_;
  }

 private:
  std::string path_;
};

// Stops the fuzzer with a crash report: the reader returned something it promises never to.
inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace neurite::fuzz
