#include "learn/encoders.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

// Philox words for one sample's step come four pixels to a block.
void encode_poisson(const encoder& e, const std::uint8_t* image, std::uint32_t pixels, std::uint64_t presentation,
                    std::uint32_t purp, std::size_t stride, float* out) {
  std::vector<std::uint64_t> threshold(pixels);  // spike when a 32-bit word is below it
  for (std::uint32_t i = 0; i < pixels; ++i)
    threshold[i] = static_cast<std::uint64_t>(std::llround(std::clamp(e.gain * image[i] / 255.0, 0.0, 1.0) * 0x1p32));
  const std::uint32_t groups = (pixels + 3) / 4;
  std::vector<std::uint32_t> words(4 * std::size_t{groups});
  for (std::uint32_t t = 0; t < e.steps; ++t) {
    core::philox_group_words(e.seed, purp, presentation * e.steps + t, 0, groups, words.data());
    float* row = out + t * stride;
    for (std::uint32_t i = 0; i < pixels; ++i) row[i] = words[i] < threshold[i] ? 1.0f : 0.0f;
  }
}

void encode_latency(const encoder& e, const std::uint8_t* image, std::uint32_t pixels, std::size_t stride, float* out) {
  for (std::uint32_t i = 0; i < pixels; ++i) {
    const double x = image[i] / 255.0;
    if (x < e.latency_threshold) continue;
    const auto t = static_cast<std::size_t>(std::lround((1.0 - x) * (e.steps - 1)));
    out[t * stride + i] = 1.0f;
  }
}

void encode_direct(const encoder& e, const std::uint8_t* image, std::uint32_t pixels, std::size_t stride, float* out) {
  for (std::uint32_t t = 0; t < e.steps; ++t)
    for (std::uint32_t i = 0; i < pixels; ++i) out[t * stride + i] = static_cast<float>(image[i] / 255.0);
}

}  // namespace

void encode_batch(const encoder& e, const io::labelled_images& data, std::span<const std::uint32_t> samples,
                  std::uint32_t stream, std::uint64_t epoch, std::span<float> out) {
  const std::uint32_t pixels = data.pixels_per_image();
  const std::size_t stride = samples.size() * pixels;  // from one step to the next
  if (out.size() != e.steps * stride) throw std::invalid_argument("encode_batch: output size is not steps x batch x pixels");
  std::fill(out.begin(), out.end(), 0.0f);
  const std::uint32_t purp = core::stream_purpose(core::purpose::spike_encoding, stream);
  for (std::size_t b = 0; b < samples.size(); ++b) {
    if (samples[b] >= data.count) throw std::out_of_range("encode_batch: sample index beyond the data set");
    const std::uint8_t* image = data.pixels.data() + std::size_t{samples[b]} * pixels;
    float* first = out.data() + b * pixels;
    switch (e.kind) {
      case encoding::poisson_rate:
        encode_poisson(e, image, pixels, epoch * data.count + samples[b], purp, stride, first);
        break;
      case encoding::latency:
        encode_latency(e, image, pixels, stride, first);
        break;
      case encoding::direct_current:
        encode_direct(e, image, pixels, stride, first);
        break;
    }
  }
}

}  // namespace neurite::learn
