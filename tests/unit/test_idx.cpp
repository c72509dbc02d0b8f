// IDX reader: a gzip file written here reads back; missing, truncated and foreign files are
// reported with their path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/idx.hpp"
#include "idx_files.hpp"

using namespace neurite;
using test::idx_bytes;
using test::own;
using test::write_gzip;

TEST(idx, images_and_labels_read_back_from_gzip) {
  std::vector<std::uint8_t> pixels(2 * 3 * 4);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<std::uint8_t>(7 * k);
  const auto images = io::read_idx_images(write_gzip(own("neurite_idx_images.gz"),
      idx_bytes(0x803, {2, 3, 4}, pixels)));
  EXPECT_EQ(images.count, 2u);
  EXPECT_EQ(images.rows, 3u);
  EXPECT_EQ(images.cols, 4u);
  EXPECT_EQ(images.pixels, pixels);
  const auto labels = io::read_idx_labels(write_gzip(own("neurite_idx_labels.gz"), idx_bytes(0x801, {3}, {4, 0, 9})));
  EXPECT_EQ(labels, (std::vector<std::uint8_t>{4, 0, 9}));
}

TEST(idx, bad_files_are_reported_with_their_path) {
  const auto expect_error = [](const std::string& path, const std::string& part) {
    try {
      io::read_idx_images(path);
      FAIL() << path << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expect_error("/nonexistent/train-images.gz", ": expected a readable file, found an error: No such file");
  expect_error(write_gzip(own("neurite_idx_labels_as_images.gz"), idx_bytes(0x801, {3}, {1, 2, 3})), "magic number");
  expect_error(write_gzip(own("neurite_idx_short.gz"), idx_bytes(0x803, {2, 28, 28}, {1, 2, 3})), "truncated IDX data");
  // Dimensions whose product wraps to 0 in 64 bits (2^22 * 2^21 * 2^21): truncated, not empty.
  expect_error(write_gzip(own("neurite_idx_wrap.gz"), idx_bytes(0x803, {1u << 22, 1u << 21, 1u << 21}, {1, 2, 3})),
               "(truncated IDX data)");
  // Dimensions whose product wraps to 0 in 64 bits (found by tests/fuzz/fuzz_idx).
  expect_error(write_gzip(own("neurite_idx_wrap_fuzz.gz"),
      idx_bytes(0x803, {0x80000, 0x300000, 0x16000000}, {1, 2, 3})),
               "truncated IDX data");
  // A gzip stream cut in half: zlib's error, not a silent short read.
  const auto whole = write_gzip(own("neurite_idx_whole.gz"),
      idx_bytes(0x803, {50, 28, 28}, std::vector<std::uint8_t>(39200, 5)));
  std::ifstream in(whole, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = (std::filesystem::temp_directory_path() / own("neurite_idx_cut.gz")).string();
  std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  expect_error(cut, "neurite_idx_cut.gz");
  // More data than the reader takes (a gzip bomb), and a folder: refused, not read to exhaustion.
  try {
    io::read_maybe_gzip_file(whole, 1000);
    ADD_FAILURE() << "a file larger than the limit was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(": expected at most 1000 bytes of data, found more"), std::string::npos);
  }
  expect_error(std::filesystem::temp_directory_path().string(), ": expected a regular file, found a directory");
}
