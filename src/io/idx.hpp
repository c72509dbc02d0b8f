#pragma once
// IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not, read through zlib.
// Every problem is thrown as std::runtime_error naming the file: missing, corrupt or truncated
// compressed data, or not an IDX file of the expected kind.
#include <cstdint>
#include <string>
#include <vector>

namespace neurite::io {

// The contents of a file; a gzip file is decompressed (zlib checks its CRC-32 and length).
std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path);

struct idx_images {
  std::uint32_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // image k, row y, column x at [(k * rows + y) * cols + x]
};

idx_images read_idx_images(const std::string& path);                 // magic 0x00000803: bytes, 3 dimensions
std::vector<std::uint8_t> read_idx_labels(const std::string& path);  // magic 0x00000801: 1 dimension

}  // namespace neurite::io
