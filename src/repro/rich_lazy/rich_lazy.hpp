#pragma once
// `neurite repro rich-lazy`: how the rank of the initial recurrent weights shapes rich and lazy
// learning (Liu et al., ICLR 2024, paper 8). A CTRNN (learn/ctrnn.hpp) is trained by BPTT with
// SGD + momentum from rank-r truncations of one Gaussian W0 (same Frobenius norm for every r), on
// generated NeuroGym-like tasks (learn/cognitive_tasks.hpp) and on sequential Fashion-MNIST (rows
// as steps, loss at the last step). Measures between initialisation and the end of training:
// ||dW_rec||_F, tangent-kernel alignment w.r.t. W_rec, representation alignment (uncentred Gram at
// the decision step) and sign similarity of the rates. The paper has no numeric table: the rows are
// its ordering claims (higher rank: smaller change, higher alignments), and the aligned low-rank
// counterexample on our version of its two-layer linear student-teacher (learn/student_teacher.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "learn/cognitive_tasks.hpp"
#include "learn/student_teacher.hpp"
#include "repro/repro.hpp"

namespace neurite::repro {

struct rich_lazy_size {
  std::int64_t hidden = 100;
  std::vector<std::int64_t> ranks;
  std::vector<learn::cognitive_task> tasks;
  std::uint32_t iterations = 0, batch = 32, micro_batch = 16, seeds = 1;
  std::uint32_t probe_trials = 320, kernel_trials = 32;  // the repo's 10 batches; the kernel on the first 32
  // Sequential Fashion-MNIST (skipped when fmnist_ranks is empty).
  std::vector<std::int64_t> fmnist_ranks;
  std::uint32_t fmnist_iterations = 0, fmnist_batch = 200, fmnist_micro_batch = 50, fmnist_probes = 200;
  double learning_rate = 0.003, momentum = 0.9, gain = 1.25;
  bool student = true;
  learn::student_teacher_config student_config;
};

rich_lazy_size rich_lazy_default_size(bool full);

// One trained network's measures: one task, seed and rank.
struct rich_lazy_measures {
  std::string task;
  std::uint64_t seed = 0;
  std::int64_t rank = 0;
  double effective_rank = 0, weight_change = 0, kernel_alignment = 0, representation_alignment = 0;
  double sign_similarity = 0, initial_loss = 0, final_loss = 0, accuracy = 0, seconds = 0;
};

// Strictly falling (rises = false) or rising along the given order.
bool monotone(const std::vector<double>& values, bool rises);

std::vector<row> run_rich_lazy(const options& o, const rich_lazy_size& size);

}  // namespace neurite::repro
