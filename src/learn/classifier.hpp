#pragma once
// What train_classifier trains and on what: a model that maps a batch of inputs to class scores,
// and a labelled dataset that produces those inputs. Models (LIF networks, ELM, converted ANNs)
// and datasets (encoded images, sequences, generated tasks) meet only here.
#include <cstdint>
#include <span>
#include <vector>

#include <ATen/core/Tensor.h>

namespace neurite::learn {

class classifier_model {
 public:
  virtual ~classifier_model() = default;
  // A batch as its dataset produces it -> class scores (batch, classes). Must be safe to call from
  // several threads at once (the workers of training_threads each run a micro-batch).
  virtual at::Tensor forward(const at::Tensor& inputs) const = 0;
  // The trained tensors; they require gradients.
  virtual const std::vector<at::Tensor>& parameters() const = 0;
  std::int64_t parameter_count() const;
};

struct labelled_batch {
  at::Tensor inputs;  // whatever layout the model takes (time-major (T, batch, ...) for spiking models)
  at::Tensor labels;  // (batch), int64 class ids
};

class labelled_dataset {
 public:
  virtual ~labelled_dataset() = default;
  virtual std::uint32_t count() const = 0;
  virtual std::uint32_t classes() const = 0;
  // The given samples in this order. Random encodings are a pure function of (stream, epoch,
  // sample): stream 0 is used in training, 1 in evaluation, so a sample encodes the same in any
  // batch and on any thread. Called from several threads at once.
  virtual labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                               std::uint64_t epoch) const = 0;
};

}  // namespace neurite::learn
