// Spike encoders: Poisson spike counts against the binomial law, exact latency and direct-current
// values, and determinism that does not depend on how samples are grouped into batches.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "learn/encoders.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

io::labelled_images one_row_images(const std::vector<std::vector<std::uint8_t>>& images) {
  io::labelled_images data{static_cast<std::uint32_t>(images.size()), 1, static_cast<std::uint32_t>(images[0].size()), {}, {}};
  for (const auto& image : images) {
    data.pixels.insert(data.pixels.end(), image.begin(), image.end());
    data.labels.push_back(0);
  }
  return data;
}

std::vector<float> encode(const encoder& e, const io::labelled_images& data, const std::vector<std::uint32_t>& samples,
                          std::uint64_t epoch = 0) {
  std::vector<float> out(e.steps * samples.size() * data.pixels_per_image());
  encode_batch(e, data, samples, 0, epoch, out);
  return out;
}

}  // namespace

// Spike count of a pixel over T steps is binomial(T, gain x): within 5 standard deviations.
TEST(encoders, poisson_rate_counts_follow_the_binomial_law) {
  const auto data = one_row_images({{0, 51, 128, 255}});
  const encoder e{encoding::poisson_rate, 20000, 0.8, 0.2, 9};
  const auto out = encode(e, data, {0});
  for (std::uint32_t i = 0; i < 4; ++i) {
    double count = 0;
    for (std::uint32_t t = 0; t < e.steps; ++t) count += out[t * 4 + i];
    const double p = e.gain * data.pixels[i] / 255.0;
    EXPECT_NEAR(count, e.steps * p, 5 * std::sqrt(e.steps * p * (1 - p)) + 1e-9) << "pixel " << i;
  }
}

TEST(encoders, poisson_draws_depend_on_seed_epoch_and_sample_not_on_the_batch) {
  const auto data = one_row_images({std::vector<std::uint8_t>(10, 120), std::vector<std::uint8_t>(10, 200)});
  encoder e{encoding::poisson_rate, 50, 1.0, 0.2, 4};
  const auto batch = encode(e, data, {0, 1});
  EXPECT_EQ(batch, encode(e, data, {0, 1}));
  const auto alone = encode(e, data, {1});
  for (std::uint32_t t = 0; t < e.steps; ++t)
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_EQ(alone[t * 10 + i], batch[(t * 2 + 1) * 10 + i]);
  EXPECT_NE(batch, encode(e, data, {0, 1}, 1));
  e.seed = 5;
  EXPECT_NE(batch, encode(e, data, {0, 1}));
}

TEST(encoders, latency_and_direct_current_values) {
  const auto data = one_row_images({{255, 128, 10}});
  const auto latency = encode({encoding::latency, 11, 1.0, 0.2, 1}, data, {0});
  // pixel 255 at step 0, pixel 128 at round((1 - 128/255) * 10) = 5, pixel 10 (below 0.2) never.
  std::vector<float> expected(33, 0.0f);
  expected[0 * 3 + 0] = expected[5 * 3 + 1] = 1.0f;
  EXPECT_EQ(latency, expected);
  const auto direct = encode({encoding::direct_current, 3, 1.0, 0.2, 1}, data, {0});
  for (std::uint32_t t = 0; t < 3; ++t) EXPECT_FLOAT_EQ(direct[t * 3 + 1], 128.0f / 255.0f);
}

TEST(encoders, a_wrong_output_size_is_refused) {
  const auto data = one_row_images({{1, 2}});
  std::vector<float> wrong(3);
  EXPECT_THROW(encode_batch({}, data, std::vector<std::uint32_t>{0}, 0, 0, wrong), std::invalid_argument);
}
