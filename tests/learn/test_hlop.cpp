// HLOP (learn/hlop.hpp) and the continual-learning bookkeeping (learn/continual.hpp): Oja's
// subspace rule against the known eigenvectors of a generated covariance, the projection against
// its definition, the projected training of LIF layers by surrogate-gradient BPTT, the lateral
// schedule and ACC/BWT against hand-computed values.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "io/fashion_mnist.hpp"
#include "learn/continual.hpp"
#include "learn/ewc.hpp"
#include "learn/hlop.hpp"
#include "learn/lif_network.hpp"
#include "learn/parameters.hpp"
#include "learn/rate_mlp.hpp"
#include "small_training.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

core::random_stream test_stream(std::uint32_t id) {
  return core::random_stream(7, static_cast<std::uint32_t>(core::purpose::test), id);
}

// A random orthogonal matrix (n x n): its columns are the covariance's eigenvectors.
at::Tensor random_orthogonal(std::int64_t n) {
  auto stream = test_stream(0);
  return std::get<0>(at::linalg_qr(uniform_parameter({n, n}, 1.0, stream, at::kDouble).detach()));
}

// Samples x = U diag(sqrt(lambda)) z, z with independent unit-variance uniform entries, so that
// E[x x^T] = U diag(lambda) U^T.
at::Tensor samples(const at::Tensor& u, const std::vector<double>& lambda, std::int64_t count, std::uint32_t id) {
  auto stream = test_stream(id);
  const auto n = static_cast<std::int64_t>(lambda.size());
  const at::Tensor z = uniform_parameter({count, n}, std::sqrt(3.0), stream, at::kDouble).detach();
  const at::Tensor scale = at::sqrt(at::tensor(lambda, at::kDouble));
  return at::matmul(z * scale, u.t());
}

const std::vector<double> spectrum{10, 8, 6, 5, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05};

// Oja's rule on batches of 256 drawn from the covariance (batch b from stream id_base + b); the
// step size leaves fluctuations of a few 1e-3 in the cosines.
void train(lateral_subspace& s, const at::Tensor& u, int batches, std::uint32_t id_base) {
  hebbian_options o;
  o.learning_rate = 0.02;
  for (int b = 0; b < batches; ++b) s.learn(samples(u, spectrum, 256, id_base + static_cast<std::uint32_t>(b)), o);
}

}  // namespace

TEST(hlop, oja_subspace_rule_finds_the_top_eigenvectors_of_the_covariance) {
  const auto n = static_cast<std::int64_t>(spectrum.size());
  const at::Tensor u = random_orthogonal(n);
  lateral_subspace s(n);
  s.add_neurons(4, 1, 0);
  const auto before = principal_cosines(s.weights(), u.narrow(1, 0, 4).t());
  train(s, u, 600, 100);
  const auto after = principal_cosines(s.weights(), u.narrow(1, 0, 4).t());
  ASSERT_EQ(after.size(), 4u);
  EXPECT_LT(*std::min_element(before.begin(), before.end()), 0.9);  // a random start is far off
  for (const double c : after) EXPECT_GT(c, 0.995);
  // The rule's fixed point has orthonormal rows.
  const at::Tensor gram = at::matmul(s.weights(), s.weights().t());
  EXPECT_LT((gram - at::eye(4, at::kDouble)).abs().max().item<double>(), 0.02);
}

// Two rows learned and frozen, then two more: the new rows learn the next two eigenvectors (the
// residual's principal subspace), the frozen ones stay as they were.
TEST(hlop, new_lateral_neurons_learn_what_the_frozen_ones_leave_out) {
  const auto n = static_cast<std::int64_t>(spectrum.size());
  const at::Tensor u = random_orthogonal(n);
  lateral_subspace s(n);
  s.add_neurons(2, 1, 0);
  train(s, u, 600, 100);
  s.freeze();
  const at::Tensor old_rows = s.weights().clone();
  s.add_neurons(2, 1, 1);
  train(s, u, 600, 2000);
  EXPECT_TRUE(at::equal(s.weights().narrow(0, 0, 2), old_rows));
  for (const double c : principal_cosines(s.weights().narrow(0, 2, 2), u.narrow(1, 2, 2).t())) EXPECT_GT(c, 0.95);
  for (const double c : principal_cosines(s.weights(), u.narrow(1, 0, 4).t())) EXPECT_GT(c, 0.995);
  EXPECT_EQ(s.frozen_basis().size(1), 2);
}

TEST(hlop, top_singular_subspace_of_samples_is_the_covariance_eigenspace) {
  const auto n = static_cast<std::int64_t>(spectrum.size());
  const at::Tensor u = random_orthogonal(n);
  const at::Tensor top = top_singular_subspace(samples(u, spectrum, 20000, 5), 4);
  for (const double c : principal_cosines(top, u.narrow(1, 0, 4).t())) EXPECT_GT(c, 0.995);
}

TEST(hlop, top_eigen_subspace_of_the_second_moment_is_the_top_singular_subspace) {
  const auto n = static_cast<std::int64_t>(spectrum.size());
  const at::Tensor x = samples(random_orthogonal(n), spectrum, 3000, 6);
  const at::Tensor from_svd = top_singular_subspace(x, 4), from_moment = top_eigen_subspace(at::matmul(x.t(), x), 4);
  for (const double c : principal_cosines(from_moment, from_svd)) EXPECT_GT(c, 1 - 1e-9);
  EXPECT_THROW(top_eigen_subspace(at::zeros({3, 4}, at::kDouble), 1), std::invalid_argument);
}

namespace {

// A fixed data set (count x n) as inputs of T = 1 step; every label 0.
class fixed_samples final : public labelled_dataset {
 public:
  explicit fixed_samples(at::Tensor x) : x_(std::move(x)) {}
  std::uint32_t count() const override { return static_cast<std::uint32_t>(x_.size(0)); }
  std::uint32_t classes() const override { return 2; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const override {
    const at::Tensor index = at::tensor(std::vector<std::int64_t>(samples.begin(), samples.end()), at::kLong);
    return {x_.index_select(0, index).to(at::kFloat).unsqueeze(0), at::zeros({index.size(0)}, at::kLong)};
  }

 private:
  at::Tensor x_;
};

// Eigenvalues 1.0 and 0.8 on either side of k = 4: a gap of 0.2 against a top eigenvalue of 4.
const std::vector<double> small_gap{4, 3, 2, 1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05};

}  // namespace

// Oja's subspace rule (as hlop::consolidate runs it: the repository's momentum form, 5 iterations
// per batch) on a FIXED data set converges to the top-k singular subspace of that data set; how
// fast is set by eta (lambda_k - lambda_k+1) per iteration: after 1 epoch (20 batches x 5
// iterations at eta = 0.01, eta dlambda N = 0.2) the trailing direction is still off, after 60
// (12 e-folds) every principal-angle cosine exceeds 0.99. This is what left the reproduction's subspaces at a
// mean cosine of 0.87 (eta dlambda N = 0.04-0.13 for one epoch of PMNIST; docs/hlop.md).
TEST(hlop, oja_subspace_rule_converges_on_a_fixed_data_set_at_the_rate_of_the_eigen_gap) {
  const auto n = static_cast<std::int64_t>(small_gap.size());
  const at::Tensor x = samples(random_orthogonal(n), small_gap, 2000, 7);
  const fixed_samples data(x);
  const at::Tensor reference = top_singular_subspace(x, 4);
  rate_mlp net({n, 2}, 1);  // its first layer's input is the data itself
  hlop h(net, projected_layers_of(net), {hebbian_options{0.01}}, 1);
  h.begin_task({4});
  h.consolidate(data, 1, 100);
  const auto one_epoch = principal_cosines(h.layer(0).weights(), reference);
  h.consolidate(data, 59, 100);
  const auto converged = principal_cosines(h.layer(0).weights(), reference);
  ASSERT_EQ(converged.size(), 4u);
  EXPECT_LT(one_epoch.back(), 0.9);
  for (const double c : converged) EXPECT_GT(c, 0.99);
  // The fixed point's rows are orthonormal, and freezing keeps them.
  EXPECT_LT((at::matmul(h.layer(0).weights(), h.layer(0).weights().t()) - at::eye(4, at::kDouble)).abs().max().item<double>(), 0.01);
  h.end_task();
  EXPECT_EQ(h.layer(0).frozen(), 4);
  EXPECT_THROW(h.consolidate(data, 1, 0), std::invalid_argument);
}

TEST(hlop, projected_updates_are_orthogonal_to_the_frozen_subspace) {
  lateral_subspace s(30);
  s.add_neurons(6, 3, 0);
  s.freeze();
  const at::Tensor q = s.frozen_basis();
  ASSERT_EQ(q.size(1), 6);
  EXPECT_LT((at::matmul(q.t(), q) - at::eye(6, at::kDouble)).abs().max().item<double>(), 1e-12);
  auto stream = test_stream(9);
  const at::Tensor update = uniform_parameter({5, 30}, 1.0, stream, at::kFloat).detach();
  const at::Tensor projected = project_out(update, q);
  EXPECT_EQ(projected.scalar_type(), at::kFloat);
  EXPECT_GT(at::matmul(update.to(at::kDouble), q).abs().max().item<double>(), 0.1);
  EXPECT_LT(at::matmul(projected.to(at::kDouble), q).abs().max().item<double>(), 1e-6);
  // An update already orthogonal to the subspace is left as it is (to round-off).
  const at::Tensor again = project_out(projected, q);
  EXPECT_LT((again - projected).abs().max().item<double>(), 1e-6);
  // With no frozen rows there is nothing to project.
  lateral_subspace empty(30);
  EXPECT_TRUE(at::equal(project_out(update, empty.frozen_basis()), update));
}

TEST(hlop, too_many_lateral_neurons_are_refused) {
  lateral_subspace s(10);
  s.add_neurons(8, 1, 0);
  EXPECT_THROW(s.add_neurons(3, 1, 1), std::invalid_argument);
  EXPECT_THROW(s.learn(at::zeros({4, 9}, at::kDouble), hebbian_options{}), std::invalid_argument);
}

// The repo's PMNIST schedule gives its final subspaces, 470/784, 590/800 and 490/800 (FINDINGS 6).
TEST(hlop, pmnist_lateral_schedule_adds_up_to_the_repositorys_subspaces) {
  const lateral_schedule pmnist{{80, 200, 100}, {70, 70, 70}, {20, 20, 20}, 3};
  std::vector<std::int64_t> total(3, 0);
  for (std::size_t t = 0; t < 10; ++t)
    for (std::size_t l = 0; l < 3; ++l) total[l] += pmnist.neurons(t)[l];
  EXPECT_EQ(total, (std::vector<std::int64_t>{470, 590, 490}));
  EXPECT_EQ(pmnist.neurons(3), (std::vector<std::int64_t>{50, 50, 50}));
}

// Surrogate-gradient BPTT through LIF layers with the projection before each SGD step: after a
// first task, the input weights change only orthogonally to the frozen input subspace.
TEST(hlop, projection_holds_for_lif_layers_trained_by_bptt) {
  const auto images = io::read_fashion_mnist(io::dataset_split::test).first(200);
  auto c = small_training_config(2);
  c.epochs = 1;
  c.optimizer = optimizer_kind::sgd;
  c.learning_rate = 0.5;
  lif_network net(c.model, 1);
  const encoded_images data(c.input, images);
  hlop h(net, projected_layers_of(net), {hebbian_options{0.001}, hebbian_options{}}, 1);
  h.begin_task({20, 8});
  train_classifier(net, data, data, c, h.hooks(data));
  h.end_task();
  EXPECT_EQ(h.layer(0).frozen(), 20);
  const at::Tensor before = net.parameters()[0].detach().clone();
  h.begin_task({10, 4});
  train_classifier(net, data, data, c, h.hooks(data));
  const at::Tensor change = (net.parameters()[0].detach() - before).to(at::kDouble);
  const at::Tensor q = h.layer(0).frozen_basis();
  EXPECT_GT(change.abs().max().item<double>(), 1e-3);  // it did learn
  EXPECT_LT(at::matmul(change, q).abs().max().item<double>(), 1e-5 * change.abs().max().item<double>() * 784);
}

TEST(continual, acc_and_bwt_from_the_accuracy_matrix) {
  const accuracy_matrix m{{{0.9, 0.1, 0.1}, {0.7, 0.8, 0.1}, {0.6, 0.5, 0.9}}};
  EXPECT_NEAR(m.acc(), (0.6 + 0.5 + 0.9) / 3, 1e-15);
  EXPECT_NEAR(m.bwt(), ((0.6 - 0.9) + (0.5 - 0.8)) / 2, 1e-15);
  EXPECT_EQ(m.csv().substr(0, m.csv().find('\n')), "after_task,task_0,task_1,task_2");
}

TEST(continual, permutations_are_permutations_and_differ_by_task) {
  auto p = pixel_permutation(784, 1, 0);
  const auto q = pixel_permutation(784, 1, 1);
  EXPECT_NE(p, q);
  std::sort(p.begin(), p.end());
  std::vector<std::uint32_t> identity(784);
  std::iota(identity.begin(), identity.end(), 0u);
  EXPECT_EQ(p, identity);
  const auto images = io::read_fashion_mnist(io::dataset_split::test).first(3);
  const auto permuted = permute_pixels(images, q);
  EXPECT_EQ(permuted.pixels[784 + 5], images.pixels[784 + q[5]]);
  EXPECT_EQ(concatenate({images, permuted}).count, 6u);
}

// Hebbian learning and projection on a rate network in two threads give the run of one.
TEST(hlop, sequential_training_is_identical_for_any_thread_count) {
  const auto images = io::read_fashion_mnist(io::dataset_split::test).first(512);
  const encoder rates{encoding::direct_current, 1, 1.0, 0.2, 0};
  std::vector<io::labelled_images> permuted;
  for (std::uint32_t t = 0; t < 2; ++t) permuted.push_back(permute_pixels(images, pixel_permutation(784, 1, t)));
  const encoded_images a(rates, permuted[0]), b(rates, permuted[1]);
  const auto run = [&](int threads) {
    rate_mlp net({784, 32, 10}, 1);
    hlop h(net, projected_layers_of(net), {hebbian_options{0.001}, hebbian_options{}}, 1);
    training_options o;
    o.optimizer = optimizer_kind::sgd;
    o.learning_rate = 0.1;
    o.batch_size = 64;
    o.micro_batch = 16;
    o.threads = threads;
    const continual_method method{[&](std::size_t) { h.begin_task({16, 8}); },
                                  [&](std::size_t, const labelled_dataset& train) { return h.hooks(train); },
                                  [&](std::size_t) { h.end_task(); }};
    auto m = train_sequentially(net, {{&a, &a}, {&b, &b}}, o, method);
    return std::make_tuple(m.r, h.layer(0).weights().clone(), h.layer(1).weights().clone(), net.parameters()[0].detach().clone());
  };
  const auto one = run(1), two = run(2);
  EXPECT_EQ(std::get<0>(one), std::get<0>(two));
  EXPECT_TRUE(at::equal(std::get<3>(one), std::get<3>(two)));
  EXPECT_TRUE(at::equal(std::get<1>(one), std::get<1>(two)));
  EXPECT_TRUE(at::equal(std::get<2>(one), std::get<2>(two)));
  EXPECT_GT(std::get<0>(one)[1][1], 0.2);  // chance is 0.1
}

namespace {

// Two fixed samples of 4 inputs for a linear 4 -> 3 classifier.
class two_samples final : public labelled_dataset {
 public:
  std::uint32_t count() const override { return 2; }
  std::uint32_t classes() const override { return 3; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const override {
    const at::Tensor all = at::tensor({0.5, -1.0, 2.0, 0.25, 1.5, 0.5, -0.5, 1.0}, at::kFloat).reshape({1, 2, 4});
    const at::Tensor labels = at::tensor({2, 0}, at::kLong);
    const at::Tensor index = at::tensor(std::vector<std::int64_t>(samples.begin(), samples.end()), at::kLong);
    return {all.index_select(1, index), labels.index_select(0, index)};
  }
};

}  // namespace

// One batch of both samples: F = g^2, g the gradient of the mean cross-entropy, which for a linear
// classifier is mean_b (softmax(W x_b) - onehot(y_b)) x_b^T; the penalty's gradient is
// lambda F (theta - theta*).
TEST(ewc, fisher_is_the_squared_batch_gradient_and_the_penalty_pulls_back) {
  rate_mlp net({4, 3}, 1);
  const two_samples data;
  ewc e(net, 2.0);
  e.end_task(data, 2);
  const auto in = data.batch(std::vector<std::uint32_t>{0, 1}, 0, 1);
  const at::Tensor x = in.inputs[0].to(at::kDouble), w = net.parameters()[0].detach().to(at::kDouble);
  const at::Tensor error = at::softmax(at::matmul(x, w.t()), 1) - at::one_hot(in.labels, 3).to(at::kDouble);
  const at::Tensor g = at::matmul(error.t(), x) / 2.0;
  EXPECT_LT((e.fisher()[0].to(at::kDouble) - g.square()).abs().max().item<double>(), 1e-6);
  std::vector<at::Tensor> gradients{at::zeros({3, 4})};
  e.penalise(gradients);
  EXPECT_EQ(gradients[0].abs().max().item<double>(), 0.0);  // at theta*
  {
    const at::NoGradGuard no_grad;
    net.parameters()[0].add_(0.5);
  }
  e.penalise(gradients);
  EXPECT_LT((gradients[0] - 2.0 * e.fisher()[0] * 0.5).abs().max().item<double>(), 1e-6);
}
