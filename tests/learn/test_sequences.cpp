// Images as sequences: each row (or pixel) of an image at its own step, Fashion-MNIST-Adding pairs
// that depend on (seed, stream, epoch, sample) only, labels that are the sum of the two classes.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>

#include "learn/sequences.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

// n images of 3 rows x 4 columns; pixel (k, y, x) = 10 k + 4 y + x, class k % 10.
io::labelled_images numbered_images(std::uint32_t n) {
  io::labelled_images data{n, 3, 4, {}, {}};
  for (std::uint32_t k = 0; k < n; ++k) {
    for (std::uint32_t p = 0; p < 12; ++p) data.pixels.push_back(static_cast<std::uint8_t>(10 * k + p));
    data.labels.push_back(static_cast<std::uint8_t>(k % 10));
  }
  return data;
}

float pixel(std::uint32_t k, std::uint32_t p) { return static_cast<float>((10 * k + p) / 255.0); }

}  // namespace

TEST(sequences, rows_and_pixels_appear_at_their_steps) {
  const auto data = numbered_images(5);
  const std::vector<std::uint32_t> samples{3, 1};
  const auto rows = image_sequences(data, image_order::rows).batch(samples, 0, 0);
  ASSERT_EQ(rows.inputs.sizes(), (std::vector<std::int64_t>{3, 2, 4}));
  for (std::int64_t y = 0; y < 3; ++y)
    for (std::int64_t x = 0; x < 4; ++x) {
      EXPECT_EQ(rows.inputs[y][0][x].item<float>(), pixel(3, static_cast<std::uint32_t>(4 * y + x)));
      EXPECT_EQ(rows.inputs[y][1][x].item<float>(), pixel(1, static_cast<std::uint32_t>(4 * y + x)));
    }
  EXPECT_TRUE(rows.labels.equal(at::tensor(std::vector<std::int64_t>{3, 1}, at::kLong)));
  const auto pixels = image_sequences(data, image_order::pixels).batch(samples, 0, 0);
  ASSERT_EQ(pixels.inputs.sizes(), (std::vector<std::int64_t>{12, 2, 1}));
  for (std::uint32_t p = 0; p < 12; ++p) EXPECT_EQ(pixels.inputs[p][1][0].item<float>(), pixel(1, p));
}

TEST(sequences, a_pair_is_its_two_images_in_turn_labelled_with_the_sum) {
  const auto data = numbered_images(20);
  const image_pair_sums pairs(data, image_order::rows, 50, 7);
  const std::vector<std::uint32_t> samples{4, 17, 0};
  const auto batch = pairs.batch(samples, 0, 2);
  ASSERT_EQ(batch.inputs.sizes(), (std::vector<std::int64_t>{6, 3, 4}));
  for (std::size_t b = 0; b < samples.size(); ++b) {
    const auto p = pairs.images(samples[b], 0, 2);
    const auto i = static_cast<std::int64_t>(b);
    EXPECT_EQ(batch.labels[i].item<std::int64_t>(), p.first % 10 + p.second % 10);
    EXPECT_EQ(batch.inputs[1][i][2].item<float>(), pixel(p.first, 6));   // row 1 of the first image
    EXPECT_EQ(batch.inputs[4][i][2].item<float>(), pixel(p.second, 6));  // row 1 of the second, 3 steps later
  }
}

TEST(sequences, pairs_depend_on_seed_stream_epoch_and_sample_only) {
  const auto data = numbered_images(1000);
  const image_pair_sums pairs(data, image_order::pixels, 100, 3);
  const std::vector<std::uint32_t> all{5, 6, 7}, one{6};
  EXPECT_TRUE(pairs.batch(all, 1, 0).inputs[0][1].equal(pairs.batch(one, 1, 0).inputs[0][0]));
  const auto same = image_pair_sums(data, image_order::pixels, 100, 3).images(6, 0, 4);
  EXPECT_EQ(pairs.images(6, 0, 4).first, same.first);
  EXPECT_EQ(pairs.images(6, 0, 4).second, same.second);
  int changed_by_epoch = 0, changed_by_stream = 0, changed_by_seed = 0;
  const image_pair_sums other_seed(data, image_order::pixels, 100, 4);
  for (std::uint32_t i = 0; i < 100; ++i) {
    changed_by_epoch += pairs.images(i, 0, 1).first != pairs.images(i, 0, 2).first;
    changed_by_stream += pairs.images(i, 0, 1).first != pairs.images(i, 1, 1).first;
    changed_by_seed += pairs.images(i, 0, 1).first != other_seed.images(i, 0, 1).first;
  }
  EXPECT_GT(changed_by_epoch, 90);  // equal by chance with probability 1/1000 each
  EXPECT_GT(changed_by_stream, 90);
  EXPECT_GT(changed_by_seed, 90);
}

// 19 classes; over 20 000 pairs of uniformly drawn classes the label histogram follows the
// triangular law P(s) = (10 - |s - 9|) / 100, within 5 standard deviations.
TEST(sequences, pair_labels_cover_19_classes_with_the_triangular_law) {
  const auto data = numbered_images(1000);
  const std::uint32_t n = 20000;
  const image_pair_sums pairs(data, image_order::rows, n, 11);
  EXPECT_EQ(pairs.classes(), 19u);
  std::vector<std::uint32_t> samples(n);
  for (std::uint32_t i = 0; i < n; ++i) samples[i] = i;
  const auto labels = pairs.batch(samples, 0, 0).labels;
  EXPECT_EQ(labels.min().item<std::int64_t>(), 0);
  EXPECT_EQ(labels.max().item<std::int64_t>(), 18);
  const auto counts = at::bincount(labels, {}, 19);
  for (std::int64_t s = 0; s < 19; ++s) {
    const double p = (10.0 - std::abs(static_cast<double>(s) - 9)) / 100, mean = n * p;
    EXPECT_NEAR(counts[s].item<double>(), mean, 5 * std::sqrt(mean * (1 - p))) << "sum " << s;
  }
}
