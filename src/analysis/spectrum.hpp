#pragma once
// Spectral tools without a dependency: an FFT of any length, the analytic signal (Hilbert
// transform), a zero-phase band-pass, and Welch's power spectral density (defined as SciPy's
// scipy.signal.welch with its defaults, so that the two can be compared side by side).
#include <complex>
#include <vector>

namespace neurite::analysis {

using complex = std::complex<double>;

// In place, unscaled: X_k = sum_n x_n exp(-/+ 2 pi i k n / N) (inverse: +, no 1/N). Any N:
// radix 2 for powers of two, Bluestein's chirp-z through a power of two otherwise.
void fft(std::vector<complex>& x, bool inverse = false);

// z = x + i H[x]: the spectrum's negative frequencies removed and the positive ones doubled.
// For x = cos(w t) over whole periods, z = exp(i w t) exactly.
std::vector<complex> analytic_signal(const std::vector<double>& x);
std::vector<double> phase_of(const std::vector<complex>& z);      // arg z, in (-pi, pi]
std::vector<double> amplitude_of(const std::vector<complex>& z);  // |z|

// Keeps the frequencies in [low_hz, high_hz] (an ideal, zero-phase filter applied through the
// FFT: no phase shift, ringing at sharp edges in time). fs_hz: the sampling rate.
std::vector<double> band_pass(const std::vector<double>& x, double fs_hz, double low_hz, double high_hz);

struct power_spectrum {
  std::vector<double> frequency_hz, power;  // one-sided density [x^2/Hz]
};
// Welch: segments of `segment` samples overlapping by half, each with its mean removed and a
// periodic Hann window, |FFT|^2 / (fs sum w^2), doubled except at 0 and Nyquist, averaged.
// A signal shorter than one segment is one segment of its own length.
power_spectrum welch(const std::vector<double>& x, double fs_hz, std::size_t segment);

struct spectral_peak {
  double frequency_hz = 0, power = 0;
  double relative = 0;  // peak power / mean power over the band: 1 for a flat spectrum
};
// The largest power in [low_hz, high_hz].
spectral_peak peak(const power_spectrum& s, double low_hz, double high_hz);

}  // namespace neurite::analysis
