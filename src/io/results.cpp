#include "io/results.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "core/units.hpp"
#include "io/h5.hpp"

#include "core/version.hpp"

namespace neurite::io {
namespace {

std::string temporary_name(const std::string& path) { return path + ".part"; }

// After a failed write: the temporary goes, and a good file already at the final path stays.
void remove_temporary(const std::string& tmp) noexcept {
  std::error_code ignored;
  std::filesystem::remove(tmp, ignored);
}

// Where each recorder's datasets live, in the order spike_file keeps them.
struct layout_entry {
  std::string group, first, second;  // a group and its two growing datasets
};

std::vector<layout_entry> spike_layout(const core::simulation& sim) {
  std::vector<layout_entry> out;
  for (const auto& rec : sim.spike_recorders())
    out.push_back({"spikes/" + sim.populations()[rec.population].name, "timestamps", "node_ids"});
  for (const auto& pop : sim.populations()) out.push_back({"population_rate/" + pop.name, "times", "rate"});
  for (std::size_t r = 0; r < sim.state_recorders().size(); ++r) {
    const auto& rec = sim.state_recorders()[r];
    out.push_back({fmt::format("state/{}_{}_{}", sim.populations()[rec.population].name, rec.variable, r), "times", "values"});
  }
  for (std::size_t r = 0; r < sim.weight_recorders().size(); ++r)
    out.push_back({fmt::format("weights/{}_{}", sim.projections()[sim.weight_recorders()[r].projection].name, r), "times",
                   "values"});
  return out;
}

// The groups and fixed datasets of a new file, and its growing datasets in spike_layout's order.
std::vector<h5::growing_dataset> create_layout(hid_t file, const core::simulation& sim) {
  std::vector<h5::growing_dataset> sets;
  const auto group_of = [&](hid_t parent, const std::string& name) { return h5::make_group(parent, name); };
  {
    auto spikes = group_of(file, "spikes");
    for (const auto& rec : sim.spike_recorders()) {
      auto g = group_of(spikes, sim.populations()[rec.population].name);
      h5::write_sorting_attribute(g, "by_time");
      // For readers (io/spikes_reader.hpp): a silent neuron leaves no row, so the counts that
      // rates and per-neuron measures divide by are stated here.
      const auto& pop = sim.populations()[rec.population];
      const auto recorded = rec.selected.empty()
                                ? static_cast<std::ptrdiff_t>(pop.size)
                                : std::count_if(rec.selected.begin(), rec.selected.end(), [](std::uint8_t x) { return x != 0; });
      h5::write_number_attribute(g, "population_size", static_cast<double>(pop.size));
      h5::write_number_attribute(g, "recorded_neurons", static_cast<double>(recorded));
      sets.push_back(h5::growing_dataset::create<double>(g, "timestamps", 0, "ms"));
      sets.push_back(h5::growing_dataset::create<std::uint64_t>(g, "node_ids"));
    }
  }
  {
    auto rates = group_of(file, "population_rate");
    for (const auto& pop : sim.populations()) {
      auto g = group_of(rates, pop.name);
      sets.push_back(h5::growing_dataset::create<double>(g, "times", 0, "ms"));
      sets.push_back(h5::growing_dataset::create<double>(g, "rate", 0, "Hz"));
    }
  }
  const auto& states = sim.state_recorders();
  if (!states.empty()) {
    auto state = group_of(file, "state");
    for (std::size_t r = 0; r < states.size(); ++r) {
      const auto& rec = states[r];
      const std::string& pop = sim.populations()[rec.population].name;
      auto g = group_of(state, fmt::format("{}_{}_{}", pop, rec.variable, r));
      h5::write_string_attribute(g, "population", pop);
      h5::write_string_attribute(g, "variable", rec.variable);
      sets.push_back(h5::growing_dataset::create<double>(g, "times", 0, "ms"));
      h5::write_dataset(g, "node_ids", std::vector<std::uint64_t>(rec.ids.begin(), rec.ids.end()));
      sets.push_back(h5::growing_dataset::create<double>(g, "values", rec.ids.size()));
    }
  }
  const auto& weights = sim.weight_recorders();
  if (!weights.empty()) {
    auto group = group_of(file, "weights");
    for (std::size_t r = 0; r < weights.size(); ++r) {
      const auto& rec = weights[r];
      const auto& proj = sim.projections()[rec.projection];
      auto g = group_of(group, fmt::format("{}_{}", proj.name, r));
      h5::write_string_attribute(g, "projection", proj.name);
      std::vector<std::uint64_t> sources, targets;
      for (const auto& [s, t] : rec.synapses) sources.push_back(s), targets.push_back(t);
      sets.push_back(h5::growing_dataset::create<double>(g, "times", 0, "ms"));
      h5::write_dataset(g, "source_ids", sources);
      h5::write_dataset(g, "target_ids", targets);
      const std::string unit(core::unit_name(sim.populations()[proj.target].model->weight_dim));
      sets.push_back(h5::growing_dataset::create<double>(g, "values", rec.synapses.size(), unit.c_str()));
    }
  }
  return sets;
}

// Population rates [Hz] of the bins [j0, j1) of the rate counts.
void append_rates(std::vector<h5::growing_dataset>& sets, std::size_t base, const core::simulation& sim, std::size_t j0,
                  bool all) {
  const auto& rc = sim.rates();
  const double bin_s = static_cast<double>(rc.bin) * sim.dt() * 1e-3;
  for (std::size_t p = 0; p < sim.populations().size(); ++p) {
    const auto& counts = rc.counts[p];
    const std::size_t j1 = all ? counts.size() : std::min(rc.complete, counts.size());
    const double size = sim.populations()[p].size;
    std::vector<double> times, rate;
    for (std::size_t j = j0; j < j1; ++j) {
      times.push_back(static_cast<double>((rc.first + static_cast<core::step_t>(j)) * rc.bin) * sim.dt());
      rate.push_back(static_cast<double>(counts[j]) / (size * bin_s));
    }
    sets[base + 2 * p].append(times);
    sets[base + 2 * p + 1].append(rate);
  }
}

template <class Row>
std::vector<double> flatten(const std::vector<Row>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

}  // namespace

struct spike_file::impl {
  std::string path, tmp;
  h5::quiet_errors quiet;
  h5::handle file;
  std::vector<layout_entry> layout;
  std::vector<h5::growing_dataset> sets;  // two per layout entry
  std::size_t n_spikes = 0, n_pops = 0, n_state = 0, n_weights = 0;

  void count(const core::simulation& sim) {
    n_spikes = sim.spike_recorders().size(), n_pops = sim.populations().size();
    n_state = sim.state_recorders().size(), n_weights = sim.weight_recorders().size();
  }
  bool finished = false;
  bool ours = false;  // this process created tmp (a new file, or PATH copied for a resume)
  bool kept = false;  // a checkpoint names rows in tmp, or it is a killed run's that this one adopted

  void reopen(const std::vector<std::pair<std::string, std::uint64_t>>& rows);
  std::size_t rates_base() const { return 2 * n_spikes; }
  std::size_t state_base() const { return 2 * (n_spikes + n_pops); }
  std::size_t weights_base() const { return 2 * (n_spikes + n_pops + n_state); }
};

spike_file::spike_file(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

spike_file::spike_file(std::string path, const core::simulation& sim) : impl_(std::make_unique<impl>()) {
  impl& f = *impl_;
  f.path = std::move(path);
  f.tmp = temporary_name(f.path);
  f.layout = spike_layout(sim);
  f.count(sim);
  f.ours = true;
  try {
    f.file = h5::create_file(f.tmp);
    f.sets = create_layout(f.file, sim);
  } catch (...) {
    f.file.reset();
    remove_temporary(f.tmp);
    throw;
  }
}

// Unfinished (an error): PATH.part goes only where nothing else may need it.
spike_file::~spike_file() {
  if (!impl_ || impl_->finished) return;
  impl_->sets.clear();
  impl_->file.reset();
  if (kept_at().empty()) remove_temporary(impl_->tmp);
}

void spike_file::keep() { impl_->kept = true; }

std::string spike_file::kept_at() const {
  return impl_->finished || (impl_->ours && !impl_->kept) ? std::string() : impl_->tmp;
}

void spike_file::append(const core::simulation& sim) {
  impl& f = *impl_;
  for (std::size_t r = 0; r < f.n_spikes; ++r) {
    const auto& spikes = sim.spike_recorders()[r].spikes;
    std::vector<double> times;
    std::vector<std::uint64_t> ids;
    times.reserve(spikes.size());
    ids.reserve(spikes.size());
    for (const auto& s : spikes) {
      times.push_back(static_cast<double>(s.step + 1) * sim.dt());
      ids.push_back(s.id);
    }
    f.sets[2 * r].append(times);
    f.sets[2 * r + 1].append(ids);
  }
  append_rates(f.sets, f.rates_base(), sim, 0, false);
  for (std::size_t r = 0; r < f.n_state; ++r) {
    const auto& rec = sim.state_recorders()[r];
    f.sets[f.state_base() + 2 * r].append(rec.times);
    f.sets[f.state_base() + 2 * r + 1].append(flatten(rec.values));
  }
  for (std::size_t r = 0; r < f.n_weights; ++r) {
    const auto& rec = sim.weight_recorders()[r];
    f.sets[f.weights_base() + 2 * r].append(rec.times);
    f.sets[f.weights_base() + 2 * r + 1].append(flatten(rec.values));
  }
}

void spike_file::finish(const core::simulation& sim) {
  impl& f = *impl_;
  append_rates(f.sets, f.rates_base(), sim, sim.rates().complete, true);
  h5::write_number_attribute(f.file, "t_stop", static_cast<double>(sim.now()) * sim.dt());  // [ms], the run's end
  flush();  // the datasets' caches: closing them below would drop a failure
  f.sets.clear();
  f.file.close(f.tmp);
  durable_rename(f.tmp, f.path);
  f.finished = true;
}

std::vector<std::pair<std::string, std::uint64_t>> spike_file::rows() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (std::size_t k = 0; k < impl_->layout.size(); ++k) {
    const auto& e = impl_->layout[k];
    out.emplace_back(e.group + "/" + e.first, impl_->sets[2 * k].rows());
    out.emplace_back(e.group + "/" + e.second, impl_->sets[2 * k + 1].rows());
  }
  return out;
}

void spike_file::flush() {
  if (H5Fflush(impl_->file, H5F_SCOPE_GLOBAL) < 0) throw std::runtime_error("HDF5: could not flush " + impl_->tmp);
}

// Opens tmp for appending with every dataset cut back to the checkpoint's rows.
void spike_file::impl::reopen(const std::vector<std::pair<std::string, std::uint64_t>>& rows) {
  file = h5::open_file(tmp, true);
  if (rows.size() != 2 * layout.size())
    throw std::runtime_error("the checkpoint lists other datasets than this model records");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& e = layout[k / 2];
    const std::string name = e.group + "/" + (k % 2 ? e.second : e.first);
    if (rows[k].first != name) throw std::runtime_error("the checkpoint lists other datasets than this model records");
    auto set = h5::growing_dataset::open(file, name);
    if (set.rows() < rows[k].second)
      throw std::runtime_error(
          fmt::format("{} holds {} rows, fewer than the {} the checkpoint counts", name, set.rows(), rows[k].second));
    set.truncate(rows[k].second);
    sets.push_back(std::move(set));
  }
}

std::unique_ptr<spike_file> spike_file::resume(std::string path, const core::simulation& sim,
                                               const std::vector<std::pair<std::string, std::uint64_t>>& rows) {
  auto f = std::make_unique<impl>();
  f->path = std::move(path);
  f->tmp = temporary_name(f->path);
  f->layout = spike_layout(sim);
  f->count(sim);
  // A killed run's PATH.part is newer than PATH when it is readable; else PATH is copied.
  std::string error = "missing";
  for (const bool from_part : {true, false}) {
    if (!std::filesystem::exists(from_part ? f->tmp : f->path)) continue;
    try {
      // A .part this run cannot read is replaced by PATH's copy (docs/checkpoint.md, Limits).
      if (!from_part) std::filesystem::copy_file(f->path, f->tmp, std::filesystem::copy_options::overwrite_existing);
      f->ours = !from_part, f->kept = from_part;
      f->reopen(rows);
      return std::unique_ptr<spike_file>(new spike_file(std::move(f)));
    } catch (const std::exception& e) {
      error = e.what();
      f->sets.clear();
      f->file.reset();
    }
  }
  if (f->ours) remove_temporary(f->tmp);
  throw std::runtime_error(fmt::format("{}: {}, so the run cannot go on from the checkpoint", f->path, error));
}

void write_spikes_h5(const std::string& path, const core::simulation& sim) {
  spike_file f(path, sim);
  f.append(sim);
  f.finish(sim);
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
    durable_rename(tmp, path);
  } catch (...) {
    remove_temporary(tmp);
    throw;
  }
}

namespace {
void sync(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("could not write " + path + " to disk");
}
}  // namespace

void durable_rename(const std::string& tmp, const std::string& path) {
  sync(tmp);
  std::filesystem::rename(tmp, path);
  const auto folder = std::filesystem::path(path).parent_path();
  sync(folder.empty() ? "." : folder.string());
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

nlohmann::ordered_json provenance(const std::string& file_key, const std::string& file,
                                  const std::vector<std::string>& overrides, const std::vector<std::string>& command_line) {
  return {{"neurite_version", core::version()}, {file_key, file}, {"overrides", overrides}, {"command_line", command_line}};
}

nlohmann::ordered_json summarize(const core::simulation& sim, const run_timing& timing) {
  nlohmann::ordered_json j;
  const double duration_s = static_cast<double>(sim.now()) * sim.dt() * 1e-3;
  auto& pops = j["populations"] = nlohmann::ordered_json::object();
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
                    {"cv_isi", cv_n ? nlohmann::ordered_json(cv_sum / static_cast<double>(cv_n)) : nlohmann::ordered_json(nullptr)}};
  }
  const auto synapses = sim.synapse_count();
  j["synapses"] = synapses;
  j["bytes_per_synapse"] = synapses ? static_cast<double>(sim.synapse_bytes()) / static_cast<double>(synapses) : 0.0;
  j["synaptic_events"] = sim.synaptic_events();
  nlohmann::ordered_json plastic = nlohmann::ordered_json::object();  // synapses and bytes per synapse (traces included)
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
