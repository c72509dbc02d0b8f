#include "analysis/report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/dimension.hpp"
#include "analysis/spike_stats.hpp"
#include "analysis/synchrony.hpp"

namespace neurite::analysis {
namespace {

bool wants(const report_options& o, const char* m) { return std::find(o.measures.begin(), o.measures.end(), m) != o.measures.end(); }

nlohmann::ordered_json number(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); }

nlohmann::ordered_json summary(const std::vector<std::optional<double>>& values) {
  const auto a = mean_of(values);
  return {{"mean", a.n ? number(a.mean) : nlohmann::ordered_json(nullptr)}, {"neurons", a.n}};
}

// Up to `max` of the trains that have spikes, spread evenly over them in id order (a fixed,
// seed-free choice, so that a file gives one answer).
std::vector<const spike_train*> sample(const std::vector<spike_train>& trains, std::size_t max) {
  std::vector<const spike_train*> active;
  for (const auto& t : trains)
    if (!t.empty()) active.push_back(&t);
  if (active.size() <= max) return active;
  std::vector<const spike_train*> out;
  for (std::size_t k = 0; k < max; ++k) out.push_back(active[k * active.size() / max]);
  return out;
}

// The population's rate [Hz per neuron] in bins of bin_ms over [t0, t1).
std::vector<double> population_rate(const std::vector<spike_train>& trains, std::uint64_t recorded, double t0, double t1,
                                    double bin_ms) {
  std::vector<double> rate(static_cast<std::size_t>(std::floor((t1 - t0) / bin_ms + 1e-9)), 0.0);
  const double scale = 1000.0 / (bin_ms * static_cast<double>(std::max<std::uint64_t>(recorded, 1)));
  for (const auto& t : trains)
    for (const double s : window(t, t0, t1)) {
      const auto k = static_cast<std::size_t>((s - t0) / bin_ms);
      if (k < rate.size()) rate[k] += scale;
    }
  return rate;
}

void per_neuron(const std::vector<spike_train>& trains, double t0, double t1, const report_options& o,
                population_report& r) {
  std::vector<std::optional<double>> cv, lv, fano;
  for (std::size_t i = 0; i < trains.size(); ++i) {
    const auto t = window(trains[i], t0, t1);
    if (t.empty()) continue;
    const auto c = cv_isi(t), l = local_variation(t), f = fano_factor(t, t0, t1, o.window_ms);
    cv.push_back(c), lv.push_back(l), fano.push_back(f);
    r.neurons.id.push_back(i);
    r.neurons.rate_hz.push_back(static_cast<double>(t.size()) / ((t1 - t0) * 1e-3));
    r.neurons.cv.push_back(c.value_or(std::nan("")));
    r.neurons.lv.push_back(l.value_or(std::nan("")));
    r.neurons.fano.push_back(f.value_or(std::nan("")));
  }
  if (wants(o, "cv")) r.json["cv_isi"] = summary(cv);
  if (wants(o, "lv")) r.json["lv"] = summary(lv);
  if (wants(o, "fano")) r.json["fano"] = summary(fano), r.json["fano"]["window_ms"] = o.window_ms;
}

void sttc_measure(const std::vector<const spike_train*>& picked, double t0, double t1, const report_options& o,
                  population_report& r) {
  std::vector<std::optional<double>> values;
  for (std::size_t i = 0; i < picked.size(); ++i)
    for (std::size_t j = i + 1; j < picked.size(); ++j) values.push_back(sttc(*picked[i], *picked[j], o.sttc_dt_ms, t0, t1));
  const auto a = mean_of(values);
  r.json["sttc"] = {{"mean", a.n ? number(a.mean) : nlohmann::ordered_json(nullptr)}, {"pairs", a.n}, {"dt_ms", o.sttc_dt_ms}};
}

void spectrum_measure(const std::vector<double>& rate, const report_options& o, population_report& r) {
  const double fs = 1000.0 / o.bin_ms;
  // Segments of 1 s (1 Hz resolution), or the whole signal when shorter.
  r.spectrum = welch(rate, fs, static_cast<std::size_t>(std::lround(fs)));
  const auto p = peak(r.spectrum, 2.0, fs / 2);
  r.json["spectrum"] = {{"peak_hz", p.frequency_hz}, {"peak_power", p.power}, {"relative_peak", p.relative},
                        {"bin_ms", o.bin_ms}, {"resolution_hz", r.spectrum.frequency_hz.size() > 1 ? r.spectrum.frequency_hz[1] : 0.0}};
}

void sync_measure(const std::vector<const spike_train*>& picked, double t0, double t1, const report_options& o,
                  population_report& r) {
  std::vector<std::vector<double>> counts;
  for (const auto* t : picked) counts.push_back(binned_counts(*t, t0, t1, o.bin_ms));
  std::vector<double> times;
  for (double t = t0; t < t1; t += o.bin_ms) times.push_back(t);
  std::vector<std::vector<double>> phases;
  for (const auto* t : picked) phases.push_back(spike_phase(*t, times));
  const auto order = kuramoto_order(phases);
  r.json["sync"] = {{"golomb_chi", std::sqrt(golomb_synchrony(counts))}, {"kuramoto_r", number(order.mean)},
                    {"neurons", picked.size()}, {"bin_ms", o.bin_ms}};
}

void dimension_measure(const std::vector<const spike_train*>& picked, double t0, double t1, const report_options& o,
                       population_report& r) {
  std::vector<std::vector<double>> counts;
  for (const auto* t : picked) counts.push_back(binned_counts(*t, t0, t1, o.window_ms));
  r.json["dimension"] = {{"participation_ratio", participation_ratio(counts)}, {"neurons", picked.size()},
                         {"window_ms", o.window_ms}};
}

}  // namespace

const std::vector<std::string>& known_measures() {
  static const std::vector<std::string> names{"rate", "cv", "lv", "fano", "sttc", "spectrum", "sync", "dimension"};
  return names;
}

std::vector<std::string> parse_measures(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (name.empty()) continue;
    const auto& known = known_measures();
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw std::invalid_argument(fmt::format("unknown measure '{}'; expected some of {}", name, fmt::join(known, ",")));
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  if (out.empty()) throw std::invalid_argument("expected at least one measure");
  return out;
}

void check(const report_options& o, double t_stop) {
  if (!(o.t_start >= 0 && o.t_start < t_stop))
    throw std::invalid_argument(fmt::format("--from: expected a time in [0, {}) ms (the file's end), found {}", t_stop, o.t_start));
  const double span = t_stop - o.t_start;
  if (!(o.bin_ms > 0 && o.bin_ms <= span / 2))
    throw std::invalid_argument(fmt::format("--bin: expected (0, {}] ms (two bins in the data), found {}", span / 2, o.bin_ms));
  if (!(o.window_ms > 0 && o.window_ms <= span / 2))
    throw std::invalid_argument(fmt::format("--window: expected (0, {}] ms (two windows in the data), found {}", span / 2, o.window_ms));
  if (o.max_neurons < 2) throw std::invalid_argument("--max-neurons: expected at least 2");
  constexpr double max_bins = 1e8;  // ~1 GB of counts per neuron sampled: a typo, not an analysis
  if (span / o.bin_ms > max_bins || span / o.window_ms > max_bins)
    throw std::invalid_argument(fmt::format("--bin, --window: expected at most {:g} bins over the {} ms analysed", max_bins, span));
}

population_report analyze_population(const io::population_spikes& p, double t_stop, const report_options& o) {
  check(o, t_stop);
  population_report r;
  // Spike times are step ends, in (0, t_stop]: a spike at t_stop itself belongs to the run.
  const double t0 = o.t_start, t1 = std::nextafter(t_stop, t_stop + 1);
  // Trains for the ids that fired only: a silent neuron adds nothing to any measure but the rate's
  // denominator, and a file may state a population far larger than its spikes.
  std::uint64_t largest = 0;
  for (const auto id : p.node_ids) largest = std::max(largest, id + 1);
  auto trains = split_by_neuron(p.times, p.node_ids, static_cast<std::size_t>(std::min(largest, p.size)));
  std::size_t spikes = 0;
  for (auto& t : trains) t = window(t, t0, t1), spikes += t.size();
  r.json["size"] = p.size;
  r.json["recorded_neurons"] = p.recorded;
  r.json["size_from_file"] = p.size_known;
  r.json["spikes"] = spikes;
  if (wants(o, "rate"))
    r.json["rate_hz"] = p.recorded ? static_cast<double>(spikes) / (static_cast<double>(p.recorded) * (t_stop - t0) * 1e-3) : 0.0;
  per_neuron(trains, t0, t1, o, r);
  const auto picked = sample(trains, o.max_neurons);
  if (wants(o, "sttc")) sttc_measure(picked, t0, t1, o, r);
  if (wants(o, "spectrum")) spectrum_measure(population_rate(trains, p.recorded, t0, t1, o.bin_ms), o, r);
  if (wants(o, "sync")) sync_measure(picked, t0, t1, o, r);
  if (wants(o, "dimension")) dimension_measure(picked, t0, t1, o, r);
  return r;
}

}  // namespace neurite::analysis
