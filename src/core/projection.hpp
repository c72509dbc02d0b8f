#pragma once
// Static synapses of one projection, stored for spike delivery: for each worker, the synapses
// onto the targets that worker owns, as CSR rows by presynaptic neuron (uint32 target and,
// only where weights differ, float32 weight; uint16 delay only where delays differ).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/neuron_model.hpp"

namespace neurite::core {

struct synapse_block {
  std::vector<std::uint32_t> row_start;  // size n_source + 1
  std::vector<index_t> target;           // target index within the target population
  std::vector<float> weight;             // empty: all synapses have projection::weight
  std::vector<std::uint16_t> delay;      // [steps] empty: all synapses have projection::delay

  std::size_t size() const { return target.size(); }
  std::size_t bytes() const {
    return row_start.capacity() * sizeof(std::uint32_t) + target.capacity() * sizeof(index_t) +
           weight.capacity() * sizeof(float) + delay.capacity() * sizeof(std::uint16_t);
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

  std::size_t synapse_count() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.size();
    return n;
  }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.bytes();
    return n;
  }
};

}  // namespace neurite::core
