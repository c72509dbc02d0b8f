#pragma once
// What the integrate-and-fire models with exponential synaptic currents share (iaf_psc_exp,
// if_curr_exp_spinnaker): their state arrays, its names, and the parameter table of a
// current-based LIF neuron with two receptors, whose defaults differ between the models.
#include <string>
#include <string_view>
#include <vector>

#include "core/neuron_model.hpp"

namespace neurite::models {

struct current_lif_state {
  current_lif_state(std::size_t n, double V0) : V(n, V0), I_ex(n, 0.0), I_in(n, 0.0), refractory(n, 0) {}
  double* find(std::string_view name) {
    if (name == "V_m") return V.data();
    if (name == "I_syn_ex") return I_ex.data();
    if (name == "I_syn_in") return I_in.data();
    return nullptr;
  }
  void visit(core::state_visitor& v) {
    v.reals("V_m", V), v.reals("I_syn_ex", I_ex), v.reals("I_syn_in", I_in), v.integers("refractory", refractory);
  }
  std::vector<double> V, I_ex, I_in;
  std::vector<int> refractory;
};

inline std::vector<core::state_spec> current_lif_state_specs() {
  using core::dimension;
  return {{"V_m", dimension::voltage, "membrane potential"},
          {"I_syn_ex", dimension::current, "excitatory synaptic current"},
          {"I_syn_in", dimension::current, "inhibitory synaptic current (negative)"}};
}

// Defaults of a current-based LIF neuron, in the internal units, and a suffix for the docs of
// those parameters that carry another simulator's name.
struct current_lif_defaults {
  double E_L, C_m, tau_m, tau_syn_ex, tau_syn_in, t_ref, V_th, V_reset;
};

inline core::param_table current_lif_params(const current_lif_defaults& d, bool pynn_names) {
  using core::dimension, core::unbounded;
  const auto doc = [&](const char* what, const char* pynn) {
    return pynn_names ? std::string(what) + " (PyNN " + pynn + ")" : std::string(what);
  };
  return {
      {"E_L", dimension::voltage, d.E_L, -unbounded, unbounded, doc("resting potential", "v_rest")},
      {"C_m", dimension::capacitance, d.C_m, 0, unbounded, doc("membrane capacitance", "cm"), true},
      {"tau_m", dimension::time, d.tau_m, 0, unbounded, "membrane time constant", true},
      {"tau_syn_ex", dimension::time, d.tau_syn_ex, 0, unbounded, doc("decay time of excitatory currents", "tau_syn_E"), true},
      {"tau_syn_in", dimension::time, d.tau_syn_in, 0, unbounded, doc("decay time of inhibitory currents", "tau_syn_I"), true},
      {"t_ref", dimension::time, d.t_ref, 0, unbounded, doc("absolute refractory period", "tau_refrac")},
      {"V_th", dimension::voltage, d.V_th, -unbounded, unbounded, doc("spike threshold", "v_thresh")},
      {"V_reset", dimension::voltage, d.V_reset, -unbounded, unbounded, doc("reset potential", "v_reset")},
      {"I_e", dimension::current, 0.0, -unbounded, unbounded, doc("constant external current", "i_offset")},
  };
}

}  // namespace neurite::models
