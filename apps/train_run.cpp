// The work of `neurite train` and `neurite eval`, in the learn/ module (learn_module.hpp). train:
// read the training file (or a checkpoint's settings), train with a progress line, write a
// checkpoint as configured, then metrics.json, learning_curve.csv and learning_curve.png. eval:
// rebuild the network from a checkpoint, classify one split, write eval.json. --export: a
// model file of the trained network for the kernel.
#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "apps/commands.hpp"
#include "apps/learn_module.hpp"
#include "io/fashion_mnist.hpp"
#include "io/model_file.hpp"
#include "io/results.hpp"
#include "learn/checkpoint.hpp"
#include "learn/export.hpp"
#include "learn/training_file.hpp"
#include "learn/training_output.hpp"

namespace neurite::apps {
namespace {

// The settings of a run: a training file's name, its text and the overrides applied to it.
struct settings {
  std::string file, text;
  io::override_list overrides;

  learn::training_run parse() const { return learn::parse_training(text, file, overrides); }
};

io::labelled_images images(const learn::training_run& run, io::dataset_split split) {
  return io::read_fashion_mnist(split).first(split == io::dataset_split::train ? run.train_samples : run.test_samples);
}

// The model a checkpoint's settings describe, with its parameters.
learn::lif_network restored_network(const learn::checkpoint& c, const learn::training_run& run, const std::string& path) {
  if (c.model_kind != "lif_network")
    throw learn::checkpoint_error(fmt::format("{}: a model of kind \"{}\", which this neurite does not know", path, c.model_kind));
  learn::lif_network net(run.config.model, run.config.seed);
  learn::load_parameters(net, c.parameters, path);
  return net;
}

// Writes OUT/checkpoint.pt after the epochs that training.checkpoint_every names and after the last.
class checkpoint_writer {
 public:
  checkpoint_writer(const settings& s, const learn::training_run& run, const learn::lif_network& net, std::string out)
      : settings_(s), run_(run), net_(net), out_(std::move(out)) {}

  void operator()(const learn::training_state& state) const {
    const auto epoch = static_cast<std::uint32_t>(state.epochs.size());
    const bool due = run_.checkpoint_every != 0 && epoch % run_.checkpoint_every == 0;
    if (!due && epoch != run_.config.epochs) return;
    auto c = learn::make_checkpoint(net_, state);
    c.settings_file = settings_.file, c.settings_text = settings_.text, c.overrides = io::override_texts(settings_.overrides);
    c.seed = run_.config.seed, c.epochs = run_.config.epochs;
    learn::write_checkpoint(out_ + "/checkpoint.pt", c);
    if (run_.keep_checkpoints) learn::write_checkpoint(fmt::format("{}/checkpoint-epoch-{}.pt", out_, epoch), c);
  }

 private:
  const settings& settings_;
  const learn::training_run& run_;
  const learn::lif_network& net_;
  std::string out_;
};

// The settings of a new run, or of the run a checkpoint continues (with the request's --threads).
settings settings_of(const train_request& r, std::optional<learn::checkpoint>& resumed) {
  if (r.resume.empty()) return {r.config, learn::read_training_text(r.config), r.overrides};
  resumed = learn::read_checkpoint(r.resume);
  if (!r.config.empty() && learn::read_training_text(r.config) != resumed->settings_text)
    throw learn::checkpoint_error(fmt::format("{}: differs from the training file stored in {} (leave it out to resume)",
                                              r.config, r.resume));
  settings s{resumed->settings_file, resumed->settings_text, resumed->overrides};
  s.overrides.insert(s.overrides.end(), r.overrides.begin(), r.overrides.end());
  return s;
}

int run_training(const train_request& r) {
  std::optional<learn::checkpoint> resumed;
  settings s;
  learn::training_run run;
  try {
    s = settings_of(r, resumed);
    run = s.parse();
  } catch (const io::model_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const learn::checkpoint_error& e) {
    fmt::print(stderr, "neurite train: {}\n", e.what());
    return exit_bad_input;
  }
  if (r.export_samples && run.config.input.kind == learn::encoding::direct_current) {
    fmt::print(stderr, "{}: data.encoding: expected poisson_rate or latency for --export (spikes that a model file "
                       "can carry), found direct_current\n", s.file);
    return exit_bad_input;
  }
  if (r.export_samples && (run.config.model.recurrent || run.config.model.learn_tau)) {
    fmt::print(stderr, "{}: model: expected a feed-forward network with one tau_m for --export (lif_discrete has "
                       "neither recurrent weights nor per-neuron time constants), found recurrent or learn_tau\n", s.file);
    return exit_bad_input;
  }
  const auto train = images(run, io::dataset_split::train);
  const auto test = images(run, io::dataset_split::test);
  const std::string out = r.out.empty() ? "out/train/" + std::filesystem::path(s.file).stem().string() : r.out;
  std::filesystem::create_directories(out);
  learn::lif_network net = resumed ? restored_network(*resumed, run, r.resume) : learn::lif_network(run.config.model, run.config.seed);
  const checkpoint_writer write_checkpoint(s, run, net, out);
  const learn::training_hooks hooks{learn::print_progress, write_checkpoint, resumed ? &resumed->state : nullptr};
  const auto report = learn::train_classifier(run.config, net, train, test, hooks);
  auto metrics = learn::metrics_json(report);
  metrics.update(nlohmann::json(io::provenance("config", s.file, io::override_texts(s.overrides), command_line())));
  metrics["threads"] = run.config.threads;
  metrics["seed"] = run.config.seed;
  metrics["train_samples"] = train.count;
  metrics["test_samples"] = test.count;
  metrics["checkpoint"] = out + "/checkpoint.pt";
  if (resumed) metrics["resumed_from"] = r.resume;
  io::write_text_file(out + "/metrics.json", metrics.dump(2) + "\n");
  io::write_text_file(out + "/learning_curve.csv", learn::learning_curve_csv(report));
  if (!r.no_plot) run_python_helper("neurite_repro_plots.py", {"train", absolute_path(out)}, "learning_curve.png");
  if (r.export_samples) {
    const auto input = learn::encode_first(run.config.input, test, std::min(r.export_samples, test.count));
    const auto file = learn::export_model_file(net, input, out + "/export");
    fmt::print("exported the trained network on {} test sample(s): neurite run {}\n", input.size(1), file.string());
  }
  fmt::print("test accuracy {:.2f}% after {} epochs | {} parameters | {:.1f} s | wrote {}/metrics.json\n",
             100 * report.epochs.back().test_accuracy, report.epochs.size(), report.parameters, report.seconds, out);
  return 0;
}

int run_evaluation(const eval_request& r) {
  learn::checkpoint c;
  learn::training_run run;
  std::optional<learn::lif_network> net;
  try {
    c = learn::read_checkpoint(r.checkpoint);
    run = settings{c.settings_file, c.settings_text, c.overrides}.parse();
    net.emplace(restored_network(c, run, r.checkpoint));
  } catch (const io::model_error& e) {
    fmt::print(stderr, "neurite eval: {}: the stored training file: {}\n", r.checkpoint, e.what());
    return exit_bad_input;
  } catch (const learn::checkpoint_error& e) {
    fmt::print(stderr, "neurite eval: {}\n", e.what());
    return exit_bad_input;
  }
  const auto split = r.data == "train" ? io::dataset_split::train : io::dataset_split::test;
  const auto data = images(run, split);
  const int threads = r.threads > 0 ? r.threads : run.config.threads;
  const learn::encoded_images encoded(run.config.input, data);
  const double accuracy = learn::classification_accuracy(*net, encoded, run.config.micro_batch, threads);
  const auto spikes = learn::mean_spike_counts(*net, encoded, run.config.micro_batch, threads);
  const std::string out = r.out.empty() ? std::filesystem::path(r.checkpoint).parent_path().string() : r.out;
  if (!out.empty()) std::filesystem::create_directories(out);
  const std::string file = (out.empty() ? std::string(".") : out) + "/eval.json";
  nlohmann::json result{{"checkpoint", r.checkpoint}, {"data", r.data},        {"samples", data.count},
                        {"accuracy", accuracy},       {"threads", threads},    {"epochs_trained", c.state.epochs.size()},
                        {"epochs", c.epochs},         {"config", c.settings_file},
                        {"spikes_per_neuron_per_sample", spikes}};
  if (split == io::dataset_split::test && !c.state.epochs.empty())
    result["test_accuracy_at_training"] = c.state.epochs.back().test_accuracy;
  io::write_text_file(file, result.dump(2) + "\n");
  fmt::print("{} accuracy {:.2f}% on {} images | checkpoint after epoch {} of {} | spikes per neuron per sample, "
             "by layer: {:.2f} | wrote {}\n",
             r.data, 100 * accuracy, data.count, c.state.epochs.size(), c.epochs, fmt::join(spikes, ", "), file);
  return 0;
}

const bool registered = (train_runner() = run_training, eval_runner() = run_evaluation, true);

}  // namespace
}  // namespace neurite::apps
