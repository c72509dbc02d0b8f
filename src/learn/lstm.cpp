#include "learn/lstm.hpp"

#include <cmath>

#include <torch/torch.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {

struct lstm_classifier::modules {
  torch::nn::LSTM lstm;
  torch::nn::Linear readout;
};

lstm_classifier::lstm_classifier(std::int64_t inputs, std::int64_t hidden, std::int64_t classes, std::uint64_t seed,
                                 bool every_step)
    : modules_(std::make_unique<modules>(modules{torch::nn::LSTM(torch::nn::LSTMOptions(inputs, hidden)),
                                                 torch::nn::Linear(hidden, classes)})),
      every_step_(every_step) {
  parameters_ = modules_->lstm->parameters();
  for (const auto& p : modules_->readout->parameters()) parameters_.push_back(p);
  const torch::NoGradGuard no_grad;
  const double bound = 1 / std::sqrt(static_cast<double>(hidden));
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), static_cast<std::uint32_t>(i + 1));
    parameters_[i].copy_(uniform_parameter(parameters_[i].sizes().vec(), bound, stream, at::kDouble));
  }
}

lstm_classifier::~lstm_classifier() = default;

at::Tensor lstm_classifier::forward(const at::Tensor& inputs) const {
  const auto [outputs, state] = modules_->lstm->forward(inputs);
  if (every_step_) return modules_->readout->forward(outputs).permute({1, 0, 2});
  return modules_->readout->forward(outputs[-1]);
}

std::int64_t lstm_classifier::parameter_count_for(std::int64_t inputs, std::int64_t hidden, std::int64_t classes) {
  return 4 * hidden * (inputs + hidden) + 8 * hidden + classes * (hidden + 1);
}

}  // namespace neurite::learn
