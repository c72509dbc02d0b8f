// poisson_rates: independent Poisson spike trains with one rate per neuron, held as a state
// variable so that a driver can change it between runs (Brian2's PoissonGroup with a rates
// array): the pixels of an image presented for a while, then the next image's. Each neuron
// spikes in a step with probability 1 - exp(-rate dt), drawn from the counter-based stream of
// (neuron, step), as poisson_source does. A model file sets the rates through `initial`.
#include <cmath>

#include "core/neuron_model.hpp"
#include "core/rng.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class poisson_rates final : public neuron_dynamics {
 public:
  poisson_rates(const param_set& p, std::size_t n, double dt)
      : dt_(dt), rate_(n, p["rate"]), seen_(n, -1.0), threshold_(n, 0.0) {}

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    per_id_words words(in.seed, in.noise_purpose, static_cast<std::uint64_t>(in.step));
    for (index_t i = begin; i < end; ++i) {
      if (rate_[i] != seen_[i]) {  // the rate was set since the last step: its probability anew
        seen_[i] = rate_[i];
        threshold_[i] = std::ldexp(-std::expm1(-rate_[i] * dt_ * 1e-3), 32);
      }
      if (static_cast<double>(words(i)) < threshold_[i]) spiked.push_back(i);
    }
  }
  double* state(std::string_view name) override { return name == "rate" ? rate_.data() : nullptr; }
  void visit_state(state_visitor& v) override { v.reals("rate", rate_); }  // draws depend on (seed, neuron, step)

 private:
  double dt_;
  std::vector<double> rate_;       // [Hz]
  std::vector<double> seen_;       // the rate threshold_ was computed for
  std::vector<double> threshold_;  // P(spike in a step) * 2^32
};

const register_neuron_model registration{{
    .name = "poisson_rates",
    .doc = "independent Poisson spike trains, one rate per neuron (state `rate`, settable between runs)",
    .method = "one Bernoulli draw per neuron and step, p = 1 - exp(-rate dt)",
    .params = {
        {"rate", dimension::frequency, 0.0, 0, unbounded, "initial rate of every neuron"},
    },
    .state = {{"rate", dimension::frequency, "firing rate of the neuron"}},
    .receptors = {},
    .weight_dim = dimension::dimensionless,
    .is_source = true,
    .check = {},
    .make = make_dynamics<poisson_rates>,
}};

}  // namespace
}  // namespace neurite::models
