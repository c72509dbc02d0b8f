// Fashion-MNIST reader: the installed test split has the published shape and class balance; a
// missing package and images and labels that disagree are reported with the file at fault.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <string>

#include "idx_files.hpp"
#include "io/fashion_mnist.hpp"

using namespace neurite;

namespace {

std::string error_of(const std::string& dir) {
  try {
    io::read_fashion_mnist(io::dataset_split::test, dir);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// The dataset's documentation: 10 000 test images of 28x28, 1 000 of each class.
TEST(fashion_mnist, installed_test_split_has_the_published_shape) {
  const auto data = io::read_fashion_mnist(io::dataset_split::test);
  EXPECT_EQ(data.count, 10000u);
  EXPECT_EQ(data.pixels.size(), 10000u * 784u);
  std::array<int, 10> per_class{};
  for (const auto label : data.labels) ++per_class[label];
  for (const int n : per_class) EXPECT_EQ(n, 1000);
  const auto head = data.first(3);
  EXPECT_EQ(head.count, 3u);
  EXPECT_EQ(head.labels, std::vector<std::uint8_t>(data.labels.begin(), data.labels.begin() + 3));
  EXPECT_EQ(head.pixels, std::vector<std::uint8_t>(data.pixels.begin(), data.pixels.begin() + 3 * 784));
}

TEST(fashion_mnist, missing_package_and_disagreeing_files_are_named) {
  const std::string name = "neurite_fashion_mnist_bad_" + std::to_string(::getpid());
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  EXPECT_NE(error_of(dir.string()).find("dataset-fashion-mnist"), std::string::npos);
  const auto write = [&](const std::string& file, const std::vector<std::uint8_t>& bytes) {
    test::write_gzip(name + "/t10k-" + file + "-ubyte.gz", bytes);
  };
  write("images-idx3", test::idx_bytes(0x803, {2, 28, 28}, std::vector<std::uint8_t>(2 * 784)));
  write("labels-idx1", test::idx_bytes(0x801, {3}, {1, 2, 3}));
  EXPECT_NE(error_of(dir.string()).find("expected 2 labels"), std::string::npos) << error_of(dir.string());
  write("labels-idx1", test::idx_bytes(0x801, {2}, {1, 12}));
  EXPECT_NE(error_of(dir.string()).find("class ids below 10, found 12"), std::string::npos) << error_of(dir.string());
  write("images-idx3", test::idx_bytes(0x803, {2, 28, 27}, std::vector<std::uint8_t>(2 * 756)));
  EXPECT_NE(error_of(dir.string()).find("expected 28x28 images, found 28x27"), std::string::npos);
  std::filesystem::remove_all(dir);
}
