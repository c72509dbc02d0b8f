#pragma once
// Reading a run's spikes.h5 back: the public reader that analysis/ and `neurite analyze` use
// (io/results.hpp documents the layout). Files from other SONATA writers read too: what they do
// not state (population size, the run's end) is inferred and marked so.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace neurite::io {

// A spikes.h5 that cannot be read as one; the message names the file and the dataset or attribute.
class spikes_file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct population_spikes {
  std::string name;
  std::vector<double> times;            // [ms], /spikes/<name>/timestamps
  std::vector<std::uint64_t> node_ids;  // one per time, < size
  // Neurons in the population and how many were recorded: the attributes population_size and
  // recorded_neurons, or, where a file lacks them, the largest id + 1 for both (size_known false).
  std::uint64_t size = 0, recorded = 0;
  bool size_known = false;
  std::vector<double> rate_times, rate_hz;  // /population_rate/<name>/{times [ms], rate [Hz]}; empty if absent
};

struct spikes_file {
  std::string path;
  std::vector<population_spikes> populations;  // in HDF5's name order
  // The run's end [ms]: the root's t_stop attribute, else the end of the last rate bin, else the
  // last spike (t_stop_known false for the last two).
  double t_stop = 0;
  bool t_stop_known = false;
  const population_spikes* find(std::string_view name) const;
  std::vector<std::string> names() const;
};

// The whole file; throws spikes_file_error for a missing, damaged or inconsistent one (times and
// ids of different lengths, a time that is negative or not finite, an id at or over the size).
spikes_file read_spikes_file(const std::string& path);

}  // namespace neurite::io
