// `neurite repro`: list the reproductions of published results, or run one, print its table
// (quantity | paper | neurite | verdict), write result.json and its CSV files, and draw plots.
#include <algorithm>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/learn_module.hpp"
#include "io/results.hpp"
#include "repro/repro.hpp"

namespace neurite::apps {
namespace {

struct repro_args {
  std::string name, out;
  bool list = false, full = false, no_plot = false;
  std::uint64_t seed = 1;
  int threads = 0;
};

void print_list() {
  std::size_t width = 0;  // the longest name, so that every description starts in one column
  for (const auto& r : repro::reproductions()) width = std::max(width, r.name.size());
  for (const auto& r : repro::reproductions()) fmt::print("{:<{}} {}  [{}]\n", r.name, width, r.description, r.status);
}

void plot(const std::string& name, const std::string& out) {
  run_python_helper("neurite_repro_plots.py", {name, absolute_path(out)}, "the plots of " + name);
}

int run(const repro_args& a) {
  // The learn/ module registers its reproductions when it loads: only for a list or a name the
  // core does not have, since it costs LibTorch's start-up.
  if (a.list || a.name.empty() || repro::find_reproduction(a.name) == nullptr) load_learn_module();
  if (a.list || a.name.empty()) {
    print_list();
    return 0;
  }
  const auto* r = repro::find_reproduction(a.name);
  if (r == nullptr) {
    fmt::print(stderr, "unknown reproduction '{}'; `neurite repro --list` shows them\n", a.name);
    return exit_bad_input;
  }
  const std::string out = a.out.empty() ? "out/repro/" + a.name : a.out;
  std::filesystem::create_directories(out);
  const auto rows = r->run({a.full, out, a.seed, a.threads});
  fmt::print("{}", repro::format_table(rows));
  io::write_text_file(out + "/result.json", repro::result_json(a.name, rows).dump(2) + "\n");
  if (!a.no_plot) plot(a.name, out);
  const std::string failure = repro::failure_reason(rows);
  fmt::print("rows: {}\n", repro::describe(repro::count_rows(rows)));
  fmt::print("{}: {}; wrote {}/result.json\n", a.name, failure.empty() ? "passed" : "FAILED (" + failure + ")", out);
  return failure.empty() ? 0 : 1;
}

}  // namespace

void add_repro_command(CLI::App& app) {
  auto args = std::make_shared<repro_args>();
  auto* cmd = app.add_subcommand("repro", "Reproduce a published result and compare it with the paper's values");
  cmd->add_option("name", args->name, "Reproduction to run (see --list)");
  cmd->add_flag("--list,-l", args->list, "List the reproductions");
  cmd->add_flag("--full", args->full, "The paper's sizes instead of a quick check");
  cmd->add_option("--out,-o", args->out, "Output folder (default: out/repro/<name>)")
      ->check(non_empty_folder);
  cmd->add_option("--seed,-s", args->seed, "Random seed of the Monte Carlo parts")->check(seed_value);
  cmd->add_option("--threads,-t", args->threads, "Training threads (default: one per core; results do not depend on it)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-plot", args->no_plot, "Do not draw the figures");
  cmd->callback([args] { exit_with(run(*args)); });
}

}  // namespace neurite::apps
