// `neurite run MODEL.toml`: read and check the model, build, simulate with a progress line,
// write spikes.h5, summary.json and raster.png, and print a summary. Checkpoints: --checkpoint-every,
// on SIGINT/SIGTERM, and --resume (docs/checkpoint.md).
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "apps/commands.hpp"
#include "io/checkpoint.hpp"
#include "io/model_file.hpp"
#include "io/results.hpp"
#include "network/build.hpp"

namespace neurite::apps {
namespace {

struct run_args {
  std::string model, out, checkpoint_every, resume;
  std::optional<int> threads;
  // As typed: the model-file reader checks them, and its messages name the option.
  std::optional<std::string> seed, duration;
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
    action.sa_flags = SA_RESTART;  // a write the signal interrupts goes on rather than failing with EINTR
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
  void finish() {
    if (shown_) std::fprintf(stderr, "\n");
    shown_ = false;
  }

 private:
  bool quiet_;
  double last_ = 0;
  bool shown_ = false;
};

io::override_list overrides_of(const run_args& a) {
  io::override_list o = a.sets;
  if (a.threads) o.emplace_back(fmt::format("simulation.threads={}", *a.threads), "--threads");
  if (a.seed) o.push_back(io::option_override("simulation.seed", *a.seed, "--seed", true));
  if (a.duration) o.push_back(io::option_override("simulation.duration", *a.duration, "--duration"));
  return o;
}

void print_summary(const nlohmann::ordered_json& s) {
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

bool plot(const std::string& out, bool quiet) {
  return run_python_helper("neurite_plot.py", {"raster", absolute_path(out)}, "raster.png", quiet);
}

// What one invocation runs: a model from its file, or a checkpoint's model resumed.
struct session {
  std::string model_file, model_text;
  io::override_list overrides;
  network::network_desc desc;
  network::build_result built;
  std::optional<io::checkpoint> resumed;
  std::string out;
  core::step_t end = 0, every = 0;  // [steps] the run's end, checkpoint cadence (0: on signals only)
};

// A time given on the command line, in whole steps; exits 2 naming the option when it is bad.
core::step_t steps_option(const std::string& option, const std::string& text, double dt) {
  std::string error;
  const auto q = core::parse_quantity(text, error);
  if (!q || q->dim != core::dimension::time || !(q->value > 0) ||
      q->value / dt > static_cast<double>(core::simulation::max_step)) {
    fmt::print(stderr, "{}: expected a positive time such as \"10 s\", found \"{}\"\n", option, text);
    throw CLI::RuntimeError(exit_bad_input);
  }
  return std::max<core::step_t>(1, core::steps_of(q->value, dt));
}

// What --resume cannot take: a model change, or other outputs (spikes.h5 goes on where it is).
void refuse_with_resume(const run_args& a) {
  std::vector<std::string> found;
  if (!a.model.empty()) found.push_back("the model file " + a.model);
  if (a.seed) found.emplace_back("--seed");
  if (!a.sets.empty()) found.emplace_back("--set");
  if (!found.empty()) {
    fmt::print(stderr, "--resume: expected no model file, --seed or --set (the checkpoint's model goes on), found {}\n",
               fmt::join(found, ", "));
    throw CLI::RuntimeError(exit_bad_input);
  }
  if (!a.out.empty()) {
    fmt::print(stderr, "--out: expected none with --resume (the outputs go on in the checkpoint's folder), found \"{}\"\n",
               a.out);
    throw CLI::RuntimeError(exit_bad_input);
  }
}

// Reads the model (or the checkpoint and its model) and builds the network.
session open_session(const run_args& a) {
  session s;
  if (!a.resume.empty()) {
    refuse_with_resume(a);
    s.resumed = io::read_checkpoint(a.resume);
    s.model_file = s.resumed->model_file, s.model_text = s.resumed->model_text;
    s.overrides = io::override_list(s.resumed->overrides);
  } else {
    s.model_file = std::filesystem::absolute(a.model).string();
    s.model_text = io::read_model_text(a.model);
  }
  for (const auto& o : overrides_of(a)) s.overrides.push_back(o);
  s.desc = io::parse_model(s.model_text, s.resumed ? s.model_file : a.model, s.overrides);
  s.built = network::build(s.desc);
  const double dt = s.desc.simulation.dt;
  s.end = core::steps_of(s.desc.simulation.duration, dt);
  if (s.resumed) {
    io::restore_state(*s.resumed, *s.built.sim, a.resume);
    if (!a.duration) s.end = s.resumed->end_step;
    if (a.duration && s.end <= s.resumed->step) {
      fmt::print(stderr, "--duration: expected a time after the checkpoint's t = {} ms, found \"{}\"\n",
                 static_cast<double>(s.resumed->step) * dt, *a.duration);
      throw CLI::RuntimeError(exit_bad_input);
    }
    s.every = s.resumed->checkpoint_every;
  }
  if (!a.checkpoint_every.empty()) s.every = steps_option("--checkpoint-every", a.checkpoint_every, dt);
  s.out = s.resumed        ? std::filesystem::path(a.resume).parent_path().string()
          : !a.out.empty() ? a.out
                           : "out/" + std::filesystem::path(a.model).stem().string();
  if (s.out.empty()) s.out = ".";
  return s;
}

// OUT/checkpoint.h5 for the state now, naming the rows spikes.h5 holds.
void write_checkpoint(const session& s, io::spike_file& spikes) {
  io::checkpoint c;
  c.neurite_version = io::neurite_version();
  c.model_file = s.model_file, c.model_text = s.model_text, c.overrides = io::override_texts(s.overrides);
  c.model_hash = io::model_hash(c.model_text, c.overrides);
  c.step = s.built.sim->now(), c.end_step = s.end, c.checkpoint_every = s.every;
  spikes.flush();
  c.output_rows = spikes.rows();
  c.arrays = io::capture_state(*s.built.sim);
  io::write_checkpoint(s.out + "/checkpoint.h5", c);
  spikes.keep();
}

// Runs to the end in pieces that stop at checkpoints; each piece ends on an interval boundary
// (a multiple of the shortest delay), so the pieces add up to the same run as one.
void simulate(session& s, io::spike_file& spikes, core::run_options options, progress_line& progress) {
  core::simulation& sim = *s.built.sim;
  const double dt = sim.dt();
  const core::step_t start = sim.now(), interval = sim.interval_steps();
  const auto t0 = std::chrono::steady_clock::now();
  while (sim.now() < s.end && !interrupt_requested.load()) {
    core::step_t stop = s.end;
    if (s.every) stop = std::min(s.end, ((sim.now() / s.every + 1) * s.every + interval - 1) / interval * interval);
    const double offset = static_cast<double>(sim.now() - start) * dt;
    options.progress = [&](const core::run_status& r) {
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      progress({offset + r.simulated_ms, static_cast<double>(s.end - start) * dt, wall});
    };
    sim.run_steps(stop - sim.now(), options);
    if (s.every && sim.now() < s.end && !interrupt_requested.load()) write_checkpoint(s, spikes);
  }
}

int run(const run_args& a) {
  std::optional<session> opened;
  try {
    opened.emplace(open_session(a));
  } catch (const io::model_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const network::build_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const io::checkpoint_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  session& s = *opened;
  const std::string& out = s.out;
  std::optional<stop_signals> signals(std::in_place);
  std::filesystem::create_directories(out);

  progress_line progress(a.quiet);
  core::run_options options;
  options.stop = &interrupt_requested;
  // Filled as the run goes, so memory stays bounded; a resumed run appends to its outputs.
  std::unique_ptr<io::spike_file> spikes;
  try {
    spikes = s.resumed ? io::spike_file::resume(out + "/spikes.h5", *s.built.sim, s.resumed->output_rows)
                       : std::make_unique<io::spike_file>(out + "/spikes.h5", *s.built.sim);
  } catch (const std::runtime_error& e) {
    if (!s.resumed) throw;
    fmt::print(stderr, "{}\n", e.what());  // the outputs the checkpoint continues are missing or damaged
    return exit_bad_input;
  }
  options.drain = [&](const core::simulation& sim) { spikes->append(sim); };
  const auto t0 = std::chrono::steady_clock::now();
  nlohmann::ordered_json summary;
  try {
    simulate(s, *spikes, options, progress);
    const double simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.finish();
    // A signal after the last interval stops nothing: the run is complete.
    const bool interrupted = interrupt_requested.load() && s.built.sim->now() < s.end;
    const bool checkpointed = interrupted || s.every;
    if (checkpointed) write_checkpoint(s, *spikes);
    summary = io::summarize(*s.built.sim, {s.built.build_s, simulate_s, interrupted});
    summary.update(io::provenance("model", s.model_file, io::override_texts(s.overrides), command_line()));
    spikes->finish(*s.built.sim);
    io::write_text_file(out + "/summary.json", summary.dump(2) + "\n");
  } catch (const std::exception& e) {
    progress.finish();
    if (spikes->kept_at().empty()) throw;
    throw std::runtime_error(
        fmt::format("{}; the spikes written so far stay in {} ({}/checkpoint.h5 names its rows)", e.what(), spikes->kept_at(), out));
  }
  const bool interrupted = summary["interrupted"].get<bool>();
  const bool checkpointed = interrupted || s.every;
  if (!a.quiet) print_summary(summary);
  if (interrupted)
    fmt::print(stderr,
               "interrupted at t = {:.1f} ms: the files in {} hold what was simulated up to then; "
               "neurite run --resume {}/checkpoint.h5 goes on\n",
               summary["duration_ms"].get<double>(), out, out);
  // Until now a second signal only set the flag again, so no output was left a .part; the plot
  // helper, a child that may be stopped like any program, gets the default actions.
  signals.reset();
  const bool plotted = !a.no_plot && plot(out, a.quiet);
  if (!a.quiet)
    fmt::print("wrote {}/spikes.h5, summary.json{}{}\n", out, checkpointed ? ", checkpoint.h5" : "",
               plotted ? ", raster.png" : "");
  return interrupted ? 128 + interrupt_signal.load() : 0;
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<run_args>();
  auto* cmd = app.add_subcommand("run", "Simulate a model file and write spikes.h5, summary.json and raster.png");
  cmd->add_option("model", args->model, "Model file (TOML)")->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "Output folder (default: out/<model name>; not with --resume: the checkpoint's)")
      ->check(non_empty_folder);
  cmd->add_option("--threads,-t", args->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1, io::max_threads));
  cmd->add_option("--seed,-s", args->seed, "Random seed, in [0, 2^64 - 1]")->type_name("INT");
  cmd->add_option("--duration,-d", args->duration,
                  "Biological time to simulate, with unit (e.g. \"2 s\"); with --resume, the new end")
      ->type_name("TIME");
  cmd->add_option("--set", args->sets, "Override a model-file key: --set populations.E.size=100");
  cmd->add_option("--checkpoint-every", args->checkpoint_every,
                  "Write OUT/checkpoint.h5 every so much biological time (e.g. \"10 s\"), and at the end");
  auto* resume = cmd->add_option("--resume", args->resume, "Go on from a checkpoint.h5 (same outputs, any threads)")
                     ->check(CLI::ExistingFile);
  cmd->add_flag("--no-plot", args->no_plot, "Do not draw raster.png");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args, resume] {
    if (args->model.empty() == (resume->count() == 0)) {
      fmt::print(stderr, "run: expected a model file or --resume CHECKPOINT (one of them), found {}\n",
                 args->model.empty() ? "neither" : "both");
      exit_with(exit_bad_input);
    }
    exit_with(run(*args));
  });
}

}  // namespace neurite::apps
