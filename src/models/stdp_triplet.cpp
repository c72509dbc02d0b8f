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
#include "core/plasticity.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class stdp_triplet final : public plasticity_rule {
 public:
  stdp_triplet(const param_set& p, double dt)
      : a2_plus_(p["A2_plus"]), a3_plus_(p["A3_plus"]), a2_minus_(p["A2_minus"]), a3_minus_(p["A3_minus"]),
        bounds_{p["w_min"], p["w_max"], p["multiplicative"] != 0}, r1_prototype_(p["tau_plus"], dt, false),
        r2_prototype_(p["tau_x"], dt, false), o1_(p["tau_minus"], dt, false), o2_(p["tau_y"], dt, false) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t) override {
    r1_.assign(static_cast<std::size_t>(workers), r1_prototype_);
    r2_.assign(static_cast<std::size_t>(workers), r2_prototype_);
    for (auto& t : r1_) t.resize(n_source);
    for (auto& t : r2_) t.resize(n_source);
    o1_.resize(n_target);
    o2_.resize(n_target);
    owed_.resize(n_target);
  }

  // The potentiation the synapse owes since its last presynaptic spike, then the depression.
  void on_pre(int worker, step_t t, index_t source, std::uint32_t k0, std::uint32_t k1, target_view targets,
              float* weight) override {
    auto& r1 = r1_[static_cast<std::size_t>(worker)];
    auto& r2 = r2_[static_cast<std::size_t>(worker)];
    const double amplitude = a2_minus_ + a3_minus_ * r2.at(source, t);
    const step_t since = std::max(r1.last(source), flushed_);
    for (std::uint32_t k = k0; k < k1; ++k) {
      const index_t target = targets[k];
      const float w = potentiate_owed(weight[k], r1, source, target, since);
      weight[k] = bounds_.depress(w, amplitude * o1_.at(target, t));
    }
    r1.add(source, t);
    r2.add(source, t);
  }

  // Potentiation waits for the synapse's next presynaptic spike; o2 before this spike is kept.
  void on_post(step_t t, index_t target) override { owed_.add(target, t, o2_.at(target, t)); }

  void count_post(step_t t, index_t target) override {
    o1_.add(target, t);
    o2_.add(target, t);
  }

  void flush(step_t t, std::span<const plastic_rows> rows) override {
    const trace_set& r1 = r1_.front();  // every worker's copy is the same between intervals
    settle_owed(rows, r1, flushed_, [&](float w, index_t source, index_t target, step_t since) {
      return potentiate_owed(w, r1, source, target, since);
    });
    owed_.clear();
    flushed_ = t;
  }
  std::size_t pending() const override { return owed_.count(); }

  std::size_t bytes() const override {
    std::size_t n = o1_.bytes() + o2_.bytes() + owed_.bytes();
    for (const auto& t : r1_) n += t.bytes();
    for (const auto& t : r2_) n += t.bytes();
    return n;
  }
  double weight_min() const override { return bounds_.min; }
  double weight_max() const override { return bounds_.max; }
  void visit_state(state_visitor& v) override {
    r1_.front().visit(v, "r1");  // every worker's copy is the same between runs
    r2_.front().visit(v, "r2");
    if (v.restoring()) {
      std::fill(r1_.begin() + 1, r1_.end(), r1_.front());
      std::fill(r2_.begin() + 1, r2_.end(), r2_.front());
    }
    o1_.visit(v, "o1");
    o2_.visit(v, "o2");
    v.scalar("flushed", flushed_);
  }

 private:
  // Each owed spike: r1 at its arrival times (A2_plus + A3_plus o2 before it).
  float potentiate_owed(float w, const trace_set& r1, index_t source, index_t target, step_t since) const {
    for (const auto& e : owed_.after(target, since))
      w = bounds_.potentiate(w, (a2_plus_ + a3_plus_ * e.value) * r1.at(source, e.arrival));
    return w;
  }

  double a2_plus_, a3_plus_, a2_minus_, a3_minus_;
  weight_bounds bounds_;
  trace_set r1_prototype_, r2_prototype_;
  std::vector<trace_set> r1_, r2_;  // per worker
  trace_set o1_, o2_;
  deferred_posts owed_;             // postsynaptic spikes not yet applied to every synapse
  step_t flushed_ = -1;             // every spike arriving up to here has been applied
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
