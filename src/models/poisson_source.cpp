// poisson_source: a population of independent Poisson spike trains (like Brian2's PoissonGroup
// or NEST's poisson_generator feeding parrot neurons). Each neuron spikes in a step with
// probability 1 - exp(-rate dt), drawn from the counter-based stream of (neuron, step).
#include <cmath>

#include "core/neuron_model.hpp"
#include "core/rng.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class poisson_source final : public neuron_dynamics {
 public:
  poisson_source(const param_set& p, double dt)
      : threshold_(std::ldexp(-std::expm1(-p["rate"] * dt * 1e-3), 32)), start_(p["start"]), stop_(p["stop"]),
        dt_(dt) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    const double t = static_cast<double>(in.step) * dt_;
    if (t < start_ || t >= stop_) return;
    per_id_words words(in.seed, in.noise_purpose, static_cast<std::uint64_t>(in.step));
    for (index_t i = begin; i < end; ++i)
      if (static_cast<double>(words(i)) < threshold_) spiked.push_back(i);
  }
  double* state(std::string_view) override { return nullptr; }
  void visit_state(state_visitor&) override {}  // draws depend on (seed, neuron, step) only

 private:
  double threshold_;  // P(spike in a step) * 2^32
  double start_, stop_, dt_;
};

const register_neuron_model registration{{
    .name = "poisson_source",
    .doc = "independent Poisson spike trains at a fixed rate",
    .method = "one Bernoulli draw per neuron and step, p = 1 - exp(-rate dt)",
    .params = {
        {"rate", dimension::frequency, 10.0, 0, unbounded, "firing rate of each neuron"},
        {"start", dimension::time, 0.0, 0, unbounded, "first time at which spikes may occur"},
        {"stop", dimension::time, unbounded, 0, unbounded, "time from which no spikes occur"},
    },
    .state = {},
    .receptors = {},
    .weight_dim = dimension::dimensionless,
    .is_source = true,
    .check = {},
    .make = [](const param_set& p, std::size_t, double dt, const population_data&) -> std::unique_ptr<neuron_dynamics> {
      return std::make_unique<poisson_source>(p, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
