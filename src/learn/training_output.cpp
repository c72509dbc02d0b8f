#include "learn/training_output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace neurite::learn {

std::string progress_line(const training_progress& p) {
  const auto left = static_cast<long>(std::lround(p.seconds_left));
  return fmt::format("epoch {}/{} {:3.0f}% | loss {:.3f}  acc {:.1f}% | {:.0f} samples/s | {}m {:02d}s left", p.epoch,
                     p.epochs, 100 * p.samples_done / std::max(p.samples_total, 1.0), p.loss, 100 * p.accuracy,
                     p.samples_per_second, left / 60, left % 60);
}

void print_progress(const training_progress& p) {
  const bool epoch_done = p.samples_done == p.epoch * (p.samples_total / p.epochs);
  if (isatty(fileno(stderr)))
    fmt::print(stderr, "\r{}{}", progress_line(p), epoch_done && p.epoch == p.epochs ? "\n" : "");
  else if (epoch_done)
    fmt::print(stderr, "{}\n", progress_line(p));
}

std::string learning_curve_csv(const training_report& report) {
  std::string csv = "epoch,train_loss,train_accuracy,test_accuracy,seconds,samples_per_second\n";
  for (const auto& e : report.epochs)
    csv += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.3f},{:.1f}\n", e.epoch, e.train_loss, e.train_accuracy, e.test_accuracy,
                       e.seconds, e.samples_per_second);
  return csv;
}

nlohmann::json metrics_json(const training_report& report) {
  nlohmann::json j{{"parameters", report.parameters}, {"seconds", report.seconds}, {"epochs", nlohmann::json::array()}};
  for (const auto& e : report.epochs)
    j["epochs"].push_back({{"epoch", e.epoch},
                           {"train_loss", e.train_loss},
                           {"train_accuracy", e.train_accuracy},
                           {"test_accuracy", e.test_accuracy},
                           {"seconds", e.seconds},
                           {"samples_per_second", e.samples_per_second}});
  if (!report.epochs.empty()) {
    j["test_accuracy"] = report.epochs.back().test_accuracy;
    j["samples_per_second"] = report.epochs.back().samples_per_second;
  }
  return j;
}

}  // namespace neurite::learn
