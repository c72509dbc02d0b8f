// libFuzzer harness: IDX files, gzip-compressed or not (io::read_idx_images, io::read_idx_labels).
// Every problem must come out as the std::runtime_error the reader documents, and the images
// returned must hold exactly count * rows * cols pixels.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "fuzz_input.hpp"
#include "io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static neurite::fuzz::temp_file file(".idx");
  const std::string& path = file.write(data, size);
  try {
    const auto images = neurite::io::read_idx_images(path);
    std::size_t pixels = 0;
    const bool overflow = __builtin_mul_overflow(std::size_t{images.count}, std::size_t{images.rows}, &pixels) ||
                          __builtin_mul_overflow(pixels, std::size_t{images.cols}, &pixels);
    neurite::fuzz::require(!overflow && pixels == images.pixels.size());
  } catch (const std::runtime_error&) {
  }
  try {
    neurite::io::read_idx_labels(path);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
