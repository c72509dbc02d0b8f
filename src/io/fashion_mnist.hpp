#pragma once
// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28x28 grey images of 10 kinds of clothing, 60 000
// for training and 10 000 for testing, as Debian's dataset-fashion-mnist installs them (gzip IDX).
// Errors name the file and what was expected: a missing package, a corrupt or truncated file,
// images and labels that disagree.
#include <cstdint>
#include <string>
#include <vector>

namespace neurite::io {

inline const std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
inline constexpr std::uint32_t fashion_mnist_classes = 10;

enum class dataset_split { train, test };

struct labelled_images {
  std::uint32_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // image k, row y, column x at [(k * rows + y) * cols + x]
  std::vector<std::uint8_t> labels;  // class of image k, below fashion_mnist_classes

  std::uint32_t pixels_per_image() const { return rows * cols; }
  // The first n images (all if n is 0 or at least count).
  labelled_images first(std::uint32_t n) const;
};

labelled_images read_fashion_mnist(dataset_split split, const std::string& dir = fashion_mnist_dir);

}  // namespace neurite::io
