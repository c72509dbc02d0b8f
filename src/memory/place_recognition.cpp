#include "memory/place_recognition.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace neurite::memory {

std::vector<float> patch_normalise(const std::vector<float>& image, int rows, int cols, int patch) {
  if (rows <= 0 || cols <= 0 || image.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols))
    throw std::invalid_argument("patch_normalise: image size differs from rows x cols");
  if (patch < 1 || patch % 2 == 0) throw std::invalid_argument("patch_normalise: patch must be odd and >= 1");
  const int h = patch / 2;
  const auto at = [&](int y, int x) { return static_cast<double>(image[static_cast<std::size_t>(y * cols + x)]); };
  std::vector<float> out(image.size());
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      double sum = 0, lo = at(y, x), hi = lo;
      int n = 0;
      for (int v = std::max(0, y - h); v <= std::min(rows - 1, y + h); ++v)
        for (int u = std::max(0, x - h); u <= std::min(cols - 1, x + h); ++u)
          sum += at(v, u), ++n, lo = std::min(lo, at(v, u)), hi = std::max(hi, at(v, u));
      const double mu = sum / n;
      double var = 0;
      for (int v = std::max(0, y - h); v <= std::min(rows - 1, y + h); ++v)
        for (int u = std::max(0, x - h); u <= std::min(cols - 1, x + h); ++u) var += (at(v, u) - mu) * (at(v, u) - mu);
      // A flat window is 0/0 in the code (NaN, set to 0); testing lo == hi instead of sd == 0
      // keeps rounding in mu from turning it into +-1.
      const double z = hi == lo ? 0.0 : std::clamp((at(y, x) - mu) / std::sqrt(var / n), -1.0, 1.0);
      out[static_cast<std::size_t>(y * cols + x)] = static_cast<float>(std::floor(255.0 * (1.0 + z) / 2.0) / 255.0);
    }
  return out;
}

std::vector<int> assign_neurons(const responses& reference, const std::vector<int>& places, int n_places) {
  if (reference.size() != places.size()) throw std::invalid_argument("assign_neurons: one place per image");
  const std::size_t n = reference.empty() ? 0 : reference.front().size();
  std::vector<std::vector<double>> sum(static_cast<std::size_t>(n_places), std::vector<double>(n, 0.0));
  std::vector<double> images(static_cast<std::size_t>(n_places), 0.0);
  for (std::size_t k = 0; k < reference.size(); ++k) {
    const auto p = static_cast<std::size_t>(places[k]);
    images.at(p) += 1;
    for (std::size_t j = 0; j < n; ++j) sum[p][j] += reference[k][j];
  }
  std::vector<int> out(n, -1);
  for (std::size_t j = 0; j < n; ++j) {
    double best = 0;  // a neuron silent for every place stays unassigned; ties: the lowest place
    for (std::size_t p = 0; p < sum.size(); ++p) {
      const double mean = images[p] > 0 ? sum[p][j] / images[p] : 0.0;
      if (mean > best) best = mean, out[j] = static_cast<int>(p);
    }
  }
  return out;
}

std::vector<bool> hyperactive_neurons(const responses& reference, int thr) {
  const std::size_t n = reference.empty() ? 0 : reference.front().size();
  std::vector<bool> out(n, false);
  if (thr <= 0) return out;
  for (std::size_t j = 0; j < n; ++j) {
    int images = 0;
    for (const auto& r : reference) images += r[j] > 0 ? 1 : 0;
    out[j] = images >= thr;
  }
  return out;
}

std::vector<std::vector<double>> module_scores(const responses& queries, const std::vector<int>& assignment,
                                               const std::vector<bool>& removed, int n_places) {
  std::vector<double> members(static_cast<std::size_t>(n_places), 0.0);
  for (std::size_t j = 0; j < assignment.size(); ++j)
    if (assignment[j] >= 0) members[static_cast<std::size_t>(assignment[j])] += 1;
  std::vector<std::vector<double>> out;
  out.reserve(queries.size());
  for (const auto& q : queries) {
    auto& s = out.emplace_back(static_cast<std::size_t>(n_places), 0.0);
    for (std::size_t j = 0; j < assignment.size(); ++j)
      if (assignment[j] >= 0 && !removed[j]) s[static_cast<std::size_t>(assignment[j])] += q[j];
    for (std::size_t p = 0; p < s.size(); ++p) s[p] = members[p] > 0 ? s[p] / members[p] : 0.0;
  }
  return out;
}

std::vector<place_answer> modular_answers(const std::vector<std::vector<std::vector<double>>>& scores) {
  if (scores.empty()) return {};
  std::vector<place_answer> out(scores.front().size(), {-1, -1.0});
  int offset = 0;
  for (const auto& module : scores) {
    if (module.size() != out.size()) throw std::invalid_argument("modular_answers: modules answer different queries");
    for (std::size_t q = 0; q < module.size(); ++q)
      for (std::size_t p = 0; p < module[q].size(); ++p)
        if (module[q][p] > out[q].confidence) out[q] = {offset + static_cast<int>(p), module[q][p]};
    offset += static_cast<int>(module.front().size());
  }
  return out;
}

double recall_at_1(const std::vector<place_answer>& answers, const std::vector<int>& truth) {
  if (answers.size() != truth.size() || answers.empty()) throw std::invalid_argument("recall_at_1: sizes differ");
  std::size_t correct = 0;
  for (std::size_t q = 0; q < answers.size(); ++q) correct += answers[q].place == truth[q] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(answers.size());
}

std::vector<pr_point> precision_recall(const std::vector<place_answer>& answers, const std::vector<int>& truth) {
  if (answers.size() != truth.size()) throw std::invalid_argument("precision_recall: sizes differ");
  std::vector<std::size_t> order(answers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return answers[a].confidence > answers[b].confidence; });
  std::vector<pr_point> out;
  std::size_t accepted = 0, correct = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    ++accepted;
    correct += answers[order[k]].place == truth[order[k]] ? 1 : 0;
    const bool last_of_tie = k + 1 == order.size() || answers[order[k + 1]].confidence < answers[order[k]].confidence;
    if (last_of_tie)
      out.push_back({answers[order[k]].confidence, static_cast<double>(correct) / static_cast<double>(accepted),
                     static_cast<double>(correct) / static_cast<double>(answers.size())});
  }
  return out;
}

std::vector<int> hyperactive_grid() {
  std::vector<int> g{0, 5, 10, 20};
  for (int t = 40; t <= 200; t += 20) g.push_back(t);
  return g;
}

}  // namespace neurite::memory
