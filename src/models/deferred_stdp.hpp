#pragma once
// The bookkeeping that the trace-based STDP rules (stdp_pair, stdp_triplet, stdp_diehl_cook)
// share. A postsynaptic spike's potentiation is owed by every synapse onto its target and paid
// lazily: when the synapse's source next spikes (on_pre), or at the next flush for the synapses
// whose source stayed silent. The presynaptic trace that the payment reads is kept per worker
// (each worker delivers its own sources' spikes), the owed spikes per target.
//
// Rule (CRTP, so that the calls inline in the synapse loops) provides
//   double potentiation(double pre_trace, double owed_value) const;  // x for bounds.potentiate
//   auto presynaptic(int worker, index_t source, step_t t);  // (float w, index_t target) -> float,
//       the update at a presynaptic spike, after what the synapse owed is paid; it is asked
//       before the spike enters the traces.
// and may override on_pre_spike(worker, source, t) for traces of its own beside the shared one.
#include <algorithm>
#include <string>
#include <vector>

#include "core/plasticity.hpp"

namespace neurite::models {

template <class Rule>
class deferred_stdp : public core::plasticity_rule {
 public:
  void on_pre(int worker, core::step_t t, core::index_t source, std::uint32_t k0, std::uint32_t k1,
              core::target_view targets, float* weight) override {
    core::trace_set& pre = pre_[static_cast<std::size_t>(worker)];
    const core::step_t since = std::max(pre.last(source), flushed_);
    const auto update = rule().presynaptic(worker, source, t);
    for (std::uint32_t k = k0; k < k1; ++k) {
      const core::index_t target = targets[k];
      weight[k] = update(potentiate_owed(weight[k], pre, source, target, since), target);
    }
    pre.add(source, t);
    rule().on_pre_spike(worker, source, t);
  }

  void flush(core::step_t t, std::span<const core::plastic_rows> rows) override {
    const core::trace_set& pre = pre_.front();  // every worker's copy is the same between intervals
    core::settle_owed(rows, pre, flushed_, [&](float w, core::index_t source, core::index_t target, core::step_t since) {
      return potentiate_owed(w, pre, source, target, since);
    });
    owed_.clear();
    flushed_ = t;
  }
  std::size_t pending() const override { return owed_.count(); }
  double weight_min() const override { return bounds_.min; }
  double weight_max() const override { return bounds_.max; }

 protected:
  deferred_stdp(core::trace_set pre_prototype, core::weight_bounds bounds, std::string pre_name)
      : bounds_(bounds), pre_prototype_(std::move(pre_prototype)), pre_name_(std::move(pre_name)) {}

  void prepare_deferred(core::index_t n_source, core::index_t n_target, int workers) {
    pre_.assign(static_cast<std::size_t>(workers), pre_prototype_);
    for (auto& t : pre_) t.resize(n_source);
    owed_.resize(n_target);
  }
  // A postsynaptic spike reaching its synapses at t, with the value the payment will need.
  void owe(core::step_t t, core::index_t target, double value) { owed_.add(target, t, value); }
  std::size_t deferred_bytes() const {
    std::size_t n = owed_.bytes();
    for (const auto& t : pre_) n += t.bytes();
    return n;
  }
  // The shared trace, then the rule's own state (`own`), then the flush step: checkpoints keep
  // their entries in this order.
  template <class Own>
  void visit_deferred(core::state_visitor& v, Own own) {
    pre_.front().visit(v, pre_name_);  // every worker's copy is the same between runs
    if (v.restoring()) std::fill(pre_.begin() + 1, pre_.end(), pre_.front());
    own();
    v.scalar("flushed", flushed_);
  }
  void on_pre_spike(int, core::index_t, core::step_t) {}

  core::weight_bounds bounds_;

 private:
  Rule& rule() { return static_cast<Rule&>(*this); }
  float potentiate_owed(float w, const core::trace_set& pre, core::index_t source, core::index_t target,
                        core::step_t since) const {
    for (const auto& e : owed_.after(target, since))
      w = bounds_.potentiate(w, static_cast<const Rule&>(*this).potentiation(pre.at(source, e.arrival), e.value));
    return w;
  }

  core::trace_set pre_prototype_;
  std::vector<core::trace_set> pre_;  // per worker
  std::string pre_name_;              // the trace's name in checkpoints
  core::deferred_posts owed_;         // postsynaptic spikes not yet applied to every synapse
  core::step_t flushed_ = -1;         // every spike arriving up to here has been applied
};

}  // namespace neurite::models
