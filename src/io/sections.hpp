#pragma once
// Internal to io/: readers of the sections of a model file, in the order they run (each may
// use what the ones before it produced: dt, the populations).
#include <filesystem>

#include "io/toml_fields.hpp"
#include "network/description.hpp"

namespace neurite::io::detail {

struct model_context {
  network::network_desc& desc;
  std::filesystem::path base_dir;  // of relative paths in the file

  double dt() const { return desc.simulation.dt; }
  // The population named by a string field (checked).
  const network::population_desc& population(const field& f) const;
  // A population known to exist (named by a projection already read).
  const network::population_desc& population_named(const std::string& name) const;
  // The same, for a target of synaptic input or stimuli: source models are refused.
  const network::population_desc& input_population(const field& f) const;
  static const core::neuron_model_info& model_of(const network::population_desc& p);
  // "0.1 ms"
  std::string dt_text() const;
  // Fails at `where`/`key` (or at f) unless the time ms spans at most max_steps steps of dt.
  void check_steps(const std::string& where, const std::string& key, double ms) const;
  void check_steps(const field& f, double ms) const { check_steps(f.where(), f.path(), ms); }
};

// A parameter of a model or rule: a named choice, true or false for a switch, else a quantity
// of dimension d.
double read_param_value(const field& f, const core::param_spec& spec, core::dimension d);

void read_simulation(const field& f, model_context& c);   // [simulation]
void read_populations(const field& f, model_context& c);  // [populations.NAME]
void read_projections(const field& f, model_context& c);  // [[projections]]
void read_stimuli(const field& f, model_context& c);      // [[stimuli]]
void read_record(const field& f, model_context& c);       // [record]

}  // namespace neurite::io::detail
