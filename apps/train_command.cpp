// `neurite train CONFIG.toml` and `neurite eval CHECKPOINT`: the options; the work is in the learn/
// module (train_run.cpp).
#include <optional>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/learn_module.hpp"

namespace neurite::apps {
namespace {

struct train_args {
  train_request request;
  std::vector<std::string> sets;
  // As typed: the training file's reader checks them, and its messages name the option.
  std::optional<std::string> threads, seed;
};

bool learn_available(const char* command) {
  if (load_learn_module() && train_runner() && eval_runner()) return true;
  fmt::print(stderr, "neurite {}: this neurite was built without LibTorch (install libtorch-dev and rebuild)\n", command);
  return false;
}

int run(train_args a) {
  auto& r = a.request;
  if (r.config.empty() && r.resume.empty()) {
    fmt::print(stderr, "neurite train: give a training file, or --resume CHECKPOINT\n");
    return exit_bad_input;
  }
  // A resumed run keeps its settings (else it would not continue the same run); threads change no number.
  if (!r.resume.empty() && (!a.sets.empty() || a.seed)) {
    fmt::print(stderr, "neurite train: --set and --seed cannot change a resumed run (only --threads, --out, --no-plot)\n");
    return exit_bad_input;
  }
  if (!learn_available("train")) return 1;
  r.overrides = a.sets;
  if (a.threads) r.overrides.push_back(io::option_override("training.threads", *a.threads, "--threads", true));
  if (a.seed) r.overrides.push_back(io::option_override("training.seed", *a.seed, "--seed", true));
  return train_runner()(r);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<train_args>();
  auto* cmd = app.add_subcommand("train", "Train a spiking network with surrogate gradients (a training file)");
  cmd->add_option("config", args->request.config, "Training file (TOML); optional with --resume");
  cmd->add_option("--resume,-r", args->request.resume, "Continue the run of this checkpoint (bit-identical)");
  cmd->add_option("--out,-o", args->request.out, "Output folder (default: out/train/<file name>)")
      ->check(non_empty_folder);
  cmd->add_option("--set", args->sets, "Override a key: KEY=VALUE (repeatable)");
  cmd->add_option("--threads,-t", args->threads, "Threads (training.threads)")->type_name("INT");
  cmd->add_option("--seed,-s", args->seed, "Seed (training.seed), in [0, 2^64 - 1]")->type_name("INT");
  cmd->add_flag("--no-plot", args->request.no_plot, "Do not draw the learning curve");
  cmd->add_option("--export", args->request.export_samples,
                  "After training, write OUT/export/model.toml: the trained network for `neurite run`, on the "
                  "first N test samples (docs/learn.md)")
      ->check(CLI::Range(1, 10000));
  cmd->callback([args] { exit_with(run(*args)); });
}

void add_eval_command(CLI::App& app) {
  auto request = std::make_shared<eval_request>();
  auto* cmd = app.add_subcommand("eval", "Evaluate a trained network from its checkpoint (neurite train writes them)");
  cmd->add_option("checkpoint", request->checkpoint, "Checkpoint file (checkpoint.pt)")->required();
  cmd->add_option("--data", request->data, "Which split: test or train (the samples the training file chose)")
      ->check(CLI::IsMember({"test", "train"}));
  cmd->add_option("--out,-o", request->out, "Output folder for eval.json (default: the checkpoint's folder)")
      ->check(non_empty_folder);
  cmd->add_option("--threads,-t", request->threads, "Threads (default: the training file's)")->check(CLI::PositiveNumber);
  cmd->callback([request] { exit_with(learn_available("eval") ? eval_runner()(*request) : 1); });
}

}  // namespace neurite::apps
