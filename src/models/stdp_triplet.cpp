// stdp_triplet: the triplet STDP rule of Pfister & Gerstner (2006), all-to-all interactions.
// Presynaptic traces r1 (tau_plus), r2 (tau_x); postsynaptic traces o1 (tau_minus), o2 (tau_y);
// each jumps by 1 at its neuron's spikes.
//
//   post spike reaching the synapse at t:  w += r1(t) [A2_plus  + A3_plus  o2(t-)]
//   pre spike at t:                        w -= o1(t) [A2_minus + A3_minus r2(t-)]
//
// where o2(t-) and r2(t-) exclude the spike at t itself. Steps scale with w_max (additive,
// w_max = 1 gives the paper's and NEST's units) or with the distance to the bound
// (multiplicative), clipped to [w_min, w_max] (core/plasticity.hpp). Defaults: the paper's
// visual-cortex all-to-all fit (its Table 4, NEST's stdp_triplet_synapse defaults).
#include "models/deferred_stdp.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class stdp_triplet final : public deferred_stdp<stdp_triplet> {
 public:
  stdp_triplet(const param_set& p, double dt)
      : deferred_stdp(trace_set(p["tau_plus"], dt, false), {p["w_min"], p["w_max"], p["multiplicative"] != 0}, "r1"),
        a2_plus_(p["A2_plus"]), a3_plus_(p["A3_plus"]), a2_minus_(p["A2_minus"]), a3_minus_(p["A3_minus"]),
        r2_prototype_(p["tau_x"], dt, false), o1_(p["tau_minus"], dt, false), o2_(p["tau_y"], dt, false) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t) override {
    prepare_deferred(n_source, n_target, workers);
    r2_.assign(static_cast<std::size_t>(workers), r2_prototype_);
    for (auto& t : r2_) t.resize(n_source);
    o1_.resize(n_target);
    o2_.resize(n_target);
  }

  // Potentiation waits for the synapse's next presynaptic spike; o2 before this spike is kept.
  void on_post(step_t t, index_t target) override { owe(t, target, o2_.at(target, t)); }
  void count_post(step_t t, index_t target) override {
    o1_.add(target, t);
    o2_.add(target, t);
  }

  std::size_t bytes() const override {
    std::size_t n = deferred_bytes() + o1_.bytes() + o2_.bytes();
    for (const auto& t : r2_) n += t.bytes();
    return n;
  }
  void visit_state(state_visitor& v) override {
    visit_deferred(v, [&] {
      r2_.front().visit(v, "r2");  // every worker's copy is the same between runs
      if (v.restoring()) std::fill(r2_.begin() + 1, r2_.end(), r2_.front());
      o1_.visit(v, "o1");
      o2_.visit(v, "o2");
    });
  }

  // Each owed spike: r1 at its arrival times (A2_plus + A3_plus o2 before it).
  double potentiation(double r1, double o2) const { return (a2_plus_ + a3_plus_ * o2) * r1; }
  // A presynaptic spike depresses by o1 times (A2_minus + A3_minus r2 before this spike).
  auto presynaptic(int worker, index_t source, step_t t) {
    const double amplitude = a2_minus_ + a3_minus_ * r2_[static_cast<std::size_t>(worker)].at(source, t);
    return [this, t, amplitude](float w, index_t target) { return bounds_.depress(w, amplitude * o1_.at(target, t)); };
  }
  void on_pre_spike(int worker, index_t source, step_t t) { r2_[static_cast<std::size_t>(worker)].add(source, t); }

 private:
  double a2_plus_, a3_plus_, a2_minus_, a3_minus_;
  trace_set r2_prototype_;
  std::vector<trace_set> r2_;  // per worker
  trace_set o1_, o2_;
};

const register_plasticity_rule registration{{
    .name = "stdp_triplet",
    .doc = "triplet STDP (Pfister & Gerstner 2006), all-to-all; defaults: visual cortex fit",
    .params =
        {
            {"tau_plus", dimension::time, 16.8, 0, unbounded, "decay of the presynaptic pair trace r1", true},
            {"tau_x", dimension::time, 101.0, 0, unbounded, "decay of the presynaptic triplet trace r2", true},
            {"tau_minus", dimension::time, 33.7, 0, unbounded, "decay of the postsynaptic pair trace o1", true},
            {"tau_y", dimension::time, 125.0, 0, unbounded, "decay of the postsynaptic triplet trace o2", true},
            {"A2_plus", dimension::dimensionless, 5e-10, 0, unbounded, "pair potentiation"},
            {"A3_plus", dimension::dimensionless, 6.2e-3, 0, unbounded, "triplet potentiation"},
            {"A2_minus", dimension::dimensionless, 7e-3, 0, unbounded, "pair depression"},
            {"A3_minus", dimension::dimensionless, 2.3e-4, 0, unbounded, "triplet depression"},
            {"w_min", dimension::dimensionless, 0.0, -unbounded, unbounded, "lowest weight (target's weight unit)"},
            {"w_max", dimension::dimensionless, 1.0, -unbounded, unbounded, "highest weight (target's weight unit)"},
            {"multiplicative", dimension::dimensionless, 0, 0, 1, "false: additive, true: multiplicative", false, true},
        },
    .check = [](const param_set& p) { return expect_less(p, "w_min", "w_max"); },
    .make = [](const param_set& p, double dt) -> std::unique_ptr<plasticity_rule> {
      return std::make_unique<stdp_triplet>(p, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
