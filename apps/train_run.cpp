// The work of `neurite train`, in the learn/ module (learn_module.hpp): read the training file,
// train with a progress line, write metrics.json, learning_curve.csv and learning_curve.png.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/learn_module.hpp"
#include "io/fashion_mnist.hpp"
#include "io/model_file.hpp"
#include "io/results.hpp"
#include "learn/export.hpp"
#include "learn/training_file.hpp"
#include "learn/training_output.hpp"

namespace neurite::apps {
namespace {

int run_training(const train_request& r) {
  learn::training_run run;
  try {
    run = learn::read_training_file(r.config, r.overrides);
  } catch (const io::model_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  if (r.export_samples && run.config.input.kind == learn::encoding::direct_current) {
    fmt::print(stderr, "{}: data.encoding: expected poisson_rate or latency for --export (spikes that a model file "
                       "can carry), found direct_current\n", r.config);
    return exit_bad_input;
  }
  const auto train = io::read_fashion_mnist(io::dataset_split::train).first(run.train_samples);
  const auto test = io::read_fashion_mnist(io::dataset_split::test).first(run.test_samples);
  const auto report = learn::train_classifier(run.config, train, test, learn::print_progress);
  const std::string out = r.out.empty() ? "out/train/" + std::filesystem::path(r.config).stem().string() : r.out;
  std::filesystem::create_directories(out);
  auto metrics = learn::metrics_json(report);
  metrics["config"] = r.config;
  metrics["overrides"] = r.overrides;
  metrics["threads"] = run.config.threads;
  metrics["seed"] = run.config.seed;
  metrics["train_samples"] = train.count;
  metrics["test_samples"] = test.count;
  io::write_text_file(out + "/metrics.json", metrics.dump(2) + "\n");
  io::write_text_file(out + "/learning_curve.csv", learn::learning_curve_csv(report));
  if (!r.no_plot) run_python_helper("neurite_repro_plots.py", fmt::format("train '{}'", out), "the learning curve");
  if (r.export_samples) {
    const auto input = learn::encode_first(run.config.input, test, std::min(r.export_samples, test.count));
    const auto file = learn::export_model_file(*report.network, input, out + "/export");
    fmt::print("exported the trained network on {} test sample(s): neurite run {}\n", input.size(1), file.string());
  }
  fmt::print("test accuracy {:.2f}% after {} epochs | {} parameters | {:.1f} s | wrote {}/metrics.json\n",
             100 * report.epochs.back().test_accuracy, report.epochs.size(), report.parameters, report.seconds, out);
  return 0;
}

const bool registered = (train_runner() = run_training, true);

}  // namespace
}  // namespace neurite::apps
