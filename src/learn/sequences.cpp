#include "learn/sequences.hpp"

#include <stdexcept>
#include <vector>

#include <ATen/ATen.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

// Writes image k of `data` into inputs (T, batch, features) at steps [first_step, first_step +
// pixels / features) of batch entry b: pixel p at step first_step + p / features, feature p % features.
void present(const io::labelled_images& data, std::uint32_t k, std::int64_t first_step, std::int64_t b,
             at::Tensor& inputs) {
  if (k >= data.count) throw std::out_of_range("sequences: image index beyond the data set");
  const std::int64_t batch = inputs.size(1), features = inputs.size(2);
  const std::uint8_t* image = data.pixels.data() + std::size_t{k} * data.pixels_per_image();
  float* out = inputs.data_ptr<float>();
  for (std::int64_t p = 0; p < data.pixels_per_image(); ++p)
    out[((first_step + p / features) * batch + b) * features + p % features] = static_cast<float>(image[p] / 255.0);
}

at::Tensor labels_of(const std::vector<std::int64_t>& labels) {
  return at::tensor(labels, at::kLong);
}

}  // namespace

std::int64_t features_per_step(const io::labelled_images& data, image_order order) {
  return order == image_order::rows ? data.cols : 1;
}

labelled_batch image_sequences::batch(std::span<const std::uint32_t> samples, std::uint32_t /*stream*/,
                                      std::uint64_t /*epoch*/) const {
  const std::int64_t features = features_per_step(data_, order_), steps = data_.pixels_per_image() / features;
  const auto n = static_cast<std::int64_t>(samples.size());
  at::Tensor inputs = at::empty({steps, n, features}, at::kFloat);
  std::vector<std::int64_t> labels(samples.size());
  for (std::int64_t b = 0; b < n; ++b) {
    present(data_, samples[static_cast<std::size_t>(b)], 0, b, inputs);
    labels[static_cast<std::size_t>(b)] = data_.labels[samples[static_cast<std::size_t>(b)]];
  }
  return {inputs, labels_of(labels)};
}

image_pair_sums::image_pair_sums(const io::labelled_images& data, image_order order, std::uint32_t pairs,
                                 std::uint64_t seed)
    : data_(data), order_(order), pairs_(pairs), seed_(seed) {
  if (data.count == 0) throw std::invalid_argument("image_pair_sums: no images to draw pairs from");
}

image_pair_sums::pair image_pair_sums::images(std::uint32_t sample, std::uint32_t stream, std::uint64_t epoch) const {
  core::random_stream draws(seed_, core::stream_purpose(core::purpose::learn_sequence_pairs, stream), sample, epoch);
  const std::uint32_t first = draws.below(data_.count);
  return {first, draws.below(data_.count)};
}

labelled_batch image_pair_sums::batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                                      std::uint64_t epoch) const {
  const std::int64_t features = features_per_step(data_, order_), steps = data_.pixels_per_image() / features;
  const auto n = static_cast<std::int64_t>(samples.size());
  at::Tensor inputs = at::empty({2 * steps, n, features}, at::kFloat);
  std::vector<std::int64_t> labels(samples.size());
  for (std::int64_t b = 0; b < n; ++b) {
    const auto sample = samples[static_cast<std::size_t>(b)];
    if (sample >= pairs_) throw std::out_of_range("image_pair_sums: sample index beyond the pairs of an epoch");
    const pair p = images(sample, stream, epoch);
    present(data_, p.first, 0, b, inputs);
    present(data_, p.second, steps, b, inputs);
    labels[static_cast<std::size_t>(b)] = data_.labels[p.first] + data_.labels[p.second];
  }
  return {inputs, labels_of(labels)};
}

}  // namespace neurite::learn
