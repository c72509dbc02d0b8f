#pragma once
// Images presented as sequences, for recurrent models (ELM, LSTM) that read one time step after
// another: the pixels x = pixel / 255 in reading order, `features` of them per step, so that
//   rows:   28 steps of 28 features (one image row per step);
//   pixels: 784 steps of 1 feature (one pixel per step, the sequential-MNIST task).
// Inputs are time-major, (T, batch, features), the layout every classifier_model here takes.
//
// Fashion-MNIST-Adding (an analogue of the ELM paper's SHD-Adding): two images one after the
// other (2 x 28 steps row by row), labelled with the sum of their classes (0..18, 19 classes).
// A data set of `pairs` samples per epoch; sample i of epoch e is the pair of images drawn
// uniformly, with replacement, from the Philox stream (seed, learn_sequence_pairs + 16 stream, i, e).
// The trainer evaluates with stream 1 and epoch 0, so the test pairs are the same every epoch and
// every run with the seed; the training pairs are new in every epoch.
#include <cstdint>
#include <span>

#include "io/fashion_mnist.hpp"
#include "learn/classifier.hpp"

namespace neurite::learn {

enum class image_order { rows, pixels };

// One image per sample, labelled with its class.
class image_sequences final : public labelled_dataset {
 public:
  image_sequences(const io::labelled_images& data, image_order order) : data_(data), order_(order) {}
  std::uint32_t count() const override { return data_.count; }
  std::uint32_t classes() const override { return io::fashion_mnist_classes; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

 private:
  const io::labelled_images& data_;
  image_order order_;
};

// Two images per sample, labelled with the sum of their classes.
class image_pair_sums final : public labelled_dataset {
 public:
  image_pair_sums(const io::labelled_images& data, image_order order, std::uint32_t pairs, std::uint64_t seed);
  std::uint32_t count() const override { return pairs_; }
  std::uint32_t classes() const override { return 2 * io::fashion_mnist_classes - 1; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

  struct pair {
    std::uint32_t first, second;  // image indices
  };
  // The images of sample `sample` for (stream, epoch).
  pair images(std::uint32_t sample, std::uint32_t stream, std::uint64_t epoch) const;

 private:
  const io::labelled_images& data_;
  image_order order_;
  std::uint32_t pairs_;
  std::uint64_t seed_;
};

// Features per step of an order (28 for rows of Fashion-MNIST, 1 for pixels).
std::int64_t features_per_step(const io::labelled_images& data, image_order order);

}  // namespace neurite::learn
