// `neurite train CONFIG.toml`: the options; the work is in the learn/ module (train_run.cpp).
#include <optional>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/learn_module.hpp"

namespace neurite::apps {
namespace {

struct train_args {
  train_request request;
  std::optional<int> threads;
  std::optional<std::uint64_t> seed;
};

int run(train_args a) {
  if (!load_learn_module() || !train_runner()) {
    fmt::print(stderr, "neurite train: this neurite was built without LibTorch (install libtorch-dev and rebuild)\n");
    return 1;
  }
  if (a.threads) a.request.overrides.push_back(fmt::format("training.threads={}", *a.threads));
  if (a.seed) a.request.overrides.push_back(fmt::format("training.seed={}", *a.seed));
  return train_runner()(a.request);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<train_args>();
  auto* cmd = app.add_subcommand("train", "Train a spiking network with surrogate gradients (a training file)");
  cmd->add_option("config", args->request.config, "Training file (TOML)")->required();
  cmd->add_option("--out,-o", args->request.out, "Output folder (default: out/train/<file name>)");
  cmd->add_option("--set", args->request.overrides, "Override a key: KEY=VALUE (repeatable)");
  cmd->add_option("--threads,-t", args->threads, "Threads (training.threads)");
  cmd->add_option("--seed,-s", args->seed, "Seed (training.seed)");
  cmd->add_flag("--no-plot", args->request.no_plot, "Do not draw the learning curve");
  cmd->add_option("--export", args->request.export_samples,
                  "After training, write OUT/export/model.toml: the trained network for `neurite run`, on the "
                  "first N test samples (docs/learn.md)")
      ->check(CLI::Range(1, 10000));
  cmd->callback([args] { exit_with(run(*args)); });
}

}  // namespace neurite::apps
