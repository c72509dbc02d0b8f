#pragma once
// Static synapses of one projection, stored for spike delivery: for each worker, the synapses
// onto the targets that worker owns, as CSR rows by presynaptic neuron: a target index (16 bits
// when the target population has at most 65536 neurons, else 32), a float32 weight only where
// weights differ, a uint16 delay only where delays differ. Plastic projections always keep
// weights.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"

namespace neurite::core {

struct synapse_block {
  std::vector<std::uint32_t> row_start;  // size n_source + 1
  std::vector<std::uint16_t> target16;   // target index within the target population, or
  std::vector<index_t> target32;         // this, for populations of more than 65536 neurons
  std::vector<float> weight;             // empty: all synapses have projection::weight
  std::vector<std::uint16_t> delay;      // [steps] empty: all synapses have projection::delay

  static constexpr index_t narrow_limit = 65536;
  std::size_t size() const { return target16.size() + target32.size(); }
  index_t target(std::size_t k) const { return target32.empty() ? target16[k] : target32[k]; }
  target_view targets() const { return {target16.data(), target32.empty() ? nullptr : target32.data()}; }
  std::size_t bytes() const {
    return row_start.capacity() * sizeof(std::uint32_t) + target16.capacity() * sizeof(std::uint16_t) +
           target32.capacity() * sizeof(index_t) + weight.capacity() * sizeof(float) +
           delay.capacity() * sizeof(std::uint16_t);
  }
};

struct projection {
  std::string name;
  std::uint32_t source = 0, target = 0;  // population indices
  std::uint32_t receptor = 0;
  float weight = 0;            // when homogeneous
  std::uint16_t delay = 1;     // [steps] when homogeneous; else the minimum
  std::uint16_t max_delay = 1; // [steps]
  std::vector<synapse_block> blocks;  // one per worker
  std::unique_ptr<plasticity_rule> plasticity;  // null: static synapses

  std::size_t synapse_count() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.size();
    return n;
  }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.bytes();
    return n + (plasticity ? plasticity->bytes() : 0);
  }
};

}  // namespace neurite::core
