// stdp_pair: pair-based spike-timing-dependent plasticity with traces (Song et al. 2000;
// Morrison et al. 2008), as PyNN's SpikePairRule with Additive or Multiplicative weight
// dependence, NEST's stdp_synapse and sPyNNaker's pair rule.
//
//   pre before post by s > 0 (post reaching the synapse s after the pre spike):
//       w += A_plus  e^{-s/tau_plus}  (times w_max, or w_max - w when multiplicative)
//   post before pre by s > 0:
//       w -= A_minus e^{-s/tau_minus} (times w_max, or w - w_min when multiplicative)
//   then w is clipped to [w_min, w_max], after every single update.
//
// All-to-all pairing sums over every earlier spike of the partner (traces that add up);
// nearest pairing uses only the latest one (traces reset to 1). Timing conventions and the
// order of events: core/plasticity.hpp.
#include "models/deferred_stdp.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class stdp_pair final : public deferred_stdp<stdp_pair> {
 public:
  stdp_pair(const param_set& p, double dt)
      : deferred_stdp(trace_set(p["tau_plus"], dt, p["nearest"] != 0),
                      {p["w_min"], p["w_max"], p["multiplicative"] != 0}, "pre"),
        a_plus_(p["A_plus"]), a_minus_(p["A_minus"]), post_(p["tau_minus"], dt, p["nearest"] != 0) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t) override {
    prepare_deferred(n_source, n_target, workers);
    post_.resize(n_target);
  }
  void on_post(step_t t, index_t target) override { owe(t, target, 0.0); }
  void count_post(step_t t, index_t target) override { post_.add(target, t); }
  std::size_t bytes() const override { return deferred_bytes() + post_.bytes(); }
  void visit_state(state_visitor& v) override {
    visit_deferred(v, [&] { post_.visit(v, "post"); });
  }

  double potentiation(double pre, double) const { return a_plus_ * pre; }
  // A presynaptic spike depresses by the postsynaptic trace.
  auto presynaptic(int, index_t, step_t t) {
    return [this, t](float w, index_t target) { return bounds_.depress(w, a_minus_ * post_.at(target, t)); };
  }

 private:
  double a_plus_, a_minus_;
  trace_set post_;
};

const register_plasticity_rule registration{{
    .name = "stdp_pair",
    .doc = "pair-based STDP with traces; additive or multiplicative, all-to-all or nearest pairing",
    .params =
        {
            {"tau_plus", dimension::time, 20.0, 0, unbounded, "decay of the presynaptic trace (potentiation)", true},
            {"tau_minus", dimension::time, 20.0, 0, unbounded, "decay of the postsynaptic trace (depression)", true},
            {"A_plus", dimension::dimensionless, 0.01, 0, unbounded, "potentiation per pair at zero lag"},
            {"A_minus", dimension::dimensionless, 0.01, 0, unbounded, "depression per pair at zero lag"},
            {"w_min", dimension::dimensionless, 0.0, -unbounded, unbounded, "lowest weight (target's weight unit)"},
            {"w_max", dimension::dimensionless, 1.0, -unbounded, unbounded, "highest weight (target's weight unit)"},
            {"multiplicative", dimension::dimensionless, 0, 0, 1,
             "false: additive (steps scale with w_max), true: multiplicative (with the distance to the bound)", false, true},
            {"nearest", dimension::dimensionless, 0, 0, 1, "false: all-to-all pairing, true: nearest-spike pairing", false,
             true},
        },
    .check = [](const param_set& p) { return expect_less(p, "w_min", "w_max"); },
    .make = [](const param_set& p, double dt) -> std::unique_ptr<plasticity_rule> {
      return std::make_unique<stdp_pair>(p, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
