#pragma once
// Sparse distributed representations (Ahmad & Hawkins 2016): a of n cells active, stored as a
// sorted index set (compact, for sparse codes) or as a bitset (constant-time membership, for
// matching many segments against one input). Random SDRs come from counter-based streams, so a
// Monte Carlo trial is a pure function of (seed, trial).
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/rng.hpp"

namespace neurite::memory {

using cell_t = std::uint32_t;

// The active cells of a population of n cells, ascending and distinct.
struct sdr {
  cell_t n = 0;
  std::vector<cell_t> active;
};

// Sorts and deduplicates the indices; throws std::invalid_argument if one is >= n.
sdr make_sdr(cell_t n, std::vector<cell_t> indices);

// The same SDR as n bits, 64 to a word.
class sdr_bits {
 public:
  explicit sdr_bits(const sdr& x);
  cell_t n() const { return n_; }
  bool test(cell_t i) const { return (words_[i >> 6] >> (i & 63u)) & 1u; }
  std::size_t count() const;
  const std::vector<std::uint64_t>& words() const { return words_; }

 private:
  cell_t n_;
  std::vector<std::uint64_t> words_;
};

// Number of cells active in both.
std::size_t overlap(const sdr& x, const sdr& y);
std::size_t overlap(const sdr_bits& x, const sdr_bits& y);
std::size_t overlap(const sdr_bits& x, const sdr& y);

// Cells active in any of the SDRs (all over the same n).
sdr union_of(std::span<const sdr> xs);

// a distinct cells out of n, uniformly (Floyd's algorithm: a draws, no rejection).
sdr random_sdr(cell_t n, cell_t a, core::random_stream& rng);
// s of the active cells of x, uniformly: the synapses a segment forms onto a pattern.
sdr subsample(const sdr& x, cell_t s, core::random_stream& rng);
// x with k of its active cells replaced by k cells that were inactive in x, all uniformly.
sdr add_noise(const sdr& x, cell_t k, core::random_stream& rng);

// A dendritic segment: synapses onto presynaptic cells; it produces an NMDA spike when at least
// theta of them see active cells.
class dendritic_segment {
 public:
  dendritic_segment(sdr synapses, cell_t theta) : synapses_(std::move(synapses)), theta_(theta) {}
  const sdr& synapses() const { return synapses_; }
  cell_t theta() const { return theta_; }
  std::size_t matches(const sdr_bits& input) const { return overlap(input, synapses_); }
  bool active(const sdr_bits& input) const { return matches(input) >= theta_; }

 private:
  sdr synapses_;
  cell_t theta_;
};

// A neuron that recognises a pattern when any of its segments is active.
class dendritic_neuron {
 public:
  void add_segment(dendritic_segment segment) { segments_.push_back(std::move(segment)); }
  const std::vector<dendritic_segment>& segments() const { return segments_; }
  bool active(const sdr_bits& input) const;

 private:
  std::vector<dendritic_segment> segments_;
};

}  // namespace neurite::memory
