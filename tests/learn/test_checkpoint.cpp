// Checkpoints: a run continued from its epoch-1 checkpoint (through the file, on another thread
// count) ends with bit-identical parameters and metrics; unreadable files are refused with their
// name; a failed write leaves the previous checkpoint whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <torch/torch.h>

#include "io/fashion_mnist.hpp"
#include "learn/checkpoint.hpp"
#include "learn/training.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

training_config small_config(int threads) {
  training_config c;
  c.model.sizes = {784, 24, 10};
  c.model.recurrent = c.model.learn_tau = true;
  c.model.neuron.q_sfa = 0.1;
  c.input.steps = 5;
  c.epochs = 2;
  c.batch_size = 40;
  c.micro_batch = 10;
  c.threads = threads;
  return c;
}

std::string temporary_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("neurite_test_checkpoint_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

lif_network tiny_network(std::int64_t outputs) {
  lif_network_config c;
  c.sizes = {10, outputs};
  return {c, 1};
}

std::string error_of(const std::string& path) {
  try {
    read_checkpoint(path);
  } catch (const checkpoint_error& e) {
    return e.what();
  }
  return "";
}

void expect_same_records(const std::vector<epoch_record>& a, const std::vector<epoch_record>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t e = 0; e < a.size(); ++e) {
    EXPECT_EQ(a[e].train_loss, b[e].train_loss);
    EXPECT_EQ(a[e].train_accuracy, b[e].train_accuracy);
    EXPECT_EQ(a[e].test_accuracy, b[e].test_accuracy);
  }
}

}  // namespace

TEST(checkpoint, resuming_after_epoch_one_gives_the_straight_run_bit_for_bit) {
  const auto data = io::read_fashion_mnist(io::dataset_split::test).first(240);
  const auto train = data.first(200);
  const std::string path = temporary_path("epoch1.pt");
  const auto config = small_config(1);
  lif_network straight(config.model, config.seed);
  training_hooks hooks;
  hooks.epoch_done = [&](const training_state& state) {
    if (state.epochs.size() != 1) return;
    auto c = make_checkpoint(straight, state);
    c.settings_text = "[training]\nepochs = 2\n", c.overrides = {"training.threads=1"}, c.epochs = 2;
    write_checkpoint(path, c);
  };
  const auto full = train_classifier(config, straight, train, data, hooks);

  const checkpoint c = read_checkpoint(path);
  EXPECT_EQ(c.settings_text, "[training]\nepochs = 2\n");
  EXPECT_EQ(c.overrides, std::vector<std::string>{"training.threads=1"});
  ASSERT_EQ(c.state.epochs.size(), 1u);
  const auto resumed_config = small_config(3);
  lif_network resumed(resumed_config.model, 99);  // other initial weights: the checkpoint's replace them
  load_parameters(resumed, c.parameters, path);
  const auto rest = train_classifier(resumed_config, resumed, train, data, training_hooks{{}, {}, &c.state});

  expect_same_records(full.epochs, rest.epochs);
  ASSERT_EQ(straight.parameters().size(), resumed.parameters().size());
  for (std::size_t i = 0; i < straight.parameters().size(); ++i)
    EXPECT_TRUE(straight.parameters()[i].equal(resumed.parameters()[i])) << "parameter " << i;
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST(checkpoint, unreadable_files_are_refused_with_their_name) {
  const std::string good = temporary_path("good.pt"), truncated = temporary_path("truncated.pt"),
                    text = temporary_path("text.pt"), foreign = temporary_path("foreign.pt");
  const lif_network net = tiny_network(4);
  write_checkpoint(good, make_checkpoint(net, {}));
  EXPECT_EQ(error_of(good), "");
  const auto size = std::filesystem::file_size(good);
  std::filesystem::copy_file(good, truncated);
  std::filesystem::resize_file(truncated, size / 2);
  std::ofstream(text) << "[model]\nhidden = [10]\n";
  torch::save(torch::ones({3}), foreign);
  EXPECT_NE(error_of(truncated).find(truncated + ": cannot be read as a checkpoint"), std::string::npos) << error_of(truncated);
  EXPECT_NE(error_of(text).find(text + ": cannot be read as a checkpoint"), std::string::npos) << error_of(text);
  EXPECT_NE(error_of(foreign).find(foreign + ": not a neurite checkpoint"), std::string::npos) << error_of(foreign);
  EXPECT_NE(error_of(good + ".missing").find("no such checkpoint file"), std::string::npos);
  // Parameters of another shape: the model built from the settings does not fit them.
  const lif_network other = tiny_network(5);
  EXPECT_THROW(load_parameters(other, read_checkpoint(good).parameters, good), checkpoint_error);
  std::filesystem::remove_all(std::filesystem::path(good).parent_path());
}

TEST(checkpoint, a_failed_write_leaves_the_previous_checkpoint_whole) {
  const std::string path = temporary_path("kept.pt");
  const lif_network net = tiny_network(4);
  write_checkpoint(path, make_checkpoint(net, {{{1, 0.5, 0.25, 0.125, 1, 1}}, ""}));
  std::filesystem::create_directories(path + ".tmp");  // the temporary file cannot be written
  EXPECT_ANY_THROW(write_checkpoint(path, make_checkpoint(net, {})));
  EXPECT_EQ(read_checkpoint(path).state.epochs.size(), 1u);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
