#pragma once
// A network as data: what io/ reads from a model file (or Python builds) and network::build
// turns into a core::simulation. All values are in the internal units (docs/units.md) and
// already validated; `where` is the "FILE:LINE" of the entry, for messages raised later.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/units.hpp"

namespace neurite::network {

// The longest delay, in steps of dt: synapses store their delays as 16-bit step counts.
inline constexpr double max_delay_steps = 65535;
// "at most 65535 steps of dt (6553.5 ms)", for the messages of the reader and of build().
std::string max_delay_text(double dt);

// A constant, or a distribution from which each synapse or neuron draws its own value.
struct value_dist {
  enum class kind { constant, normal, uniform, lognormal };
  kind type = kind::constant;
  // constant: a. normal: mean a, standard deviation b. uniform: [a, b).
  // lognormal: mean a and standard deviation b of the value itself (a < 0: the magnitude is
  // lognormal and the sign negative, for inhibitory weights).
  double a = 0, b = 0;
  double min = -std::numeric_limits<double>::infinity();  // draws are clipped to [min, max]
  double max = std::numeric_limits<double>::infinity();
  bool is_constant() const { return type == kind::constant; }
};

struct population_desc {
  std::string name;
  std::string model;
  core::index_t size = 0;
  std::vector<std::pair<std::string, double>> params;       // overrides of the model's defaults
  std::vector<std::pair<std::string, value_dist>> initial;  // initial values of state variables
  core::population_data data;
  std::string where;
};

struct connector_desc {
  enum class rule { all_to_all, one_to_one, fixed_probability, fixed_indegree, fixed_outdegree, explicit_list,
                    all_to_others, domain };
  rule type = rule::all_to_all;
  double p = 0;                // fixed_probability
  std::uint64_t degree = 0;    // fixed_indegree / fixed_outdegree
  bool autapses = true;        // only meaningful when source == target
  bool multapses = true;       // only for fixed_indegree / fixed_outdegree
  struct edge {
    core::index_t source, target;
    std::optional<double> weight, delay;
  };
  std::vector<edge> edges;     // explicit_list, read from a file
};

// A plasticity rule on a projection: its registered name and the parameters that differ from
// the rule's defaults (w_min and w_max in the target model's weight unit).
struct plasticity_desc {
  std::string rule;
  std::vector<std::pair<std::string, double>> params;
};

struct projection_desc {
  std::string name;  // "source->target" unless given
  std::string source, target;
  connector_desc connector;
  value_dist weight;  // in the target model's weight unit; its sign picks the receptor of two
  value_dist delay;   // [ms]
  std::optional<plasticity_desc> plasticity;
  std::string where;
  // A receptor of the target model by name (two_compartment_nmda: "dend_ex"); empty: the sign of
  // the weight picks the first or second receptor.
  std::string receptor = {};
};

struct stimulus_desc {
  std::string type;  // "poisson_input" or "dc"
  std::string target;
  // poisson_input: n independent sources at `rate` per target neuron, each spike adds `weight`.
  double rate = 0;   // [Hz]
  std::uint64_t n = 1;
  double weight = 0;  // target model's weight unit
  // dc: amplitude [pA]
  double amplitude = 0;
  double start = 0;  // [ms]
  double stop = std::numeric_limits<double>::infinity();  // [ms]
  std::string where;
};

struct spike_recording_desc {
  std::string population;
  std::vector<core::index_t> ids;  // empty: all
};

struct state_recording_desc {
  std::string population;
  std::string variable;
  std::vector<core::index_t> ids;
  double interval = 0.1;  // [ms]
};

// Weights of chosen synapses of a plastic projection, sampled every interval.
struct weight_recording_desc {
  std::string projection;
  std::vector<std::pair<core::index_t, core::index_t>> synapses;  // (source, target)
  std::vector<core::index_t> targets;  // and every synapse onto these neurons
  double interval = 1;  // [ms]
  std::string where;
};

struct simulation_desc {
  double dt = 0.1;          // [ms]
  double duration = 1000;   // [ms]
  std::uint64_t seed = 1;
  int threads = 1;
};

struct network_desc {
  std::string file;  // where it was read from, for messages
  simulation_desc simulation;
  std::vector<population_desc> populations;
  std::vector<projection_desc> projections;
  std::vector<stimulus_desc> stimuli;
  std::vector<spike_recording_desc> spike_recordings;
  std::vector<state_recording_desc> state_recordings;
  std::vector<weight_recording_desc> weight_recordings;
  double rate_bin = 1.0;  // [ms] bin of the population-rate recorder
};

}  // namespace neurite::network
