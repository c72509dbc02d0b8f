#pragma once
// Synapse generation for one projection onto one worker's slice of targets. Each synapse's
// source, weight and delay come from the counter-based stream of its target neuron (of its
// source neuron for fixed_outdegree, of its row for explicit lists), so the network is the
// same for any number of workers.
#include <cstdint>

#include "core/projection.hpp"
#include "core/rng.hpp"
#include "network/description.hpp"

namespace neurite::network {

struct projection_plan {
  const projection_desc* desc;
  std::uint32_t index;  // selects the random stream
  core::index_t n_source, n_target;
  bool same_population;  // source == target: autapses are possible
  double dt;
  std::uint64_t seed;
  value_dist weight, delay;  // clipped so that weights keep their sign and delays stay >= dt
  bool weight_per_synapse;  // else every synapse has the projection's constant weight
  bool delay_per_synapse;   // else every synapse has the projection's constant delay
};

// Fills block with the synapses onto targets [begin, end), as CSR rows by source.
void generate_synapses(const projection_plan& plan, core::index_t begin, core::index_t end, core::synapse_block& block);

// The number of synapses the connector is expected to make (exact where the rule fixes it).
double expected_synapses(const connector_desc& c, core::index_t n_source, core::index_t n_target, bool same);

// Draws one value of a distribution, clipped to [min, max].
double draw(const value_dist& d, core::random_stream& s);

}  // namespace neurite::network
