#pragma once
// A dataset with a target at every time step (regression of a neuron's output, not one class per
// sample): the per-step counterpart of labelled_dataset in learn/classifier.hpp, with the same
// contract for batch(). The first burn_in() steps carry targets too, but a loss or a score should
// skip them: the model's state is still settling there (the neuron-IO task's ELM protocol).
#include <cstdint>
#include <span>

#include <ATen/core/Tensor.h>

namespace neurite::learn {

struct sequence_batch {
  at::Tensor inputs;   // (T, batch, features) float, time-major
  at::Tensor spikes;   // (T, batch) float: 1 where the output spiked in the step, else 0
  at::Tensor voltage;  // (T, batch) float [mV]: the output's membrane potential at the end of the step
};

class sequence_dataset {
 public:
  virtual ~sequence_dataset() = default;
  virtual std::uint32_t count() const = 0;
  virtual std::uint32_t features() const = 0;
  virtual std::uint32_t steps() const = 0;
  virtual std::uint32_t burn_in() const = 0;  // leading steps that losses and scores skip
  // The given samples in this order; as labelled_dataset::batch (stream 0 training, 1 evaluation;
  // a sample is the same in any batch and on any thread). Called from several threads at once.
  virtual sequence_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                               std::uint64_t epoch) const = 0;
};

}  // namespace neurite::learn
