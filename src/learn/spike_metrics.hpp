#pragma once
// Scores of a per-step prediction of a neuron's output (the neuron-IO task): the ROC AUC of a
// predicted spike probability against the binary spike target, and the RMSE of a predicted
// voltage. Plain spans, so they serve any model; pass only the steps after the burn-in.
#include <span>

namespace neurite::learn {

// Area under the ROC curve: the probability that a random spike step scores higher than a random
// silent step, ties counting one half (the Mann-Whitney U statistic over positives x negatives,
// from average ranks). Throws std::invalid_argument when the sizes differ or either class is absent.
double roc_auc(std::span<const float> scores, std::span<const float> targets);

// sqrt(mean (predicted - target)^2); throws std::invalid_argument for different or zero sizes.
double rmse(std::span<const float> predicted, std::span<const float> target);

}  // namespace neurite::learn
