#include "io/fashion_mnist.hpp"

#include <filesystem>
#include <stdexcept>

#include "io/idx.hpp"

namespace neurite::io {

labelled_images labelled_images::first(std::uint32_t n) const {
  if (n == 0 || n >= count) return *this;
  const auto pixels_end = static_cast<std::ptrdiff_t>(std::size_t{n} * pixels_per_image());
  return {n, rows, cols, {pixels.begin(), pixels.begin() + pixels_end}, {labels.begin(), labels.begin() + n}};
}

labelled_images read_fashion_mnist(dataset_split split, const std::string& dir) {
  const std::string prefix = dir + (split == dataset_split::train ? "/train" : "/t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz", labels_path = prefix + "-labels-idx1-ubyte.gz";
  for (const auto& path : {images_path, labels_path})
    if (!std::filesystem::exists(path))
      throw std::runtime_error(path + ": expected a file of Fashion-MNIST, found nothing (it comes from Debian's "
                                      "package dataset-fashion-mnist: apt-get install dataset-fashion-mnist)");
  idx_images images = read_idx_images(images_path);
  std::vector<std::uint8_t> labels = read_idx_labels(labels_path);
  if (images.rows != 28 || images.cols != 28)
    throw std::runtime_error(images_path + ": expected 28x28 images, found " + std::to_string(images.rows) + "x" +
                             std::to_string(images.cols));
  if (labels.size() != images.count)
    throw std::runtime_error(labels_path + ": expected " + std::to_string(images.count) + " labels (one per image in " +
                             images_path + "), found " + std::to_string(labels.size()));
  for (const auto label : labels)
    if (label >= fashion_mnist_classes)
      throw std::runtime_error(labels_path + ": expected class ids below 10, found " + std::to_string(label));
  return {images.count, images.rows, images.cols, std::move(images.pixels), std::move(labels)};
}

}  // namespace neurite::io
