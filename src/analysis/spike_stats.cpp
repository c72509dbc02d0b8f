#include "analysis/spike_stats.hpp"

#include <algorithm>
#include <cmath>

namespace neurite::analysis {

std::vector<spike_train> split_by_neuron(const std::vector<double>& times, const std::vector<std::uint64_t>& ids,
                                         std::size_t n) {
  std::vector<spike_train> trains(n);
  for (std::size_t k = 0; k < times.size() && k < ids.size(); ++k)
    if (ids[k] < n) trains[ids[k]].push_back(times[k]);
  // Files sorted by time give ascending trains already; other writers' files may not.
  for (auto& t : trains)
    if (!std::is_sorted(t.begin(), t.end())) std::sort(t.begin(), t.end());
  return trains;
}

spike_train window(const spike_train& train, double t0, double t1) {
  const auto first = std::lower_bound(train.begin(), train.end(), t0);
  const auto last = std::lower_bound(first, train.end(), t1);
  return {first, last};
}

double mean_rate_hz(const std::vector<spike_train>& trains, double t0, double t1) {
  if (trains.empty() || t1 <= t0) return 0;
  double spikes = 0;
  for (const auto& t : trains) spikes += static_cast<double>(window(t, t0, t1).size());
  return spikes / (static_cast<double>(trains.size()) * (t1 - t0) * 1e-3);
}

std::vector<double> intervals(const spike_train& train) {
  std::vector<double> isi;
  for (std::size_t k = 1; k < train.size(); ++k) isi.push_back(train[k] - train[k - 1]);
  return isi;
}

std::optional<double> cv_isi(const spike_train& train) {
  const auto isi = intervals(train);
  if (isi.size() < 2) return std::nullopt;
  double sum = 0, sum_sq = 0;
  for (const double i : isi) sum += i;
  const double mean = sum / static_cast<double>(isi.size());
  for (const double i : isi) sum_sq += (i - mean) * (i - mean);
  if (mean <= 0) return std::nullopt;
  return std::sqrt(sum_sq / static_cast<double>(isi.size())) / mean;
}

std::optional<double> local_variation(const spike_train& train) {
  const auto isi = intervals(train);
  if (isi.size() < 2) return std::nullopt;
  double sum = 0;
  for (std::size_t k = 0; k + 1 < isi.size(); ++k) {
    const double total = isi[k] + isi[k + 1];
    if (total <= 0) return std::nullopt;  // two spikes at one time: no interval to compare
    const double d = (isi[k] - isi[k + 1]) / total;
    sum += d * d;
  }
  return 3.0 * sum / static_cast<double>(isi.size() - 1);
}

std::vector<double> binned_counts(const spike_train& train, double t0, double t1, double bin) {
  const auto n = bin > 0 && t1 > t0 ? static_cast<std::size_t>(std::floor((t1 - t0) / bin + 1e-9)) : 0;
  std::vector<double> counts(n, 0.0);
  for (const double t : train) {
    if (t < t0) continue;
    const auto k = static_cast<std::size_t>((t - t0) / bin);
    if (k >= n) break;
    counts[k] += 1;
  }
  return counts;
}

std::optional<double> fano_factor(const spike_train& train, double t0, double t1, double window_ms) {
  const auto counts = binned_counts(train, t0, t1, window_ms);
  if (counts.size() < 2) return std::nullopt;
  double sum = 0, sum_sq = 0;
  for (const double c : counts) sum += c;
  const double mean = sum / static_cast<double>(counts.size());
  if (mean <= 0) return std::nullopt;
  for (const double c : counts) sum_sq += (c - mean) * (c - mean);
  return sum_sq / static_cast<double>(counts.size() - 1) / mean;  // the unbiased variance
}

average mean_of(const std::vector<std::optional<double>>& values) {
  average a;
  for (const auto& v : values)
    if (v && std::isfinite(*v)) a.mean += *v, ++a.n;
  if (a.n) a.mean /= static_cast<double>(a.n);
  return a;
}

}  // namespace neurite::analysis
