#pragma once
// Continual learning over a sequence of tasks: one model trained on each task in turn, tested on
// every task after each, giving the accuracy matrix R (R[i][j]: accuracy on task j after training
// task i) and the two numbers the literature reads from it (Lopez-Paz & Ranzato 2017):
//   ACC = (1/T) sum_j R[T-1][j],   BWT = (1/(T-1)) sum_{j<T-1} (R[T-1][j] - R[j][j]).
// Permuted tasks: the pixels of every image shuffled by one fixed permutation per task.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/fashion_mnist.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

struct accuracy_matrix {
  std::vector<std::vector<double>> r;  // r[i][j], in [0, 1]
  double acc() const;
  double bwt() const;  // 0 for a single task
  // "after_task,task_0,...,task_{T-1}" then one line per row.
  std::string csv() const;
};

struct continual_task {
  const labelled_dataset* train = nullptr;
  const labelled_dataset* test = nullptr;
};

// What a method adds to plain fine-tuning, per task: hooks inside train_classifier, and work
// before and after the task's training (HLOP: new lateral neurons, then freezing them).
struct continual_method {
  std::function<void(std::size_t task)> before_task{};
  std::function<training_hooks(std::size_t task, const labelled_dataset& train)> hooks{};
  std::function<void(std::size_t task)> after_task{};
};

// Trains `model` on each task in turn with `options` (the sample order of task t drawn from
// options.seed + t), then tests it on every task.
accuracy_matrix train_sequentially(classifier_model& model, const std::vector<continual_task>& tasks,
                                   const training_options& options, const continual_method& method = {});
// One row: the accuracy of `model` on each task's test set.
std::vector<double> task_accuracies(const classifier_model& model, const std::vector<continual_task>& tasks,
                                    const training_options& options);

// A permutation of [0, n) drawn from the Philox stream of (seed, task).
std::vector<std::uint32_t> pixel_permutation(std::uint32_t n, std::uint64_t seed, std::uint32_t task);
// Each image's pixels reordered: out pixel i = in pixel permutation[i].
io::labelled_images permute_pixels(const io::labelled_images& images, const std::vector<std::uint32_t>& permutation);
// All images of `parts`, one after the other (same image size).
io::labelled_images concatenate(const std::vector<io::labelled_images>& parts);

}  // namespace neurite::learn
