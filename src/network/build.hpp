#pragma once
// network::build turns a validated description into a ready-to-run core::simulation:
// populations with their parameters and initial state, synapses generated in parallel (each
// worker draws the synapses onto its own targets), stimuli and recorders.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "network/description.hpp"

namespace neurite::network {

// A description that is valid as a file but cannot be built (too large, impossible degree).
struct build_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The memory of one population or projection, for messages.
struct memory_part {
  std::string where;  // "FILE:LINE" of its entry
  std::string key;    // "populations.E", "projections[0]"
  std::string name;   // the projection's name ("" for populations)
  double bytes = 0;
};

struct memory_estimate {
  std::size_t synapses = 0;
  std::size_t bytes = 0;      // peak during build
  std::size_t available = 0;  // MemAvailable of the machine
  std::vector<memory_part> largest;  // the entries that need the most, largest first (at most 3)
};

// Expected synapse count and peak memory of building desc with `threads` workers.
memory_estimate estimate_memory(const network_desc& desc);

struct build_result {
  std::unique_ptr<core::simulation> sim;
  memory_estimate estimate;
  double build_s = 0;
};

// Throws build_error when the network would not fit in available memory (with both figures)
// or cannot be connected as asked.
build_result build(const network_desc& desc);

}  // namespace neurite::network
