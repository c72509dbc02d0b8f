// izhikevich: Izhikevich's simple spiking model (Izhikevich 2003), as NEST's model of the same
// name with consistent_integration = true.
//
//   dV/dt = 0.04 V^2 + 5 V + 140 - U + I_e + I_stim     (V in mV, t in ms)
//   dU/dt = a (b V - U)
//   V >= V_th: spike, V <- c, U <- U + d.  V is bounded below by V_min. No refractoriness.
//   an input spike of weight w [mV] makes V jump by w.
// As in NEST, the current [pA] enters dV/dt directly as mV/ms (an implicit 1 pF), and U is
// measured in mV (so are c and d).
//
// Integration: forward Euler (order 1) over one step from the values at the step start, then
// the arriving weights are added to V, V is bounded by V_min and the threshold is checked.
// The initial state is NEST's: V = -65 mV, U = 0.
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class izhikevich final : public neuron_dynamics {
 public:
  izhikevich(const param_set& p, std::size_t n, double dt)
      : a_(p["a"]), b_(p["b"]), c_(p["c"]), d_(p["d"]), V_th_(p["V_th"]), V_min_(p["V_min"]), I_e_(p["I_e"]), h_(dt),
        V_(n, -65.0), U_(n, 0.0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    const input_t* input = in.receptor[0];
    for (index_t i = begin; i < end; ++i) {
      const double v = V_[i], u = U_[i];
      double v_new = v + h_ * (0.04 * v * v + 5.0 * v + 140.0 - u + I_e_ + in.current[i]) + input[i];
      double u_new = u + h_ * a_ * (b_ * v - u);
      if (v_new < V_min_) v_new = V_min_;
      if (v_new >= V_th_) {
        spiked.push_back(i);
        v_new = c_;
        u_new += d_;
      }
      V_[i] = v_new;
      U_[i] = u_new;
    }
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "U_m") return U_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override { v.reals("V_m", V_), v.reals("U_m", U_); }

 private:
  double a_, b_, c_, d_, V_th_, V_min_, I_e_, h_;
  std::vector<double> V_, U_;
};

const register_neuron_model registration{{
    .name = "izhikevich",
    .doc = "Izhikevich (2003) simple model, voltage-jump synapses (NEST izhikevich)",
    .method = "forward Euler (order 1), as NEST with consistent_integration = true",
    .params = {
        {"a", dimension::dimensionless, 0.02, 0, unbounded, "rate of recovery of U [1/ms]"},
        {"b", dimension::dimensionless, 0.2, -unbounded, unbounded, "sensitivity of U to V"},
        {"c", dimension::voltage, -65.0, -unbounded, unbounded, "after-spike reset value of V"},
        {"d", dimension::voltage, 8.0, -unbounded, unbounded, "after-spike increment of U"},
        {"V_th", dimension::voltage, 30.0, -unbounded, unbounded, "spike cut-off (peak) potential"},
        {"V_min", dimension::voltage, -unbounded, -unbounded, unbounded, "lower bound of V (default: none)"},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant external current (enters as mV/ms)"},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential"},
              {"U_m", dimension::voltage, "recovery variable"}},
    .receptors = {"syn"},
    .weight_dim = dimension::voltage,
    .check = [](const param_set& p) {  // c >= V_th would make every reset a spike again
      const auto error = expect_less(p, "c", "V_th");
      return error.empty() ? expect_less(p, "V_min", "V_th") : error;
    },
    .make = make_dynamics<izhikevich>,
}};

}  // namespace
}  // namespace neurite::models
