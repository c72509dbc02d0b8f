// Training: the same seed gives the same run for any thread count (fixed micro-batches summed in
// order), and a small network learns Fashion-MNIST well above chance.
#include <gtest/gtest.h>

#include "io/fashion_mnist.hpp"
#include "learn/training.hpp"
#include "learn/training_output.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

training_config small_config(int threads) {
  training_config c;
  c.model.sizes = {784, 32, 10};
  c.input.steps = 6;
  c.epochs = 2;
  c.batch_size = 50;
  c.micro_batch = 10;
  c.threads = threads;
  return c;
}

}  // namespace

TEST(training, runs_are_identical_for_any_thread_count) {
  const auto train = io::read_fashion_mnist(io::dataset_split::test).first(600);
  const auto one = train_classifier(small_config(1), train, train);
  const auto three = train_classifier(small_config(3), train, train);
  ASSERT_EQ(one.epochs.size(), 2u);
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(one.epochs[e].train_loss, three.epochs[e].train_loss);
    EXPECT_EQ(one.epochs[e].test_accuracy, three.epochs[e].test_accuracy);
  }
  EXPECT_LT(one.epochs[1].train_loss, one.epochs[0].train_loss);
  EXPECT_GT(one.epochs[1].test_accuracy, 0.5);  // chance is 0.1
  EXPECT_EQ(one.parameters, 784 * 32 + 32 + 32 * 10 + 10);
}

// Recurrent layers, trained time constants and the max-membrane readout keep the property.
TEST(training, recurrent_runs_with_trained_tau_are_identical_for_any_thread_count) {
  const auto train = io::read_fashion_mnist(io::dataset_split::test).first(300);
  auto c = small_config(1);
  c.epochs = 1;
  c.model.recurrent = c.model.learn_tau = true;
  c.model.read = readout::max_membrane;
  const auto one = train_classifier(c, train, train);
  c.threads = 2;
  const auto two = train_classifier(c, train, train);
  EXPECT_EQ(one.epochs[0].train_loss, two.epochs[0].train_loss);
  EXPECT_EQ(one.epochs[0].test_accuracy, two.epochs[0].test_accuracy);
  EXPECT_GT(one.epochs[0].test_accuracy, 0.3);  // chance is 0.1
  EXPECT_EQ(one.parameters, 784 * 32 + 32 + 32 * 10 + 10 + 32 * 32 + 32 + 10);
}

TEST(training, inconsistent_settings_are_refused) {
  const auto data = io::read_fashion_mnist(io::dataset_split::test).first(10);
  auto c = small_config(1);
  c.model.sizes = {100, 10};
  EXPECT_THROW(train_classifier(c, data, data), std::invalid_argument);
  c = small_config(1);
  c.micro_batch = 0;
  EXPECT_THROW(train_classifier(c, data, data), std::invalid_argument);
}

// The progress line carries the epoch, the share of the run done, loss, accuracy, throughput and
// the time left, from the numbers it is given.
TEST(training, progress_line_shows_loss_accuracy_throughput_and_time_left) {
  training_progress p;
  p.epoch = 2, p.epochs = 8, p.samples_done = 410, p.samples_total = 1000;
  p.loss = 0.4123, p.accuracy = 0.8512, p.samples_per_second = 3210.4, p.seconds_left = 130.2;
  EXPECT_EQ(progress_line(p), "epoch 2/8  41% | loss 0.412  acc 85.1% | 3210 samples/s | 2m 10s left");
}
