#pragma once
// Spike encodings of images: pixel intensities x = pixel / 255 in [0, 1] become `steps` time steps
// of input to a spiking network. Each is deterministic for a given seed.
//   poisson_rate:   a spike at each step with probability gain * x (a Bernoulli draw per pixel and
//                   step from the counter-based Philox stream, so any thread may encode any sample);
//   latency:        one spike, earlier for brighter pixels: at step round((1 - x) * (steps - 1)),
//                   none for pixels below latency_threshold (time-to-first-spike coding);
//   direct_current: x itself at every step, no spikes (the first layer does the encoding).
#include <cstdint>
#include <span>

#include "io/fashion_mnist.hpp"

namespace neurite::learn {

enum class encoding { poisson_rate, latency, direct_current };

struct encoder {
  encoding kind = encoding::poisson_rate;
  std::uint32_t steps = 25;
  double gain = 1.0;               // poisson_rate: spike probability per step at x = 1
  double latency_threshold = 0.2;  // latency: darker pixels never spike
  std::uint64_t seed = 1;
};

// Encodes images data[samples[b]] into out[(t * samples.size() + b) * pixels + i] (time-major:
// steps x batch x pixels). Poisson draws depend on (seed, stream, epoch, sample index, t, pixel)
// only; `stream` separates uses of one data set (0 for training, 1 for testing).
void encode_batch(const encoder& e, const io::labelled_images& data, std::span<const std::uint32_t> samples,
                  std::uint32_t stream, std::uint64_t epoch, std::span<float> out);

}  // namespace neurite::learn
