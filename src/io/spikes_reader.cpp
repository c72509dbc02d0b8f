#include "io/spikes_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <new>

#include <fmt/format.h>

#include "io/h5.hpp"

namespace neurite::io {
namespace {

// No dataset may hold more values than the file could expand to (gzip packs at most ~1000:1).
std::size_t max_values(const std::string& path) {
  return static_cast<std::size_t>(std::filesystem::file_size(path)) * 1100 + (std::size_t{1} << 20);
}

void check_times(const std::vector<double>& times, const std::string& dataset) {
  for (std::size_t k = 0; k < times.size(); ++k)
    if (!std::isfinite(times[k]) || times[k] < 0)
      throw std::runtime_error(fmt::format("{}: value {} is {}, expected a finite time >= 0 ms", dataset, k, times[k]));
}

// The size attributes when the writer stated them (a count in [0, 2^53]), else the largest id + 1.
void read_sizes(hid_t group, const std::string& where, population_spikes& p) {
  const auto size = h5::read_number_attribute(group, "population_size");
  const auto recorded = h5::read_number_attribute(group, "recorded_neurons");
  const auto check = [&](double v, const char* name) {
    if (!(v >= 0 && v <= 9007199254740992.0 && v == std::floor(v)))
      throw std::runtime_error(fmt::format("{} attribute {}: expected a neuron count, found {}", where, name, v));
    return static_cast<std::uint64_t>(v);
  };
  const std::uint64_t largest = p.node_ids.empty() ? 0 : *std::max_element(p.node_ids.begin(), p.node_ids.end()) + 1;
  if (size) {
    p.size = check(*size, "population_size");
    p.recorded = recorded ? check(*recorded, "recorded_neurons") : p.size;
    p.size_known = true;
    if (largest > p.size)
      throw std::runtime_error(fmt::format("{}/node_ids: id {} where population_size is {}", where, largest - 1, p.size));
  } else {
    p.size = p.recorded = largest;
  }
}

population_spikes read_population(hid_t spikes, const std::string& name, std::size_t max_size) {
  population_spikes p;
  p.name = name;
  const std::string where = "spikes/" + name;
  auto group = h5::open_group(spikes, name);
  p.times = h5::read_dataset<double>(group, "timestamps", max_size);
  check_times(p.times, where + "/timestamps");
  p.node_ids = h5::read_dataset<std::uint64_t>(group, "node_ids", max_size);
  if (p.node_ids.size() != p.times.size())
    throw std::runtime_error(fmt::format("{}/node_ids has {} values where {}/timestamps has {}", where,
                                         p.node_ids.size(), where, p.times.size()));
  read_sizes(group, where, p);
  return p;
}

void read_rates(hid_t file, population_spikes& p, std::size_t max_size) {
  const std::string where = "population_rate/" + p.name;
  if (!h5::exists(file, where)) return;
  auto group = h5::open_group(file, where);
  p.rate_times = h5::read_dataset<double>(group, "times", max_size);
  p.rate_hz = h5::read_dataset<double>(group, "rate", max_size);
  if (p.rate_times.size() != p.rate_hz.size())
    throw std::runtime_error(fmt::format("{}/rate has {} values where {}/times has {}", where, p.rate_hz.size(), where,
                                         p.rate_times.size()));
  check_times(p.rate_times, where + "/times");
}

// The end of the run when the file does not state it: the end of the last rate bin, else the
// last spike.
double inferred_t_stop(const spikes_file& f) {
  double t = 0;
  for (const auto& p : f.populations) {
    if (p.rate_times.size() >= 2) t = std::max(t, 2 * p.rate_times.back() - p.rate_times[p.rate_times.size() - 2]);
    if (!p.times.empty()) t = std::max(t, *std::max_element(p.times.begin(), p.times.end()));
  }
  return t;
}

spikes_file read_file(const std::string& path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("no such file");
  const std::size_t max_size = max_values(path);
  auto file = h5::open_file(path, false);
  if (!h5::exists(file, "spikes")) throw std::runtime_error("no group /spikes (not a SONATA spike file)");
  spikes_file f;
  f.path = path;
  auto spikes = h5::open_group(file, "spikes");
  for (const auto& name : h5::member_names(spikes)) {
    f.populations.push_back(read_population(spikes, name, max_size));
    read_rates(file, f.populations.back(), max_size);
  }
  if (const auto t_stop = h5::read_number_attribute(file, "t_stop")) {
    if (!std::isfinite(*t_stop) || *t_stop < 0)
      throw std::runtime_error(fmt::format("attribute t_stop is {}, expected a time >= 0 ms", *t_stop));
    f.t_stop = *t_stop, f.t_stop_known = true;
  } else {
    f.t_stop = inferred_t_stop(f);
  }
  return f;
}

}  // namespace

const population_spikes* spikes_file::find(std::string_view name) const {
  for (const auto& p : populations)
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<std::string> spikes_file::names() const {
  std::vector<std::string> out;
  for (const auto& p : populations) out.push_back(p.name);
  return out;
}

spikes_file read_spikes_file(const std::string& path) {
  h5::quiet_errors quiet;
  try {
    return read_file(path);
  } catch (const std::bad_alloc&) {
    throw spikes_file_error(path + ": more data than memory (a damaged file?)");
  } catch (const std::exception& e) {  // HDF5 and the file system; some messages name the file already
    const std::string what = e.what();
    throw spikes_file_error(what.starts_with(path + ":") ? what : path + ": " + what);
  }
}

}  // namespace neurite::io
