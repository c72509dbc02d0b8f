#pragma once
// A one-population simulation for validation tests: n neurons of one registered model, fed by
// spike sources through hand-made synapse blocks and by stimulus devices, with recorders.
// One worker thread, so every run is deterministic and cheap to reason about.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/rng.hpp"
#include "core/simulation.hpp"
#include "network/stimuli.hpp"

namespace neurite::validation {

// Samples of one state variable of one neuron: v[k] at time t[k] [ms].
struct trace {
  std::vector<double> t, v;
};

using param_overrides = std::vector<std::pair<std::string, double>>;

class single_population {
 public:
  single_population(const std::string& model, const param_overrides& overrides, double dt, core::index_t n = 1,
                    std::uint64_t seed = 1)
      : info_(lookup(model)), params_(info_.params), sim_(dt, seed, 1), n_(n) {
    for (const auto& [name, value] : overrides) params_.set(name, value);
    // Fail loudly on a test that sets a value out of range or an inconsistent set (an
    // infinite default, such as "no bound", is left alone: it is not a user's value).
    for (const auto& spec : info_.params) {
      const double value = params_[spec.name];
      if (std::isinf(value) && value == spec.default_value) continue;
      if (const std::string err = spec.check(value); !err.empty()) throw std::invalid_argument(spec.name + ": " + err);
    }
    if (info_.check) {
      if (const std::string err = info_.check(params_); !err.empty()) throw std::invalid_argument(err);
    }
    sim_.add_population("neurons", info_, params_, n);
  }

  core::simulation& sim() { return sim_; }
  double dt() const { return sim_.dt(); }

  // Sets a state variable of every neuron (before the run, as an initial value).
  void set_state(const std::string& name, double value) {
    double* x = sim_.populations()[0].dynamics->state(name);
    if (!x) throw std::invalid_argument("no state variable " + name);
    std::fill(x, x + n_, value);
  }

  // One spike source whose spikes at `times` [ms] reach every neuron at `receptor` with
  // `weight`, `delay_ms` later (a whole number of steps).
  void add_spikes(std::uint32_t receptor, float weight, std::vector<double> times, double delay_ms) {
    core::population_data data;
    data.spike_times.push_back(std::move(times));
    const auto& source = lookup("spike_source");
    const auto src = sim_.add_population("input" + std::to_string(sim_.populations().size()), source,
                                         core::param_set(source.params), 1, data);
    const long steps = std::lround(delay_ms / dt());
    if (steps < 1 || steps > 65535) throw std::invalid_argument("delay out of range");
    core::synapse_block block;
    block.row_start = {0, n_};
    block.target32.resize(n_);
    std::iota(block.target32.begin(), block.target32.end(), core::index_t{0});
    core::projection p;
    p.name = "input->neurons";
    p.source = src;
    p.target = 0;
    p.receptor = receptor;
    p.weight = weight;
    p.delay = p.max_delay = static_cast<std::uint16_t>(steps);
    p.blocks.push_back(std::move(block));
    sim_.add_projection(std::move(p));
  }

  void add_dc(double amplitude_pa, double start_ms = 0,
              double stop_ms = std::numeric_limits<double>::infinity()) {
    sim_.add_stimulus(std::make_unique<network::dc_input>(0, amplitude_pa, start_ms, stop_ms, dt()));
  }

  // n_inputs independent Poisson trains at rate_hz per neuron, each spike adding `weight`.
  void add_poisson(std::uint32_t receptor, double rate_hz, std::uint64_t n_inputs, double weight) {
    const auto stream = core::stream_purpose(core::purpose::stimulus, stimuli_++);
    sim_.add_stimulus(std::make_unique<network::poisson_input>(0, receptor, rate_hz, n_inputs, weight, 0.0,
                                                               std::numeric_limits<double>::infinity(), dt(),
                                                               sim_.seed(), stream));
  }

  // Records `variable` of neuron `id` every interval_ms (a whole number of steps); returns
  // the recorder's index for trace().
  std::size_t record(const std::string& variable, double interval_ms, core::index_t id = 0) {
    sim_.record_state(0, variable, {id}, std::lround(interval_ms / dt()));
    return sim_.state_recorders().size() - 1;
  }
  trace recorded(std::size_t recorder) const {
    const auto& rec = sim_.state_recorders()[recorder];
    trace out{rec.times, {}};
    for (const auto& row : rec.values) out.v.push_back(row[0]);
    return out;
  }

  void record_spikes() { sim_.record_spikes(0); }
  // Spike times [ms] of neuron id: a spike in step s is stamped (s + 1) dt.
  std::vector<double> spike_times(core::index_t id = 0) const {
    std::vector<double> out;
    for (const auto& s : sim_.spike_recorders().at(0).spikes)
      if (s.id == id) out.push_back(static_cast<double>(s.step + 1) * dt());
    return out;
  }
  // Spikes of each neuron since the start.
  const std::vector<std::uint32_t>& spike_counts() const { return sim_.populations()[0].spike_count; }

  void run(double duration_ms) { sim_.run(duration_ms); }

 private:
  static const core::neuron_model_info& lookup(const std::string& name) {
    const auto* info = core::find_neuron_model(name);
    if (!info) throw std::invalid_argument("no neuron model " + name);
    return *info;
  }

  const core::neuron_model_info& info_;
  core::param_set params_;
  core::simulation sim_;
  core::index_t n_;
  std::uint32_t stimuli_ = 0;
};

// A neuron started at V0 and driven by a constant current I [pA] relaxes as
// V_inf + (V0 - V_inf) e^{-t/tau_m}, V_inf = E_L + tau_m / C_m I (subthreshold, exact
// integration: only rounding, rel_tol of the amplitude). Runs net for 100 ms.
inline void expect_dc_relaxation(single_population& net, double V0, double I_dc, double E_L, double tau_m, double C_m,
                                 double I_total, double rel_tol) {
  net.set_state("V_m", V0);
  net.add_dc(I_dc);
  const auto rec = net.record("V_m", net.dt());
  net.run(100);
  const double V_inf = E_L + tau_m / C_m * I_total;
  const trace v = net.recorded(rec);
  for (std::size_t k = 0; k < v.t.size(); ++k) {
    const double expected = V_inf + (V0 - V_inf) * std::exp(-v.t[k] / tau_m);
    EXPECT_NEAR(v.v[k], expected, rel_tol * std::abs(V0 - V_inf)) << "t = " << v.t[k];
  }
}

// Spike times of a neuron started at V_reset under a constant drive: the first spike within a
// step of T - t_ref, every interval in [T, T + dt) (the threshold is seen at step ends and each
// cycle restarts from V_reset on the grid, so there is no drift). 1e-9: rounding of time stamps.
inline void expect_lif_intervals(const std::vector<double>& spikes, double T, double t_ref, double dt) {
  EXPECT_GE(spikes[0], T - t_ref - 1e-9);
  EXPECT_LT(spikes[0], T - t_ref + dt);
  for (std::size_t k = 1; k < spikes.size(); ++k) {
    const double isi = spikes[k] - spikes[k - 1];
    EXPECT_GE(isi, T - 1e-9) << "interval " << k;
    EXPECT_LT(isi, T + dt) << "interval " << k;
  }
}

}  // namespace neurite::validation
