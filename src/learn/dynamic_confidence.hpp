#pragma once
// Dynamic Confidence (Li, Jones & Furber, ICCV 2023): a converted SNN stops a sample at the first
// step t at which its confidence c_t = max softmax(O_t / scale) exceeds a threshold theta, O_t being
// the accumulated output (ann_to_snn) and scale the demo's 30; otherwise it runs to T. theta is
// chosen on validation data from the accuracy-latency Pareto front. Everything here works on the
// O_t of a full run, (T, batch, classes): a sample's dynamics do not depend on when the others
// stop, so the exit of any theta can be read from one run without exits; the run with exits
// (confidence_exit) gives the same predictions and steps and also the operations saved.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/ann_to_snn.hpp"

namespace neurite::learn {

// c_t = max softmax(O_t / scale) over the last axis, in double.
at::Tensor confidence(const at::Tensor& accumulated_output, double scale);
// Stops a sample when c_t > threshold.
exit_rule confidence_exit(double threshold, double scale);

struct operating_point {
  double threshold = 0;  // theta (the oracle and fixed T have none: 0)
  double latency = 0;    // mean steps simulated
  double accuracy = 0;
};

// Accuracy of the prediction argmax O_t at every t = 1 .. T.
std::vector<double> fixed_step_accuracy(const at::Tensor& outputs, const at::Tensor& labels);
// Exit at the first t with c_t > threshold, else at T; the prediction is argmax O at the exit.
operating_point confidence_exit_point(const at::Tensor& outputs, const at::Tensor& labels, double threshold,
                                      double scale);
// The "potential": exit at the first step whose prediction is correct (never-correct samples run to
// T), so the accuracy is the fraction ever correct.
operating_point oracle_exit_point(const at::Tensor& outputs, const at::Tensor& labels);

// count thresholds evenly spaced from first to last, both included.
std::vector<double> threshold_grid(double first, double last, std::uint32_t count);
// The points no other point beats in both latency (lower) and accuracy (higher), by latency.
std::vector<operating_point> pareto_front(std::vector<operating_point> points);
// The rule for theta: the lowest-latency point of the front whose accuracy is at least
// reference_accuracy - tolerance; the front's most accurate point when none is.
operating_point choose_operating_point(const std::vector<operating_point>& front, double reference_accuracy,
                                       double tolerance);

}  // namespace neurite::learn
