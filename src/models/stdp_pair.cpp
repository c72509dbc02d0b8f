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
#include "core/plasticity.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class stdp_pair final : public plasticity_rule {
 public:
  stdp_pair(const param_set& p, double dt)
      : a_plus_(p["A_plus"]), a_minus_(p["A_minus"]),
        bounds_{p["w_min"], p["w_max"], p["multiplicative"] != 0},
        pre_prototype_(p["tau_plus"], dt, p["nearest"] != 0), post_(p["tau_minus"], dt, p["nearest"] != 0) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t) override {
    pre_.assign(static_cast<std::size_t>(workers), pre_prototype_);
    for (auto& t : pre_) t.resize(n_source);
    post_.resize(n_target);
    owed_.resize(n_target);
  }

  // The potentiation the synapse owes since its last presynaptic spike, then the depression.
  void on_pre(int worker, step_t t, index_t source, std::uint32_t k0, std::uint32_t k1, target_view targets,
              float* weight) override {
    trace_set& pre = pre_[static_cast<std::size_t>(worker)];
    const step_t since = std::max(pre.last(source), flushed_);
    for (std::uint32_t k = k0; k < k1; ++k) {
      const index_t target = targets[k];
      const float w = potentiate_owed(weight[k], pre, source, target, since);
      weight[k] = bounds_.depress(w, a_minus_ * post_.at(target, t));
    }
    pre.add(source, t);
  }

  void on_post(step_t t, index_t target) override { owed_.add(target, t, 0.0); }
  void count_post(step_t t, index_t target) override { post_.add(target, t); }

  void flush(step_t t, std::span<const plastic_rows> rows) override {
    const trace_set& pre = pre_.front();  // every worker's copy is the same between intervals
    settle_owed(rows, pre, flushed_, [&](float w, index_t source, index_t target, step_t since) {
      return potentiate_owed(w, pre, source, target, since);
    });
    owed_.clear();
    flushed_ = t;
  }
  std::size_t pending() const override { return owed_.count(); }

  std::size_t bytes() const override {
    std::size_t n = post_.bytes() + owed_.bytes();
    for (const auto& t : pre_) n += t.bytes();
    return n;
  }
  double weight_min() const override { return bounds_.min; }
  double weight_max() const override { return bounds_.max; }
  void visit_state(state_visitor& v) override {
    pre_.front().visit(v, "pre");  // every worker's copy is the same between runs
    if (v.restoring()) std::fill(pre_.begin() + 1, pre_.end(), pre_.front());
    post_.visit(v, "post");
    v.scalar("flushed", flushed_);
  }

 private:
  float potentiate_owed(float w, const trace_set& pre, index_t source, index_t target, step_t since) const {
    for (const auto& e : owed_.after(target, since)) w = bounds_.potentiate(w, a_plus_ * pre.at(source, e.arrival));
    return w;
  }

  double a_plus_, a_minus_;
  weight_bounds bounds_;
  trace_set pre_prototype_;
  std::vector<trace_set> pre_;  // per worker
  trace_set post_;
  deferred_posts owed_;         // postsynaptic spikes not yet applied to every synapse
  step_t flushed_ = -1;         // every spike arriving up to here has been applied
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
