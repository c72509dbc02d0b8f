#pragma once
// What a training run shows and leaves behind: a progress line, the learning curve (CSV) and the
// metrics (JSON).
#include <string>

#include <nlohmann/json.hpp>

#include "learn/training.hpp"

namespace neurite::learn {

// "epoch 2/8  41% | loss 0.412  acc 85.1% | 3210 samples/s | 2m 10s left"
std::string progress_line(const training_progress& p);
// The progress line on standard error: redrawn after every batch on a terminal, one line per
// epoch otherwise (a log file).
void print_progress(const training_progress& p);

// epoch,train_loss,train_accuracy,test_accuracy,seconds,samples_per_second: one line per epoch.
std::string learning_curve_csv(const training_report& report);
// {"parameters", "seconds", "test_accuracy" (last epoch), "samples_per_second" (last epoch),
//  "epochs": [{"epoch", "train_loss", "train_accuracy", "test_accuracy", "seconds", "samples_per_second"}]}
nlohmann::json metrics_json(const training_report& report);

}  // namespace neurite::learn
