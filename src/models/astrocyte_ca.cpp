// astrocyte_ca: a point astrocyte of a tripartite synapse, reduced to a slow calcium-like trace
// driven by the spikes of the neurons of its domain and a gliotransmitter release whose rate
// grows with the calcium above a threshold. Our formulation (docs/astro_snn.md), after the
// tripartite-synapse models of Volman, Ben-Jacob & Levine (2007) and De Pitta et al. (2011):
// their IP3-calcium oscillator is replaced by its slowest mode, a leaky integrator, and their
// gliotransmitter release by an integrate-and-fire process on the supra-threshold calcium.
//
//   dCa/dt = -Ca / tau_Ca + sum_k w_k delta(t - t_k)      a spike of weight w (glutamate
//                                                          spillover) raises Ca by w
//   dG/dt  = nu_G [Ca - Ca_th]_+                           release phase; G >= 1: an event
//                                                          (a quantum of gliotransmitter), G -= 1
//
// Under a constant spike rate r of weight w from Ca(0) = 0, the mean calcium follows the step
// response Ca(t) = Ca_inf (1 - e^{-t / tau_Ca}) with Ca_inf = w r tau_Ca; for a regular train of
// period T it is exactly w (1 - a^k) / (1 - a), a = e^{-T / tau_Ca}, just after the k-th spike.
// The events leave through ordinary projections: onto a neuron's excitatory receptor they make a
// slow inward current (Fellin et al. 2004; NEST's sic_connection) whose mean is proportional to
// nu_G [Ca - Ca_th]_+, i.e. the astrocyte raises the excitability of its domain while it is
// active. The `domain` connector (network/connectors.cpp) builds both directions.
//
// Exact integration: Ca decays by its propagator over a step; G gains the exact integral of
// nu_G [Ca(s) - Ca_th]_+ over the step along that decay (Ca crosses Ca_th at
// s* = tau_Ca ln(Ca / Ca_th) at most once), so event times are exact to the step for inputs on
// the grid. Order within a step, as iaf_psc_exp: G and the decay use Ca at the step start, the
// weights arriving at this step are added at its end, then G is checked (one event per step at
// most; a surplus carries over).
#include <algorithm>
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class astrocyte_ca final : public neuron_dynamics {
 public:
  astrocyte_ca(const param_set& p, std::size_t n, double dt)
      : tau_(p["tau_Ca"]), th_(p["Ca_th"]), nu_(p["nu_G"] * 1e-3), dt_(dt), decay_(std::exp(-dt / p["tau_Ca"])),
        Ca_(n, 0.0), G_(n, 0.0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    const input_t* glu = in.receptor[0];
    for (index_t i = begin; i < end; ++i) {
      G_[i] += nu_ * supra_threshold_integral(Ca_[i]);
      Ca_[i] = Ca_[i] * decay_ + glu[i];
      if (G_[i] >= 1.0) {
        spiked.push_back(i);
        G_[i] -= 1.0;
      }
    }
  }

  double* state(std::string_view name) override {
    if (name == "Ca") return Ca_.data();
    if (name == "G") return G_.data();
    return nullptr;
  }
  void visit_state(state_visitor& v) override { v.reals("Ca", Ca_), v.reals("G", G_); }

 private:
  // Integral over one step of [c e^{-s / tau} - th]_+ ds [ms], from Ca = c at the step start.
  double supra_threshold_integral(double c) const {
    if (c <= th_) return 0.0;
    const double until = th_ > 0 ? std::min(dt_, tau_ * std::log(c / th_)) : dt_;
    return -c * tau_ * std::expm1(-until / tau_) - th_ * until;
  }

  double tau_, th_, nu_, dt_, decay_;  // nu_ per ms
  std::vector<double> Ca_, G_;
};

const register_neuron_model registration{{
    .name = "astrocyte_ca",
    .doc = "astrocyte of a tripartite synapse: slow spike-driven calcium, gliotransmitter events above a threshold",
    .method = "exact decay of Ca; exact integral of the supra-threshold calcium into the release phase",
    .params =
        {
            {"tau_Ca", dimension::time, 1000.0, 0, unbounded, "decay time of the calcium trace", true},
            {"Ca_th", dimension::dimensionless, 0.5, 0, unbounded, "calcium threshold of gliotransmitter release"},
            {"nu_G", dimension::frequency, 20.0, 0, unbounded,
             "release rate per unit of calcium above the threshold (events per second)"},
        },
    .state = {{"Ca", dimension::dimensionless, "calcium-like trace (relative units)"},
              {"G", dimension::dimensionless, "gliotransmitter release phase in [0, 1)"}},
    .receptors = {"glu"},
    .weight_dim = dimension::dimensionless,
    .check = {},
    .make = make_dynamics<astrocyte_ca>,
}};

}  // namespace
}  // namespace neurite::models
