#pragma once
// Small network descriptions shared by tests: a scaled-down Brunel network (E and I
// populations of iaf_psc_delta, fixed in-degree, Poisson drive).
#include <string>

#include "network/description.hpp"

namespace neurite::test_networks {

struct brunel_size {
  core::index_t n_e = 800, n_i = 200;
  std::uint64_t c_e = 80, c_i = 20;
  double j = 0.1 * 1000 / 80;  // [mV] keeps J C_E, the mean excitatory drive, as in Brunel-A
  double g = 5, eta = 2;
  double duration = 200;  // [ms]
};

inline network::network_desc brunel_network(const brunel_size& s, std::uint64_t seed, int threads) {
  using network::value_dist;
  network::network_desc d;
  d.file = "brunel_test";
  d.simulation = {0.1, s.duration, seed, threads};
  const std::vector<std::pair<std::string, double>> params{{"E_L", 0.0},  {"C_m", 250.0},  {"tau_m", 20.0},
                                                           {"t_ref", 2.0}, {"V_th", 20.0}, {"V_reset", 10.0}};
  value_dist v0{value_dist::kind::uniform, 0.0, 20.0};
  d.populations.push_back({"E", "iaf_psc_delta", s.n_e, params, {{"V_m", v0}}, {}, "E"});
  d.populations.push_back({"I", "iaf_psc_delta", s.n_i, params, {{"V_m", v0}}, {}, "I"});
  const auto indegree = [](std::uint64_t k) {
    network::connector_desc c;
    c.type = network::connector_desc::rule::fixed_indegree;
    c.degree = k;
    c.autapses = false;
    return c;
  };
  const value_dist delay{value_dist::kind::constant, 1.5};
  for (const char* tgt : {"E", "I"}) {
    d.projections.push_back({"", "E", tgt, indegree(s.c_e), {value_dist::kind::constant, s.j}, delay, {}, "p"});
    d.projections.push_back({"", "I", tgt, indegree(s.c_i), {value_dist::kind::constant, -s.g * s.j}, delay, {}, "p"});
    network::stimulus_desc st;
    st.type = "poisson_input";
    st.target = tgt;
    st.n = s.c_e;
    st.rate = s.eta * 20.0 / (s.j * static_cast<double>(s.c_e) * 20.0) * 1000.0;  // eta * nu_thr [Hz]
    st.weight = s.j;
    d.stimuli.push_back(st);
  }
  d.spike_recordings = {{"E", {}}, {"I", {}}};
  return d;
}

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
