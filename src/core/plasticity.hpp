#pragma once
// Synaptic plasticity: the interface between the kernel and a plasticity rule, and the spike
// traces the rules share. A rule object belongs to one projection and holds the traces; the
// weights stay in the projection's synapse blocks (one float per synapse, in rows by source).
//
// Timing convention (NEST's and sPyNNaker's): the delay d of a plastic synapse is dendritic.
// A presynaptic spike emitted at step t meets the synapse at t; a postsynaptic spike emitted at
// step t meets it at t + d, when it has travelled back up the dendrite. At one step the kernel
// calls, per projection and in this order:
//   1. on_post    for the postsynaptic spikes reaching the synapses now,
//   2. on_pre     for the presynaptic spikes of now, in ascending source id, after which the
//                 updated weights of the row are delivered,
//   3. count_post for the spikes of 1.
// Potentiation by a postsynaptic spike uses the presynaptic trace of the spikes before its
// arrival; depression by a presynaptic spike uses the postsynaptic trace of the spikes that
// arrived before it; so a pair at zero lag changes nothing, as in both simulators.
// Rules may defer the potentiation of a synapse until its next presynaptic spike (when its
// row is at hand, instead of scattering over all synapses onto the target): the sequence of
// updates of each synapse is the same. flush() applies what is pending; the kernel calls it
// before weights are read (recorders, the end of a run) and when pending() grows large.
// Each worker calls on_pre for the synapses onto its own neurons, and on_post, count_post for
// its own neurons: no locks, and results are the same for any thread count. Every worker calls
// on_pre for every presynaptic spike, with an empty row when it holds no synapse of the source
// (or none at all), so every worker's copy of the presynaptic traces is the same.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/params.hpp"
#include "core/state.hpp"

namespace neurite::core {

// The targets of a synapse block, 16 or 32 bits wide.
struct target_view {
  const std::uint16_t* narrow = nullptr;
  const index_t* wide = nullptr;
  index_t operator[](std::size_t k) const { return wide ? wide[k] : narrow[k]; }
};

// One worker's plastic synapses: rows by source, for flush().
struct plastic_rows {
  const std::uint32_t* row_start;  // n_source + 1 entries
  index_t n_source;
  target_view targets;
  float* weight;
};

class plasticity_rule {
 public:
  virtual ~plasticity_rule() = default;
  // Sizes the traces before the first run: one copy of the presynaptic traces per worker,
  // since every worker sees every presynaptic spike. delay: the projection's, in steps.
  virtual void prepare(index_t n_source, index_t n_target, int workers, step_t delay) = 0;
  // A presynaptic spike of `source` at step t: update the weights of the row [k0, k1).
  virtual void on_pre(int worker, step_t t, index_t source, std::uint32_t k0, std::uint32_t k1, target_view targets,
                      float* weight) = 0;
  // A postsynaptic spike of `target` reaching its synapses at step t.
  virtual void on_post(step_t t, index_t target) = 0;
  virtual void count_post(step_t t, index_t target) = 0;
  // Applies every deferred update of the synapses of all workers for spikes up to step t.
  virtual void flush(step_t t, std::span<const plastic_rows> rows) = 0;
  virtual std::size_t pending() const { return 0; }  // deferred postsynaptic events
  // True when the rule must be flushed after step t however little is pending: a rule that acts
  // on whole columns of weights at fixed times (weight normalisation) is flushed then.
  virtual bool due(step_t) const { return false; }
  virtual std::size_t bytes() const = 0;
  // Weights must lie in [min, max]; initial weights are checked against it.
  virtual double weight_min() const = 0;
  virtual double weight_max() const = 0;
  // Lists the rule's state (core/state.hpp) for checkpoints; called between runs, after flush(),
  // so nothing is pending. Per-worker copies of presynaptic traces are listed once, and copied to
  // every worker only when restoring.
  virtual void visit_state(state_visitor& v) = 0;
};

struct plasticity_rule_info {
  std::string name;
  std::string doc;  // one line
  param_table params;
  std::vector<std::string> weight_params{"w_min", "w_max"};  // in the target model's weight unit
  std::function<std::string(const param_set&)> check;
  std::function<std::unique_ptr<plasticity_rule>(const param_set&, double dt)> make;
};

struct register_plasticity_rule {
  explicit register_plasticity_rule(plasticity_rule_info info);
};

const plasticity_rule_info* find_plasticity_rule(std::string_view name);
std::vector<const plasticity_rule_info*> plasticity_rules();  // sorted by name

// e^{-n dt / tau} for a lag of n steps: from a table up to 4096 steps, computed beyond.
class decay_table {
 public:
  decay_table(double tau_ms, double dt_ms);
  double operator()(step_t lag) const {
    return lag < static_cast<step_t>(table_.size()) ? table_[static_cast<std::size_t>(lag)] : far(lag);
  }

 private:
  double far(step_t lag) const;
  double rate_;  // dt / tau
  std::vector<double> table_;
};

// Exponentially decaying traces of many neurons: x jumps by 1 at a spike (to 1 when
// `nearest`, for nearest-spike pairing) and decays with tau between spikes. Evaluated lazily
// and exactly: each neuron keeps its value just after its last spike and that spike's step.
class trace_set {
 public:
  trace_set(double tau_ms, double dt_ms, bool nearest) : decay_(tau_ms, dt_ms), nearest_(nearest) {}
  void resize(std::size_t n) { state_.assign(n, {}); }
  // The trace at step t of the spikes before t.
  double at(index_t i, step_t t) const { return state_[i].value * decay_(t - state_[i].last); }
  step_t last(index_t i) const { return state_[i].last; }  // the last spike's step (0: none)
  void add(index_t i, step_t t) { state_[i] = {(nearest_ ? 0.0 : at(i, t)) + 1.0, t}; }
  std::size_t bytes() const { return state_.capacity() * sizeof(entry); }
  // As NAME_value and NAME_last; a restored last spike must lie in [0, v.step()].
  void visit(state_visitor& v, const std::string& name);

 private:
  struct entry {  // together: one cache line holds both
    double value = 0;
    step_t last = 0;
  };
  decay_table decay_;
  bool nearest_;
  std::vector<entry> state_;
};

// Postsynaptic spikes whose potentiation some synapses still owe, per target: each event's
// arrival step and a value the rule needs then (a trace before the spike).
class deferred_posts {
 public:
  struct event {
    step_t arrival;
    double value;
  };
  void resize(std::size_t n) {
    events_.assign(n, {});
    latest_.assign(n, -1);
  }
  void add(index_t target, step_t arrival, double value) {
    events_[target].push_back({arrival, value});
    latest_[target] = arrival;
    ++count_;
  }
  // The events of `target` that arrived after step `since`, in order. Searched from the end:
  // usually only the last one or two are owed.
  std::span<const event> after(index_t target, step_t since) const {
    if (latest_[target] <= since) return {};
    const auto& e = events_[target];
    std::size_t first = e.size() - 1;
    while (first > 0 && e[first - 1].arrival > since) --first;
    return {e.data() + first, e.size() - first};
  }
  void clear() {
    for (auto& e : events_) e.clear();
    count_ = 0;
  }
  std::size_t count() const { return count_; }
  std::size_t bytes() const;

 private:
  std::vector<std::vector<event>> events_;
  std::vector<step_t> latest_;  // the last arrival per target, checked first
  std::size_t count_ = 0;
};

// For flush(): w <- owed(w, source, target, since) for every synapse of `rows`, where `since` is
// the later of the source's last spike (in `pre`) and the previous flush.
template <class Owed>
void settle_owed(std::span<const plastic_rows> rows, const trace_set& pre, step_t flushed, Owed owed) {
  for (const auto& r : rows)
    for (index_t source = 0; source < r.n_source; ++source) {
      const step_t since = std::max(pre.last(source), flushed);
      for (std::uint32_t k = r.row_start[source]; k < r.row_start[source + 1]; ++k)
        r.weight[k] = owed(r.weight[k], source, r.targets[k], since);
    }
}

// Weight dependence of the pair and triplet rules (PyNN's definitions): an update of size x
// (trace times amplitude) moves w by x * w_max (additive) or by x * (w_max - w) up and
// x * (w - w_min) down (multiplicative); the result is clipped to [w_min, w_max].
struct weight_bounds {
  double min, max;
  bool multiplicative;
  float potentiate(float w, double x) const {
    return static_cast<float>(std::min(max, w + (multiplicative ? x * (max - w) : x * max)));
  }
  float depress(float w, double x) const {
    return static_cast<float>(std::max(min, w - (multiplicative ? x * (w - min) : x * max)));
  }
};

}  // namespace neurite::core
