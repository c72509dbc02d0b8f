// diehl_cook_lif: the conductance-based leaky integrate-and-fire neuron with an adaptive
// threshold of Diehl & Cook (2015), as the place-recognition modules of Hussaini et al. (2023)
// use it (papers/PAPERS_01-12.md, section 9). Conductances are in units of the leak
// conductance (dimensionless weights), as in the Brian code of both papers:
//
//   tau_m dV/dt = (E_L - V) + g_ex (E_ex - V) + g_in (E_in - V) + (I_e + I_stim) / g_L
//   dg_ex/dt = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in
//   dtheta/dt = -theta / tau_theta
//   V >= V_th + theta at the end of a step, and at least t_block since the last spike: spike,
//   V <- V_reset, clamped there for t_ref, theta += theta_plus.
//
// t_block is a quirk of Diehl & Cook's Brian code, kept by the VPRSNN code of Hussaini et al.:
// besides the refractory clamp, the threshold waits for a `timer` (reset at a spike, running at
// 0.1 ms per ms) to pass t_ref = 5 ms, so an excitatory neuron fires at most once per 50 ms
// while its V integrates again after 5 ms. It caps a winning neuron's spikes per image (7 in
// 350 ms) and so leaves other neurons their turn. Default 0: t_ref alone.
//
// With theta_plus = 0 the same model is the inhibitory population of the circuit. `frozen`
// holds theta where it is (no jump, no decay): the test phase of Diehl & Cook, in which the
// thresholds learned during training stay fixed. A spike weight w > 0 makes g_ex jump by w,
// w < 0 makes g_in jump by -w.
//
// Integration: conductances and theta decay exactly. Within a step V is advanced exactly for
// the conductances held at their mid-step values: V relaxes exponentially towards
// V_inf = (E_L + g_ex E_ex + g_in E_in + I/g_L) / (1 + g_ex + g_in) with rate (1 + g_ex + g_in)
// / tau_m. This is exact without synaptic input (the closed forms the tests check) and
// second-order accurate with it, and unlike forward Euler it cannot overshoot a reversal
// potential when a large conductance arrives. Order within a step as iaf_cond_exp: integrate,
// add the weights arriving at this step, then the refractory clamp or threshold check.
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class diehl_cook_lif final : public neuron_dynamics {
 public:
  diehl_cook_lif(const param_set& p, std::size_t n, double dt)
      : E_L_(p["E_L"]), E_ex_(p["E_ex"]), E_in_(p["E_in"]), V_th_(p["V_th"]), V_reset_(p["V_reset"]),
        inv_g_L_(1.0 / p["g_L"]), I_e_(p["I_e"]), h_over_tau_(dt / p["tau_m"]), theta_plus_(p["theta_plus"]),
        half_ex_(std::exp(-0.5 * dt / p["tau_syn_ex"])), half_in_(std::exp(-0.5 * dt / p["tau_syn_in"])),
        theta_decay_(std::exp(-dt / p["tau_theta"])), frozen_(p["frozen"] != 0),
        ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))),
        block_steps_(static_cast<int>(std::lround(p["t_block"] / dt))), V_(n, p["E_L"]), g_ex_(n, 0.0),
        g_in_(n, 0.0), theta_(n, 0.0), refractory_(n, 0), blocked_(n, 0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    integrate(begin, end, in.receptor[0], in.receptor[1], in.current, V_.data(), g_ex_.data(), g_in_.data(),
              theta_.data(), refractory_.data(), blocked_.data());
    for (index_t i = begin; i < end; ++i)  // crossings are rare: the branch stays out of the loop above
      if (V_[i] >= V_th_ + theta_[i] && blocked_[i] == 0) {
        spiked.push_back(i);
        V_[i] = V_reset_;
        refractory_[i] = ref_steps_;
        blocked_[i] = block_steps_;
        if (!frozen_) theta_[i] += theta_plus_;
      }
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "g_ex") return g_ex_.data();
    if (name == "g_in") return g_in_.data();
    if (name == "theta") return theta_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override {
    v.reals("V_m", V_), v.reals("g_ex", g_ex_), v.reals("g_in", g_in_), v.reals("theta", theta_);
    v.integers("refractory", refractory_), v.integers("blocked", blocked_);
  }

 private:
  // One step for neurons [begin, end), without branches so that the loop vectorises.
  void integrate(index_t begin, index_t end, const input_t* __restrict w_ex, const input_t* __restrict w_in,
                 const double* __restrict current, double* __restrict V, double* __restrict g_ex,
                 double* __restrict g_in, double* __restrict theta, int* __restrict refractory,
                 int* __restrict blocked) const {
    const double theta_decay = frozen_ ? 1.0 : theta_decay_;
    for (index_t i = begin; i < end; ++i) {
      const double ge = g_ex[i] * half_ex_, gi = g_in[i] * half_in_;  // mid-step conductances
      const double total = 1.0 + ge + gi;
      const double v_inf = (E_L_ + ge * E_ex_ + gi * E_in_ + (I_e_ + current[i]) * inv_g_L_) / total;
      const double v = v_inf + (V[i] - v_inf) * std::exp(-h_over_tau_ * total);
      const bool clamped = refractory[i] > 0;
      V[i] = clamped ? V_reset_ : v;
      refractory[i] -= clamped ? 1 : 0;
      blocked[i] -= blocked[i] > 0 ? 1 : 0;
      g_ex[i] = ge * half_ex_ + w_ex[i];
      g_in[i] = gi * half_in_ - w_in[i];
      theta[i] *= theta_decay;
    }
  }

  double E_L_, E_ex_, E_in_, V_th_, V_reset_, inv_g_L_, I_e_, h_over_tau_, theta_plus_;
  double half_ex_, half_in_, theta_decay_;  // decay over half a step (conductances), a step (theta)
  bool frozen_;
  int ref_steps_, block_steps_;
  std::vector<double> V_, g_ex_, g_in_, theta_;
  std::vector<int> refractory_, blocked_;
};

const register_neuron_model registration{{
    .name = "diehl_cook_lif",
    .doc = "conductance LIF with an adaptive threshold theta (Diehl & Cook 2015); conductances in leak units",
    .method = "conductances and theta decay exactly; V exactly for the mid-step conductances (exponential integrator)",
    .params = {
        {"E_L", dimension::voltage, -65.0, -unbounded, unbounded, "resting potential"},
        {"V_reset", dimension::voltage, -65.0, -unbounded, unbounded, "reset potential"},
        {"V_th", dimension::voltage, -52.0, -unbounded, unbounded, "threshold before adaptation (theta = 0)"},
        {"tau_m", dimension::time, 100.0, 0, unbounded, "membrane time constant", true},
        {"t_ref", dimension::time, 5.0, 0, unbounded, "absolute refractory period"},
        {"t_block", dimension::time, 0.0, 0, unbounded,
         "no spike within t_block of the last one (Diehl & Cook's code: 50 ms, its timer quirk); 0: t_ref only"},
        {"E_ex", dimension::voltage, 0.0, -unbounded, unbounded, "excitatory reversal potential"},
        {"E_in", dimension::voltage, -100.0, -unbounded, unbounded, "inhibitory reversal potential"},
        {"tau_syn_ex", dimension::time, 1.0, 0, unbounded, "decay time of excitatory conductances", true},
        {"tau_syn_in", dimension::time, 2.0, 0, unbounded, "decay time of inhibitory conductances", true},
        {"theta_plus", dimension::voltage, 0.05, 0, unbounded, "threshold increase per spike"},
        {"tau_theta", dimension::time, 1e7, 0, unbounded, "decay time of theta", true},
        {"frozen", dimension::dimensionless, 0, 0, 1, "true: theta neither jumps nor decays (test phase)", false,
         true},
        {"g_L", dimension::conductance, 10.0, 0, unbounded, "leak conductance: a current I moves V_inf by I/g_L", true},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant external current"},
    },
    .state = {{"V_m", dimension::voltage, "membrane potential"},
              {"g_ex", dimension::dimensionless, "excitatory conductance, in units of the leak"},
              {"g_in", dimension::dimensionless, "inhibitory conductance, in units of the leak"},
              {"theta", dimension::voltage, "adaptive threshold increment"}},
    .receptors = {"ex", "in"},
    .weight_dim = dimension::dimensionless,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<diehl_cook_lif>,
}};

}  // namespace
}  // namespace neurite::models
