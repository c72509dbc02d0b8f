#pragma once
// Small network descriptions shared by tests: the Brunel network (network/brunel.hpp, scaled down
// by its size) and a plastic target added to it.
#include <string>

#include "network/brunel.hpp"
#include "network/description.hpp"

namespace neurite::test_networks {

using network::brunel_network;
using network::brunel_size;

// Adds a population T of two neurons, driven to fire every few ms, and a plastic projection
// E -> T, 5 ms long, whose synapses all end on T's neuron 0: with 3 or more threads some workers
// own no neuron of T, and with 2 the worker owning neuron 1 holds no plastic synapse. Each
// neuron of T has a spike on its way back to the synapses at any step.
inline network::network_desc with_small_plastic_target(network::network_desc d, const std::string& rule) {
  using network::value_dist;
  const double j = d.projections[0].weight.a / 4;
  d.populations.push_back({"T", "iaf_psc_delta", 2, d.populations[0].params, d.populations[0].initial, {}, "T"});
  network::connector_desc edges;
  edges.type = network::connector_desc::rule::explicit_list;
  for (core::index_t s = 0; s < 200; ++s) edges.edges.push_back({s, 0, std::nullopt, std::nullopt});
  d.projections.push_back({"E->T", "E", "T", edges, {value_dist::kind::constant, j}, {value_dist::kind::constant, 5.0},
                           network::plasticity_desc{rule, {{"w_min", 0.0},
                                                           {"w_max", 2 * j},
                                                           {rule == "stdp_triplet" ? "A3_plus" : "A_plus", 0.05}}},
                           "p"});
  auto drive = d.stimuli.front();
  drive.target = "T";
  drive.rate *= 3;
  d.stimuli.push_back(drive);
  d.spike_recordings.push_back({"T", {}});
  return d;
}

}  // namespace neurite::test_networks
