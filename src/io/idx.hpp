#pragma once
// IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not, read through zlib.
// Every problem is thrown as std::runtime_error naming the file: missing, corrupt or truncated
// compressed data, or not an IDX file of the expected kind.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace neurite::io {

// The most a data file may hold once decompressed: Fashion-MNIST's largest is 47 MB.
inline constexpr std::size_t max_data_file_bytes = std::size_t{2} << 30;  // 2 GiB

// The contents of a regular file; a gzip file is decompressed (zlib checks its CRC-32 and
// length). More than max_bytes (a gzip bomb, the wrong file) is an error, not an exhausted memory.
std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path, std::size_t max_bytes = max_data_file_bytes);

struct idx_images {
  std::uint32_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // image k, row y, column x at [(k * rows + y) * cols + x]
};

idx_images read_idx_images(const std::string& path);                 // magic 0x00000803: bytes, 3 dimensions
std::vector<std::uint8_t> read_idx_labels(const std::string& path);  // magic 0x00000801: 1 dimension

}  // namespace neurite::io
