#include "learn/training_file.hpp"

#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/config_file.hpp"

namespace neurite::learn {
namespace {

using field = io::config_value;
constexpr std::int64_t max_u32 = std::numeric_limits<std::uint32_t>::max();

double in_range(const field& f, double low, double high, std::string_view expected) {
  const double x = f.number(expected);
  if (!(x >= low && x <= high)) f.fail_expected(expected);
  return x;
}

double positive_time(const field& f) {
  const double x = f.quantity(core::dimension::time);
  if (!(x > 0)) f.fail_expected("a positive time such as \"10 ms\"");
  return x;
}

template <class Enum>
Enum choice(const field& f, std::initializer_list<std::pair<const char*, Enum>> options) {
  std::vector<std::string> names;
  for (const auto& [name, value] : options) names.push_back(std::string("\"") + name + "\"");
  const std::string expected = fmt::format("one of {}", fmt::join(names, ", "));
  const std::string text = f.string(expected);
  for (const auto& [name, value] : options)
    if (text == name) return value;
  f.fail_expected(expected);
}

void read_model(const field& f, lif_network_config& m) {
  if (!f.present()) return;
  f.check_keys({"hidden", "tau_m", "dt", "V_th", "reset", "surrogate", "slope", "q_sfa", "tau_sfa", "readout", "kernel",
                "recurrent", "learn_tau"},
               "a key of [model]");
  if (const auto hidden = f["hidden"]; hidden.present()) {
    m.sizes = {m.sizes.front()};
    for (const auto& size : hidden.elements()) m.sizes.push_back(size.integer(1, 1 << 20));
    m.sizes.push_back(io::fashion_mnist_classes);
  }
  auto& n = m.neuron;
  constexpr double huge = std::numeric_limits<double>::max();
  if (const auto x = f["tau_m"]; x.present()) n.tau_m = positive_time(x);
  if (const auto x = f["dt"]; x.present()) n.dt = positive_time(x);
  if (const auto x = f["V_th"]; x.present()) n.V_th = in_range(x, 1e-12, huge, "a positive number (in units of the input)");
  if (const auto x = f["reset"]; x.present())
    n.reset = choice<reset_mode>(x, {{"subtract", reset_mode::subtract}, {"to_zero", reset_mode::to_zero}});
  if (const auto x = f["surrogate"]; x.present())
    n.spike.shape = choice<surrogate_shape>(x, {{"fast_sigmoid", surrogate_shape::fast_sigmoid}, {"arctan", surrogate_shape::arctan}});
  if (const auto x = f["slope"]; x.present()) n.spike.slope = in_range(x, 1e-12, huge, "a positive number");
  if (const auto x = f["q_sfa"]; x.present()) n.q_sfa = in_range(x, 0, huge, "a number >= 0 (in units of V_th)");
  if (const auto x = f["tau_sfa"]; x.present()) n.tau_sfa = positive_time(x);
  if (const auto x = f["readout"]; x.present())
    m.read = choice<readout>(x, {{"mean_membrane", readout::mean_membrane}, {"spike_count", readout::spike_count},
                                 {"max_membrane", readout::max_membrane}});
  if (const auto x = f["kernel"]; x.present())
    m.kernel = choice<lif_kernel>(x, {{"fused", lif_kernel::fused}, {"op_by_op", lif_kernel::op_by_op}});
  if (const auto x = f["recurrent"]; x.present()) m.recurrent = x.boolean();
  if (const auto x = f["learn_tau"]; x.present()) m.learn_tau = x.boolean();
}

void read_data(const field& f, training_run& run) {
  if (!f.present()) return;
  f.check_keys({"dataset", "encoding", "steps", "gain", "latency_threshold", "train_samples", "test_samples"},
               "a key of [data]");
  if (const auto x = f["dataset"]; x.present()) choice<int>(x, {{"fashion-mnist", 0}});
  auto& e = run.config.input;
  if (const auto x = f["encoding"]; x.present())
    e.kind = choice<encoding>(x, {{"poisson_rate", encoding::poisson_rate}, {"latency", encoding::latency},
                        {"direct_current", encoding::direct_current}});
  if (const auto x = f["steps"]; x.present()) e.steps = static_cast<std::uint32_t>(x.integer(1, 100000));
  if (const auto x = f["gain"]; x.present()) e.gain = in_range(x, 0, 1, "a number in [0, 1]");
  if (const auto x = f["latency_threshold"]; x.present()) e.latency_threshold = in_range(x, 0, 1, "a number in [0, 1]");
  if (const auto x = f["train_samples"]; x.present()) run.train_samples = static_cast<std::uint32_t>(x.integer(0, max_u32));
  if (const auto x = f["test_samples"]; x.present()) run.test_samples = static_cast<std::uint32_t>(x.integer(0, max_u32));
}

void read_training(const field& f, training_run& run) {
  if (!f.present()) return;
  f.check_keys({"epochs", "batch_size", "micro_batch", "learning_rate", "threads", "seed", "checkpoint_every",
                "keep_checkpoints"},
               "a key of [training]");
  auto& c = run.config;
  if (const auto x = f["epochs"]; x.present()) c.epochs = static_cast<std::uint32_t>(x.integer(1, 100000));
  if (const auto x = f["batch_size"]; x.present()) c.batch_size = static_cast<std::uint32_t>(x.integer(1, 1 << 20));
  if (const auto x = f["micro_batch"]; x.present()) c.micro_batch = static_cast<std::uint32_t>(x.integer(1, 1 << 20));
  if (const auto x = f["learning_rate"]; x.present()) c.learning_rate = in_range(x, 1e-12, 1e3, "a positive number");
  if (const auto x = f["threads"]; x.present()) c.threads = static_cast<int>(x.integer(1, 1024));
  if (const auto x = f["seed"]; x.present())
    c.seed = x.unsigned64();
  c.input.seed = c.seed;
  if (const auto x = f["checkpoint_every"]; x.present()) run.checkpoint_every = static_cast<std::uint32_t>(x.integer(0, 100000));
  if (const auto x = f["keep_checkpoints"]; x.present()) run.keep_checkpoints = x.boolean();
}

}  // namespace

training_run parse_training(std::string_view text, const std::string& file_name, const io::override_list& overrides) {
  const io::config_file file(text, file_name, overrides);
  const field top = file.root();
  top.check_keys({"model", "data", "training"}, "a section of a training file");
  training_run run;
  read_model(top["model"], run.config.model);
  read_data(top["data"], run);
  read_training(top["training"], run);
  return run;
}

std::string read_training_text(const std::string& path) { return io::read_config_text(path, "training file"); }

training_run read_training_file(const std::string& path, const io::override_list& overrides) {
  return parse_training(read_training_text(path), path, overrides);
}

}  // namespace neurite::learn
