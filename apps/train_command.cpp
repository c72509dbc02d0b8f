// `neurite train CONFIG.toml`: train a LIF network as the training file says (learn/), with a
// progress line, and write metrics.json, learning_curve.csv and learning_curve.png.
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "io/fashion_mnist.hpp"
#include "io/model_file.hpp"
#include "io/results.hpp"
#include "learn/training_file.hpp"
#include "learn/training_output.hpp"

namespace neurite::apps {
namespace {

struct train_args {
  std::string config, out;
  std::vector<std::string> sets;
  std::optional<int> threads;
  std::optional<std::uint64_t> seed;
  bool no_plot = false;
};

std::vector<std::string> overrides_of(const train_args& a) {
  std::vector<std::string> o = a.sets;
  if (a.threads) o.push_back(fmt::format("training.threads={}", *a.threads));
  if (a.seed) o.push_back(fmt::format("training.seed={}", *a.seed));
  return o;
}

int run(const train_args& a) {
  learn::training_run run;
  try {
    run = learn::read_training_file(a.config, overrides_of(a));
  } catch (const io::model_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  const auto train = io::read_fashion_mnist(io::dataset_split::train).first(run.train_samples);
  const auto test = io::read_fashion_mnist(io::dataset_split::test).first(run.test_samples);
  const auto report = learn::train_classifier(run.config, train, test, learn::print_progress);
  const std::string out = a.out.empty() ? "out/train/" + std::filesystem::path(a.config).stem().string() : a.out;
  std::filesystem::create_directories(out);
  auto metrics = learn::metrics_json(report);
  metrics["config"] = a.config;
  metrics["overrides"] = overrides_of(a);
  metrics["threads"] = run.config.threads;
  metrics["seed"] = run.config.seed;
  metrics["train_samples"] = train.count;
  metrics["test_samples"] = test.count;
  io::write_text_file(out + "/metrics.json", metrics.dump(2) + "\n");
  io::write_text_file(out + "/learning_curve.csv", learn::learning_curve_csv(report));
  if (!a.no_plot) run_python_helper("neurite_repro_plots.py", fmt::format("train '{}'", out), "the learning curve");
  fmt::print("test accuracy {:.2f}% after {} epochs | {} parameters | {:.1f} s | wrote {}/metrics.json\n",
             100 * report.epochs.back().test_accuracy, report.epochs.size(), report.parameters, report.seconds, out);
  return 0;
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<train_args>();
  auto* cmd = app.add_subcommand("train", "Train a spiking network with surrogate gradients (a training file)");
  cmd->add_option("config", args->config, "Training file (TOML)")->required();
  cmd->add_option("--out,-o", args->out, "Output folder (default: out/train/<file name>)");
  cmd->add_option("--set", args->sets, "Override a key: KEY=VALUE (repeatable)");
  cmd->add_option("--threads,-t", args->threads, "Threads (training.threads)");
  cmd->add_option("--seed,-s", args->seed, "Seed (training.seed)");
  cmd->add_flag("--no-plot", args->no_plot, "Do not draw the learning curve");
  cmd->callback([args] { exit_with(run(*args)); });
}

}  // namespace neurite::apps
