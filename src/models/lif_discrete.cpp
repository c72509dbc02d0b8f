// lif_discrete: the leaky integrate-and-fire neuron of learn/ (learn/lif.hpp) in discrete time, with
// the same parameter names, so that a network trained there runs here with the same spikes
// (docs/learn.md, "Export to the simulator"). Per step t, with beta = exp(-dt / tau_m) and
// rho = exp(-dt / tau_sfa), V(0) = 0 and a_sfa(0) = 0:
//
//   U(t) = beta V(t-1) + I(t)          I(t): the weights [mV] arriving in step t, + I_e + I_stim
//   S(t) = 1 if U(t) - V_th - q_sfa a_sfa(t-1) >= 0
//   V(t) = U(t) - V_th S(t)            reset = "subtract", or
//   V(t) = U(t) (1 - S(t))             reset = "to_zero"
//   a_sfa(t) = rho a_sfa(t-1) + S(t)   (only matters when q_sfa != 0)
//
// Input arriving in a step acts in that step. I_e is a constant input per step [mV], learn's bias
// when it is the same for every neuron; a stimulus current [pA] counts as mV per step (an implicit
// 1 GOhm, as izhikevich's implicit 1 pF): there is no membrane capacitance in the discrete model.
//
// The state is computed in single precision, operation by operation as learn's forward loop does
// (and with contraction into fused multiply-adds off in both files, models/sources.cmake), because
// learn trains in float32: the same inputs then give the same spikes bit for bit. It is stored in
// double arrays so that recorders and initial values see it like any other model's state.
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

enum reset_choice { reset_subtract = 0, reset_to_zero = 1 };

class lif_discrete final : public neuron_dynamics {
 public:
  lif_discrete(const param_set& p, std::size_t n, double dt)
      : beta_(static_cast<float>(std::exp(-dt / p["tau_m"]))), rho_(static_cast<float>(std::exp(-dt / p["tau_sfa"]))),
        V_th_(static_cast<float>(p["V_th"])), q_sfa_(static_cast<float>(p["q_sfa"])), I_e_(p["I_e"]),
        subtract_(static_cast<int>(p["reset"]) == reset_subtract), V_(n, 0.0), a_(n, 0.0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    const input_t* weights = in.receptor[0];
    for (index_t i = begin; i < end; ++i) {
      const float v = static_cast<float>(V_[i]), a = static_cast<float>(a_[i]);
      // Written as learn/lif.cpp writes it, so that both round identically.
      const float u = beta_ * v + (weights[i] + static_cast<float>(I_e_ + in.current[i]));
      const float s = u - V_th_ - q_sfa_ * a >= 0 ? 1.0f : 0.0f;
      V_[i] = subtract_ ? u - V_th_ * s : u * (1 - s);
      a_[i] = rho_ * a + s;
      if (s != 0) spiked.push_back(i);
    }
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "a_sfa") return a_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override { v.reals("V_m", V_), v.reals("a_sfa", a_); }

 private:
  float beta_, rho_, V_th_, q_sfa_;
  double I_e_;
  bool subtract_;
  std::vector<double> V_, a_;  // values of single precision
};

const register_neuron_model registration{{
    .name = "lif_discrete",
    .doc = "discrete-time leaky integrate-and-fire of learn/ (snnTorch's Leaky), optional adaptive threshold",
    .method = "the discrete map of learn/lif.hpp, in single precision",
    .params = {
        {"tau_m", dimension::time, 10.0, 0, unbounded, "membrane time constant: beta = exp(-dt / tau_m)", true},
        {"V_th", dimension::voltage, 1.0, 0, unbounded, "spike threshold (learn's V_th, its input unit read as mV)", true},
        {"reset", dimension::dimensionless, reset_subtract, 0, 1,
         "after a spike, subtract V_th from U or set V to zero", false, true, {"subtract", "to_zero"}},
        {"q_sfa", dimension::voltage, 0.0, 0, unbounded, "threshold jump per spike (0: plain LIF)"},
        {"tau_sfa", dimension::time, 100.0, 0, unbounded, "decay time of the threshold jumps", true},
        {"I_e", dimension::voltage, 0.0, -unbounded, unbounded, "constant input added to U in every step"},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential after reset, V(t)"},
              {"a_sfa", dimension::dimensionless, "spike trace of the adaptive threshold"}},
    .receptors = {"syn"},
    .weight_dim = dimension::voltage,
    .check = {},
    .make = make_dynamics<lif_discrete>,
}};

}  // namespace
}  // namespace neurite::models
