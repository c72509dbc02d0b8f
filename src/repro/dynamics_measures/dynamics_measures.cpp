// The reproduction of paper 13's measures (PAPERS_13-24.md, section 13; FINDINGS 13): closed forms
// for the measures on generated signals, then neurite's Brunel network in four states. Random
// numbers: stream_purpose(learn_tasks, 9), id 0 for the oscillators' initial phases (step = the
// coupling's index), id 1 for the PLV jitter (step = sigma's index); the Brunel runs use the
// kernel's own streams from the run's seed.
#include "repro/dynamics_measures/dynamics_measures.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <filesystem>
#include <numbers>
#include <string>

#include <fmt/format.h>

#include "analysis/report.hpp"
#include "analysis/spectrum.hpp"
#include "analysis/synchrony.hpp"
#include "core/rng.hpp"
#include "io/results.hpp"
#include "io/spikes_reader.hpp"
#include "network/brunel.hpp"
#include "network/build.hpp"

namespace neurite::repro {
namespace {

constexpr double pi = std::numbers::pi;
constexpr std::uint32_t stream = core::stream_purpose(core::purpose::learn_tasks, 9);
constexpr double gamma_half_width = 0.5;  // of the Lorentzian frequency density

double as_double(std::size_t v) { return static_cast<double>(v); }

// ---- Kuramoto: dtheta_i/dt = omega_i + K R sin(psi - theta_i), R e^{i psi} = mean_j e^{i theta_j}.
// The frequencies are the Lorentzian's quantiles, omega_i = gamma tan(pi (i + 1/2) / N - pi / 2): no
// sampling noise in the frequency density, so the only finite-N error is the phases'. The few
// oscillators in the far tails (|omega| dt > 1) are integrated inaccurately; they drift and add
// O(1/N) to the mean field either way.
struct kuramoto_system {
  std::vector<double> omega;
  double k = 0;
  // d theta / dt into out, through the mean field of theta (one sin and cos per oscillator).
  void derivative(const std::vector<double>& theta, std::vector<double>& out) const {
    double re = 0, im = 0;
    const std::size_t n = theta.size();
    std::vector<double> c(n), s(n);
    for (std::size_t i = 0; i < n; ++i) c[i] = std::cos(theta[i]), s[i] = std::sin(theta[i]), re += c[i], im += s[i];
    re /= as_double(n), im /= as_double(n);
    // K R sin(psi - theta) = K (Im Z cos theta - Re Z sin theta)
    for (std::size_t i = 0; i < n; ++i) out[i] = omega[i] + k * (im * c[i] - re * s[i]);
  }
};

double kuramoto_mean_r(const dynamics_size& z, double k, std::uint64_t seed, std::uint32_t step) {
  const std::size_t n = z.oscillators;
  kuramoto_system sys;
  sys.k = k;
  for (std::size_t i = 0; i < n; ++i) sys.omega.push_back(gamma_half_width * std::tan(pi * (as_double(i) + 0.5) / as_double(n) - pi / 2));
  core::random_stream r(seed, stream, 0, step);
  std::vector<double> theta(n), k1(n), k2(n), k3(n), k4(n), tmp(n);
  for (auto& t : theta) t = 2 * pi * r.uniform();
  const auto steps = static_cast<std::size_t>(std::lround(z.kuramoto_t_end / z.kuramoto_dt));
  const auto discard = static_cast<std::size_t>(std::lround(z.kuramoto_t_discard / z.kuramoto_dt));
  const double dt = z.kuramoto_dt;
  double sum = 0;
  for (std::size_t s = 0; s < steps; ++s) {
    sys.derivative(theta, k1);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = theta[i] + 0.5 * dt * k1[i];
    sys.derivative(tmp, k2);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = theta[i] + 0.5 * dt * k2[i];
    sys.derivative(tmp, k3);
    for (std::size_t i = 0; i < n; ++i) tmp[i] = theta[i] + dt * k3[i];
    sys.derivative(tmp, k4);
    for (std::size_t i = 0; i < n; ++i)
      theta[i] = std::remainder(theta[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]), 2 * pi);
    if (s + 1 > discard) sum += std::abs(analysis::order_parameter(theta));
  }
  return sum / as_double(steps - discard);
}

// ---- PLV across trials: x = cos(2 pi f t), y = cos(2 pi f t + delta), delta ~ N(0, sigma^2) per
// trial; phases by band-pass and analytic signal; PLV(t) over trials, averaged over the middle
// half of the samples (away from the filter's edges).
double plv_across_trials(const dynamics_size& z, double sigma, std::uint64_t seed, std::uint32_t step) {
  const double fs = 1000, f = 10;
  const std::size_t samples = 500;
  core::random_stream r(seed, stream, 1, step);
  std::vector<analysis::complex> sum(samples);
  for (std::uint32_t m = 0; m < z.plv_trials; ++m) {
    const double delta = sigma * r.normal();
    std::vector<double> x(samples), y(samples);
    for (std::size_t t = 0; t < samples; ++t) {
      x[t] = std::cos(2 * pi * f * as_double(t) / fs);
      y[t] = std::cos(2 * pi * f * as_double(t) / fs + delta);
    }
    const auto px = analysis::phase_of(analysis::analytic_signal(analysis::band_pass(x, fs, 5, 15)));
    const auto py = analysis::phase_of(analysis::analytic_signal(analysis::band_pass(y, fs, 5, 15)));
    for (std::size_t t = 0; t < samples; ++t) sum[t] += std::polar(1.0, px[t] - py[t]);
  }
  double plv = 0;
  for (std::size_t t = samples / 4; t < 3 * samples / 4; ++t) plv += std::abs(sum[t]) / z.plv_trials;
  return plv / as_double(samples / 2);
}

// ---- Tort MI: x = a(t) sin(2 pi f_amp t) + cos(2 pi f_pha t), a = ((1 - chi) sin(2 pi f_pha t) + 1 + chi) / 2
// (tensorpac's pac_signals_tort with the carrier a cosine, so that the envelope in the measured
// phase phi = 2 pi f_pha t is the ideal one); phase from 8-12 Hz, amplitude from 80-120 Hz.
double tort_measured(const dynamics_size& z, double chi) {
  const double fs = 1800, f_pha = 10, f_amp = 100;  // 180 samples per slow cycle: 10 per 20-degree bin
  const auto n = static_cast<std::size_t>(std::lround(z.pac_seconds * fs));
  std::vector<double> x(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double t = as_double(k) / fs;
    const double a = 0.5 * ((1 - chi) * std::sin(2 * pi * f_pha * t) + 1 + chi);
    x[k] = a * std::sin(2 * pi * f_amp * t) + std::cos(2 * pi * f_pha * t);
  }
  const auto phase = analysis::phase_of(analysis::analytic_signal(analysis::band_pass(x, fs, 8, 12)));
  const auto amp = analysis::amplitude_of(analysis::analytic_signal(analysis::band_pass(x, fs, 80, 120)));
  return analysis::tort_modulation_index(phase, amp, 18);
}

// ---- Brunel (2000) model A's network at size z with g and eta (nu_ext = eta nu_thr).
struct state_def {
  const char* name;
  double g, eta;
  const char* brunel;  // Brunel's description of the state (Fig. 8)
};
const state_def states[] = {
    {"SR", 3, 2, "synchronous regular: almost fully synchronized, neurons firing regularly at high rates"},
    {"AI", 5, 2, "asynchronous irregular: stationary global activity, irregular firing"},
    {"SI-fast", 6, 4, "synchronous irregular: fast oscillation of the global activity, irregular firing at a rate below its frequency"},
    {"SI-slow", 4.5, 0.9, "synchronous irregular: slow oscillation of the global activity, irregular firing at very low rates"},
};

network::network_desc brunel(const dynamics_size& z, double g, double eta, std::uint64_t seed, int threads) {
  network::brunel_size s;
  s.n_e = z.n_e, s.n_i = z.n_e / 4, s.c_e = z.c_e, s.c_i = z.c_e / 4;
  s.j = 100.0 / static_cast<double>(z.c_e);  // [mV] J C_E = 100 mV as in Brunel's Fig. 8 (0.1 mV x 1000)
  s.g = g, s.eta = eta, s.duration = z.duration_ms;
  return network::brunel_network(s, seed, threads);
}

struct state_result {
  double rate = 0, cv = 0, lv = 0, fano = 0, sttc = 0, peak_hz = 0, relative_peak = 0, chi = 0, kuramoto_r = 0, pr = 0;
  std::vector<double> times;  // E's spikes, for the thread check
  std::vector<std::uint64_t> ids;
  analysis::power_spectrum spectrum;
  double simulate_s = 0;
};

double number_or_nan(const nlohmann::ordered_json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

// Runs one state, writes its spikes.h5 and analysis.json under folder and reads the spikes back
// through io's public reader, as `neurite analyze` does.
state_result run_state(const dynamics_size& z, const state_def& s, std::uint64_t seed, int threads, const std::string& folder) {
  auto built = network::build(brunel(z, s.g, s.eta, seed, threads));
  const auto start = std::chrono::steady_clock::now();
  built.sim->run(z.duration_ms);
  state_result r;
  r.simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::create_directories(folder);
  io::write_spikes_h5(folder + "/spikes.h5", *built.sim);
  const auto file = io::read_spikes_file(folder + "/spikes.h5");
  analysis::report_options opt;
  opt.t_start = z.transient_ms;
  // 20 ms count windows: 40 in the quick run's 800 ms, so that the participation ratio (at most the
  // windows - 1) is not capped by their number.
  opt.window_ms = 20;
  const auto report = analysis::analyze_population(*file.find("E"), file.t_stop, opt);
  io::write_text_file(folder + "/analysis.json", report.json.dump(2) + "\n");
  const auto& j = report.json;
  r.rate = j["rate_hz"].get<double>();
  r.cv = number_or_nan(j["cv_isi"]["mean"]), r.lv = number_or_nan(j["lv"]["mean"]), r.fano = number_or_nan(j["fano"]["mean"]);
  r.sttc = number_or_nan(j["sttc"]["mean"]);
  r.peak_hz = j["spectrum"]["peak_hz"].get<double>(), r.relative_peak = j["spectrum"]["relative_peak"].get<double>();
  r.chi = j["sync"]["golomb_chi"].get<double>(), r.kuramoto_r = number_or_nan(j["sync"]["kuramoto_r"]);
  r.pr = j["dimension"]["participation_ratio"].get<double>();
  r.times = file.find("E")->times, r.ids = file.find("E")->node_ids;
  r.spectrum = report.spectrum;
  return r;
}

std::string f3(double x) { return fmt::format("{:.3f}", x); }
// Four decimals, a value that rounds to zero printed as 0 (not -0.0000).
std::string f4(double x) { return std::fabs(x) < 5e-5 ? std::string("0") : fmt::format("{:.4f}", x); }

void oscillator_rows(const options& o, const dynamics_size& z, std::vector<row>& rows) {
  // Finite-N fluctuations of R are O(1/sqrt N): 1.5/sqrt(N) (0.034 at N = 2000; the notes' 0.03).
  const double tol = 1.5 / std::sqrt(as_double(z.oscillators));
  std::string csv = "K,theory,measured\n";
  const double couplings[] = {0.5, 1.5, 2, 4};
  for (std::uint32_t c = 0; c < 4; ++c) {
    const double k = couplings[c];
    const double r = kuramoto_mean_r(z, k, o.seed, c);
    const double theory = k > 2 * gamma_half_width ? std::sqrt(1 - 2 * gamma_half_width / k) : 0.0;
    csv += fmt::format("{},{},{}\n", k, theory, r);
    const std::string setting = fmt::format("N = {}, RK4 dt = {}, mean over t in [{}, {}]", z.oscillators, z.kuramoto_dt,
                                            z.kuramoto_t_discard, z.kuramoto_t_end);
    if (k > 2 * gamma_half_width)
      rows.push_back({fmt::format("Kuramoto <R>, Lorentzian gamma = 0.5, K = {}", k),
                      fmt::format("sqrt(1 - 2 gamma / K) = {} [D]", f4(theory)),
                      fmt::format("{} ({}; tolerance {})", f4(r), setting, f3(tol)),
                      std::fabs(r - theory) <= tol ? verdict::match : verdict::miss});
    else
      rows.push_back({fmt::format("Kuramoto <R> below K_c = 2 gamma = 1 (K = {})", k), "0 (incoherent) [D]",
                      fmt::format("{} ({}; finite N: below 3/sqrt(N) = {})", f4(r), setting, f3(3 / std::sqrt(as_double(z.oscillators)))),
                      r < 3 / std::sqrt(as_double(z.oscillators)) ? verdict::match : verdict::miss});
  }
  io::write_text_file(o.out + "/kuramoto.csv", csv);

  csv = "sigma,theory,measured\n";
  const double sigmas[] = {0.5, 1.0, 1.5};
  for (std::uint32_t k = 0; k < 3; ++k) {
    const double sigma = sigmas[k], theory = std::exp(-sigma * sigma / 2);
    const double plv = plv_across_trials(z, sigma, o.seed, k);
    // The standard deviation of the mean of cos(delta) over the trials; 4 of them.
    const double sd = std::sqrt(((1 + std::exp(-2 * sigma * sigma)) / 2 - theory * theory) / z.plv_trials);
    csv += fmt::format("{},{},{}\n", sigma, theory, plv);
    rows.push_back({fmt::format("PLV, Gaussian phase jitter sigma = {}", sigma), fmt::format("exp(-sigma^2 / 2) = {} [D]", f4(theory)),
                    fmt::format("{} ({} trials, 10 Hz, band-pass + Hilbert; tolerance 4 sd = {})", f4(plv), z.plv_trials, f4(4 * sd)),
                    std::fabs(plv - theory) <= 4 * sd ? verdict::match : verdict::miss});
  }
  io::write_text_file(o.out + "/plv.csv", csv);

  csv = "chi,ideal,measured\n";
  std::vector<double> measured;
  const double chis[] = {0, 0.25, 0.5, 0.75, 1};
  for (const double chi : chis) {
    const double ideal = analysis::tort_ideal_envelope_mi(chi, 18), mi = tort_measured(z, chi);
    measured.push_back(mi);
    csv += fmt::format("{},{},{}\n", chi, ideal, mi);
    // 1% + 1e-4: sampling 10 points per bin (midpoint rule) and the filters' edges.
    const bool ok = std::fabs(mi - ideal) <= 0.01 * ideal + 1e-4;
    rows.push_back({fmt::format("Tort MI, chi = {} (18 bins, f_pha 10 Hz, f_amp 100 Hz)", chi),
                    chi == 0 ? std::string("0.1045 [C] (ideal envelope; exact bin averages: 0.104580)")
                             : fmt::format("{} [D] (ideal envelope)", f4(ideal)),
                    fmt::format("{} ({} s at 1800 Hz; tolerance 1% + 1e-4)", std::fabs(mi) < 5e-6 ? std::string("0") : fmt::format("{:.5f}", mi),
                                z.pac_seconds),
                    ok ? verdict::match : verdict::miss});
  }
  const bool falling = std::is_sorted(measured.rbegin(), measured.rend()) &&
                       std::adjacent_find(measured.begin(), measured.end()) == measured.end();
  rows.push_back({"Tort MI falls with the coupling noise chi", "monotonic decrease, 0 at chi = 1 [C]",
                  fmt::format("{} -> {} -> {} -> {} -> {}", f4(measured[0]), f4(measured[1]), f4(measured[2]), f4(measured[3]),
                              f4(measured[4])),
                  falling ? verdict::match : verdict::miss});
  io::write_text_file(o.out + "/tort.csv", csv);
}

// Seed means of each state's measures, and the verdicts of Brunel's descriptions per seed.
struct state_table {
  std::vector<std::vector<state_result>> runs;  // [state][seed]
  double mean(std::size_t s, double state_result::*field) const {
    double sum = 0;
    for (const auto& r : runs[s]) sum += r.*field;
    return sum / as_double(runs[s].size());
  }
  // True when check(seed) holds for every seed.
  template <class F>
  bool every_seed(F check) const {
    for (std::size_t k = 0; k < runs[0].size(); ++k)
      if (!check(k)) return false;
    return true;
  }
};

enum { sr = 0, ai = 1, si_fast = 2, si_slow = 3 };

void state_rows(const dynamics_size& z, const state_table& t, std::vector<row>& rows) {
  const auto& R = t.runs;
  const auto m = [&](std::size_t s, double state_result::*f) { return t.mean(s, f); };
  const std::string seeds = z.seeds > 1 ? fmt::format(", every one of {} seeds", z.seeds) : std::string();
  for (std::size_t s = 0; s < 4; ++s)
    rows.push_back({fmt::format("{} (g = {}, eta = {}): measures of E", states[s].name, states[s].g, states[s].eta),
                    states[s].brunel,
                    fmt::format("rate {:.1f} Hz, CV {:.3f}, LV {:.3f}, Fano {:.3f}, STTC {:.3f}, chi {:.3f}, R {:.3f}, "
                                "peak {:.1f} Hz x{:.1f}, PR {:.2f}",
                                m(s, &state_result::rate), m(s, &state_result::cv), m(s, &state_result::lv),
                                m(s, &state_result::fano), m(s, &state_result::sttc), m(s, &state_result::chi),
                                m(s, &state_result::kuramoto_r), m(s, &state_result::peak_hz),
                                m(s, &state_result::relative_peak), m(s, &state_result::pr)),
                    verdict::not_applicable, criterion::ours});
  const auto v = [](bool ok) { return ok ? verdict::match : verdict::miss; };
  // SR: regular (the lowest CV, below 0.1) and synchronized (the largest chi, STTC near 1).
  rows.push_back({"SR: neurons fire regularly", "CV far below the irregular states' [Brunel 2000, Fig. 8A]",
                  fmt::format("CV {:.4f} vs {:.3f} / {:.3f} / {:.3f} (AI / SI-fast / SI-slow); criterion CV < 0.1 and the lowest{}",
                              m(sr, &state_result::cv), m(ai, &state_result::cv), m(si_fast, &state_result::cv),
                              m(si_slow, &state_result::cv), seeds),
                  v(t.every_seed([&](std::size_t k) {
                    return R[sr][k].cv < 0.1 && R[sr][k].cv < std::min({R[ai][k].cv, R[si_fast][k].cv, R[si_slow][k].cv});
                  }))});
  rows.push_back({"SR: almost fully synchronized", "the most synchronous state [Brunel 2000, Fig. 8A]",
                  fmt::format("Golomb chi {:.3f} vs {:.3f} / {:.3f} / {:.3f}, STTC {:.3f}; criterion chi the largest and STTC > 0.9{}",
                              m(sr, &state_result::chi), m(ai, &state_result::chi), m(si_fast, &state_result::chi),
                              m(si_slow, &state_result::chi), m(sr, &state_result::sttc), seeds),
                  v(t.every_seed([&](std::size_t k) {
                    return R[sr][k].sttc > 0.9 && R[sr][k].chi > std::max({R[ai][k].chi, R[si_fast][k].chi, R[si_slow][k].chi});
                  }))});
  // SI-fast: a fast population rhythm (peak >= 100 Hz, sharper than AI's) above the single-neuron rate.
  rows.push_back({"SI-fast: fast oscillation of the global activity",
                  "a population-rate peak at high frequency, irregular units firing below it [Brunel 2000, Fig. 8B]",
                  fmt::format("peak {:.1f} Hz x{:.1f} (AI: x{:.1f}), rate {:.1f} Hz, CV {:.3f}; criterion peak >= 100 Hz, sharper "
                              "than AI's, rate below the peak frequency, CV > 0.5{}",
                              m(si_fast, &state_result::peak_hz), m(si_fast, &state_result::relative_peak),
                              m(ai, &state_result::relative_peak), m(si_fast, &state_result::rate), m(si_fast, &state_result::cv), seeds),
                  v(t.every_seed([&](std::size_t k) {
                    const auto& r = R[si_fast][k];
                    return r.peak_hz >= 100 && r.relative_peak > R[ai][k].relative_peak && r.rate < r.peak_hz && r.cv > 0.5;
                  }))});
  // AI: the flattest spectrum of the irregular states, units irregular (CV well above SR's).
  rows.push_back({"AI: stationary global activity, irregular firing",
                  "no rhythm: flatter than both SI states; irregular units [Brunel 2000, Fig. 8C]",
                  fmt::format("relative peak x{:.1f} vs SI-fast x{:.1f}, SI-slow x{:.1f}; CV {:.3f}; criterion flatter than both, "
                              "CV > 0.3{}",
                              m(ai, &state_result::relative_peak), m(si_fast, &state_result::relative_peak),
                              m(si_slow, &state_result::relative_peak), m(ai, &state_result::cv), seeds),
                  v(t.every_seed([&](std::size_t k) {
                    return R[ai][k].relative_peak < std::min(R[si_fast][k].relative_peak, R[si_slow][k].relative_peak) &&
                           R[ai][k].cv > 0.3;
                  }))});
  rows.push_back({"SI-slow: slow oscillation, very low rates",
                  "a slow population rhythm, the lowest rates [Brunel 2000, Fig. 8D]",
                  fmt::format("peak {:.1f} Hz x{:.1f}, rate {:.1f} Hz (AI {:.1f}, SI-fast {:.1f}); criterion peak < 50 Hz, rate the "
                              "lowest and < 10 Hz{}",
                              m(si_slow, &state_result::peak_hz), m(si_slow, &state_result::relative_peak),
                              m(si_slow, &state_result::rate), m(ai, &state_result::rate), m(si_fast, &state_result::rate), seeds),
                  v(t.every_seed([&](std::size_t k) {
                    const auto& r = R[si_slow][k];
                    return r.peak_hz < 50 && r.rate < 10 && r.rate < std::min({R[sr][k].rate, R[ai][k].rate, R[si_fast][k].rate});
                  }))});
}

void write_state_files(const options& o, const state_table& t) {
  std::string csv = "state,g,eta,seed,rate_hz,cv,lv,fano,sttc,golomb_chi,kuramoto_r,peak_hz,relative_peak,participation_ratio,simulate_s\n";
  for (std::size_t s = 0; s < 4; ++s)
    for (std::size_t k = 0; k < t.runs[s].size(); ++k) {
      const auto& r = t.runs[s][k];
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.3f}\n", states[s].name, states[s].g, states[s].eta, o.seed + k,
                         r.rate, r.cv, r.lv, r.fano, r.sttc, r.chi, r.kuramoto_r, r.peak_hz, r.relative_peak, r.pr, r.simulate_s);
    }
  io::write_text_file(o.out + "/states.csv", csv);
  csv = "frequency_hz";
  for (const auto& s : states) csv += fmt::format(",{}", s.name);
  csv += "\n";
  for (std::size_t f = 0; f < t.runs[0][0].spectrum.power.size(); ++f) {
    csv += fmt::format("{}", t.runs[0][0].spectrum.frequency_hz[f]);
    for (std::size_t s = 0; s < 4; ++s)
      csv += fmt::format(",{}", f < t.runs[s][0].spectrum.power.size() ? t.runs[s][0].spectrum.power[f] : std::nan(""));
    csv += "\n";
  }
  io::write_text_file(o.out + "/spectra.csv", csv);
}

}  // namespace

dynamics_size dynamics_default_size(bool full) {
  dynamics_size z;
  if (full) z.oscillators = 10000, z.plv_trials = 10000, z.pac_seconds = 60, z.duration_ms = 3000, z.seeds = 3;
  return z;
}

std::vector<row> run_dynamics_measures(const options& o, const dynamics_size& z) {
  std::filesystem::create_directories(o.out);
  std::vector<row> rows;
  oscillator_rows(o, z, rows);
  const int threads = training_threads(o);
  state_table t;
  t.runs.resize(4);
  for (std::size_t s = 0; s < 4; ++s)
    for (std::uint32_t k = 0; k < z.seeds; ++k)
      t.runs[s].push_back(run_state(z, states[s], o.seed + k, threads, fmt::format("{}/{}_seed{}", o.out, states[s].name, o.seed + k)));
  state_rows(z, t, rows);
  write_state_files(o, t);
  if (z.thread_check) {
    const int other = threads == 1 ? 2 : 1;
    const auto again = run_state(z, states[ai], o.seed, other, fmt::format("{}/AI_threads{}", o.out, other));
    const auto& first = t.runs[ai][0];
    const bool same = again.times == first.times && again.ids == first.ids && again.cv == first.cv && again.chi == first.chi &&
                      again.pr == first.pr && again.relative_peak == first.relative_peak;
    rows.push_back({fmt::format("AI state on {} and {} threads", threads, other), "the same spikes and measures, bit for bit",
                    fmt::format("{} ({} spikes of E)", same ? "identical" : "DIFFERENT", first.times.size()),
                    same ? verdict::match : verdict::miss, criterion::ours});
  }
  return rows;
}

namespace {
const bool registered = register_reproduction(
    {"dynamics-measures",
     "Monaco, Rajan & Hwang 2021 (paper 13): synchrony and oscillation measures against closed forms, and Brunel's "
     "SR, AI and SI states told apart",
     "quick: N = 2000 oscillators, Brunel at full size (12,500 neurons) for 1 s per state, passes in 82 s on 2 loaded "
     "cores; --full: N = 10,000, 3 s, 3 seeds, passes in 14 min (docs/dynamics_measures.md)",
     [](const options& o) { return run_dynamics_measures(o, dynamics_default_size(o.full)); }});
}  // namespace

}  // namespace neurite::repro
