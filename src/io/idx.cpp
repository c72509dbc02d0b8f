#include "io/idx.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include "io/toml_fields.hpp"

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
    throw std::runtime_error(fmt::format("{}: expected an IDX file with magic number {:#010x} and a {}-byte header, "
                                         "found {}",
                                         path, magic, header,
                                         d.size() < 4 ? fmt::format("{} bytes", d.size())
                                                      : fmt::format("magic number {:#010x}", big_endian(d))));
  // The declared size; a product past 64 bits (2^19 x 3*2^20 x 11*2^25 wraps to 0, found by
  // tests/fuzz/fuzz_idx) is more than any file holds, unless another dimension is 0.
  const std::size_t available = d.size() - header;
  std::size_t size = 1;
  bool overflow = false;
  for (std::size_t k = 0; k < (magic & 0xff); ++k) {
    dims.push_back(big_endian(d.subspan(4 + 4 * k)));
    overflow = __builtin_mul_overflow(size, std::size_t{dims.back()}, &size) || overflow;
  }
  if (std::find(dims.begin(), dims.end(), 0u) != dims.end()) size = 0, overflow = false;
  if (overflow || available < size)
    throw std::runtime_error(fmt::format("{}: expected {} bytes of data for dimensions {}, found {} (truncated IDX data)",
                                         path, overflow ? "more than 2^64" : std::to_string(size),
                                         fmt::join(dims, "x"), available));
  return {raw.begin() + static_cast<std::ptrdiff_t>(header), raw.begin() + static_cast<std::ptrdiff_t>(header + size)};
}

}  // namespace

std::vector<std::uint8_t> read_maybe_gzip_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto type = std::filesystem::status(path, ec).type();
  if (!ec && type != std::filesystem::file_type::regular && type != std::filesystem::file_type::not_found)
    throw std::runtime_error(fmt::format("{}: expected a regular file, found {}", path, detail::file_kind(type)));
  gzFile f = gzopen(path.c_str(), "rb");  // reads uncompressed files transparently
  if (!f) throw std::runtime_error(fmt::format("{}: expected a readable file, found an error: {}", path, std::strerror(errno)));
  std::vector<std::uint8_t> out;
  std::uint8_t buffer[1 << 16];
  int n = 0;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) {
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      gzclose(f);
      throw std::runtime_error(
          fmt::format("{}: expected at most {} bytes of data, found more (a gzip bomb, or not a data file?)", path,
                      max_bytes));
    }
    out.insert(out.end(), buffer, buffer + n);
  }
  int code = Z_OK;
  const std::string error = n < 0 ? gzerror(f, &code) : "";
  gzclose(f);
  if (n < 0)
    throw std::runtime_error(
        fmt::format("{}: expected gzip or uncompressed data, found corrupt or truncated compressed data ({})", path, error));
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
