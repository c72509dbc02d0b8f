#include "learn/ewc.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <torch/torch.h>

namespace neurite::learn {

ewc::ewc(const classifier_model& model, double lambda) : model_(model), lambda_(lambda) {
  if (!(lambda >= 0)) throw std::invalid_argument("ewc: lambda must be non-negative");
}

void ewc::end_task(const labelled_dataset& train, std::uint32_t batch) {
  if (batch == 0 || train.count() == 0) throw std::invalid_argument("ewc: no samples or an empty batch");
  const auto& parameters = model_.parameters();
  std::vector<at::Tensor> f;
  for (const auto& p : parameters) f.push_back(torch::zeros_like(p.detach()));
  std::vector<std::uint32_t> all(train.count());
  std::iota(all.begin(), all.end(), 0u);
  for (std::size_t first = 0; first < all.size(); first += batch) {
    const auto samples = std::span(all).subspan(first, std::min<std::size_t>(batch, all.size() - first));
    const auto in = train.batch(samples, 0, 1);
    const at::Tensor loss = torch::nn::functional::cross_entropy(model_.forward(in.inputs), in.labels);
    const auto g = torch::autograd::grad({loss}, parameters, {}, false, false, true);
    for (std::size_t i = 0; i < f.size(); ++i)
      if (g[i].defined()) f[i] += static_cast<double>(samples.size()) * g[i].square();
  }
  const double earlier = tasks_++;
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i] /= static_cast<double>(all.size());
    if (fisher_.size() == f.size()) f[i] = (earlier * fisher_[i] + f[i]) / (earlier + 1);
  }
  fisher_ = std::move(f);
  anchor_.clear();
  for (const auto& p : parameters) anchor_.push_back(p.detach().clone());
}

void ewc::penalise(std::vector<at::Tensor>& gradients) const {
  for (std::size_t i = 0; i < fisher_.size(); ++i)
    gradients.at(i) = gradients[i] + lambda_ * fisher_[i] * (model_.parameters()[i].detach() - anchor_[i]);
}

training_hooks ewc::hooks() {
  training_hooks h;
  h.gradients = [this](std::vector<at::Tensor>& g) { penalise(g); };
  return h;
}

}  // namespace neurite::learn
