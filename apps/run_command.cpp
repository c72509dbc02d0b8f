// `neurite run MODEL.toml`: read and check the model, build, simulate with a progress line,
// write spikes.h5, summary.json and raster.png, and print a summary.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "io/model_file.hpp"
#include "io/results.hpp"
#include "network/build.hpp"

namespace neurite::apps {
namespace {

struct run_args {
  std::string model, out, duration;
  std::optional<int> threads;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
  bool no_plot = false, quiet = false;
};

// SIGINT (Ctrl-C) and SIGTERM (kill, timeout, batch schedulers) both stop the run at the next
// interval; what was simulated is written and the exit status is 128 + the signal's number.
std::atomic<bool> interrupt_requested{false};
std::atomic<int> interrupt_signal{0};
extern "C" void on_stop_signal(int signal) {
  interrupt_signal.store(signal);
  interrupt_requested.store(true);
}

// Installs on_stop_signal for SIGINT and SIGTERM while alive; restores the defaults after.
class stop_signals {
 public:
  stop_signals() { install(on_stop_signal); }
  ~stop_signals() { install(SIG_DFL); }
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;

 private:
  static void install(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM}) sigaction(signal, &action, nullptr);
  }
};

// One line, rewritten in place: simulated time, speed and time left. Silent for short runs.
class progress_line {
 public:
  // Only on a terminal: a log file would collect every rewrite of the line.
  explicit progress_line(bool quiet) : quiet_(quiet || !isatty(fileno(stderr))) {}
  void operator()(const core::run_status& s) {
    if (quiet_ || s.wall_s < 2.0 || s.wall_s - last_ < 0.5) return;
    last_ = s.wall_s;
    const double speed = s.simulated_ms * 1e-3 / s.wall_s;
    const double left = (s.total_ms - s.simulated_ms) * 1e-3 / speed;
    std::fprintf(stderr, "\r  t = %.2f / %.2f s   speed %.3g s/s   %.0f s left   ", s.simulated_ms * 1e-3,
                 s.total_ms * 1e-3, speed, left);
    shown_ = true;
  }
  void finish() const {
    if (shown_) std::fprintf(stderr, "\n");
  }

 private:
  bool quiet_;
  double last_ = 0;
  bool shown_ = false;
};

std::vector<std::string> overrides_of(const run_args& a) {
  std::vector<std::string> o = a.sets;
  if (a.threads) o.push_back(fmt::format("simulation.threads={}", *a.threads));
  if (a.seed) o.push_back(fmt::format("simulation.seed={}", *a.seed));
  if (!a.duration.empty()) o.push_back(fmt::format("simulation.duration=\"{}\"", a.duration));
  return o;
}

void print_summary(const nlohmann::json& s) {
  fmt::print("{:<12} {:>10} {:>12} {:>10} {:>8}\n", "population", "size", "spikes", "rate (Hz)", "CV ISI");
  for (const auto& [name, p] : s["populations"].items()) {
    const std::string cv = p["cv_isi"].is_null() ? "-" : fmt::format("{:.3f}", p["cv_isi"].get<double>());
    fmt::print("{:<12} {:>10} {:>12} {:>10.3f} {:>8}\n", name, p["size"].get<std::uint64_t>(),
               p["spikes"].get<std::uint64_t>(), p["rate_hz"].get<double>(), cv);
  }
  fmt::print("synapses {} ({:.2f} bytes each), synaptic events {}\n", s["synapses"].get<std::uint64_t>(),
             s["bytes_per_synapse"].get<double>(), s["synaptic_events"].get<std::uint64_t>());
  for (const auto& [name, p] : s["plastic_projections"].items())
    fmt::print("plastic {}: {} synapses, {:.2f} bytes each with the rule's traces\n", name,
               p["synapses"].get<std::uint64_t>(), p["bytes_per_synapse"].get<double>());
  const double sim_s = s["simulate_s"].get<double>(), bio_s = s["duration_ms"].get<double>() * 1e-3;
  fmt::print("build {:.2f} s, simulation {:.2f} s for {:.3g} s of biological time ({:.3g} s per biological s), "
             "{} thread(s), peak memory {:.0f} MB\n",
             s["build_s"].get<double>(), sim_s, bio_s, bio_s > 0 ? sim_s / bio_s : 0.0, s["threads"].get<int>(),
             s["peak_rss_mb"].get<double>());
}

void plot(const std::string& out, bool quiet) {
  run_python_helper("neurite_plot.py", fmt::format("raster '{}'{}", out, quiet ? " >/dev/null" : ""), "the raster plot");
}

int run(const run_args& a) {
  network::network_desc desc;
  network::build_result built;
  try {
    desc = io::read_model_file(a.model, overrides_of(a));
    built = network::build(desc);
  } catch (const io::model_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const network::build_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  const std::string out = a.out.empty() ? "out/" + std::filesystem::path(a.model).stem().string() : a.out;
  std::optional<stop_signals> signals(std::in_place);
  std::filesystem::create_directories(out);

  progress_line progress(a.quiet);
  core::run_options options;
  options.progress = [&](const core::run_status& s) { progress(s); };
  options.stop = &interrupt_requested;
  io::spike_file spikes(out + "/spikes.h5", *built.sim);  // filled as the run goes: memory stays bounded
  options.drain = [&](const core::simulation& sim) { spikes.append(sim); };
  const auto t0 = std::chrono::steady_clock::now();
  built.sim->run(desc.simulation.duration, options);
  const double simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress.finish();
  signals.reset();

  const bool interrupted = interrupt_requested.load();
  const auto summary = io::summarize(*built.sim, {built.build_s, simulate_s, interrupted});
  spikes.finish(*built.sim);
  io::write_text_file(out + "/summary.json", summary.dump(2) + "\n");
  if (!a.quiet) print_summary(summary);
  if (interrupted)
    fmt::print(stderr, "interrupted at t = {:.1f} ms: the files in {} hold what was simulated up to then\n",
               summary["duration_ms"].get<double>(), out);
  if (!a.no_plot) plot(out, a.quiet);
  if (!a.quiet) fmt::print("wrote {}/spikes.h5, summary.json{}\n", out, a.no_plot ? "" : ", raster.png");
  return interrupted ? 128 + interrupt_signal.load() : 0;
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<run_args>();
  auto* cmd = app.add_subcommand("run", "Simulate a model file and write spikes.h5, summary.json and raster.png");
  cmd->add_option("model", args->model, "Model file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "Output folder (default: out/<model name>)");
  cmd->add_option("--threads,-t", args->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--seed,-s", args->seed, "Random seed");
  cmd->add_option("--duration,-d", args->duration, "Biological time to simulate, with unit (e.g. \"2 s\")");
  cmd->add_option("--set", args->sets, "Override a model-file key: --set populations.E.size=100");
  cmd->add_flag("--no-plot", args->no_plot, "Do not draw raster.png");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { exit_with(run(*args)); });
}

}  // namespace neurite::apps
