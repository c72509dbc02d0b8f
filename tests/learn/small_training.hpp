#pragma once
// A training run small enough for a unit test: 784-32-10 LIF, T = 6, 2 epochs, batches of 50 cut
// into micro-batches of 10.
#include "learn/training.hpp"

namespace neurite::learn {

inline training_config small_training_config(int threads) {
  training_config c;
  c.model.sizes = {784, 32, 10};
  c.input.steps = 6;
  c.epochs = 2;
  c.batch_size = 50;
  c.micro_batch = 10;
  c.threads = threads;
  return c;
}

}  // namespace neurite::learn
