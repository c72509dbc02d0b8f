// Sparse training (learn/sparsity.hpp) and sparse inference (learn/csr.hpp): the cubic schedule and
// the cosine regeneration rate against hand-computed values, ERK densities against their closed
// form, the non-zeros of every prune-and-regrow step against the schedule, masked weights and
// momentum through SGD with Nesterov momentum and weight decay, CSR products against dense ones.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include <ATen/ATen.h>

#include "core/rng.hpp"
#include "learn/csr.hpp"
#include "learn/parameters.hpp"
#include "learn/rate_mlp.hpp"
#include "learn/sparsity.hpp"
#include "learn/training.hpp"

using namespace neurite;
using namespace neurite::learn;

namespace {

core::random_stream test_stream(std::uint32_t id) {
  return core::random_stream(11, static_cast<std::uint32_t>(core::purpose::test), id);
}

at::Tensor random_tensor(std::vector<std::int64_t> shape, std::uint32_t id) {
  auto stream = test_stream(id);
  return uniform_parameter(shape, 1.0, stream, at::kFloat).detach();
}

// Inputs (1, n, 20) uniform in +-1, labelled by the sign pattern of two coordinates (4 classes).
class signs_dataset final : public labelled_dataset {
 public:
  explicit signs_dataset(std::uint32_t n) : x_(random_tensor({n, 20}, 100)) {}
  std::uint32_t count() const override { return static_cast<std::uint32_t>(x_.size(0)); }
  std::uint32_t classes() const override { return 4; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const override {
    std::vector<std::int64_t> index(samples.begin(), samples.end());
    const at::Tensor x = x_.index_select(0, at::tensor(index, at::kLong));
    const at::Tensor labels = x.select(1, 0).gt(0).to(at::kLong) * 2 + x.select(1, 1).gt(0).to(at::kLong);
    return {x.unsqueeze(0), labels};
  }

 private:
  at::Tensor x_;
};

std::int64_t count(const at::Tensor& t) { return at::count_nonzero(t).item<std::int64_t>(); }

}  // namespace

TEST(sparsity, cubic_schedule_takes_its_exact_values) {
  // s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n dT))^3 with s_i = 0, s_f = 0.9, t0 = 0, dT = 10, n = 4.
  const pruning_schedule s{0.0, 0.9, 0, 10, 4};
  EXPECT_DOUBLE_EQ(s.sparsity(0), 0.0);
  EXPECT_DOUBLE_EQ(s.sparsity(10), 0.9 - 0.9 * 0.421875);  // (3/4)^3
  EXPECT_DOUBLE_EQ(s.sparsity(20), 0.9 - 0.9 * 0.125);     // (1/2)^3
  EXPECT_DOUBLE_EQ(s.sparsity(30), 0.9 - 0.9 * 0.015625);  // (1/4)^3
  EXPECT_DOUBLE_EQ(s.sparsity(40), 0.9);
  EXPECT_DOUBLE_EQ(s.sparsity(1000), 0.9);
  EXPECT_FALSE(s.prunes_at(0));
  EXPECT_TRUE(s.prunes_at(10));
  EXPECT_FALSE(s.prunes_at(15));
  EXPECT_TRUE(s.prunes_at(40));
  EXPECT_FALSE(s.prunes_at(50));
  // From s_i = 0.5 at t0 = 100, two steps of 20: halfway, 0.98 - 0.48 / 8.
  const pruning_schedule sparse_start{0.5, 0.98, 100, 20, 2};
  EXPECT_DOUBLE_EQ(sparse_start.sparsity(100), 0.5);
  EXPECT_DOUBLE_EQ(sparse_start.sparsity(120), 0.98 - 0.06);
  EXPECT_TRUE(sparse_start.prunes_at(140));
  EXPECT_FALSE(sparse_start.prunes_at(100));
  // The options' step count: (prune_end - prune_start) / interval.
  sparsity_options o;
  o.prune_start = 0, o.prune_end = 2345, o.interval = 100;
  EXPECT_EQ(pruning_of(o).steps, 23);
}

TEST(sparsity, regeneration_rate_decays_along_a_cosine) {
  const regeneration_schedule r{0.5, 0.005, 1000};
  EXPECT_DOUBLE_EQ(r.rate(0), 0.5);
  EXPECT_DOUBLE_EQ(r.rate(500), 0.005 + 0.495 * 0.5);
  EXPECT_NEAR(r.rate(250), 0.005 + 0.495 * 0.5 * (1 + std::sqrt(0.5)), 1e-15);
  EXPECT_DOUBLE_EQ(r.rate(1000), 0.005);
}

TEST(sparsity, erk_densities_follow_their_closed_form) {
  // No layer saturates: density_l = eps (n_in + n_out) / (n_in n_out), eps = d N / sum of the sums.
  const std::vector<std::vector<std::int64_t>> lenet{{300, 784}, {100, 300}, {10, 100}};
  const auto d = erk_densities(lenet, 0.02);
  const double eps = 0.02 * 266200 / (1084.0 + 400 + 110);
  EXPECT_NEAR(d[0], eps * 1084 / 235200, 1e-15);
  EXPECT_NEAR(d[1], eps * 400 / 30000, 1e-15);
  EXPECT_NEAR(d[2], eps * 110 / 1000, 1e-15);
  // A small layer saturates: it becomes dense and the others share what is left.
  const auto s = erk_densities({{10, 2}, {1000, 1000}}, 0.5);
  EXPECT_EQ(s[0], 1.0);
  EXPECT_NEAR(s[1], (0.5 * 1000020 - 20) / 1e6, 1e-15);
}

TEST(sparsity, erk_masks_hold_their_densities_and_keep_weights_of_active_positions) {
  rate_mlp net({60, 40, 20, 4}, 3);
  sparsity_options o;
  o.method = sparse_method::static_erk;
  o.final_sparsity = 0.8;
  const sparse_masks masks(net, o);
  const auto d = erk_densities({{40, 60}, {20, 40}, {4, 20}}, 0.2);
  const auto nnz = masks.layer_nonzeros();
  for (std::size_t l = 0; l < d.size(); ++l)
    EXPECT_EQ(nnz[l], std::llround(d[l] * static_cast<double>(masks.masks()[l].numel())));
  for (std::size_t l = 0; l < d.size(); ++l)
    EXPECT_TRUE(at::equal(net.parameters()[l].ne(0), masks.masks()[l].gt(0)));  // uniform draws are never 0
}

TEST(sparsity, every_prune_and_regrow_step_conserves_the_schedules_nonzeros) {
  rate_mlp net({60, 40, 20, 4}, 5);
  sparsity_options o;
  o.method = sparse_method::granet;
  o.final_sparsity = 0.9;
  o.interval = 10;
  o.prune_end = 50;
  o.iterations = 100;
  sparse_masks masks(net, o);
  const std::int64_t total = masks.weights();
  ASSERT_EQ(masks.nonzeros(), total);  // dense start
  std::vector<at::Tensor> gradients, momentum;
  for (std::size_t l = 0; l < net.parameters().size(); ++l) {
    gradients.push_back(random_tensor(net.parameters()[l].sizes().vec(), 10 + static_cast<std::uint32_t>(l)));
    momentum.push_back(random_tensor(net.parameters()[l].sizes().vec(), 20 + static_cast<std::uint32_t>(l)));
  }
  for (std::int64_t t = 1; t < 100; ++t) {  // no event at the last iteration
    // Perturb the active weights as an optimiser step would.
    {
      const at::NoGradGuard no_grad;
      for (std::size_t l = 0; l < net.parameters().size(); ++l)
        net.parameters()[l].add_(
            random_tensor(net.parameters()[l].sizes().vec(), 1000 + static_cast<std::uint32_t>(t * 3 + l)) * 0.01);
    }
    const auto before = masks.layer_nonzeros();
    const auto events = masks.events().size();
    masks.after_step(t, gradients, momentum);
    if (t % 10 != 0) {
      EXPECT_EQ(masks.layer_nonzeros(), before) << t;
      EXPECT_EQ(masks.events().size(), events);
      continue;
    }
    ASSERT_EQ(masks.events().size(), events + 1) << t;
    const auto expected = t <= 50 ? std::llround((1 - masks.pruning().sparsity(t)) * static_cast<double>(total))
                                  : std::accumulate(before.begin(), before.end(), std::int64_t{0});
    EXPECT_EQ(masks.nonzeros(), expected) << t;
    if (t > 50) {
      EXPECT_EQ(masks.layer_nonzeros(), before) << t;  // regeneration alone: per layer
    }
    for (std::size_t l = 0; l < masks.masks().size(); ++l) {
      const at::Tensor inactive = masks.masks()[l].eq(0);
      EXPECT_EQ(count(net.parameters()[l].masked_select(inactive)), 0) << t;
      EXPECT_EQ(count(momentum[l].masked_select(inactive)), 0) << t;
    }
  }
  EXPECT_EQ(masks.nonzeros(), std::llround(0.1 * static_cast<double>(total)));
}

// One step, at prune_start + interval, whether or not prune_start is a multiple of the interval
// (the pruning-plasticity sweep starts one interval before an epoch's end): events are counted
// from the start of pruning.
TEST(sparsity, one_shot_pruning_late_in_the_run_leaves_the_dense_network_alone_until_then) {
  for (const auto method : {sparse_method::gmp, sparse_method::granet}) {
    for (const std::int64_t start : {40, 43}) {
      rate_mlp net({30, 20, 4}, 9);
      sparsity_options o;
      o.method = method;
      o.final_sparsity = 0.9;
      o.interval = 10;
      o.prune_start = start, o.prune_end = start + 10;
      o.iterations = 100;
      sparse_masks masks(net, o);
      std::vector<at::Tensor> gradients;
      for (std::size_t l = 0; l < net.parameters().size(); ++l)
        gradients.push_back(random_tensor(net.parameters()[l].sizes().vec(), 60 + static_cast<std::uint32_t>(l)));
      for (std::int64_t t = 1; t < start + 10; ++t) masks.after_step(t, gradients, {});
      EXPECT_TRUE(masks.events().empty()) << start;
      EXPECT_EQ(masks.nonzeros(), masks.weights()) << start;
      masks.after_step(start + 10, gradients, {});
      ASSERT_EQ(masks.events().size(), 1u) << start;
      EXPECT_EQ(masks.nonzeros(), std::llround(0.1 * static_cast<double>(masks.weights()))) << start;
    }
  }
}

TEST(sparsity, regeneration_conserves_each_layer_and_regrows_at_zero_by_gradient) {
  rate_mlp net({30, 20, 4}, 8);
  sparsity_options o;
  o.method = sparse_method::rigl;
  o.final_sparsity = 0.7;
  sparse_masks masks(net, o);
  std::vector<at::Tensor> gradients;
  for (std::size_t l = 0; l < net.parameters().size(); ++l)
    gradients.push_back(random_tensor(net.parameters()[l].sizes().vec(), 40 + static_cast<std::uint32_t>(l)));
  const auto before = masks.layer_nonzeros();
  std::vector<at::Tensor> old_masks;
  for (const auto& m : masks.masks()) old_masks.push_back(m.clone());
  const auto regrown = masks.regenerate(0.3, gradients);
  EXPECT_EQ(masks.layer_nonzeros(), before);
  EXPECT_GT(regrown, 0);
  std::int64_t fresh = 0;
  for (std::size_t l = 0; l < before.size(); ++l) {
    const at::Tensor m = masks.masks()[l];
    const at::Tensor grown = m.gt(0).logical_and(old_masks[l].eq(0));
    fresh += count(grown);
    EXPECT_EQ(count(net.parameters()[l].masked_select(grown)), 0);  // regrown at exactly zero
    // As many left as grew; every regrown position's |gradient| is at least that of any inactive one.
    EXPECT_EQ(count(old_masks[l].gt(0).logical_and(m.eq(0))), count(grown));
    const at::Tensor g = gradients[l].abs();
    if (count(grown) > 0 && count(m.eq(0)) > 0) {
      EXPECT_GE(g.masked_select(grown).min().item<float>(), g.masked_select(m.eq(0)).max().item<float>());
    }
  }
  EXPECT_EQ(fresh, regrown);
}

TEST(sparsity, masked_weights_and_momentum_stay_zero_through_the_optimiser) {
  const signs_dataset data(512), none(0);
  for (const auto method : {sparse_method::granet, sparse_method::rigl, sparse_method::static_erk, sparse_method::gmp}) {
    rate_mlp net({20, 32, 16, 4}, 2);
    sparsity_options o;
    o.method = method;
    o.final_sparsity = 0.8;
    o.interval = 5;
    o.prune_end = 20;
    o.iterations = 40;
    sparse_masks masks(net, o);
    auto hooks = masks.hooks();
    int checked = 0;
    const auto masked_step = hooks.step_done;
    hooks.step_done = [&](const std::vector<at::Tensor>& momentum) {
      masked_step(momentum);
      for (std::size_t l = 0; l < masks.masks().size(); ++l) {
        const at::Tensor inactive = masks.masks()[l].eq(0);
        ASSERT_TRUE(momentum[l].defined());
        EXPECT_EQ(count(net.parameters()[l].masked_select(inactive)), 0);
        EXPECT_EQ(count(momentum[l].masked_select(inactive)), 0);
      }
      ++checked;
    };
    training_options t;
    t.epochs = 5;
    t.batch_size = 64;
    t.micro_batch = 32;
    t.learning_rate = 0.1;
    t.optimizer = optimizer_kind::sgd_nesterov;
    t.weight_decay = 5e-4;  // pulls every weight, masked ones too if the mask did not hold
    train_classifier(net, data, none, t, hooks);
    EXPECT_EQ(checked, 40) << method_name(method);
    EXPECT_NEAR(masks.sparsity(), 0.8, 1.0 / static_cast<double>(masks.weights())) << method_name(method);
  }
}

TEST(csr, products_and_networks_match_dense_ones) {
  at::Tensor w = random_tensor({7, 13}, 50);
  w = w * w.abs().gt(0.6).to(at::kFloat);  // about 40% non-zeros
  const auto a = to_csr(w);
  EXPECT_EQ(a.nonzeros(), count(w));
  EXPECT_EQ(a.bytes(), 8 * sizeof(std::uint32_t) + static_cast<std::size_t>(a.nonzeros()) * 8);
  const at::Tensor x = random_tensor({13}, 51);
  std::vector<float> xs(x.data_ptr<float>(), x.data_ptr<float>() + 13), y(7), z(7);
  multiply(a, xs, y);
  multiply(to_dense(w), xs, z);
  const at::Tensor ref = at::matmul(w.to(at::kDouble), x.to(at::kDouble));
  for (std::int64_t r = 0; r < 7; ++r) {
    EXPECT_NEAR(y[static_cast<std::size_t>(r)], ref[r].item<double>(), 1e-5);
    EXPECT_NEAR(z[static_cast<std::size_t>(r)], ref[r].item<double>(), 1e-5);
  }
  // A rate_mlp (no normalisation) on CSR, on dense matrices and in LibTorch.
  rate_mlp net({13, 9, 5}, 4);
  const csr_network sparse({to_csr(net.parameters()[0]), to_csr(net.parameters()[1])});
  const dense_network dense({to_dense(net.parameters()[0]), to_dense(net.parameters()[1])});
  const at::Tensor scores = net.forward(x.view({1, 1, 13})).view({5});
  std::vector<float> s(5), t(5);
  sparse.scores(xs, s);
  dense.scores(xs, t);
  for (std::int64_t k = 0; k < 5; ++k) {
    EXPECT_NEAR(s[static_cast<std::size_t>(k)], scores[k].item<float>(), 1e-5);
    EXPECT_NEAR(t[static_cast<std::size_t>(k)], scores[k].item<float>(), 1e-5);
  }
}
