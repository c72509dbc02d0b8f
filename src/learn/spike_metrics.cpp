#include "learn/spike_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace neurite::learn {

double roc_auc(std::span<const float> scores, std::span<const float> targets) {
  if (scores.size() != targets.size())
    throw std::invalid_argument("roc_auc: " + std::to_string(scores.size()) + " scores for " +
                                std::to_string(targets.size()) + " targets");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  double positive_rank_sum = 0, positives = 0;
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first;
    while (last < order.size() && scores[order[last]] == scores[order[first]]) ++last;
    const double rank = 0.5 * static_cast<double>(first + 1 + last);  // mean of first+1 .. last
    for (std::size_t k = first; k < last; ++k)
      if (targets[order[k]] > 0.5f) positive_rank_sum += rank, positives += 1;
    first = last;
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0)
    throw std::invalid_argument("roc_auc: expected both spike and silent steps, found " +
                                std::to_string(static_cast<long>(positives)) + " spikes in " +
                                std::to_string(scores.size()) + " steps");
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double rmse(std::span<const float> predicted, std::span<const float> target) {
  if (predicted.size() != target.size() || predicted.empty())
    throw std::invalid_argument("rmse: expected two equal, non-empty sizes, found " +
                                std::to_string(predicted.size()) + " and " + std::to_string(target.size()));
  double sum = 0;
  for (std::size_t k = 0; k < predicted.size(); ++k) {
    const double e = static_cast<double>(predicted[k]) - target[k];
    sum += e * e;
  }
  return std::sqrt(sum / static_cast<double>(predicted.size()));
}

}  // namespace neurite::learn
