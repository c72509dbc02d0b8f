#pragma once
// Counter-based random numbers (Philox4x32-10, Random123). Every draw is a pure function of
// (seed, purpose, id, step, index): connectivity is drawn from the postsynaptic neuron's own
// stream, noise per neuron and step. Nothing depends on which thread asks, so results are
// bit-identical for any thread count.
#include <cmath>
#include <cstdint>
#include <vector>

#include <Random123/philox.h>

namespace neurite::core {

// What a stream is for; part of the counter so that streams never overlap.
enum class purpose : std::uint32_t {
  connectivity = 1,   // + projection index * 16
  initial_state = 2,  // + population index * 16
  stimulus = 3,       // + stimulus index * 16
  neuron_noise = 4,   // + population index * 16
  hebbian_archetypes = 5,   // memory/dense_hebbian: id = archetype
  hebbian_examples = 6,     // id = archetype * M + example
  hebbian_sweep_order = 7,  // id = 0, step = sweep
  hebbian_heat_bath = 8,    // id = spin, step = sweep
  spike_encoding = 9,       // learn/encoders: id = pixel group, step = presentation * steps + t
  learn_weights = 10,       // learn/lif_network: id = layer
  learn_sample_order = 11,  // learn/training: id = 0, step = epoch
  learn_sequence_pairs = 12,  // learn/sequences: + stream * 16, id = sample, step = epoch
  sdr_trial = 13,           // memory/sdr_theory Monte Carlo: id = trial
  learn_tasks = 14,         // generated tasks: + 16 * (0-1 neuron-IO rates/inputs, 2 pathfinder, 3-4 cognitive tasks)
  test = 15,
};

constexpr std::uint32_t stream_purpose(purpose p, std::uint32_t index) {
  return static_cast<std::uint32_t>(p) + 16u * index;
}

using philox = r123::Philox4x32;

// Four 32-bit words for (seed, purpose, id, step, block).
inline philox::ctr_type philox_block(std::uint64_t seed, std::uint32_t purp, std::uint32_t id,
                                     std::uint64_t step, std::uint32_t block) {
  const philox::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const philox::ctr_type ctr = {{id, purp, static_cast<std::uint32_t>(step),
                                 block ^ (static_cast<std::uint32_t>(step >> 32) << 24)}};
  return philox{}(ctr, key);
}

// The words of Philox blocks (seed, purp, group, step, 0) for groups [first_group,
// first_group + n_groups): out[4 (g - first_group) + lane]. Equal to philox_block word for word,
// but computed many blocks at a time in a form the compiler vectorises.
void philox_group_words(std::uint64_t seed, std::uint32_t purp, std::uint64_t step, std::uint32_t first_group,
                        std::uint32_t n_groups, std::uint32_t* out);

// One 32-bit word per id and step, computed four ids at a time: the word for id i is lane i % 4
// of block i / 4, so a loop over consecutive ids costs one Philox call per four ids.
class per_id_words {
 public:
  per_id_words(std::uint64_t seed, std::uint32_t purp, std::uint64_t step) : seed_(seed), purp_(purp), step_(step) {}
  std::uint32_t operator()(std::uint32_t id) {
    const std::uint32_t group = id >> 2;
    if (group != group_) {
      group_ = group;
      words_ = philox_block(seed_, purp_, group, step_, 0);
    }
    return words_.v[id & 3u];
  }

 private:
  std::uint64_t seed_;
  std::uint32_t purp_;
  std::uint64_t step_;
  std::uint32_t group_ = ~0u;
  philox::ctr_type words_{};
};

// A sequential stream of draws for one (seed, purpose, id, step).
class random_stream {
 public:
  random_stream(std::uint64_t seed, std::uint32_t purp, std::uint32_t id, std::uint64_t step = 0)
      : seed_(seed), purp_(purp), id_(id), step_(step) {}

  std::uint32_t next_u32() {
    if (used_ == 4) {
      words_ = philox_block(seed_, purp_, id_, step_, block_++);
      used_ = 0;
    }
    return words_.v[used_++];
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t hi = next_u32() >> 5, lo = next_u32() >> 6;
    return static_cast<double>(hi * 67108864u + lo) * 0x1.0p-53;
  }
  // Uniform in (0, 1): safe for logarithms.
  double uniform_open() { return uniform() + 0x1.0p-54; }
  // Uniform integer in [0, n), without modulo bias (Lemire's method).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = std::uint64_t{next_u32()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  // Standard normal (Box-Muller; the second value is discarded to keep the stream simple).
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(uniform_open()));
    return r * std::cos(6.283185307179586 * uniform());
  }
  double exponential() { return -std::log(uniform_open()); }
  // Poisson variate with mean lambda (inversion below 12, else Hoermann's PTRS).
  std::uint32_t poisson(double lambda);

 private:
  std::uint64_t seed_;
  std::uint32_t purp_, id_;
  std::uint64_t step_;
  std::uint32_t block_ = 0, used_ = 4;
  philox::ctr_type words_{};
};

// Poisson variates from one 32-bit uniform word by table inversion: exact to 2^-32 in
// probability. Used for the per-neuron, per-step input drive, where lambda is fixed.
class poisson_table {
 public:
  explicit poisson_table(double lambda);
  std::uint32_t operator()(std::uint32_t word) const {
    std::uint32_t k = 0;
    while (k < thresholds_.size() && word >= thresholds_[k]) ++k;
    return k;
  }
  // counts[j] = (*this)(words[j]) for j < n, without data-dependent branches.
  void count(const std::uint32_t* words, std::size_t n, std::uint32_t* counts) const;
  double lambda() const { return lambda_; }

 private:
  double lambda_;
  std::vector<std::uint32_t> thresholds_;  // thresholds_[k] = floor(2^32 * P(X <= k))
};

}  // namespace neurite::core
