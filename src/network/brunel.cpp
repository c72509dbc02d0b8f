#include "network/brunel.hpp"

#include <string>
#include <utility>
#include <vector>

namespace neurite::network {

namespace {

connector_desc fixed_indegree(std::uint64_t k) {
  connector_desc c;
  c.type = connector_desc::rule::fixed_indegree;
  c.degree = k;
  c.autapses = false;
  return c;
}

}  // namespace

network_desc brunel_network(const brunel_size& s, std::uint64_t seed, int threads) {
  network_desc d;
  d.file = "brunel_2000";
  d.simulation = {0.1, s.duration, seed, threads};
  const std::vector<std::pair<std::string, double>> params{{"E_L", 0.0},  {"C_m", 250.0},  {"tau_m", 20.0},
                                                           {"t_ref", 2.0}, {"V_th", 20.0}, {"V_reset", 10.0}};
  const value_dist v0{value_dist::kind::uniform, 0.0, 20.0};
  d.populations.push_back({"E", "iaf_psc_delta", s.n_e, params, {{"V_m", v0}}, {}, "E"});
  d.populations.push_back({"I", "iaf_psc_delta", s.n_i, params, {{"V_m", v0}}, {}, "I"});
  const value_dist delay{value_dist::kind::constant, 1.5};
  for (const char* target : {"E", "I"}) {
    d.projections.push_back({"", "E", target, fixed_indegree(s.c_e), {value_dist::kind::constant, s.j}, delay, {}, "brunel"});
    d.projections.push_back(
        {"", "I", target, fixed_indegree(s.c_i), {value_dist::kind::constant, -s.g * s.j}, delay, {}, "brunel"});
    stimulus_desc st;
    st.type = "poisson_input";
    st.target = target;
    st.n = s.c_e;
    // nu_thr = V_th / (J C_E tau_m): the external rate that alone brings the mean input to threshold.
    st.rate = s.eta * 20.0 / (s.j * static_cast<double>(s.c_e) * 20.0) * 1000.0;  // [Hz]
    st.weight = s.j;
    d.stimuli.push_back(st);
  }
  d.spike_recordings = {{"E", {}}, {"I", {}}};
  return d;
}

}  // namespace neurite::network
