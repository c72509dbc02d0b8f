// spike_source: neurons that emit spikes at given times (NEST spike_generator with parrots,
// Brian2 SpikeGeneratorGroup). A spike at time t is emitted in the step that ends at the
// nearest multiple of dt, so its time stamp is t rounded to the grid; times that round to the
// same step are all emitted, as that many spikes.
#include <algorithm>
#include <cmath>

#include "core/neuron_model.hpp"

namespace neurite::models {
namespace {
using namespace neurite::core;

class spike_source final : public neuron_dynamics {
 public:
  spike_source(const population_data& data, std::size_t n, double dt) : steps_(n), next_(n, 0) {
    for (std::size_t i = 0; i < n && i < data.spike_times.size(); ++i) {
      for (const double t : data.spike_times[i]) steps_[i].push_back(std::llround(t / dt) - 1);
      std::sort(steps_[i].begin(), steps_[i].end());
    }
  }

  void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) override {
    for (index_t i = begin; i < end; ++i) {
      auto& k = next_[i];
      const auto& s = steps_[i];
      while (k < s.size() && s[k] < in.step) ++k;  // times before the start of this run
      // Several times in one step are several spikes: i is listed once for each, and each
      // delivers its weight (NEST's multiplicity).
      for (; k < s.size() && s[k] == in.step; ++k) spiked.push_back(i);
    }
  }
  double* state(std::string_view) override { return nullptr; }
  void visit_state(state_visitor&) override {}  // next_ catches up with the step by itself

 private:
  std::vector<std::vector<step_t>> steps_;  // emitting step per spike (time = (step + 1) dt)
  std::vector<std::size_t> next_;
};

const register_neuron_model registration{{
    .name = "spike_source",
    .doc = "neurons that spike at given times (spike_times: one list per neuron)",
    .method = "times rounded to the simulation grid",
    .params = {},
    .state = {},
    .receptors = {},
    .weight_dim = dimension::dimensionless,
    .is_source = true,
    .check = {},
    .make = [](const param_set&, std::size_t n, double dt, const population_data& data) -> std::unique_ptr<neuron_dynamics> {
      return std::make_unique<spike_source>(data, n, dt);
    },
}};

}  // namespace
}  // namespace neurite::models
