#include "analysis/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace neurite::analysis {
namespace {

constexpr double two_pi = 2 * std::numbers::pi;

bool power_of_two(std::size_t n) { return n && !(n & (n - 1)); }

// Iterative radix-2 Cooley-Tukey; n a power of two.
void radix2(std::vector<complex>& x, bool inverse) {
  const std::size_t n = x.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(x[i], x[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double angle = (inverse ? two_pi : -two_pi) / static_cast<double>(len);
    for (std::size_t start = 0; start < n; start += len)
      for (std::size_t k = 0; k < len / 2; ++k) {
        // The twiddle computed directly (not by repeated multiplication) keeps the error at O(eps log n).
        const complex w = std::polar(1.0, angle * static_cast<double>(k));
        const complex u = x[start + k], v = x[start + k + len / 2] * w;
        x[start + k] = u + v;
        x[start + k + len / 2] = u - v;
      }
  }
}

// Bluestein: X_k = conj(c_k) sum_n (x_n conj(c_n)) c_{k-n} with the chirp c_m = exp(i pi m^2 / N),
// a convolution done with power-of-two FFTs.
void bluestein(std::vector<complex>& x, bool inverse) {
  const std::size_t n = x.size();
  std::size_t m = 1;
  while (m < 2 * n - 1) m <<= 1;
  std::vector<complex> chirp(n);
  std::size_t k2 = 0;  // k^2 mod 2N, kept exact: (k+1)^2 = k^2 + 2k + 1
  for (std::size_t k = 0; k < n; ++k) {
    chirp[k] = std::polar(1.0, (inverse ? -1.0 : 1.0) * std::numbers::pi * static_cast<double>(k2) / static_cast<double>(n));
    k2 = (k2 + 2 * k + 1) % (2 * n);
  }
  std::vector<complex> a(m), b(m);
  for (std::size_t k = 0; k < n; ++k) a[k] = x[k] * std::conj(chirp[k]);
  b[0] = chirp[0];
  for (std::size_t k = 1; k < n; ++k) b[k] = b[m - k] = chirp[k];
  radix2(a, false);
  radix2(b, false);
  for (std::size_t k = 0; k < m; ++k) a[k] *= b[k];
  radix2(a, true);
  for (std::size_t k = 0; k < n; ++k) x[k] = a[k] * std::conj(chirp[k]) / static_cast<double>(m);
}

std::vector<complex> spectrum_of(const std::vector<double>& x) {
  std::vector<complex> z(x.begin(), x.end());
  fft(z);
  return z;
}

std::vector<complex> inverse(std::vector<complex> z) {
  fft(z, true);
  for (auto& v : z) v /= static_cast<double>(z.size());
  return z;
}

}  // namespace

void fft(std::vector<complex>& x, bool inverse) {
  if (x.size() <= 1) return;
  if (power_of_two(x.size()))
    radix2(x, inverse);
  else
    bluestein(x, inverse);
}

std::vector<complex> analytic_signal(const std::vector<double>& x) {
  auto z = spectrum_of(x);
  const std::size_t n = z.size();
  // Bins 1 .. ceil(n/2)-1 doubled, the negative ones cleared; 0 and (for even n) n/2 kept.
  for (std::size_t k = 1; k < n; ++k) {
    if (2 * k < n)
      z[k] *= 2.0;
    else if (2 * k > n)
      z[k] = 0;
  }
  return inverse(std::move(z));
}

std::vector<double> phase_of(const std::vector<complex>& z) {
  std::vector<double> out(z.size());
  for (std::size_t k = 0; k < z.size(); ++k) out[k] = std::arg(z[k]);
  return out;
}

std::vector<double> amplitude_of(const std::vector<complex>& z) {
  std::vector<double> out(z.size());
  for (std::size_t k = 0; k < z.size(); ++k) out[k] = std::abs(z[k]);
  return out;
}

std::vector<double> band_pass(const std::vector<double>& x, double fs_hz, double low_hz, double high_hz) {
  if (!(fs_hz > 0) || !(low_hz >= 0) || !(high_hz >= low_hz))
    throw std::invalid_argument("band_pass: expected fs > 0 and 0 <= low <= high");
  auto z = spectrum_of(x);
  const std::size_t n = z.size();
  for (std::size_t k = 0; k < n; ++k) {
    const double f = static_cast<double>(std::min(k, n - k)) * fs_hz / static_cast<double>(n);  // |frequency|
    if (f < low_hz || f > high_hz) z[k] = 0;
  }
  const auto y = inverse(std::move(z));
  std::vector<double> out(n);
  for (std::size_t k = 0; k < n; ++k) out[k] = y[k].real();
  return out;
}

power_spectrum welch(const std::vector<double>& x, double fs_hz, std::size_t segment) {
  power_spectrum s;
  const std::size_t len = std::min(segment, x.size());
  if (len < 2) return s;
  std::vector<double> w(len);
  double w2 = 0;
  for (std::size_t k = 0; k < len; ++k) {
    w[k] = 0.5 - 0.5 * std::cos(two_pi * static_cast<double>(k) / static_cast<double>(len));  // periodic Hann
    w2 += w[k] * w[k];
  }
  const std::size_t bins = len / 2 + 1, step = len - len / 2;
  s.power.assign(bins, 0.0);
  std::size_t segments = 0;
  for (std::size_t start = 0; start + len <= x.size(); start += step, ++segments) {
    double mean = 0;
    for (std::size_t k = 0; k < len; ++k) mean += x[start + k];
    mean /= static_cast<double>(len);
    std::vector<complex> z(len);
    for (std::size_t k = 0; k < len; ++k) z[k] = (x[start + k] - mean) * w[k];
    fft(z);
    for (std::size_t k = 0; k < bins; ++k) {
      const bool single = k == 0 || (len % 2 == 0 && k == len / 2);
      s.power[k] += std::norm(z[k]) / (fs_hz * w2) * (single ? 1.0 : 2.0);
    }
  }
  for (std::size_t k = 0; k < bins; ++k) {
    s.power[k] /= static_cast<double>(segments);
    s.frequency_hz.push_back(static_cast<double>(k) * fs_hz / static_cast<double>(len));
  }
  return s;
}

spectral_peak peak(const power_spectrum& s, double low_hz, double high_hz) {
  spectral_peak p;
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < s.power.size(); ++k) {
    if (s.frequency_hz[k] < low_hz || s.frequency_hz[k] > high_hz) continue;
    sum += s.power[k], ++n;
    if (s.power[k] > p.power) p.power = s.power[k], p.frequency_hz = s.frequency_hz[k];
  }
  p.relative = sum > 0 ? p.power / (sum / static_cast<double>(n)) : 0;
  return p;
}

}  // namespace neurite::analysis
