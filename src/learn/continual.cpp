#include "learn/continual.hpp"

#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

// No test set: the tasks are tested after training, all of them at once.
class no_samples final : public labelled_dataset {
 public:
  explicit no_samples(std::uint32_t classes) : classes_(classes) {}
  std::uint32_t count() const override { return 0; }
  std::uint32_t classes() const override { return classes_; }
  labelled_batch batch(std::span<const std::uint32_t>, std::uint32_t, std::uint64_t) const override { return {}; }

 private:
  std::uint32_t classes_;
};

}  // namespace

double accuracy_matrix::acc() const {
  if (r.empty()) throw std::invalid_argument("accuracy_matrix: no tasks");
  const auto& last = r.back();
  return std::accumulate(last.begin(), last.end(), 0.0) / static_cast<double>(last.size());
}

double accuracy_matrix::bwt() const {
  if (r.size() < 2) return 0;
  double sum = 0;
  for (std::size_t j = 0; j + 1 < r.size(); ++j) sum += r.back().at(j) - r[j].at(j);
  return sum / static_cast<double>(r.size() - 1);
}

std::string accuracy_matrix::csv() const {
  std::string out = "after_task";
  const std::size_t tasks = r.empty() ? 0 : r.front().size();
  for (std::size_t j = 0; j < tasks; ++j) out += fmt::format(",task_{}", j);
  out += "\n";
  for (std::size_t i = 0; i < r.size(); ++i) {
    out += std::to_string(i);
    for (const double a : r[i]) out += fmt::format(",{:.6f}", a);
    out += "\n";
  }
  return out;
}

std::vector<double> task_accuracies(const classifier_model& model, const std::vector<continual_task>& tasks,
                                    const training_options& options) {
  std::vector<double> row;
  for (const auto& t : tasks) row.push_back(classification_accuracy(model, *t.test, options.micro_batch, options.threads));
  return row;
}

accuracy_matrix train_sequentially(classifier_model& model, const std::vector<continual_task>& tasks,
                                   const training_options& options, const continual_method& method) {
  accuracy_matrix m;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    if (!tasks[t].train || !tasks[t].test) throw std::invalid_argument(fmt::format("continual learning: task {} has no data", t));
    if (method.before_task) method.before_task(t);
    training_options o = options;
    o.seed = options.seed + t;
    const training_hooks hooks = method.hooks ? method.hooks(t, *tasks[t].train) : training_hooks{};
    train_classifier(model, *tasks[t].train, no_samples(tasks[t].train->classes()), o, hooks);
    if (method.after_task) method.after_task(t);
    m.r.push_back(task_accuracies(model, tasks, options));
  }
  return m;
}

std::vector<std::uint32_t> pixel_permutation(std::uint32_t n, std::uint64_t seed, std::uint32_t task) {
  std::vector<std::uint32_t> p(n);
  std::iota(p.begin(), p.end(), 0u);
  core::random_stream stream(seed, core::stream_purpose(core::purpose::learn_tasks, 3), task);
  for (std::uint32_t i = n; i > 1; --i) std::swap(p[i - 1], p[stream.below(i)]);
  return p;
}

io::labelled_images permute_pixels(const io::labelled_images& images, const std::vector<std::uint32_t>& permutation) {
  const std::uint32_t n = images.pixels_per_image();
  if (permutation.size() != n) throw std::invalid_argument("permute_pixels: the permutation does not fit the images");
  io::labelled_images out = images;
  for (std::size_t k = 0; k < images.count; ++k)
    for (std::uint32_t i = 0; i < n; ++i) out.pixels[k * n + i] = images.pixels[k * n + permutation[i]];
  return out;
}

io::labelled_images concatenate(const std::vector<io::labelled_images>& parts) {
  if (parts.empty()) throw std::invalid_argument("concatenate: no images");
  io::labelled_images out{0, parts.front().rows, parts.front().cols, {}, {}};
  for (const auto& p : parts) {
    if (p.rows != out.rows || p.cols != out.cols) throw std::invalid_argument("concatenate: images of different sizes");
    out.count += p.count;
    out.pixels.insert(out.pixels.end(), p.pixels.begin(), p.pixels.end());
    out.labels.insert(out.labels.end(), p.labels.begin(), p.labels.end());
  }
  return out;
}

}  // namespace neurite::learn
