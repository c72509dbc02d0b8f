// aeif_cond_exp: adaptive exponential integrate-and-fire neuron (AdEx; Brette & Gerstner
// 2005) with exponentially decaying synaptic conductances, as NEST's model of the same name.
//
//   C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T)
//               - g_ex (V - E_ex) - g_in (V - E_in) - w + I_e + I_stim
//   tau_w dw/dt = a (V - E_L) - w
//   dg_ex/dt = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in
//   an input spike of weight w [nS] makes g_ex jump by w (w > 0) or g_in by -w (w < 0).
//   V >= V_peak (V_th when Delta_T == 0): spike, V <- V_reset, w <- w + b, and V is clamped
//   to V_reset for t_ref (w then relaxes with V = V_reset; the conductances keep going).
//
// Integration: the conductances decay exactly; (V, w) by classical fourth-order Runge-Kutta
// with n_substeps fixed sub-steps per time step, using the exact conductance course at the
// stage times. Inside the right-hand side V is bounded by V_peak (as NEST does), so the
// exponential cannot overflow (the check keeps (V_peak - V_th) / Delta_T far from overflow).
// The threshold is checked after every sub-step, as NEST checks after every solver step; a
// neuron reports at most one spike per time step. While clamped, w relaxes exactly towards
// a (V_reset - E_L). The weights arriving at a step are added to the conductances at its end.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class aeif_cond_exp final : public neuron_dynamics {
 public:
  aeif_cond_exp(const param_set& p, std::size_t n, double dt)
      : C_m_(p["C_m"]), g_L_(p["g_L"]), E_L_(p["E_L"]), V_reset_(p["V_reset"]), I_e_(p["I_e"]), Delta_T_(p["Delta_T"]),
        tau_w_(p["tau_w"]), a_(p["a"]), b_(p["b"]), V_th_(p["V_th"]), V_peak_(p["V_peak"]), E_ex_(p["E_ex"]),
        E_in_(p["E_in"]), V_spike_(p["Delta_T"] > 0 ? p["V_peak"] : p["V_th"]),
        substeps_(std::max(1, static_cast<int>(p["n_substeps"]))), h_(dt / substeps_),
        half_ex_(std::exp(-0.5 * h_ / p["tau_syn_ex"])), half_in_(std::exp(-0.5 * h_ / p["tau_syn_in"])),
        w_decay_(std::exp(-h_ / p["tau_w"])), ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))),
        V_(n, p["E_L"]), W_(n, 0.0), g_ex_(n, 0.0), g_in_(n, 0.0), refractory_(n, 0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    const input_t* w_ex = in.receptor[0];
    const input_t* w_in = in.receptor[1];  // negative weights, as in NEST
    for (index_t i = begin; i < end; ++i) {
      bool clamped = refractory_[i] > 0, fired = false;
      if (clamped) --refractory_[i];
      neuron s{V_[i], W_[i], g_ex_[i], g_in_[i]};
      const double current = I_e_ + in.current[i];
      for (int k = 0; k < substeps_; ++k) {
        substep(s, clamped, current);
        if (!clamped && s.v >= V_spike_) {
          fired = true;
          s.v = V_reset_;
          s.w += b_;
          refractory_[i] = ref_steps_;  // the rest of this step is clamped too, as in NEST
          clamped = ref_steps_ > 0;
        }
      }
      if (fired) spiked.push_back(i);
      V_[i] = s.v;
      W_[i] = s.w;
      g_ex_[i] = s.ge + w_ex[i];
      g_in_[i] = s.gi - w_in[i];
    }
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "w") return W_.data();
    if (name == "g_ex") return g_ex_.data();
    if (name == "g_in") return g_in_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override {
    v.reals("V_m", V_), v.reals("w", W_), v.reals("g_ex", g_ex_), v.reals("g_in", g_in_);
    v.integers("refractory", refractory_);
  }

 private:
  struct neuron {
    double v, w, ge, gi;
  };
  struct slope {
    double v, w;
  };

  slope rhs(double v, double w, double ge, double gi, double current) const {
    v = std::min(v, V_peak_);  // bounds the exponential
    const double spike = Delta_T_ > 0 ? g_L_ * Delta_T_ * std::exp((v - V_th_) / Delta_T_) : 0.0;
    return {(-g_L_ * (v - E_L_) + spike - ge * (v - E_ex_) - gi * (v - E_in_) - w + current) / C_m_,
            (a_ * (v - E_L_) - w) / tau_w_};
  }

  // Advances s by one sub-step h_: RK4 for (V, w), exact decay for the conductances.
  void substep(neuron& s, bool clamped, double current) const {
    const double ge1 = s.ge * half_ex_, gi1 = s.gi * half_in_;  // at t + h/2
    const double ge2 = ge1 * half_ex_, gi2 = gi1 * half_in_;    // at t + h
    if (clamped) {  // V held at V_reset: w relaxes exactly
      const double w_inf = a_ * (V_reset_ - E_L_);
      s.w = w_inf + (s.w - w_inf) * w_decay_;
      s.v = V_reset_;
    } else {
      const double h = h_;
      const slope k1 = rhs(s.v, s.w, s.ge, s.gi, current);
      const slope k2 = rhs(s.v + 0.5 * h * k1.v, s.w + 0.5 * h * k1.w, ge1, gi1, current);
      const slope k3 = rhs(s.v + 0.5 * h * k2.v, s.w + 0.5 * h * k2.w, ge1, gi1, current);
      const slope k4 = rhs(s.v + h * k3.v, s.w + h * k3.w, ge2, gi2, current);
      s.v += h / 6.0 * (k1.v + 2.0 * k2.v + 2.0 * k3.v + k4.v);
      s.w += h / 6.0 * (k1.w + 2.0 * k2.w + 2.0 * k3.w + k4.w);
    }
    s.ge = ge2;
    s.gi = gi2;
  }

  double C_m_, g_L_, E_L_, V_reset_, I_e_, Delta_T_, tau_w_, a_, b_, V_th_, V_peak_, E_ex_, E_in_, V_spike_;
  int substeps_;
  double h_, half_ex_, half_in_, w_decay_;  // sub-step, decays over half a sub-step / a sub-step
  int ref_steps_;
  std::vector<double> V_, W_, g_ex_, g_in_;
  std::vector<int> refractory_;
};

std::string check(const param_set& p) {
  if (!(p["V_peak"] >= p["V_th"]))
    return "expected V_peak >= V_th, found V_peak = " + format_quantity(p["V_peak"], dimension::voltage) +
           " and V_th = " + format_quantity(p["V_th"], dimension::voltage);
  if (auto error = expect_less(p, "V_reset", "V_peak"); !error.empty()) return error;
  // e^{(V_peak - V_th) / Delta_T} is the largest exponential evaluated: keep a 1e20 margin.
  const double max_arg = std::log(std::numeric_limits<double>::max() / 1e20);
  if (p["Delta_T"] > 0 && (p["V_peak"] - p["V_th"]) / p["Delta_T"] >= max_arg)
    return "expected (V_peak - V_th) / Delta_T < " + format_quantity(max_arg, dimension::dimensionless) +
           " (else the exponential overflows), found " +
           format_quantity((p["V_peak"] - p["V_th"]) / p["Delta_T"], dimension::dimensionless);
  return "";
}

const register_neuron_model registration{{
    .name = "aeif_cond_exp",
    .doc = "adaptive exponential integrate-and-fire (AdEx), exponential conductances (NEST aeif_cond_exp)",
    .method = "conductances decay exactly; (V, w) by classical RK4 with n_substeps fixed sub-steps per step, "
              "V bounded by V_peak inside the right-hand side",
    .params = {
        {"C_m", dimension::capacitance, 281.0, 0, unbounded, "membrane capacitance", true},
        {"t_ref", dimension::time, 0.0, 0, unbounded, "absolute refractory period"},
        {"V_reset", dimension::voltage, -60.0, -unbounded, unbounded, "reset potential"},
        {"E_L", dimension::voltage, -70.6, -unbounded, unbounded, "leak reversal potential"},
        {"g_L", dimension::conductance, 30.0, 0, unbounded, "leak conductance", true},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant external current"},
        {"Delta_T", dimension::voltage, 2.0, 0, unbounded, "slope factor of the exponential (0: none)"},
        {"tau_w", dimension::time, 144.0, 0, unbounded, "adaptation time constant", true},
        {"a", dimension::conductance, 4.0, -unbounded, unbounded, "subthreshold adaptation"},
        {"b", dimension::current, 80.5, -unbounded, unbounded, "spike-triggered adaptation"},
        {"V_th", dimension::voltage, -50.4, -unbounded, unbounded, "spike initiation threshold"},
        {"V_peak", dimension::voltage, 0.0, -unbounded, unbounded, "spike detection threshold"},
        {"E_ex", dimension::voltage, 0.0, -unbounded, unbounded, "excitatory reversal potential"},
        {"E_in", dimension::voltage, -85.0, -unbounded, unbounded, "inhibitory reversal potential"},
        {"tau_syn_ex", dimension::time, 0.2, 0, unbounded, "decay time of excitatory conductances", true},
        {"tau_syn_in", dimension::time, 2.0, 0, unbounded, "decay time of inhibitory conductances", true},
        {"n_substeps", dimension::dimensionless, 10.0, 1, 1000, "RK4 sub-steps per time step (10: spike times as NEST at dt = 0.1 ms)", false, true},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential"},
              {"w", dimension::current, "adaptation current"},
              {"g_ex", dimension::conductance, "excitatory synaptic conductance"},
              {"g_in", dimension::conductance, "inhibitory synaptic conductance"}},
    .receptors = {"ex", "in"},
    .weight_dim = dimension::conductance,
    .check = check,
    .make = make_dynamics<aeif_cond_exp>,
}};

}  // namespace
}  // namespace neurite::models
