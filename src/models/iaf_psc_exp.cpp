// iaf_psc_exp: leaky integrate-and-fire neuron with exponentially decaying synaptic currents,
// as NEST's model of the same name (Tsodyks et al. 1998; Rotter & Diesmann 1999).
//
//   C_m dV/dt = -(C_m / tau_m) (V - E_L) + I_syn_ex + I_syn_in + I_e + I_stim
//   dI_syn_ex/dt = -I_syn_ex / tau_syn_ex,   dI_syn_in/dt = -I_syn_in / tau_syn_in
//   an input spike of weight w [pA] makes I_syn_ex (w > 0) or I_syn_in (w < 0) jump by w.
//   V >= V_th: spike, V <- V_reset and clamped there for t_ref; the currents keep decaying and
//   keep receiving input during refractoriness.
//
// Exact integration: the linear system is advanced by its propagator over one step, so the
// result is exact at the grid points for inputs that arrive on the grid. The order within a
// step is NEST's: V moves with the currents of the step start, then the currents decay and
// the weights arriving at this step are added (they act from the end of the step on), then
// the threshold is checked. The current-to-voltage propagator
//   P21 = (1/C_m) (e^{-h/tau_s} - e^{-h/tau_m}) / (1/tau_m - 1/tau_s)
// is evaluated as h/C_m e^{-h/tau_slow} (1 - e^{-y}) / y with y = h |1/tau_m - 1/tau_s| via
// expm1, which is accurate for every pair of time constants and tends to h/C_m e^{-h/tau}
// in the singular case tau_m == tau_s without a special branch or cancellation.
#include <algorithm>
#include <cmath>

#include "core/neuron_model.hpp"
#include "models/current_lif.hpp"
#include "models/threshold.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

// Voltage at time h [mV] caused by a unit current [pA] at time 0 decaying with tau_s.
double current_to_voltage(double tau_m, double tau_s, double c_m, double h) {
  const double slow = std::max(tau_m, tau_s), fast = std::min(tau_m, tau_s);
  const double y = h * (1.0 / fast - 1.0 / slow);  // >= 0
  const double ratio = y > 0 ? -std::expm1(-y) / y : 1.0;  // (1 - e^{-y}) / y, -> 1 as y -> 0
  return h / c_m * std::exp(-h / slow) * ratio;
}

class iaf_psc_exp final : public neuron_dynamics {
 public:
  iaf_psc_exp(const param_set& p, std::size_t n, double dt)
      : V_th_(p["V_th"]), V_reset_(p["V_reset"]), I_e_(p["I_e"]), E_L_(p["E_L"]),
        P22_(std::exp(-dt / p["tau_m"])), P20_(-p["tau_m"] / p["C_m"] * std::expm1(-dt / p["tau_m"])),
        P11ex_(std::exp(-dt / p["tau_syn_ex"])), P11in_(std::exp(-dt / p["tau_syn_in"])),
        P21ex_(current_to_voltage(p["tau_m"], p["tau_syn_ex"], p["C_m"], dt)),
        P21in_(current_to_voltage(p["tau_m"], p["tau_syn_in"], p["C_m"], dt)),
        ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))), s_(n, p["E_L"]) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    integrate(begin, end, in.receptor[0], in.receptor[1], in.current, s_.V.data(), s_.I_ex.data(), s_.I_in.data(),
              s_.refractory.data());
    threshold_and_reset(begin, end, s_.V.data(), s_.refractory.data(), V_th_, V_reset_, ref_steps_, spiked);
  }

  double* state(std::string_view name) override { return s_.find(name); }
  void visit_state(state_visitor& v) override { s_.visit(v); }

 private:
  // One step for neurons [begin, end). The restrict-qualified parameters (GCC honours restrict
  // on parameters, not on locals) let the loop vectorise. w_in holds negative weights (NEST).
  void integrate(index_t begin, index_t end, const input_t* __restrict w_ex, const input_t* __restrict w_in,
                 const double* __restrict current, double* __restrict V, double* __restrict I_ex,
                 double* __restrict I_in, int* __restrict refractory) const {
    for (index_t i = begin; i < end; ++i) {
      // The propagators act on V relative to rest; refractory neurons stay at V_reset.
      const double v = E_L_ + (V[i] - E_L_) * P22_ + I_ex[i] * P21ex_ + I_in[i] * P21in_ + (I_e_ + current[i]) * P20_;
      const bool clamped = refractory[i] > 0;
      V[i] = clamped ? V[i] : v;
      refractory[i] -= clamped ? 1 : 0;
      I_ex[i] = I_ex[i] * P11ex_ + w_ex[i];
      I_in[i] = I_in[i] * P11in_ + w_in[i];
    }
  }

  double V_th_, V_reset_, I_e_, E_L_;
  double P22_, P20_, P11ex_, P11in_, P21ex_, P21in_;  // propagators over one step
  int ref_steps_;
  current_lif_state s_;
};

const register_neuron_model registration{{
    .name = "iaf_psc_exp",
    .doc = "leaky integrate-and-fire, exponentially decaying synaptic currents (NEST iaf_psc_exp)",
    .method = "exact propagator (expm1-based current-to-voltage term, also for tau_m == tau_syn)",
    .params = current_lif_params({-70.0, 250.0, 10.0, 2.0, 2.0, 2.0, -55.0, -70.0}, false),
    .state = current_lif_state_specs(),
    .receptors = {"ex", "in"},
    .weight_dim = dimension::current,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<iaf_psc_exp>,
}};

}  // namespace
}  // namespace neurite::models
