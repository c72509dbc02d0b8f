// iaf_cond_exp: leaky integrate-and-fire neuron with exponentially decaying synaptic
// conductances, as NEST's model of the same name (Meffin et al. 2004).
//
//   C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I_stim
//   dg_ex/dt = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in
//   an input spike of weight w [nS] makes g_ex jump by w (w > 0) or g_in by -w (w < 0).
//   V >= V_th at the end of a step: spike, V <- V_reset and clamped there for t_ref; the
//   conductances keep decaying and keep receiving input during refractoriness.
//
// Integration: the conductances decay exactly (g(t) = g(0) e^{-t/tau} inside a step); V is
// advanced by one classical fourth-order Runge-Kutta step per time step, with the exact
// conductance time course at the stage times t, t + h/2 and t + h. As in NEST, V is bounded
// by V_th inside the right-hand side. Order within a step as NEST: integrate, add the weights
// arriving at this step to the conductances, then the refractory clamp or threshold check.
#include <algorithm>
#include <cmath>

#include "core/neuron_model.hpp"
#include "models/threshold.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class iaf_cond_exp final : public neuron_dynamics {
 public:
  iaf_cond_exp(const param_set& p, std::size_t n, double dt)
      : E_L_(p["E_L"]), inv_C_m_(1.0 / p["C_m"]), g_L_(p["g_L"]), V_th_(p["V_th"]), V_reset_(p["V_reset"]), E_ex_(p["E_ex"]),
        E_in_(p["E_in"]), I_e_(p["I_e"]), h_(dt), half_ex_(std::exp(-0.5 * dt / p["tau_syn_ex"])),
        half_in_(std::exp(-0.5 * dt / p["tau_syn_in"])), ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))),
        V_(n, p["E_L"]), g_ex_(n, 0.0), g_in_(n, 0.0), refractory_(n, 0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    integrate(begin, end, in.receptor[0], in.receptor[1], in.current, V_.data(), g_ex_.data(), g_in_.data(),
              refractory_.data());
    threshold_and_reset(begin, end, V_.data(), refractory_.data(), V_th_, V_reset_, ref_steps_, spiked);
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "g_ex") return g_ex_.data();
    if (name == "g_in") return g_in_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override {
    v.reals("V_m", V_), v.reals("g_ex", g_ex_), v.reals("g_in", g_in_), v.integers("refractory", refractory_);
  }

 private:
  // One step for neurons [begin, end). The restrict-qualified parameters (GCC honours restrict
  // on parameters, not on locals) let the loop vectorise. w_in holds negative weights (NEST).
  void integrate(index_t begin, index_t end, const input_t* __restrict w_ex, const input_t* __restrict w_in,
                 const double* __restrict current, double* __restrict V, double* __restrict g_ex,
                 double* __restrict g_in, int* __restrict refractory) const {
    const double v_reset = V_reset_;
    for (index_t i = begin; i < end; ++i) {
      const double ge0 = g_ex[i], gi0 = g_in[i];
      const double ge1 = ge0 * half_ex_, gi1 = gi0 * half_in_;  // at t + h/2
      const double ge2 = ge1 * half_ex_, gi2 = gi1 * half_in_;  // at t + h
      const double v = rk4(V[i], ge0, gi0, ge1, gi1, ge2, gi2, I_e_ + current[i]);
      const bool clamped = refractory[i] > 0;
      V[i] = clamped ? v_reset : v;
      refractory[i] -= clamped ? 1 : 0;
      g_ex[i] = ge2 + w_ex[i];
      g_in[i] = gi2 - w_in[i];
    }
  }

  // dV/dt = b - a min(V, V_th): linear in V but for NEST's bound at V_th, which keeps the step
  // that crosses threshold from overshooting. a and b depend only on the conductances.
  struct rate {
    double a, b;
    double operator()(double v, double V_th) const { return b - a * std::min(v, V_th); }
  };
  rate rate_at(double ge, double gi, double current) const {
    return {(g_L_ + ge + gi) * inv_C_m_, (g_L_ * E_L_ + ge * E_ex_ + gi * E_in_ + current) * inv_C_m_};
  }

  // One classical RK4 step of V; (ge, gi) at the start, middle and end of the step.
  double rk4(double v, double ge0, double gi0, double ge1, double gi1, double ge2, double gi2, double current) const {
    const rate f0 = rate_at(ge0, gi0, current), f1 = rate_at(ge1, gi1, current), f2 = rate_at(ge2, gi2, current);
    const double k1 = f0(v, V_th_);
    const double k2 = f1(v + 0.5 * h_ * k1, V_th_);
    const double k3 = f1(v + 0.5 * h_ * k2, V_th_);
    const double k4 = f2(v + h_ * k3, V_th_);
    return v + h_ / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
  }

  double E_L_, inv_C_m_, g_L_, V_th_, V_reset_, E_ex_, E_in_, I_e_, h_;
  double half_ex_, half_in_;  // conductance decay over half a step
  int ref_steps_;
  std::vector<double> V_, g_ex_, g_in_;
  std::vector<int> refractory_;
};

const register_neuron_model registration{{
    .name = "iaf_cond_exp",
    .doc = "leaky integrate-and-fire, exponentially decaying synaptic conductances (NEST iaf_cond_exp)",
    .method = "conductances decay exactly; V by classical RK4 per step using the exact conductance course",
    .params = {
        {"E_L", dimension::voltage, -70.0, -unbounded, unbounded, "leak reversal potential"},
        {"C_m", dimension::capacitance, 250.0, 0, unbounded, "membrane capacitance", true},
        {"g_L", dimension::conductance, 16.6667, 0, unbounded, "leak conductance", true},
        {"t_ref", dimension::time, 2.0, 0, unbounded, "absolute refractory period"},
        {"V_th", dimension::voltage, -55.0, -unbounded, unbounded, "spike threshold"},
        {"V_reset", dimension::voltage, -60.0, -unbounded, unbounded, "reset potential"},
        {"E_ex", dimension::voltage, 0.0, -unbounded, unbounded, "excitatory reversal potential"},
        {"E_in", dimension::voltage, -85.0, -unbounded, unbounded, "inhibitory reversal potential"},
        {"tau_syn_ex", dimension::time, 0.2, 0, unbounded, "decay time of excitatory conductances", true},
        {"tau_syn_in", dimension::time, 2.0, 0, unbounded, "decay time of inhibitory conductances", true},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant external current"},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential"},
              {"g_ex", dimension::conductance, "excitatory synaptic conductance"},
              {"g_in", dimension::conductance, "inhibitory synaptic conductance"}},
    .receptors = {"ex", "in"},
    .weight_dim = dimension::conductance,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<iaf_cond_exp>,
}};

}  // namespace
}  // namespace neurite::models
