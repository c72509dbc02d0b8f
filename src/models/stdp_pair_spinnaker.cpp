// stdp_pair_spinnaker: the pair rule with additive weights as sPyNNaker 7 applies it, for
// models built on SpiNNaker (PyNN SpikePairRule + AdditiveWeightDependence). Same window as
// stdp_pair, but the updates are deferred to presynaptic spikes as SpiNNaker does them:
//   - a postsynaptic spike only enters its neuron's history (the last `history` - 1 spikes are
//     kept; SpiNNaker keeps 15);
//   - at a presynaptic spike at t, each synapse first takes, in order, the postsynaptic
//     spikes that reached it (emission + delay d) since its previous presynaptic spike:
//     w <- min(w_max, w + A_plus x_pre e^{-lag/tau_plus}), x_pre the presynaptic trace of that
//     spike, for lags > 0; then the depression of the latest postsynaptic spike emitted by
//     t - d, timed from its arrival, a lag of 0 included: w <- max(w_min, w - A_minus x_post
//     e^{-lag/tau_minus}). The delivered weight is the result.
// A_plus and A_minus are weight steps in the target's weight unit, not fractions of w_max:
// sPyNNaker's Python writes A_plus and A_minus unscaled although its comment says "pre-multiply
// by Wmax". Sources (github.com/SpiNNakerManchester/sPyNNaker, the accum weight version):
// weight_dependence_additive.py (write_parameters), weight_additive_one_term_impl.h (clip
// after each pair; 02c5eebe), timing_pair_impl.h (no lag check on depression),
// synapse_dynamics_stdp_mad_impl.c and post_events.h (window, delayed_last_post, 16 events).
// These reproduce every layer of the CA3 paper's SpiNNaker spike tables (repro ca3-cam).
// SpiNNaker's fixed point (11-bit traces, 16-bit weights) becomes double precision; it
// changes none of those spikes.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/plasticity.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

// A neuron's last postsynaptic spikes (emission steps) with the trace just after each; entry
// 0 is a placeholder at step 0 (as on SpiNNaker), which never counts as a spike. When full, the
// oldest real spike is dropped; SpiNNaker keeps 16 entries.
struct post_history {
  std::vector<step_t> time{0};
  std::vector<double> trace{0.0};

  std::size_t count() const { return time.size(); }
  void add(step_t t, double x, std::size_t capacity) {
    if (count() == capacity) time.erase(time.begin() + 1), trace.erase(trace.begin() + 1);
    time.push_back(t), trace.push_back(x);
  }
};

struct pre_state {
  step_t time = 0;
  double trace = 0;
};

class stdp_pair_spinnaker final : public plasticity_rule {
 public:
  stdp_pair_spinnaker(const param_set& p, double dt)
      : a_plus_(p["A_plus"]), a_minus_(p["A_minus"]), w_min_(p["w_min"]), w_max_(p["w_max"]),
        decay_plus_(p["tau_plus"], dt), decay_minus_(p["tau_minus"], dt),
        capacity_(static_cast<std::size_t>(p["history"])) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t delay) override {
    pre_.assign(static_cast<std::size_t>(workers), std::vector<pre_state>(n_source));
    post_.assign(n_target, {});
    delay_ = delay;
  }

  void on_pre(int worker, step_t t, index_t source, std::uint32_t k0, std::uint32_t k1, target_view targets,
              float* weight) override {
    pre_state& pre = pre_[static_cast<std::size_t>(worker)][source];
    for (std::uint32_t k = k0; k < k1; ++k) weight[k] = update(weight[k], pre, post_[targets[k]], t);
    pre.trace = pre.trace * decay_plus_(t - pre.time) + 1;
    pre.time = t;
  }

  // Called when the spike reaches the synapses, before the presynaptic spikes of that step.
  void on_post(step_t t, index_t target) override {
    post_history& h = post_[target];
    const step_t spike = t - delay_;
    h.add(spike, h.trace.back() * decay_minus_(spike - h.time.back()) + 1, capacity_);
  }
  void count_post(step_t, index_t) override {}
  // Weights change at presynaptic spikes only, as on SpiNNaker: recorded weights are those.
  void flush(step_t, std::span<const plastic_rows>) override {}

  std::size_t bytes() const override {
    std::size_t n = post_.capacity() * (sizeof(post_history) + capacity_ * (sizeof(step_t) + sizeof(double)));
    for (const auto& p : pre_) n += p.capacity() * sizeof(pre_state);
    return n;
  }
  double weight_min() const override { return w_min_; }
  double weight_max() const override { return w_max_; }
  void visit_state(state_visitor& v) override {
    auto& pre = pre_.front();  // every worker's copy is the same between runs
    v.field("pre_time", pre, &pre_state::time);
    v.field("pre_trace", pre, &pre_state::trace);
    if (v.restoring()) std::fill(pre_.begin() + 1, pre_.end(), pre);
    std::vector<std::int64_t> counts, times;
    std::vector<double> traces;
    for (const auto& h : post_) {
      counts.push_back(static_cast<std::int64_t>(h.count()));
      times.insert(times.end(), h.time.begin(), h.time.end());
      traces.insert(traces.end(), h.trace.begin(), h.trace.end());
    }
    v.integers("post_count", counts);
    v.integers("post_time", times, true);
    v.reals("post_trace", traces, true);
    if (v.restoring()) restore_posts(counts, times, traces, v.step());
  }

 private:
  // One synapse at a presynaptic spike at t: the postsynaptic spikes emitted in
  // (previous pre - d, t - d] potentiate, then the latest one emitted by t - d depresses.
  float update(float w0, const pre_state& pre, const post_history& h, step_t t) const {
    const step_t begin = std::max<step_t>(pre.time - delay_, 0), end = t - delay_;
    std::size_t stop = h.count();  // the window is [first, stop)
    while (stop > 1 && h.time[stop - 1] > end) --stop;
    std::size_t first = stop;
    while (first > 1 && h.time[first - 1] > begin) --first;
    double w = w0;
    for (std::size_t i = first; i < stop; ++i) {
      const step_t arrival = h.time[i] + delay_;
      if (arrival > pre.time) w = std::min(w_max_, w + a_plus_ * pre.trace * decay_plus_(arrival - pre.time));
    }
    if (stop > 1) {  // a postsynaptic spike has reached the synapse
      const step_t arrival = h.time[stop - 1] + delay_;
      w = std::max(w_min_, w - a_minus_ * h.trace[stop - 1] * decay_minus_(t - arrival));
    }
    return static_cast<float>(w);
  }

  // Histories from their flattened arrays, checked: decays are only ever taken forwards in time.
  void restore_posts(const std::vector<std::int64_t>& counts, const std::vector<std::int64_t>& times,
                     const std::vector<double>& traces, step_t step) {
    for (const auto& p : pre_.front())
      if (p.time < 0 || p.time > step) throw std::invalid_argument("pre_time: a spike outside [0, " + std::to_string(step) + "]");
    std::size_t k = 0;
    for (std::size_t i = 0; i < post_.size(); ++i) {
      const auto n = static_cast<std::size_t>(counts[i]);
      if (counts[i] < 1 || n > capacity_ || times.size() - k < n || traces.size() != times.size())
        throw std::invalid_argument("post_count: histories that do not match their lengths or the capacity");
      post_[i].time.assign(times.begin() + static_cast<std::ptrdiff_t>(k), times.begin() + static_cast<std::ptrdiff_t>(k + n));
      post_[i].trace.assign(traces.begin() + static_cast<std::ptrdiff_t>(k), traces.begin() + static_cast<std::ptrdiff_t>(k + n));
      if (post_[i].time[0] != 0) throw std::invalid_argument("post_time: a history without its placeholder entry");
      for (std::size_t j = 1; j < n; ++j)
        if (post_[i].time[j] < post_[i].time[j - 1] || post_[i].time[j] > step - delay_)
          throw std::invalid_argument("post_time: a history out of order or later than its arrival");
      k += n;
    }
    if (k != times.size()) throw std::invalid_argument("post_time: more entries than the histories count");
  }

  double a_plus_, a_minus_, w_min_, w_max_;
  decay_table decay_plus_, decay_minus_;
  std::size_t capacity_;
  step_t delay_ = 1;
  std::vector<std::vector<pre_state>> pre_;  // [worker][source]
  std::vector<post_history> post_;
};

const register_plasticity_rule registration{{
    .name = "stdp_pair_spinnaker",
    .doc = "pair STDP, additive, updated at presynaptic spikes and clipped after each pair as sPyNNaker 7 does",
    .params =
        {
            {"tau_plus", dimension::time, 20.0, 0, unbounded, "decay of the presynaptic trace (potentiation)", true},
            {"tau_minus", dimension::time, 20.0, 0, unbounded, "decay of the postsynaptic trace (depression)", true},
            {"A_plus", dimension::dimensionless, 0.01, 0, unbounded, "potentiation per pair at zero lag (weight unit)"},
            {"A_minus", dimension::dimensionless, 0.01, 0, unbounded, "depression per pair at zero lag (weight unit)"},
            {"w_min", dimension::dimensionless, 0.0, -unbounded, unbounded, "lowest weight (target's weight unit)"},
            {"w_max", dimension::dimensionless, 1.0, -unbounded, unbounded, "highest weight (target's weight unit)"},
            {"history", dimension::dimensionless, 16, 2, 1e6,
             "postsynaptic spikes kept per neuron, the placeholder entry included (SpiNNaker: 16)"},
        },
    .weight_params = {"A_plus", "A_minus", "w_min", "w_max"},
    .check =
        [](const param_set& p) {
          if (p["history"] != std::floor(p["history"]))
            return fmt::format("expected a whole number of spikes for history, found {}", p["history"]);
          return expect_less(p, "w_min", "w_max");
        },
    .make = [](const param_set& p, double dt) -> std::unique_ptr<plasticity_rule> {
      return std::make_unique<stdp_pair_spinnaker>(p, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
