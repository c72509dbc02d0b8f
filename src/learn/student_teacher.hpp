#pragma once
// Our version of the paper's two-layer linear student-teacher (Liu et al., Fig. 3 and Proposition
// 1: an initialisation of low rank that is aligned with the task and the data is lazy, not rich).
// The paper's own statement could not be read (FINDINGS_2026-12.md #8 gives only its ingredients:
// z = F x, F's top half of singular values kappa and the bottom half 1, beta = w^T F); this is a
// construction from those ingredients:
//   inputs x ~ N(0, I_d); teacher y = beta^T x, beta = F^T w*, F = U diag(s) V^T with s = kappa on
//   the first `rank` directions and 1 on the rest (U, V random orthogonal, w* a random unit vector);
//   student y_hat = a^T W x (W: d x d, a: d: hidden = inputs), W and a trained together by full-batch
//   gradient descent on (1/2) mean (y_hat - y)^2 over `samples` fixed inputs.
// Initialisations of W, all rescaled to the Frobenius norm of W_G = gain randn / sqrt(d):
//   random_low_rank: W_G truncated to `rank`; aligned_low_rank: F truncated to `rank` (U_r kappa
//   V_r^T: the input directions that carry most of the teacher); full_rank: W_G. a0 is
//   Kaiming-uniform (+-1/sqrt(hidden)) and the same for all three.
// The measures, as for the RNN: ||W_end - W_0||_F and the alignment between the initial and final
// tangent kernels w.r.t. (W, a) on `probes` inputs, K = ||a||^2 P P^T + P W^T W P^T.
#include <cstdint>
#include <string_view>

namespace neurite::learn {

struct student_teacher_config {
  std::int64_t inputs = 100, hidden = 100, rank = 50, samples = 400, probes = 32;
  double kappa = 5, gain = 1, learning_rate = 0.02;
  std::uint32_t steps = 3000;
};

enum class student_init { random_low_rank, aligned_low_rank, full_rank };
std::string_view student_init_name(student_init init);  // "random low rank", ...

struct student_result {
  double weight_change = 0, kernel_alignment = 0;
  double initial_loss = 0, final_loss = 0;
};

student_result train_student(const student_teacher_config& c, student_init init, std::uint64_t seed);

}  // namespace neurite::learn
