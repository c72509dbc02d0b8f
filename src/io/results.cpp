#include "io/results.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <hdf5.h>

namespace neurite::io {
namespace {

// Owns an HDF5 identifier and closes it with the matching function.
class h5_handle {
 public:
  h5_handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id < 0) throw std::runtime_error("HDF5: could not create " + what);
  }
  ~h5_handle() { close_(id_); }
  h5_handle(const h5_handle&) = delete;
  h5_handle& operator=(const h5_handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

h5_handle make_group(hid_t parent, const std::string& name) {
  return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group " + name};
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  h5_handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(type, value.size());
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  h5_handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
  h5_handle attr(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
  if (H5Awrite(attr, type, value.c_str()) < 0) throw std::runtime_error(fmt::format("HDF5: could not write {}", name));
}

// SONATA's `sorting` attribute as libsonata reads it: an HDF5 enum {none, by_id, by_time} over
// an 8-bit integer (HDF5 converts enums by name, so readers with another base type agree).
void write_sorting_attribute(hid_t group, const char* value) {
  h5_handle type(H5Tenum_create(H5T_STD_U8LE), H5Tclose, "enum type");
  const char* names[] = {"none", "by_id", "by_time"};
  for (std::uint8_t k = 0; k < 3; ++k) H5Tenum_insert(type, names[k], &k);
  std::uint8_t code = 0;
  if (H5Tenum_valueof(type, value, &code) < 0) throw std::logic_error("no such sorting");
  h5_handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
  h5_handle attr(H5Acreate2(group, "sorting", type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "sorting");
  if (H5Awrite(attr, type, &code) < 0) throw std::runtime_error("HDF5: could not write sorting");
}

template <class T>
hid_t h5_type();
template <>
hid_t h5_type<double>() { return H5T_NATIVE_DOUBLE; }
template <>
hid_t h5_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }

// A 1-D or 2-D dataset, gzip-compressed in chunks when it is large.
template <class T>
void write_dataset(hid_t parent, const std::string& name, const std::vector<T>& data, hsize_t rows, hsize_t cols = 0,
                   const char* units = nullptr) {
  const int rank = cols ? 2 : 1;
  const hsize_t dims[2] = {rows, cols};
  h5_handle space(H5Screate_simple(rank, dims, nullptr), H5Sclose, "dataspace for " + name);
  h5_handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "properties");
  if (data.size() >= 4096) {
    const hsize_t chunk[2] = {cols ? std::max<hsize_t>(1, 65536 / cols) : 65536, cols};
    const hsize_t c[2] = {std::min(chunk[0], rows), cols};
    H5Pset_chunk(props, rank, c);
    H5Pset_deflate(props, 4);
  }
  h5_handle set(H5Dcreate2(parent, name.c_str(), h5_type<T>(), space, H5P_DEFAULT, props, H5P_DEFAULT), H5Dclose,
                "dataset " + name);
  if (!data.empty() && H5Dwrite(set, h5_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
    throw std::runtime_error("HDF5: could not write " + name);
  if (units) write_string_attribute(set, "units", units);
}

void write_population_spikes(hid_t spikes, const core::simulation& sim, const core::spike_recorder& rec) {
  const auto& pop = sim.populations()[rec.population];
  h5_handle group = make_group(spikes, pop.name);
  write_sorting_attribute(group, "by_time");
  std::vector<double> times;
  std::vector<std::uint64_t> ids;
  times.reserve(rec.spikes.size());
  ids.reserve(rec.spikes.size());
  for (const auto& s : rec.spikes) {
    times.push_back(static_cast<double>(s.step + 1) * sim.dt());
    ids.push_back(s.id);
  }
  write_dataset(group, "timestamps", times, times.size(), 0, "ms");
  write_dataset(group, "node_ids", ids, ids.size());
}

void write_state(hid_t file, const core::simulation& sim) {
  if (sim.state_recorders().empty()) return;
  h5_handle state = make_group(file, "state");
  for (std::size_t r = 0; r < sim.state_recorders().size(); ++r) {
    const auto& rec = sim.state_recorders()[r];
    h5_handle group = make_group(state, fmt::format("{}_{}_{}", sim.populations()[rec.population].name, rec.variable, r));
    write_string_attribute(group, "population", sim.populations()[rec.population].name);
    write_string_attribute(group, "variable", rec.variable);
    std::vector<double> values;
    values.reserve(rec.values.size() * rec.ids.size());
    for (const auto& row : rec.values) values.insert(values.end(), row.begin(), row.end());
    write_dataset(group, "times", rec.times, rec.times.size(), 0, "ms");
    write_dataset(group, "node_ids", std::vector<std::uint64_t>(rec.ids.begin(), rec.ids.end()), rec.ids.size());
    write_dataset(group, "values", values, rec.values.size(), rec.ids.size());
  }
}

// /weights/<projection>_<k>: times [ms], source_ids and target_ids of the recorded synapses,
// values[sample][synapse] in the target model's weight unit.
void write_weights(hid_t file, const core::simulation& sim) {
  if (sim.weight_recorders().empty()) return;
  h5_handle weights = make_group(file, "weights");
  for (std::size_t r = 0; r < sim.weight_recorders().size(); ++r) {
    const auto& rec = sim.weight_recorders()[r];
    const std::string& name = sim.projections()[rec.projection].name;
    h5_handle group = make_group(weights, fmt::format("{}_{}", name, r));
    write_string_attribute(group, "projection", name);
    std::vector<std::uint64_t> sources, targets;
    for (const auto& [s, t] : rec.synapses) sources.push_back(s), targets.push_back(t);
    std::vector<double> values;
    for (const auto& row : rec.values) values.insert(values.end(), row.begin(), row.end());
    write_dataset(group, "times", rec.times, rec.times.size(), 0, "ms");
    write_dataset(group, "source_ids", sources, sources.size());
    write_dataset(group, "target_ids", targets, targets.size());
    const auto unit = core::unit_name(sim.populations()[sim.projections()[rec.projection].target].model->weight_dim);
    write_dataset(group, "values", values, rec.values.size(), rec.synapses.size(), std::string(unit).c_str());
  }
}

void write_rates(hid_t file, const core::simulation& sim, double bin_ms) {
  h5_handle rates = make_group(file, "population_rate");
  const auto steps_per_bin = static_cast<std::size_t>(std::max<core::step_t>(1, core::steps_of(bin_ms, sim.dt())));
  for (std::size_t p = 0; p < sim.populations().size(); ++p) {
    const auto& counts = sim.spike_counts_per_step()[p];
    const double size = sim.populations()[p].size, bin_s = static_cast<double>(steps_per_bin) * sim.dt() * 1e-3;
    std::vector<double> times, rate;
    for (std::size_t k = 0; k < counts.size(); k += steps_per_bin) {
      double n = 0;
      for (std::size_t j = k; j < std::min(counts.size(), k + steps_per_bin); ++j) n += counts[j];
      times.push_back(static_cast<double>(k) * sim.dt());
      rate.push_back(n / (size * bin_s));
    }
    h5_handle group = make_group(rates, sim.populations()[p].name);
    write_dataset(group, "times", times, times.size(), 0, "ms");
    write_dataset(group, "rate", rate, rate.size(), 0, "Hz");
  }
}

std::string temporary_name(const std::string& path) { return path + ".part"; }

// After a failed write: the temporary goes, and a good file already at the final path stays.
void remove_temporary(const std::string& tmp) noexcept {
  std::error_code ignored;
  std::filesystem::remove(tmp, ignored);
}

}  // namespace

void write_spikes_h5(const std::string& path, const core::simulation& sim, double rate_bin_ms) {
  const std::string tmp = temporary_name(path);
  try {
    {
      h5_handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "file " + tmp);
      h5_handle spikes = make_group(file, "spikes");
      for (const auto& rec : sim.spike_recorders()) write_population_spikes(spikes, sim, rec);
      write_rates(file, sim, rate_bin_ms);
      write_state(file, sim);
      write_weights(file, sim);
    }
    std::filesystem::rename(tmp, path);
  } catch (...) {
    remove_temporary(tmp);
    throw;
  }
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = temporary_name(path);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.flush();
      if (!out) throw std::runtime_error("could not write " + tmp);
    }
    std::filesystem::rename(tmp, path);
  } catch (...) {
    remove_temporary(tmp);
    throw;
  }
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

nlohmann::json summarize(const core::simulation& sim, const run_timing& timing) {
  nlohmann::json j;
  const double duration_s = static_cast<double>(sim.now()) * sim.dt() * 1e-3;
  auto& pops = j["populations"] = nlohmann::json::object();
  for (const auto& p : sim.populations()) {
    std::uint64_t spikes = 0;
    double cv_sum = 0;
    std::size_t cv_n = 0;
    for (core::index_t i = 0; i < p.size; ++i) {
      spikes += p.spike_count[i];
      if (p.isi_count[i] < 2) continue;  // a CV needs at least two intervals
      const double n = p.isi_count[i], mean = p.isi_sum[i] / n;
      const double var = std::max(0.0, p.isi_sum_sq[i] / n - mean * mean);
      cv_sum += std::sqrt(var) / mean;
      ++cv_n;
    }
    const double rate = duration_s > 0 ? static_cast<double>(spikes) / (p.size * duration_s) : 0.0;
    pops[p.name] = {{"size", p.size},
                    {"model", p.model->name},
                    {"spikes", spikes},
                    {"rate_hz", rate},
                    {"cv_isi", cv_n ? nlohmann::json(cv_sum / static_cast<double>(cv_n)) : nlohmann::json(nullptr)}};
  }
  const auto synapses = sim.synapse_count();
  j["synapses"] = synapses;
  j["bytes_per_synapse"] = synapses ? static_cast<double>(sim.synapse_bytes()) / static_cast<double>(synapses) : 0.0;
  j["synaptic_events"] = sim.synaptic_events();
  nlohmann::json plastic = nlohmann::json::object();  // synapses and bytes per synapse (traces included)
  for (const auto& proj : sim.projections())
    if (proj.plasticity && proj.synapse_count())
      plastic[proj.name] = {{"synapses", proj.synapse_count()},
                            {"bytes_per_synapse", static_cast<double>(proj.bytes()) / static_cast<double>(proj.synapse_count())}};
  j["plastic_projections"] = plastic;
  j["build_s"] = timing.build_s;
  j["simulate_s"] = timing.simulate_s;
  j["peak_rss_mb"] = peak_rss_mb();
  j["threads"] = sim.workers();
  j["seed"] = sim.seed();
  j["dt_ms"] = sim.dt();
  j["duration_ms"] = static_cast<double>(sim.now()) * sim.dt();
  j["interrupted"] = timing.interrupted;
  return j;
}

}  // namespace neurite::io
