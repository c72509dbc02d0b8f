#pragma once
// The interface between the kernel and a neuron model. A model is a descriptor (name,
// parameter table, state variables, receptors) plus dynamics over struct-of-arrays state
// that advance a slice of neurons by one step. Models register themselves by name
// (models/*.cpp); the kernel, model files and `neurite info` see them through the registry.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/params.hpp"
#include "core/state.hpp"

namespace neurite::core {

using index_t = std::uint32_t;
using step_t = std::int64_t;
// Element of the ring buffers: the summed weights arriving at one receptor of one neuron in one
// step. Single precision halves the memory that spike delivery scatters into.
using input_t = float;

// Everything a population needs at one step, for the neurons [begin, end) it is asked to update.
struct step_input {
  // receptor[r][i]: summed weights of the spikes arriving at this step at receptor r of neuron i
  // (unit: the model's weight dimension). Read-only: the kernel clears them after the update.
  std::span<const input_t* const> receptor;
  const double* current;  // [pA] stimulus current during this step, per neuron
  step_t step;            // the step being advanced: from t = step*dt to (step+1)*dt
  std::uint64_t seed;     // for models with intrinsic noise: draw from (seed, noise_purpose, id, step)
  std::uint32_t noise_purpose;
};

// Data that is not a scalar parameter, given to a population when it is built.
struct population_data {
  std::vector<std::vector<double>> spike_times;  // [ms] per neuron, for spike sources
};

class neuron_dynamics {
 public:
  virtual ~neuron_dynamics() = default;
  // Advance neurons [begin, end) from step to step+1; append the indices that spiked, ascending
  // (an index once per spike: a spike source may emit several in one step).
  virtual void update(index_t begin, index_t end, const step_input& in, std::vector<index_t>& spiked) = 0;
  // The array of a state variable (size = population size), or nullptr if there is none.
  virtual double* state(std::string_view name) = 0;
  // Lists every array of state that changes as the network runs (core/state.hpp), for checkpoints.
  virtual void visit_state(state_visitor& v) = 0;
};

struct state_spec {
  std::string name;
  dimension dim;
  std::string doc;
};

struct neuron_model_info {
  std::string name;
  std::string doc;     // one line
  std::string method;  // how the equations are integrated
  param_table params;
  std::vector<state_spec> state;
  // Input ports. For two receptors, the first takes positive and the second negative weights.
  std::vector<std::string> receptors;
  dimension weight_dim = dimension::voltage;
  bool is_source = false;  // no synaptic input (generators, spike sources)
  // Cross-parameter check: empty when consistent, else "expected ..., found ..." naming the values.
  std::function<std::string(const param_set&)> check;
  std::function<std::unique_ptr<neuron_dynamics>(const param_set&, std::size_t size, double dt,
                                                 const population_data&)>
      make;
};

// The usual factory: Dynamics has a constructor (const param_set&, std::size_t size, double dt).
template <class Dynamics>
std::unique_ptr<neuron_dynamics> make_dynamics(const param_set& p, std::size_t size, double dt, const population_data&) {
  return std::make_unique<Dynamics>(p, size, dt);
}

// Registration at static-initialisation time: one line at the end of each model's file.
struct register_neuron_model {
  explicit register_neuron_model(neuron_model_info info);
};

const neuron_model_info* find_neuron_model(std::string_view name);
std::vector<const neuron_model_info*> neuron_models();  // sorted by name

// Steps in a duration, rounded to the nearest step (durations are validated to be multiples).
inline step_t steps_of(double duration_ms, double dt_ms) {
  return static_cast<step_t>(duration_ms / dt_ms + 0.5);
}

}  // namespace neurite::core
