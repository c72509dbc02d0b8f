// if_curr_exp_spinnaker: PyNN's IF_curr_exp as sPyNNaker (SpiNNaker) steps it, so that models
// built for SpiNNaker reproduce spike for spike. Same equations as iaf_psc_exp,
//   C_m dV/dt = -(C_m / tau_m)(V - E_L) + I_syn_ex + I_syn_in + I_e + I_stim,
// but sPyNNaker's discretisation, which differs from NEST's exact one:
//   1. the weights w arriving at this step are added at once, scaled by
//      init = (tau_syn / dt)(1 - e^{-dt/tau_syn}) (the mean of the current over the step);
//   2. V relaxes over the step towards E_L + R I with the current held constant (R = tau_m/C_m):
//      V <- a - e^{-dt/tau_m} (a - V),  a = E_L + R (I_syn_ex + I_syn_in + I_e + I_stim);
//      refractory neurons are skipped instead (V stays at V_reset);
//   3. V >= V_th: spike, V <- V_reset, refractory for round(t_ref / dt) steps;
//   4. the synaptic currents decay by e^{-dt/tau_syn}.
// So an input acts in the step it arrives in, one step earlier than in iaf_psc_exp.
// Defaults are PyNN's. SpiNNaker computes in 32-bit fixed point; this model in double, which
// differs from it only when V lands within about 1e-4 mV of the threshold.
#include <cmath>

#include "core/neuron_model.hpp"
#include "models/current_lif.hpp"
#include "models/threshold.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

// The mean over one step of a current that decays with tau from 1: sPyNNaker's input scaling.
double step_mean(double tau, double dt) { return -tau / dt * std::expm1(-dt / tau); }

class if_curr_exp_spinnaker final : public neuron_dynamics {
 public:
  if_curr_exp_spinnaker(const param_set& p, std::size_t n, double dt)
      : V_th_(p["V_th"]), V_reset_(p["V_reset"]), I_e_(p["I_e"]), E_L_(p["E_L"]), R_(p["tau_m"] / p["C_m"]),
        decay_m_(std::exp(-dt / p["tau_m"])), decay_ex_(std::exp(-dt / p["tau_syn_ex"])),
        decay_in_(std::exp(-dt / p["tau_syn_in"])), init_ex_(step_mean(p["tau_syn_ex"], dt)),
        init_in_(step_mean(p["tau_syn_in"], dt)), ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))),
        s_(n, p["E_L"]) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    integrate(begin, end, in.receptor[0], in.receptor[1], in.current, s_.V.data(), s_.I_ex.data(), s_.I_in.data(),
              s_.refractory.data());
    threshold_and_reset(begin, end, s_.V.data(), s_.refractory.data(), V_th_, V_reset_, ref_steps_, spiked);
    for (index_t i = begin; i < end; ++i) {
      s_.I_ex[i] *= decay_ex_;
      s_.I_in[i] *= decay_in_;
    }
  }

  double* state(std::string_view name) override { return s_.find(name); }
  void visit_state(state_visitor& v) override { s_.visit(v); }

 private:
  // Steps 1 and 2 for neurons [begin, end); restrict-qualified parameters let the loop vectorise.
  void integrate(index_t begin, index_t end, const input_t* __restrict w_ex, const input_t* __restrict w_in,
                 const double* __restrict current, double* __restrict V, double* __restrict I_ex,
                 double* __restrict I_in, int* __restrict refractory) const {
    for (index_t i = begin; i < end; ++i) {
      I_ex[i] += w_ex[i] * init_ex_;
      I_in[i] += w_in[i] * init_in_;
      const double a = E_L_ + R_ * (I_ex[i] + I_in[i] + I_e_ + current[i]);
      const bool clamped = refractory[i] > 0;
      V[i] = clamped ? V[i] : a - decay_m_ * (a - V[i]);
      refractory[i] -= clamped ? 1 : 0;
    }
  }

  double V_th_, V_reset_, I_e_, E_L_, R_;
  double decay_m_, decay_ex_, decay_in_, init_ex_, init_in_;
  int ref_steps_;
  current_lif_state s_;
};

const register_neuron_model registration{{
    .name = "if_curr_exp_spinnaker",
    .doc = "PyNN IF_curr_exp stepped as sPyNNaker does (inputs act in their arrival step)",
    .method = "sPyNNaker's: step-mean input scaling, membrane relaxed with the current held per step",
    .params = current_lif_params({-65.0, 1000.0, 20.0, 5.0, 5.0, 0.1, -50.0, -65.0}, true),
    .state = current_lif_state_specs(),
    .receptors = {"ex", "in"},
    .weight_dim = dimension::current,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<if_curr_exp_spinnaker>,
}};

}  // namespace
}  // namespace neurite::models
