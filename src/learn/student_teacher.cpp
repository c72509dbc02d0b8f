#include "learn/student_teacher.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>

#include "learn/ctrnn.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

// The Philox layers of learn_weights that the construction draws from.
enum layer : std::uint32_t { student_w = 10, student_a, teacher_u, teacher_v, teacher_w, inputs_x, probes_x };

at::Tensor orthogonal(std::int64_t n, std::uint64_t seed, std::uint32_t l) {
  return std::get<0>(at::linalg_qr(gaussian_matrix(n, n, 1, seed, l)));
}

// The tangent kernel of y_hat = a^T W x w.r.t. (W, a) on the rows of p.
at::Tensor student_kernel(const at::Tensor& w, const at::Tensor& a, const at::Tensor& p) {
  const at::Tensor hidden = p.matmul(w.t());
  return a.dot(a) * p.matmul(p.t()) + hidden.matmul(hidden.t());
}

}  // namespace

std::string_view student_init_name(student_init init) {
  switch (init) {
    case student_init::random_low_rank: return "random low rank";
    case student_init::aligned_low_rank: return "aligned low rank";
    case student_init::full_rank: return "full rank";
  }
  return "?";
}

student_result train_student(const student_teacher_config& c, student_init init, std::uint64_t seed) {
  if (c.inputs < 1 || c.hidden != c.inputs || c.samples < 1 || c.probes < 1 || c.steps == 0 || c.rank < 1 ||
      c.rank > c.inputs)
    throw std::invalid_argument("train_student: sizes must be positive, hidden = inputs and rank in 1..inputs");
  const std::int64_t d = c.inputs;
  at::Tensor s = at::ones({d}, at::kDouble);
  s.narrow(0, 0, c.rank).fill_(c.kappa);
  const at::Tensor u = orthogonal(d, seed, teacher_u), v = orthogonal(d, seed, teacher_v);
  const at::Tensor f = (u * s).matmul(v.t());
  const at::Tensor w_star = gaussian_matrix(d, 1, 1, seed, teacher_w).squeeze(1);
  const at::Tensor beta = f.t().matmul(w_star / w_star.norm());

  const at::Tensor w_g = gaussian_matrix(c.hidden, d, c.gain / std::sqrt(static_cast<double>(d)), seed, student_w);
  at::Tensor w = init == student_init::full_rank        ? w_g.clone()
                 : init == student_init::random_low_rank ? truncated_rank(w_g, c.rank)
                                                          : truncated_rank(f, c.rank);
  w = w * (w_g.norm() / w.norm());
  core::random_stream a_stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), student_a);
  at::Tensor a = uniform_parameter({c.hidden}, 1 / std::sqrt(static_cast<double>(c.hidden)), a_stream, at::kDouble)
                     .detach();

  const at::Tensor x = gaussian_matrix(c.samples, d, 1, seed, inputs_x), y = x.matmul(beta);
  const at::Tensor probes = gaussian_matrix(c.probes, d, 1, seed, probes_x);
  const at::Tensor w0 = w.clone(), k0 = student_kernel(w, a, probes);
  const auto loss = [&] { return 0.5 * (x.matmul(w.t()).matmul(a) - y).pow(2).mean().item<double>(); };
  const double initial_loss = loss();
  for (std::uint32_t step = 0; step < c.steps; ++step) {
    const at::Tensor error = (x.matmul(w.t()).matmul(a) - y) / static_cast<double>(c.samples);
    const at::Tensor g = x.t().matmul(error);  // d(loss)/d(W^T a)
    const at::Tensor grad_w = at::outer(a, g), grad_a = w.matmul(g);
    w = w - c.learning_rate * grad_w;
    a = a - c.learning_rate * grad_a;
  }
  return {(w - w0).norm().item<double>(), alignment(k0, student_kernel(w, a, probes)), initial_loss, loss()};
}

}  // namespace neurite::learn
