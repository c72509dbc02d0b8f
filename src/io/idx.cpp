#include "io/idx.hpp"

#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>

#include <zlib.h>

namespace neurite::io {
namespace {

std::uint32_t big_endian(std::span<const std::uint8_t> b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

// The payload of an IDX file after its header, checked against the declared dimensions.
std::vector<std::uint8_t> idx_payload(const std::string& path, std::uint32_t magic, std::vector<std::uint32_t>& dims) {
  const std::vector<std::uint8_t> raw = read_maybe_gzip_file(path);
  const std::span<const std::uint8_t> d(raw);
  const std::size_t header = 4 + 4 * std::size_t{magic & 0xff};
  if (d.size() < header || big_endian(d) != magic)
    throw std::runtime_error(path + ": not an IDX file of the expected kind (magic number)");
  std::size_t size = 1;
  for (std::size_t k = 0; k < (magic & 0xff); ++k) {
    dims.push_back(big_endian(d.subspan(4 + 4 * k)));
    // A product past 64 bits would wrap (to 0 for 2^19 x 3*2^20 x 11*2^25) and pass the check below.
    if (dims.back() != 0 && size > std::numeric_limits<std::size_t>::max() / dims.back())
      throw std::runtime_error(path + ": truncated IDX data (its dimensions declare more bytes than a file can hold)");
    size *= dims.back();
  }
  if (d.size() - header < size) throw std::runtime_error(path + ": truncated IDX data");
  return {raw.begin() + static_cast<std::ptrdiff_t>(header), raw.begin() + static_cast<std::ptrdiff_t>(header + size)};
}

}  // namespace

std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");  // reads uncompressed files transparently
  if (!f) throw std::runtime_error(path + ": cannot open (" + std::strerror(errno) + ")");
  std::vector<std::uint8_t> out;
  std::uint8_t buffer[1 << 16];
  int n = 0;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) out.insert(out.end(), buffer, buffer + n);
  int code = Z_OK;
  const std::string error = n < 0 ? gzerror(f, &code) : "";
  gzclose(f);
  if (n < 0) throw std::runtime_error(path + ": corrupt or truncated compressed data (" + error + ")");
  return out;
}

idx_images read_idx_images(const std::string& path) {
  std::vector<std::uint32_t> dims;
  auto pixels = idx_payload(path, 0x00000803, dims);
  return {dims[0], dims[1], dims[2], std::move(pixels)};
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  std::vector<std::uint32_t> dims;
  return idx_payload(path, 0x00000801, dims);
}

}  // namespace neurite::io
