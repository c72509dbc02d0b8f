// Training files: every key reaches the configuration, and mistakes are reported with file, line,
// key and what was expected.
#include <gtest/gtest.h>

#include "io/model_file.hpp"
#include "learn/training_file.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

std::string error_of(const std::string& text, const io::override_list& overrides = {}) {
  try {
    parse_training(text, "run.toml", overrides);
  } catch (const io::model_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(training_file, every_key_reaches_the_configuration) {
  const auto run = parse_training(R"(
[model]
hidden = [100, 50]
tau_m = "20 ms"
dt = "0.5 ms"
V_th = 2.0
reset = "to_zero"
surrogate = "arctan"
slope = 3
q_sfa = 0.2
tau_sfa = "200 ms"
readout = "max_membrane"
kernel = "op_by_op"
recurrent = true
learn_tau = true
[data]
dataset = "fashion-mnist"
encoding = "latency"
steps = 12
gain = 0.5
latency_threshold = 0.3
train_samples = 1000
test_samples = 200
[training]
epochs = 3
batch_size = 64
micro_batch = 16
learning_rate = 0.01
threads = 2
seed = 9
checkpoint_every = 2
keep_checkpoints = true
)",
                                  "run.toml", {"training.epochs=4"});
  const auto& c = run.config;
  EXPECT_EQ(c.model.sizes, (std::vector<std::int64_t>{784, 100, 50, 10}));
  EXPECT_DOUBLE_EQ(c.model.neuron.tau_m, 20);
  EXPECT_DOUBLE_EQ(c.model.neuron.dt, 0.5);
  EXPECT_DOUBLE_EQ(c.model.neuron.V_th, 2);
  EXPECT_EQ(c.model.neuron.reset, reset_mode::to_zero);
  EXPECT_EQ(c.model.neuron.spike.shape, surrogate_shape::arctan);
  EXPECT_DOUBLE_EQ(c.model.neuron.spike.slope, 3);
  EXPECT_DOUBLE_EQ(c.model.neuron.q_sfa, 0.2);
  EXPECT_DOUBLE_EQ(c.model.neuron.tau_sfa, 200);
  EXPECT_EQ(c.model.read, readout::max_membrane);
  EXPECT_EQ(c.model.kernel, lif_kernel::op_by_op);
  EXPECT_TRUE(c.model.recurrent);
  EXPECT_TRUE(c.model.learn_tau);
  EXPECT_EQ(c.input.kind, encoding::latency);
  EXPECT_EQ(c.input.steps, 12u);
  EXPECT_DOUBLE_EQ(c.input.gain, 0.5);
  EXPECT_DOUBLE_EQ(c.input.latency_threshold, 0.3);
  EXPECT_EQ(c.input.seed, 9u);
  EXPECT_EQ(run.train_samples, 1000u);
  EXPECT_EQ(run.test_samples, 200u);
  EXPECT_EQ(c.epochs, 4u);
  EXPECT_EQ(c.batch_size, 64u);
  EXPECT_EQ(c.micro_batch, 16u);
  EXPECT_DOUBLE_EQ(c.learning_rate, 0.01);
  EXPECT_EQ(c.threads, 2);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_EQ(run.checkpoint_every, 2u);
  EXPECT_TRUE(run.keep_checkpoints);
}

TEST(training_file, mistakes_name_file_line_key_and_expectation) {
  EXPECT_NE(error_of("[model]\ntau_m = 10\n").find("run.toml:2: model.tau_m: expected a time (ms)"), std::string::npos);
  EXPECT_NE(error_of("[model]\nreset = \"zero\"\n").find("run.toml:2: model.reset: expected one of \"subtract\", \"to_zero\""),
            std::string::npos);
  EXPECT_NE(error_of("[training]\nepoch = 3\n").find("run.toml:2: training.epoch: expected a key of [training]"),
            std::string::npos)
      << error_of("[training]\nepoch = 3\n");
  EXPECT_NE(error_of("[data]\ngain = 1.5\n").find("run.toml:2: data.gain: expected a number in [0, 1], found a floating-point number (1.5)"),
            std::string::npos)
      << error_of("[data]\ngain = 1.5\n");
  EXPECT_NE(error_of("[model]\nrecurrent = 1\n").find("run.toml:2: model.recurrent: expected"), std::string::npos)
      << error_of("[model]\nrecurrent = 1\n");
  EXPECT_NE(error_of("", {"training.threads=0"}).find("--set:1: training.threads"), std::string::npos);
  EXPECT_EQ(error_of("", {{"training.threads=0", "--threads"}}).rfind("--threads: training.threads: expected", 0), 0u);
  EXPECT_EQ(parse_training("", "run.toml", {{"training.seed=18446744073709551615", "--seed"}}).config.seed,
            18446744073709551615u);
  EXPECT_NE(error_of("[model\n").find("run.toml:1"), std::string::npos);
}
