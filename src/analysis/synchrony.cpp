#include "analysis/synchrony.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace neurite::analysis {
namespace {

constexpr double pi = std::numbers::pi;

double variance(const std::vector<double>& x) {
  if (x.empty()) return 0;
  double mean = 0, sum = 0;
  for (const double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (const double v : x) sum += (v - mean) * (v - mean);
  return sum / static_cast<double>(x.size());
}

// Bin j of n over (-pi, pi] for a phase wrapped into that range.
int phase_bin(double phase, int n_bins) {
  const double wrapped = phase - 2 * pi * std::ceil((phase - pi) / (2 * pi));  // into (-pi, pi]
  const int j = static_cast<int>(std::floor((wrapped + pi) / (2 * pi) * n_bins));
  return std::clamp(j, 0, n_bins - 1);
}

double modulation_index(const std::vector<double>& bin_means) {
  double total = 0, entropy = 0;
  for (const double m : bin_means) total += m;
  if (!(total > 0)) return 0;
  for (const double m : bin_means)
    if (m > 0) entropy -= m / total * std::log(m / total);
  const double log_n = std::log(static_cast<double>(bin_means.size()));
  return (log_n - entropy) / log_n;
}

// Fraction of [t0, t1) within dt of a spike of the train (the union of the windows).
double tiled_fraction(const spike_train& train, double dt, double t0, double t1) {
  double covered = 0, end = t0;
  for (const double t : train) {
    const double lo = std::max(t - dt, end), hi = std::min(t + dt, t1);
    if (hi > lo) covered += hi - lo;
    end = std::max(end, hi);
  }
  return covered / (t1 - t0);
}

// Fraction of a's spikes within dt of a spike of b.
double tiled_spikes(const spike_train& a, const spike_train& b, double dt) {
  if (a.empty()) return 0;
  std::size_t hit = 0;
  for (const double t : a) {
    const auto it = std::lower_bound(b.begin(), b.end(), t - dt);
    if (it != b.end() && *it <= t + dt) ++hit;
  }
  return static_cast<double>(hit) / static_cast<double>(a.size());
}

}  // namespace

double phase_locking_value(const std::vector<double>& phase_a, const std::vector<double>& phase_b) {
  if (phase_a.size() != phase_b.size() || phase_a.empty())
    throw std::invalid_argument("phase_locking_value: expected two phase series of one, non-zero length");
  complex sum = 0;
  for (std::size_t k = 0; k < phase_a.size(); ++k) sum += std::polar(1.0, phase_a[k] - phase_b[k]);
  return std::abs(sum) / static_cast<double>(phase_a.size());
}

complex order_parameter(const std::vector<double>& phases) {
  complex sum = 0;
  for (const double p : phases) sum += std::polar(1.0, p);
  return phases.empty() ? complex{} : sum / static_cast<double>(phases.size());
}

order_series kuramoto_order(const std::vector<std::vector<double>>& phases) {
  order_series out;
  const std::size_t samples = phases.empty() ? 0 : phases.front().size();
  std::size_t used = 0;
  for (std::size_t t = 0; t < samples; ++t) {
    complex sum = 0;
    std::size_t n = 0;
    for (const auto& unit : phases)
      if (t < unit.size() && std::isfinite(unit[t])) sum += std::polar(1.0, unit[t]), ++n;
    out.r.push_back(n >= 2 ? std::abs(sum) / static_cast<double>(n) : std::nan(""));
    if (n >= 2) out.mean += out.r.back(), ++used;
  }
  out.mean = used ? out.mean / static_cast<double>(used) : std::nan("");
  return out;
}

std::vector<double> spike_phase(const spike_train& train, const std::vector<double>& times) {
  std::vector<double> out(times.size(), std::nan(""));
  for (std::size_t s = 0; s < times.size(); ++s) {
    const auto next = std::upper_bound(train.begin(), train.end(), times[s]);
    if (next == train.begin() || next == train.end()) continue;
    const auto k = static_cast<std::size_t>(next - train.begin()) - 1;
    const double gap = train[k + 1] - train[k];
    if (gap > 0) out[s] = 2 * pi * (static_cast<double>(k) + (times[s] - train[k]) / gap);
  }
  return out;
}

double tort_modulation_index(const std::vector<double>& phase, const std::vector<double>& amplitude, int n_bins) {
  if (phase.size() != amplitude.size() || n_bins < 2)
    throw std::invalid_argument("tort_modulation_index: expected phase and amplitude of one length, >= 2 bins");
  std::vector<double> sum(static_cast<std::size_t>(n_bins), 0.0), count(sum.size(), 0.0);
  for (std::size_t k = 0; k < phase.size(); ++k) {
    if (!std::isfinite(phase[k]) || !std::isfinite(amplitude[k])) continue;  // no phase then (e.g. before a first spike)
    const auto j = static_cast<std::size_t>(phase_bin(phase[k], n_bins));
    sum[j] += amplitude[k], count[j] += 1;
  }
  for (std::size_t j = 0; j < sum.size(); ++j) sum[j] = count[j] > 0 ? sum[j] / count[j] : 0.0;
  return modulation_index(sum);
}

double tort_ideal_envelope_mi(double chi, int n_bins) {
  std::vector<double> means;
  for (int j = 0; j < n_bins; ++j) {
    const double a = -pi + 2 * pi * j / n_bins, b = -pi + 2 * pi * (j + 1) / n_bins;
    const double mean_sin = (std::cos(a) - std::cos(b)) / (b - a);  // the exact average of sin over [a, b]
    means.push_back(0.5 * ((1 - chi) * mean_sin + 1 + chi));
  }
  return modulation_index(means);
}

coherence_spectrum spike_field_coherence(const spike_train& train, const std::vector<double>& x, double fs_hz,
                                         double t0_ms, std::size_t window) {
  coherence_spectrum c;
  const std::size_t bins = window / 2 + 1;
  std::vector<complex> sum(bins);
  std::vector<double> power(bins, 0.0);
  for (const double t : train) {
    const auto centre = static_cast<long long>(std::llround((t - t0_ms) * 1e-3 * fs_hz));
    const long long start = centre - static_cast<long long>(window / 2);
    if (start < 0 || start + static_cast<long long>(window) > static_cast<long long>(x.size())) continue;
    std::vector<complex> z(x.begin() + start, x.begin() + start + static_cast<long long>(window));
    fft(z);
    for (std::size_t k = 0; k < bins; ++k) sum[k] += z[k], power[k] += std::norm(z[k]);
    ++c.spikes;
  }
  for (std::size_t k = 0; k < bins; ++k) {
    c.frequency_hz.push_back(static_cast<double>(k) * fs_hz / static_cast<double>(window));
    const double n = static_cast<double>(c.spikes);
    c.sfc.push_back(power[k] > 0 ? std::norm(sum[k] / n) / (power[k] / n) : 0.0);
  }
  return c;
}

std::optional<double> sttc(const spike_train& a, const spike_train& b, double dt, double t0, double t1) {
  const auto wa = window(a, t0, t1), wb = window(b, t0, t1);
  if (wa.empty() || wb.empty() || !(t1 > t0)) return std::nullopt;
  const double ta = tiled_fraction(wa, dt, t0, t1), tb = tiled_fraction(wb, dt, t0, t1);
  const double pa = tiled_spikes(wa, wb, dt), pb = tiled_spikes(wb, wa, dt);
  // A term whose denominator vanishes (a train tiles all the time) is 1 by the authors' convention.
  const auto term = [](double p, double t) { return p * t >= 1 ? 1.0 : (p - t) / (1 - p * t); };
  return 0.5 * (term(pa, tb) + term(pb, ta));
}

double golomb_synchrony(const std::vector<std::vector<double>>& x) {
  if (x.empty()) return 0;
  std::vector<double> mean(x.front().size(), 0.0);
  double single = 0;
  for (const auto& unit : x) {
    for (std::size_t t = 0; t < mean.size() && t < unit.size(); ++t) mean[t] += unit[t] / static_cast<double>(x.size());
    single += variance(unit) / static_cast<double>(x.size());
  }
  return single > 0 ? variance(mean) / single : 0.0;
}

}  // namespace neurite::analysis
