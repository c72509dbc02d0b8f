// two_compartment_nmda: a soma with integrate-and-fire spiking, coupled by a conductance g_c to one
// passive dendritic compartment whose excitatory synapses carry an NMDA component with a
// voltage-dependent magnesium block. The two-compartment structure is that of Pinsky & Rinzel
// (1994) reduced to leaky compartments, as in the soma-dendrite models of Naud et al. (2014) and
// Naud & Sprekeler (2018); the block is Jahr & Stevens (1990), in the form of Brunel & Wang (2001).
// Equations written here from those papers (units: ms, mV, pF, nS, pA):
//
//   C_m dV_s/dt = -g_L (V_s - E_L) + g_c (V_d - V_s) - g_ex (V_s - E_ex) - g_in (V_s - E_in) + I_e + I_stim
//   C_d dV_d/dt = -g_L_d (V_d - E_L) + g_c (V_s - V_d) - g_ex_d (V_d - E_ex) - g_in_d (V_d - E_in)
//                 - g_nmda B(V_d) (V_d - E_ex) + I_e_d
//   B(V) = 1 / (1 + [Mg] / 3.57 exp(-0.062 V))        ([Mg] in mM, V in mV)
//   every conductance decays exponentially: g_ex, g_ex_d with tau_syn_ex, g_in, g_in_d with
//   tau_syn_in, g_nmda with tau_nmda.
//   Receptors: "ex" (w > 0) g_ex += w; "in" (w < 0) g_in -= w; "dend_ex" (w > 0) g_ex_d += w and
//   g_nmda += nmda_ratio w; "dend_in" (w < 0) g_in_d -= w. The first two are the usual soma pair,
//   so a projection that names no receptor lands on the soma by the sign of its weight.
//   V_s >= V_th: spike, V_s <- V_reset and clamped there for t_ref; the dendrite runs on.
//
// Because the block opens with depolarisation, strong coincident dendritic input recruits NMDA
// current that depolarises further: a regenerative plateau lasting ~tau_nmda, and supralinear
// summation of dendritic inputs at the soma.
//
// Integration as aeif_cond_exp: the conductances decay exactly, (V_s, V_d) by classical RK4 with
// n_substeps fixed sub-steps per step using the exact conductance course at the stage times; the
// threshold is checked after each sub-step (at most one spike per step). Weights arriving at a
// step are added to the conductances at its end.
#include <algorithm>
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

// Conductances [nS] of one neuron, and their decay over a time interval.
struct conductances {
  double ex, in, ex_d, in_d, nmda;
};

struct decay {
  double ex, in, nmda;
  conductances operator()(const conductances& g) const {
    return {g.ex * ex, g.in * in, g.ex_d * ex, g.in_d * in, g.nmda * nmda};
  }
};

class two_compartment_nmda final : public neuron_dynamics {
 public:
  two_compartment_nmda(const param_set& p, std::size_t n, double dt)
      : C_m_(p["C_m"]), g_L_(p["g_L"]), C_d_(p["C_d"]), g_L_d_(p["g_L_d"]), g_c_(p["g_c"]), E_L_(p["E_L"]),
        E_ex_(p["E_ex"]), E_in_(p["E_in"]), V_th_(p["V_th"]), V_reset_(p["V_reset"]), I_e_(p["I_e"]),
        I_e_d_(p["I_e_d"]), nmda_ratio_(p["nmda_ratio"]), mg_factor_(p["Mg"] / 3.57),
        substeps_(static_cast<int>(p["n_substeps"])), h_(dt / substeps_),
        half_(decay_over(p, 0.5 * h_)), ref_steps_(static_cast<int>(std::lround(p["t_ref"] / dt))),
        V_(n, p["E_L"]), V_d_(n, p["E_L"]), g_(n, conductances{}), refractory_(n, 0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    for (index_t i = begin; i < end; ++i) {
      bool clamped = refractory_[i] > 0, fired = false;
      if (clamped) --refractory_[i];
      const double current = I_e_ + in.current[i];
      for (int k = 0; k < substeps_; ++k) {
        substep(V_[i], V_d_[i], g_[i], clamped, current);
        if (!clamped && V_[i] >= V_th_) {
          fired = true;
          V_[i] = V_reset_;
          refractory_[i] = ref_steps_;  // the rest of this step is clamped too
          clamped = ref_steps_ > 0;
        }
      }
      if (fired) spiked.push_back(i);
      conductances& g = g_[i];
      g.ex += in.receptor[0][i];
      g.in -= in.receptor[1][i];
      g.ex_d += in.receptor[2][i];
      g.nmda += nmda_ratio_ * in.receptor[2][i];
      g.in_d -= in.receptor[3][i];
    }
  }

  double* state(std::string_view name) override {
    if (name == "V_m") return V_.data();
    if (name == "V_d") return V_d_.data();
    return nullptr;  // conductances live per neuron in one struct, not as arrays
  }
  void visit_state(state_visitor& v) override {
    v.reals("V_m", V_), v.reals("V_d", V_d_), v.integers("refractory", refractory_);
    v.field("g_ex", g_, &conductances::ex), v.field("g_in", g_, &conductances::in);
    v.field("g_ex_d", g_, &conductances::ex_d), v.field("g_in_d", g_, &conductances::in_d);
    v.field("g_nmda", g_, &conductances::nmda);
  }

 private:
  struct slope {
    double s, d;
  };

  static decay decay_over(const param_set& p, double t) {
    return {std::exp(-t / p["tau_syn_ex"]), std::exp(-t / p["tau_syn_in"]), std::exp(-t / p["tau_nmda"])};
  }

  double mg_block(double v) const { return 1.0 / (1.0 + mg_factor_ * std::exp(-0.062 * v)); }

  slope rhs(double vs, double vd, const conductances& g, bool clamped, double current) const {
    const double coupling = g_c_ * (vd - vs);
    const double dvs = -g_L_ * (vs - E_L_) + coupling - g.ex * (vs - E_ex_) - g.in * (vs - E_in_) + current;
    const double dvd = -g_L_d_ * (vd - E_L_) - coupling - g.ex_d * (vd - E_ex_) - g.in_d * (vd - E_in_) -
                       g.nmda * mg_block(vd) * (vd - E_ex_) + I_e_d_;
    return {clamped ? 0.0 : dvs / C_m_, dvd / C_d_};
  }

  // Advances (V_s, V_d, g) by one sub-step h_.
  void substep(double& vs, double& vd, conductances& g, bool clamped, double current) const {
    const conductances g1 = half_(g), g2 = half_(g1);  // at t + h/2 and t + h
    const double h = h_;
    const slope k1 = rhs(vs, vd, g, clamped, current);
    const slope k2 = rhs(vs + 0.5 * h * k1.s, vd + 0.5 * h * k1.d, g1, clamped, current);
    const slope k3 = rhs(vs + 0.5 * h * k2.s, vd + 0.5 * h * k2.d, g1, clamped, current);
    const slope k4 = rhs(vs + h * k3.s, vd + h * k3.d, g2, clamped, current);
    vs += h / 6.0 * (k1.s + 2.0 * k2.s + 2.0 * k3.s + k4.s);
    vd += h / 6.0 * (k1.d + 2.0 * k2.d + 2.0 * k3.d + k4.d);
    g = g2;
  }

  double C_m_, g_L_, C_d_, g_L_d_, g_c_, E_L_, E_ex_, E_in_, V_th_, V_reset_, I_e_, I_e_d_, nmda_ratio_;
  double mg_factor_;  // [Mg] / 3.57 mM
  int substeps_;
  double h_;     // [ms] sub-step
  decay half_;   // decay factors over half a sub-step
  int ref_steps_;
  std::vector<double> V_, V_d_;
  std::vector<conductances> g_;
  std::vector<int> refractory_;
};

const register_neuron_model registration{{
    .name = "two_compartment_nmda",
    .doc = "soma (integrate-and-fire) + passive dendrite with NMDA-like Mg-blocked conductance, 4 receptors",
    .method = "conductances decay exactly; (V_s, V_d) by classical RK4 with n_substeps fixed sub-steps per step",
    .params = {
        {"C_m", dimension::capacitance, 200.0, 0, unbounded, "somatic capacitance", true},
        {"g_L", dimension::conductance, 10.0, 0, unbounded, "somatic leak conductance", true},
        {"C_d", dimension::capacitance, 100.0, 0, unbounded, "dendritic capacitance", true},
        {"g_L_d", dimension::conductance, 5.0, 0, unbounded, "dendritic leak conductance", true},
        {"g_c", dimension::conductance, 8.0, 0, unbounded, "soma-dendrite coupling conductance"},
        {"E_L", dimension::voltage, -70.0, -unbounded, unbounded, "leak reversal potential (both compartments)"},
        {"E_ex", dimension::voltage, 0.0, -unbounded, unbounded, "excitatory (AMPA and NMDA) reversal potential"},
        {"E_in", dimension::voltage, -80.0, -unbounded, unbounded, "inhibitory reversal potential"},
        {"V_th", dimension::voltage, -50.0, -unbounded, unbounded, "somatic spike threshold"},
        {"V_reset", dimension::voltage, -60.0, -unbounded, unbounded, "somatic reset potential"},
        {"t_ref", dimension::time, 2.0, 0, unbounded, "absolute refractory period of the soma"},
        {"I_e", dimension::current, 0.0, -unbounded, unbounded, "constant current into the soma"},
        {"I_e_d", dimension::current, 0.0, -unbounded, unbounded, "constant current into the dendrite"},
        {"tau_syn_ex", dimension::time, 2.0, 0, unbounded, "decay time of AMPA-like conductances", true},
        {"tau_syn_in", dimension::time, 5.0, 0, unbounded, "decay time of inhibitory conductances", true},
        {"tau_nmda", dimension::time, 50.0, 0, unbounded, "decay time of the NMDA conductance", true},
        {"nmda_ratio", dimension::dimensionless, 2.0, 0, unbounded, "NMDA conductance per unit of dend_ex weight"},
        {"Mg", dimension::dimensionless, 1.0, 0, unbounded, "extracellular magnesium concentration [mM]"},
        {"n_substeps", dimension::dimensionless, 4.0, 1, 1000, "RK4 sub-steps per time step", false, true},
    },
    .state = {{"V_m", dimension::voltage, "somatic membrane potential"},
              {"V_d", dimension::voltage, "dendritic membrane potential"}},
    .receptors = {"ex", "in", "dend_ex", "dend_in"},
    .weight_dim = dimension::conductance,
    .check = [](const param_set& p) { return expect_less(p, "V_reset", "V_th"); },
    .make = make_dynamics<two_compartment_nmda>,
}};

}  // namespace
}  // namespace neurite::models
