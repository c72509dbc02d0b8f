// The continuous-time RNN of the rich/lazy reproduction and its measures, against independent
// references: rank and norm of the truncated initialisations by LibTorch's own rank, the tangent
// kernel against J J^T with J by central finite differences, the alignment's closed cases, the
// generated tasks' structure, and bit-identical training for any thread count.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/ATen.h>

#include "learn/cognitive_tasks.hpp"
#include "learn/ctrnn.hpp"
#include "learn/student_teacher.hpp"

using namespace neurite::learn;

namespace {

ctrnn tiny_network(double alpha) {
  ctrnn_config c;
  c.inputs = 3, c.hidden = 4, c.outputs = 2, c.alpha = alpha;
  return ctrnn(c, gaussian_recurrent(4, 1.25, 7), 7);
}

// Inputs (T, batch, 3) with positive entries, so that units are active.
at::Tensor tiny_inputs() { return at::linspace(0.1, 1.3, 3 * 2 * 3, at::kDouble).view({3, 2, 3}); }

// J by central differences: column (i, j) holds d y / d W_rec[i, j] for every (t, b, k).
at::Tensor finite_difference_jacobian(const ctrnn& net, const at::Tensor& inputs) {
  const at::NoGradGuard no_grad;
  const std::int64_t n = net.config().hidden;
  const double h = 1e-6;
  at::Tensor w = net.recurrent();
  std::vector<at::Tensor> columns;
  for (std::int64_t i = 0; i < n * n; ++i) {
    const double saved = w.view({-1})[i].item<double>();
    w.view({-1})[i].fill_(saved + h);
    const at::Tensor up = net.run(inputs).outputs.reshape({-1});
    w.view({-1})[i].fill_(saved - h);
    const at::Tensor down = net.run(inputs).outputs.reshape({-1});
    w.view({-1})[i].fill_(saved);
    columns.push_back((up - down) / (2 * h));
  }
  return at::stack(columns, 1);
}

}  // namespace

TEST(ctrnn, truncated_rank_has_exactly_the_rank_and_the_norm_of_the_base_matrix) {
  const at::Tensor w0 = gaussian_recurrent(30, 1.25, 3);
  EXPECT_NEAR(w0.pow(2).sum().item<double>() / 30, 1.25 * 1.25, 0.15);  // entries ~ N(0, 1.25^2 / n)
  for (const std::int64_t rank : {1, 5, 29, 30}) {
    const at::Tensor w = truncated_rank(w0, rank);
    EXPECT_EQ(at::linalg_matrix_rank(w).item<std::int64_t>(), rank);
    EXPECT_NEAR(w.norm().item<double>(), w0.norm().item<double>(), 1e-12 * w0.norm().item<double>());
  }
  EXPECT_TRUE(at::allclose(truncated_rank(w0, 30), w0, 1e-10, 1e-12));
  EXPECT_THROW(truncated_rank(w0, 0), std::invalid_argument);
  EXPECT_THROW(truncated_rank(w0, 31), std::invalid_argument);
}

TEST(ctrnn, effective_rank_of_closed_cases) {
  EXPECT_NEAR(effective_rank(at::eye(12, at::kDouble)), 12.0, 1e-9);
  EXPECT_NEAR(effective_rank(truncated_rank(gaussian_recurrent(12, 1, 1), 1)), 1.0, 1e-6);
  // Singular values 3 and 1: p = (3/4, 1/4), exp(-(3/4 log 3/4 + 1/4 log 1/4)).
  const at::Tensor d = at::diag(at::tensor({3.0, 1.0}, at::kDouble));
  EXPECT_NEAR(effective_rank(d), std::exp(-(0.75 * std::log(0.75) + 0.25 * std::log(0.25))), 1e-12);
}

TEST(ctrnn, alpha_one_is_relu_of_input_plus_recurrent_drive) {
  const ctrnn net = tiny_network(1.0);
  const at::NoGradGuard no_grad;
  const at::Tensor x = tiny_inputs();
  const ctrnn_trace trace = net.run(x);
  at::Tensor r = at::zeros({2, 4}, at::kDouble);
  for (std::int64_t t = 0; t < 3; ++t) {
    r = at::relu(x[t].matmul(net.parameters()[0].t()) + r.matmul(net.recurrent().t()));
    EXPECT_TRUE(at::allclose(trace.rates[t], r, 1e-12, 1e-14));
    EXPECT_TRUE(at::allclose(trace.outputs[t], r.matmul(net.parameters()[2].t()), 1e-12, 1e-14));
  }
}

TEST(ctrnn, tangent_kernel_equals_j_jt_with_j_by_finite_differences) {
  for (const double alpha : {1.0, 0.4}) {
    const ctrnn net = tiny_network(alpha);
    const at::Tensor x = tiny_inputs();
    const at::Tensor j_fd = finite_difference_jacobian(net, x);
    ASSERT_GT(j_fd.abs().max().item<double>(), 1e-3);  // the check is not about zeros
    const at::Tensor j = recurrent_jacobian(net, x, kernel_steps::every);
    EXPECT_TRUE(at::allclose(j, j_fd, 1e-6, 1e-8)) << "alpha " << alpha;
    const at::Tensor k = tangent_kernel(net, x, kernel_steps::every);
    EXPECT_TRUE(at::allclose(k, j_fd.matmul(j_fd.t()), 1e-6, 1e-8)) << "alpha " << alpha;
    // The last step only: the rows (t = T - 1, b, k), the last 2 x 2 of the (t, b, k) order.
    const at::Tensor last = j_fd.narrow(0, 2 * 2 * 2, 2 * 2);
    EXPECT_TRUE(at::allclose(tangent_kernel(net, x, kernel_steps::last), last.matmul(last.t()), 1e-6, 1e-8));
  }
}

TEST(ctrnn, alignment_is_one_for_identical_kernels_and_scale_invariant) {
  const at::Tensor a = gram(gaussian_matrix(6, 4, 1, 1, 1)), b = gram(gaussian_matrix(6, 4, 1, 2, 1));
  EXPECT_NEAR(alignment(a, a), 1.0, 1e-14);
  EXPECT_NEAR(alignment(a, 7.5 * a), 1.0, 1e-14);
  EXPECT_NEAR(alignment(2 * a, 0.3 * b), alignment(a, b), 1e-14);
  EXPECT_LT(alignment(a, b), 1.0);
  // Closed case: <diag(1, 0), diag(1, 1)> / (1 * sqrt 2).
  EXPECT_NEAR(alignment(at::diag(at::tensor({1.0, 0.0})), at::eye(2, at::kDouble)), 1 / std::sqrt(2.0), 1e-14);
  EXPECT_THROW(alignment(a, at::eye(3, at::kDouble)), std::invalid_argument);
}

TEST(ctrnn, sign_similarity_counts_unchanged_signs) {
  const at::Tensor a = at::tensor({0.0, 1.0, 2.0, 0.0}), b = at::tensor({0.0, 0.5, 0.0, 3.0});
  EXPECT_DOUBLE_EQ(sign_similarity(a, b), 0.5);
  EXPECT_DOUBLE_EQ(sign_similarity(a, a), 1.0);
}

TEST(cognitive_tasks, trials_have_the_shapes_targets_and_fixation_of_the_environments) {
  for (const auto task : {cognitive_task::two_alternative, cognitive_task::delayed_match, cognitive_task::context_decision}) {
    const task_shape shape = shape_of(task);
    const labelled_batch b = task_trials(task, 0, 64, 0, 5);
    ASSERT_EQ(b.inputs.sizes(), (std::vector<std::int64_t>{8, 64, shape.inputs})) << task_name(task);
    ASSERT_EQ(b.labels.sizes(), (std::vector<std::int64_t>{8, 64}));
    EXPECT_TRUE(b.labels.narrow(0, 0, 7).eq(0).all().item<bool>());
    const at::Tensor decision = b.labels[7];
    EXPECT_TRUE((decision.eq(1) | decision.eq(2)).all().item<bool>());
    EXPECT_GT(decision.eq(1).sum().item<std::int64_t>(), 16);  // both answers occur
    EXPECT_GT(decision.eq(2).sum().item<std::int64_t>(), 16);
    if (task != cognitive_task::context_decision) {  // CXT has noise on the fixation input too
      EXPECT_TRUE(b.inputs.narrow(0, 0, 7).select(2, 0).eq(1).all().item<bool>());
    }
    if (task != cognitive_task::context_decision) {
      EXPECT_TRUE(b.inputs[7].eq(0).all().item<bool>());  // nothing at the decision
    } else {  // only the context cue (NeuroGym adds it after clearing the decision step)
      EXPECT_TRUE(b.inputs[7].narrow(1, 0, 5).eq(0).all().item<bool>());
      EXPECT_TRUE(b.inputs[7].narrow(1, 5, 2).sum(1).eq(1).all().item<bool>());
      EXPECT_TRUE(b.inputs[7].narrow(1, 5, 2).equal(b.inputs[3].narrow(1, 5, 2)));  // the cue of the delay
    }
    // A trial is the same wherever it falls in a batch; the streams differ.
    EXPECT_TRUE(task_trials(task, 5, 3, 0, 5).inputs.equal(b.inputs.narrow(1, 5, 3)));
    EXPECT_FALSE(task_trials(task, 0, 64, 1, 5).inputs.equal(b.inputs));
  }
}

TEST(cognitive_tasks, two_alternative_evidence_points_to_the_answer_on_average) {
  const labelled_batch b = task_trials(cognitive_task::two_alternative, 0, 4000, 0, 9);
  const at::Tensor evidence = (b.inputs.narrow(0, 0, 7).select(2, 0 + 1) - b.inputs.narrow(0, 0, 7).select(2, 2)).sum(0);
  const at::Tensor says_one = evidence.gt(0).to(at::kLong);
  const double agree = says_one.eq(b.labels[7].eq(1).to(at::kLong)).to(at::kDouble).mean().item<double>();
  EXPECT_GT(agree, 0.8);  // an ideal observer: coherence 0 (1 in 5) is a coin toss
  EXPECT_LT(agree, 0.97);
}

TEST(ctrnn, training_is_bit_identical_for_any_thread_count) {
  ctrnn_config c;
  c.hidden = 16;
  const at::Tensor w0 = truncated_rank(gaussian_recurrent(16, 1.25, 2), 4).to(at::kFloat);
  sgd_options o;
  o.iterations = 12, o.micro_batch = 8, o.record_every = 5;
  const batch_source batches = [](std::uint64_t i) { return task_trials(cognitive_task::two_alternative, 32 * i, 32, 0, 3); };
  std::vector<std::vector<double>> curves;
  std::vector<at::Tensor> weights;
  for (const int threads : {1, 3}) {
    ctrnn net(c, w0, 4);
    o.threads = threads;
    curves.push_back(train_ctrnn(net, batches, o));
    weights.push_back(net.recurrent().detach().clone());
  }
  EXPECT_EQ(curves[0].size(), 3u);
  EXPECT_EQ(curves[0], curves[1]);
  EXPECT_TRUE(weights[0].equal(weights[1]));
  EXPECT_FALSE(weights[0].equal(w0));  // it trained
  ctrnn net(c, w0, 4);
  const batch_source empty = [](std::uint64_t) { return task_trials(cognitive_task::two_alternative, 0, 0, 0, 3); };
  EXPECT_THROW(train_ctrnn(net, empty, o), std::invalid_argument);
  EXPECT_THROW(net.run(at::zeros({8, 2, 5})), std::invalid_argument);  // 5 inputs for a network of 3
}

TEST(ctrnn, sgd_with_momentum_lowers_the_two_alternative_loss) {
  ctrnn_config c;
  c.hidden = 32;
  ctrnn net(c, gaussian_recurrent(32, 1.25, 2).to(at::kFloat), 4);
  sgd_options o;
  o.iterations = 300, o.micro_batch = 32, o.learning_rate = 0.01, o.record_every = 300;
  const auto probe = task_trials(cognitive_task::two_alternative, 0, 512, 1, 3);
  const decision_score before = score_decisions(net, probe, loss_steps::every);
  train_ctrnn(net, [](std::uint64_t i) { return task_trials(cognitive_task::two_alternative, 32 * i, 32, 0, 3); }, o);
  const decision_score after = score_decisions(net, probe, loss_steps::every);
  EXPECT_LT(after.loss, 0.5 * before.loss);
  EXPECT_GT(after.accuracy, 0.6);
}

TEST(student_teacher, every_initialisation_learns_the_teacher_and_a_non_square_student_is_refused) {
  student_teacher_config c;
  c.inputs = c.hidden = 20, c.rank = 10, c.samples = 100, c.steps = 2000;
  for (const auto init : {student_init::random_low_rank, student_init::aligned_low_rank, student_init::full_rank}) {
    const auto r = train_student(c, init, 1);
    EXPECT_LT(r.final_loss, 0.05 * r.initial_loss) << student_init_name(init);
    EXPECT_GT(r.weight_change, 0.0);
    EXPECT_GT(r.kernel_alignment, 0.0);
    EXPECT_LE(r.kernel_alignment, 1.0 + 1e-12);
  }
  c.hidden = 21;
  EXPECT_THROW(train_student(c, student_init::full_rank, 1), std::invalid_argument);
}
