#pragma once
// The LSTM baseline of the ELM experiments: one torch::nn::LSTM layer over time-major input
// (T, batch, inputs) and a linear readout of its last hidden state to the classes, or of its
// hidden state at every step (every_step: outputs (batch, T, classes), for language models).
#include <cstdint>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

class lstm_classifier final : public classifier_model {
 public:
  // Every weight and bias uniform in +-1/sqrt(hidden) (PyTorch's default), drawn from the Philox
  // stream of the seed rather than LibTorch's global generator.
  lstm_classifier(std::int64_t inputs, std::int64_t hidden, std::int64_t classes, std::uint64_t seed,
                  bool every_step = false);
  ~lstm_classifier() override;

  at::Tensor forward(const at::Tensor& inputs) const override;  // (batch, classes)
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }

  // 4 h (inputs + h) + 8 h (LibTorch keeps two bias vectors) + classes (h + 1).
  static std::int64_t parameter_count_for(std::int64_t inputs, std::int64_t hidden, std::int64_t classes);

 private:
  struct modules;
  std::unique_ptr<modules> modules_;
  std::vector<at::Tensor> parameters_;
  bool every_step_ = false;
};

}  // namespace neurite::learn
