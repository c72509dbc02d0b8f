#include "learn/dynamic_confidence.hpp"

#include <algorithm>
#include <stdexcept>

#include <ATen/ATen.h>

namespace neurite::learn {
namespace {

double mean_of(const at::Tensor& t) { return t.to(at::kDouble).mean().item<double>(); }

// The prediction (batch) at each sample's exit step (batch, 1 .. T).
at::Tensor prediction_at(const at::Tensor& outputs, const at::Tensor& exit_step) {
  const at::Tensor at_exit = outputs.gather(0, (exit_step - 1).view({1, -1, 1}).expand({1, -1, outputs.size(2)}));
  return at_exit.squeeze(0).argmax(1);
}

// The first step (1-based) at which `hit` (T, batch) is true, T where it never is.
at::Tensor first_step(const at::Tensor& hit) {
  const auto steps = hit.size(0);
  const at::Tensor index = at::where(hit, at::arange(steps).unsqueeze(1), at::full({}, steps - 1, at::kLong));
  return std::get<0>(index.min(0)) + 1;
}

}  // namespace

at::Tensor confidence(const at::Tensor& accumulated_output, double scale) {
  return std::get<0>((accumulated_output.to(at::kDouble) / scale).softmax(-1).max(-1));
}

exit_rule confidence_exit(double threshold, double scale) {
  return [threshold, scale](const at::Tensor& accumulated) { return confidence(accumulated, scale).gt(threshold); };
}

std::vector<double> fixed_step_accuracy(const at::Tensor& outputs, const at::Tensor& labels) {
  const at::Tensor correct = outputs.argmax(2).eq(labels.unsqueeze(0)).to(at::kDouble).mean(1);
  return {correct.data_ptr<double>(), correct.data_ptr<double>() + correct.numel()};
}

operating_point confidence_exit_point(const at::Tensor& outputs, const at::Tensor& labels, double threshold,
                                      double scale) {
  const at::Tensor exit_step = first_step(confidence(outputs, scale).gt(threshold));
  return {threshold, mean_of(exit_step), mean_of(prediction_at(outputs, exit_step).eq(labels))};
}

operating_point oracle_exit_point(const at::Tensor& outputs, const at::Tensor& labels) {
  const at::Tensor correct = outputs.argmax(2).eq(labels.unsqueeze(0));
  return {0, mean_of(first_step(correct)), mean_of(correct.any(0))};
}

std::vector<double> threshold_grid(double first, double last, std::uint32_t count) {
  if (count < 2 || !(first < last)) throw std::invalid_argument("threshold_grid: needs count >= 2 and first < last");
  std::vector<double> grid(count);
  for (std::uint32_t i = 0; i + 1 < count; ++i) grid[i] = first + (last - first) * i / (count - 1);
  grid.back() = last;  // exactly
  return grid;
}

std::vector<operating_point> pareto_front(std::vector<operating_point> points) {
  std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    return a.latency != b.latency ? a.latency < b.latency : a.accuracy > b.accuracy;
  });
  std::vector<operating_point> front;
  for (const auto& p : points)
    if (front.empty() || p.accuracy > front.back().accuracy) front.push_back(p);
  return front;
}

operating_point choose_operating_point(const std::vector<operating_point>& front, double reference_accuracy,
                                       double tolerance) {
  if (front.empty()) throw std::invalid_argument("choose_operating_point: no points");
  for (const auto& p : front)
    if (p.accuracy >= reference_accuracy - tolerance) return p;
  return front.back();
}

}  // namespace neurite::learn
