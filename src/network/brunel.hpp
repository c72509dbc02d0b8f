#pragma once
// Brunel (2000) model A as a network description at any size: E and I populations of
// iaf_psc_delta, fixed in-degree, delay 1.5 ms, each neuron driven by c_e Poisson sources at
// eta nu_thr. The kernel's reference network (validation tests, dynamics-measures).
#include <cstdint>

#include "network/description.hpp"

namespace neurite::network {

struct brunel_size {
  core::index_t n_e = 800, n_i = 200;
  std::uint64_t c_e = 80, c_i = 20;
  double j = 0.1 * 1000 / 80;  // [mV] keeps J C_E = 100 mV, the mean excitatory drive of model A
  double g = 5, eta = 2;       // relative inhibition; nu_ext / nu_thr
  double duration = 200;       // [ms]
};

network_desc brunel_network(const brunel_size& s, std::uint64_t seed, int threads);

}  // namespace neurite::network
