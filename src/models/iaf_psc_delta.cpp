// iaf_psc_delta: leaky integrate-and-fire neuron with delta-shaped synaptic input, as NEST's
// model of the same name (Brunel 2000).
//
//   tau_m dV/dt = -(V - E_L) + R (I_e + I_stim),  R = tau_m / C_m
//   an input spike of weight w [mV] makes V jump by w; during refractoriness V is clamped to
//   V_reset and arriving input is discarded. V >= V_th: spike, V <- V_reset for t_ref.
//
// Exact integration (the propagator over one step is exp(-dt / tau_m)).
#include <cmath>

#include "core/neuron_model.hpp"
#include "models/threshold.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class iaf_psc_delta final : public neuron_dynamics {
 public:
  iaf_psc_delta(const param_set& p, std::size_t n, double dt)
      : E_L_(p["E_L"]), V_th_(p["V_th"]), V_reset_(p["V_reset"]), I_e_(p["I_e"]),
        decay_(std::exp(-dt / p["tau_m"])), R_(p["tau_m"] / p["C_m"]),
        ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))), V_(n, p["E_L"]), refractory_(n, 0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    integrate(begin, end, in.receptor[0], in.current, V_.data(), refractory_.data());
    threshold_and_reset(begin, end, V_.data(), refractory_.data(), V_th_, V_reset_, ref_steps_, spiked);
  }

  double* state(std::string_view name) override { return name == "V_m" ? V_.data() : nullptr; }
  void visit_state(state_visitor& v) override { v.reals("V_m", V_), v.integers("refractory", refractory_); }

 private:
  // One step for neurons [begin, end); restrict-qualified parameters let the loop vectorise.
  void integrate(index_t begin, index_t end, const input_t* __restrict input, const double* __restrict current,
                 double* __restrict V, int* __restrict refractory) const {
    const double v_reset = V_reset_;
    for (index_t i = begin; i < end; ++i) {
      // V <- E_L + (V - E_L) e^{-dt/tau} + R I (1 - e^{-dt/tau}) + sum of arriving weights;
      // refractory neurons stay clamped at V_reset and lose their input, as in NEST.
      const double v_inf = E_L_ + R_ * (I_e_ + current[i]);
      const double v = v_inf + (V[i] - v_inf) * decay_ + input[i];
      // An arithmetic blend instead of a select, which GCC 12 does not vectorise next to the
      // float input. It is exact: keep is 0 or 1 and v is finite.
      const double keep = refractory[i] > 0 ? 0.0 : 1.0;
      V[i] = keep * v + (1.0 - keep) * v_reset;
      refractory[i] -= refractory[i] > 0 ? 1 : 0;
    }
  }

  double E_L_, V_th_, V_reset_, I_e_, decay_, R_;
  int ref_steps_;
  std::vector<double> V_;
  std::vector<int> refractory_;
};

const register_neuron_model registration{{
    .name = "iaf_psc_delta",
    .doc = "leaky integrate-and-fire, voltage-jump synapses (NEST iaf_psc_delta, Brunel 2000)",
    .method = "exact propagator",
    .params = {
        {"E_L", dimension::voltage, -70.0, -unbounded, unbounded, "resting potential"},
        {"C_m", dimension::capacitance, 250.0, 0, unbounded, "membrane capacitance", true},
        {"tau_m", dimension::time, 10.0, 0, unbounded, "membrane time constant", true},
        {"t_ref", dimension::time, 2.0, 0, unbounded, "absolute refractory period"},
        {"V_th", dimension::voltage, -55.0, -unbounded, unbounded, "spike threshold"},
        {"V_reset", dimension::voltage, -70.0, -unbounded, unbounded, "reset potential"},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant external current"},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential"}},
    .receptors = {"syn"},
    .weight_dim = dimension::voltage,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<iaf_psc_delta>,
}};

}  // namespace
}  // namespace neurite::models
