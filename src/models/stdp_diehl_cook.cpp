// stdp_diehl_cook: the STDP rule of Diehl & Cook (2015) with their weight normalisation, as the
// place-recognition modules of Hussaini et al. (2023) train their input weights with it.
// Nearest-spike traces, each reset to 1 at its neuron's spike: pre (tau_pre), post1
// (tau_post1), post2 (tau_post2).
//
//   pre spike at t:                  w -= nu_pre  post1(t)         (+= when pre_potentiates)
//   post spike reaching it at t:     w += nu_post pre(t) post2(t-)
//
// post2(t-) is the trace before the spike itself. Steps scale with w_max; w is clipped to
// [w_min, w_max] after each update. Diehl & Cook subtract the presynaptic term; the VPRSNN
// code adds it (papers/PAPERS_01-12.md, section 9), hence the flag.
//
// Weight normalisation: every `norm_every` the incoming weights of each target are rescaled so
// that they sum to norm_total (Diehl & Cook do it before each image, whose presentation and rest
// last norm_every). It happens at the flush after each multiple of norm_every: exactly there when
// runs end on those multiples or the shortest delay divides norm_every (the kernel flushes the
// rule when due() says so), else at the next interval boundary. A target whose weights are all 0
// keeps them. The rescaled weights are not clipped (as in the original), so a sum stays exact.
// Timing conventions and the order of events: core/plasticity.hpp.
#include <cmath>

#include "models/deferred_stdp.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class stdp_diehl_cook final : public deferred_stdp<stdp_diehl_cook> {
 public:
  stdp_diehl_cook(const param_set& p, double dt)
      : deferred_stdp(trace_set(p["tau_pre"], dt, true), {p["w_min"], p["w_max"], false}, "pre"),
        nu_pre_(p["nu_pre"] * (p["pre_potentiates"] != 0 ? -1.0 : 1.0)), nu_post_(p["nu_post"]),
        norm_total_(p["norm_total"]), norm_steps_(p["norm_every"] > 0 ? steps_of(p["norm_every"], dt) : 0),
        post1_(p["tau_post1"], dt, true), post2_(p["tau_post2"], dt, true) {}

  void prepare(index_t n_source, index_t n_target, int workers, step_t) override {
    prepare_deferred(n_source, n_target, workers);
    post1_.resize(n_target);
    post2_.resize(n_target);
    column_sum_.assign(n_target, 0.0);
  }

  // Potentiation waits for the synapse's next presynaptic spike; post2 before this spike is kept.
  void on_post(step_t t, index_t target) override { owe(t, target, post2_.at(target, t)); }
  void count_post(step_t t, index_t target) override {
    post1_.add(target, t);
    post2_.add(target, t);
  }

  void flush(step_t t, std::span<const plastic_rows> rows) override {
    deferred_stdp::flush(t, rows);
    if (due(t)) {
      normalise(rows);
      normalised_ = (t + 1) / norm_steps_;
    }
  }
  bool due(step_t t) const override { return norm_steps_ > 0 && norm_total_ > 0 && (t + 1) / norm_steps_ > normalised_; }

  std::size_t bytes() const override {
    return deferred_bytes() + post1_.bytes() + post2_.bytes() + column_sum_.capacity() * sizeof(double);
  }
  void visit_state(state_visitor& v) override {
    visit_deferred(v, [&] {
      post1_.visit(v, "post1");
      post2_.visit(v, "post2");
    });
    v.scalar("normalised", normalised_);
  }

  double potentiation(double pre, double post2) const { return nu_post_ * pre * post2; }
  // The presynaptic term: -nu_pre post1 (+ when pre_potentiates).
  auto presynaptic(int, index_t, step_t t) {
    return [this, t](float w, index_t target) {
      const double x = nu_pre_ * post1_.at(target, t);
      return x >= 0 ? bounds_.depress(w, x) : bounds_.potentiate(w, -x);
    };
  }

 private:
  // Each target's synapses lie in one worker's rows and are summed in ascending source order,
  // so the sums (and the result) are the same for any number of workers.
  void normalise(std::span<const plastic_rows> rows) {
    std::fill(column_sum_.begin(), column_sum_.end(), 0.0);
    for (const auto& r : rows)
      for (std::uint32_t k = 0; k < r.row_start[r.n_source]; ++k) column_sum_[r.targets[k]] += r.weight[k];
    for (auto& s : column_sum_) s = s > 0 ? norm_total_ / s : 1.0;
    for (const auto& r : rows)
      for (std::uint32_t k = 0; k < r.row_start[r.n_source]; ++k)
        r.weight[k] = static_cast<float>(r.weight[k] * column_sum_[r.targets[k]]);
  }

  double nu_pre_, nu_post_;  // nu_pre_ < 0: the presynaptic term potentiates
  double norm_total_;
  step_t norm_steps_;
  trace_set post1_, post2_;
  std::vector<double> column_sum_;
  step_t normalised_ = 0;       // normalisations done: the last at step normalised_ * norm_steps_
};

const register_plasticity_rule registration{{
    .name = "stdp_diehl_cook",
    .doc = "Diehl & Cook (2015) STDP with nearest-spike traces and periodic normalisation of incoming weights",
    .params =
        {
            {"tau_pre", dimension::time, 20.0, 0, unbounded, "decay of the presynaptic trace", true},
            {"tau_post1", dimension::time, 20.0, 0, unbounded, "decay of the postsynaptic trace of the pre term", true},
            {"tau_post2", dimension::time, 40.0, 0, unbounded, "decay of the postsynaptic trace of the post term", true},
            {"nu_pre", dimension::dimensionless, 1e-4, 0, unbounded, "learning rate of the presynaptic term"},
            {"nu_post", dimension::dimensionless, 1e-2, 0, unbounded, "learning rate of the postsynaptic term"},
            {"pre_potentiates", dimension::dimensionless, 0, 0, 1,
             "false: the presynaptic term depresses (Diehl & Cook), true: it potentiates (VPRSNN code)", false, true},
            {"w_min", dimension::dimensionless, 0.0, -unbounded, unbounded, "lowest weight (target's weight unit)"},
            {"w_max", dimension::dimensionless, 1.0, -unbounded, unbounded, "highest weight (target's weight unit)"},
            {"norm_total", dimension::dimensionless, 78.0, 0, unbounded,
             "sum of each target's incoming weights after normalisation; 0: none"},
            {"norm_every", dimension::time, 500.0, 0, unbounded, "period of the normalisation; 0: none"},
        },
    .check = [](const param_set& p) { return expect_less(p, "w_min", "w_max"); },
    .make = [](const param_set& p, double dt) -> std::unique_ptr<plasticity_rule> {
      return std::make_unique<stdp_diehl_cook>(p, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
