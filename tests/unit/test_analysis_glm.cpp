// analysis/glm, lbfgs, hmm_glm: the basis, the per-bin log-likelihood and the M-step objective of
// every prior (the one-hot relaxation included) against finite differences, the Concrete density
// against its binary closed form and its normalisation, the demo generator's statistics, L-BFGS
// on Rosenbrock's function, bit-identical EM on 1 and 2 threads, and errors on bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/glm.hpp"
#include "analysis/hmm_glm.hpp"
#include "analysis/lbfgs.hpp"
#include "core/rng.hpp"

using namespace neurite::analysis;

namespace {
const std::uint32_t test_purpose = static_cast<std::uint32_t>(neurite::core::purpose::test);

// A small random M-step problem: Poisson or Bernoulli counts, normalised responsibilities.
glm_design random_design(std::size_t bins, std::size_t N, std::size_t S, bool binary, std::uint32_t id) {
  neurite::core::random_stream r(3, test_purpose, id);
  glm_design d;
  d.bins = bins, d.neurons = N, d.states = S;
  for (std::size_t k = 0; k < bins * N; ++k) {
    d.counts.push_back(binary ? (r.uniform() < 0.3 ? 1.0 : 0.0) : r.poisson(0.6));
    d.history.push_back(r.uniform());
  }
  for (std::size_t t = 0; t < bins; ++t) {
    double z = 0;
    for (std::size_t s = 0; s < S; ++s) z += d.responsibility.emplace_back(0.05 + r.uniform());
    for (std::size_t s = 0; s < S; ++s) d.responsibility[t * S + s] /= z;
  }
  return d;
}

std::vector<double> random_theta(std::size_t size, std::uint32_t id) {
  neurite::core::random_stream r(5, test_purpose, id);
  std::vector<double> theta(size);
  for (auto& v : theta) v = r.uniform() * 2 - 1;
  return theta;
}

// Central differences with step 1e-5: truncation error ~ h^2 |J'''|, rounding ~ eps |J| / h.
void expect_gradient_matches(const glm_design& d, glm_noise noise, glm_link link, const row_prior& prior, std::size_t neuron,
                             std::uint32_t id) {
  auto theta = random_theta(row_size(prior.kind, d.states, d.neurons), id);
  std::vector<double> grad, scratch;
  const double value = row_objective(d, noise, link, neuron, prior, theta, grad);
  ASSERT_TRUE(std::isfinite(value));
  const double h = 1e-5;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double keep = theta[i];
    theta[i] = keep + h;
    const double up = row_objective(d, noise, link, neuron, prior, theta, scratch);
    theta[i] = keep - h;
    const double down = row_objective(d, noise, link, neuron, prior, theta, scratch);
    theta[i] = keep;
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(grad[i], numeric, 1e-6 * (1 + std::fabs(numeric))) << weight_prior_name(prior.kind) << " parameter " << i;
  }
}
}  // namespace

TEST(analysis_glm, exponential_basis_is_the_demos) {
  const auto phi = exponential_basis(5);
  const double demo[5] = {0.6364, 0.2341, 0.0861, 0.0317, 0.0117};  // FINDINGS 11, four decimals
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(phi[static_cast<std::size_t>(k)], demo[k], 5e-5);
  spike_trial one{6, 1, {0, 1, 0, 0, 0, 0}, {}};
  const auto h = history(one, phi);  // a spike in bin 1 is seen from bin 2 on, through phi_0, phi_1, ...
  EXPECT_EQ(h[1], 0.0);
  EXPECT_DOUBLE_EQ(h[2], phi[0]);
  EXPECT_DOUBLE_EQ(h[5], phi[3]);
}

TEST(analysis_glm, per_bin_log_likelihood_and_its_derivative) {
  for (const double u : {-30.0, -2.0, 0.0, 0.7, 25.0})
    for (const double x : {0.0, 1.0, 3.0}) {
      double d = 0, up = 0, down = 0, scratch = 0;
      const double f = 1 / (1 + std::exp(-u));
      EXPECT_NEAR(glm_log_likelihood(glm_noise::poisson, glm_link::sigmoid, x, u, d),
                  x * std::log(f) - f - std::lgamma(x + 1), 1e-9 * (1 + std::fabs(x * std::log(f))));
      up = glm_log_likelihood(glm_noise::poisson, glm_link::sigmoid, x, u + 1e-6, scratch);
      down = glm_log_likelihood(glm_noise::poisson, glm_link::sigmoid, x, u - 1e-6, scratch);
      EXPECT_NEAR(d, (up - down) / 2e-6, 1e-6 * (1 + std::fabs(d)));
      up = glm_log_likelihood(glm_noise::poisson, glm_link::softplus, x, u + 1e-6, scratch);
      down = glm_log_likelihood(glm_noise::poisson, glm_link::softplus, x, u - 1e-6, scratch);
      glm_log_likelihood(glm_noise::poisson, glm_link::softplus, x, u, d);
      EXPECT_NEAR(d, (up - down) / 2e-6, 1e-5 * (1 + std::fabs(d)));
      if (x > 1) continue;
      // The textbook form loses digits where f rounds to 0 or 1 (|u| > 20): compared where it holds.
      const double bernoulli = glm_log_likelihood(glm_noise::bernoulli, glm_link::sigmoid, x, u, d);
      if (std::fabs(u) < 20) {
        EXPECT_NEAR(bernoulli, x * std::log(f) + (1 - x) * std::log1p(-f), 1e-9 * (1 + std::fabs(u)));
      }
      EXPECT_NEAR(d, x - f, 1e-15);
    }
  double d = 0;
  EXPECT_THROW(glm_log_likelihood(glm_noise::bernoulli, glm_link::softplus, 1, 0, d), std::invalid_argument);
}

TEST(analysis_glm, row_gradient_matches_finite_differences_for_every_prior) {
  const auto poisson = random_design(60, 4, 3, false, 1), bernoulli = random_design(60, 4, 3, true, 2);
  row_prior none, gauss, onehot, gumbel, concrete;
  gauss.kind = weight_prior::gaussian, gauss.mean = {0.3, -0.2, 0.0, 0.5};
  onehot.kind = weight_prior::onehot;
  // The relaxation of training: two fixed Gumbel samples at temperature 0.5.
  gumbel.kind = weight_prior::onehot, gumbel.samples = 2, gumbel.weight_tau = 0.5;
  gumbel.gumbel = random_theta(2 * 3 * 4 * 3, 9);
  concrete = gumbel, concrete.concrete = true;
  std::uint32_t id = 10;
  for (const auto* prior : {&none, &gauss, &onehot, &gumbel, &concrete}) {
    expect_gradient_matches(poisson, glm_noise::poisson, glm_link::sigmoid, *prior, 1, ++id);
    expect_gradient_matches(poisson, glm_noise::poisson, glm_link::softplus, *prior, 2, ++id);
    expect_gradient_matches(bernoulli, glm_noise::bernoulli, glm_link::sigmoid, *prior, 0, ++id);
  }
  // The prior weighted as the demo's per-trial objective weighs it (row_prior::weight).
  auto heavy_gauss = gauss, heavy_gumbel = gumbel;
  heavy_gauss.weight = heavy_gumbel.weight = 30;
  for (const auto* prior : {&heavy_gauss, &heavy_gumbel})
    expect_gradient_matches(poisson, glm_noise::poisson, glm_link::sigmoid, *prior, 1, ++id);
  // A plain GLM is the one-state case.
  auto plain = random_design(80, 3, 1, false, 3);
  expect_gradient_matches(plain, glm_noise::poisson, glm_link::sigmoid, none, 0, 99);
}

TEST(analysis_glm, prior_weight_scales_the_log_prior_alone) {
  // Gaussian and naive rows share a layout: the difference of their objectives is the log-prior.
  const auto d = random_design(40, 3, 2, false, 5);
  row_prior none, gauss;
  gauss.kind = weight_prior::gaussian, gauss.mean = {0.1, -0.3, 0.2};
  const auto theta = random_theta(row_size(weight_prior::gaussian, 2, 3), 8);
  std::vector<double> g0, g1, g7;
  const double v0 = row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, none, theta, g0);
  const double v1 = row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, gauss, theta, g1);
  gauss.weight = 7;
  const double v7 = row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, gauss, theta, g7);
  EXPECT_NEAR(v7, v0 + 7 * (v1 - v0), 1e-9 * std::fabs(v7));
  for (std::size_t i = 0; i < g7.size(); ++i) EXPECT_NEAR(g7[i], g0[i] + 7 * (g1[i] - g0[i]), 1e-9) << i;
  // One-hot: our strength prior is not weighted, so what it adds is the same at weight 1 and 7.
  row_prior bare, with;
  bare.kind = with.kind = weight_prior::onehot, bare.strength_sd = 0, with.strength_sd = 0.3;
  const auto t1 = random_theta(row_size(weight_prior::onehot, 2, 3), 9);
  const double add1 = row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, with, t1, g1) -
                      row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, bare, t1, g0);
  bare.weight = with.weight = 7;
  const double add7 = row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, with, t1, g1) -
                      row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, bare, t1, g0);
  EXPECT_NEAR(add7, add1, 1e-9 * std::fabs(add1) + 1e-12);
  bare.weight = 0;
  EXPECT_THROW(row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, bare, t1, g0), std::invalid_argument);
}

TEST(analysis_glm, self_connection_is_held_out) {
  const auto d = random_design(30, 3, 2, false, 4);
  row_prior onehot;
  onehot.kind = weight_prior::onehot;
  const auto theta = random_theta(row_size(weight_prior::onehot, 2, 3), 7);
  std::vector<double> grad;
  row_objective(d, glm_noise::poisson, glm_link::sigmoid, 1, onehot, theta, grad);
  for (std::size_t s = 0; s < 2; ++s) {
    for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(grad[(s * 3 + 1) * 3 + c], 0.0);
    EXPECT_EQ(grad[2 * 3 * 3 + s * 3 + 1], 0.0);
  }
  const auto w = row_weights(weight_prior::onehot, 2, 3, 1, theta, true);
  EXPECT_EQ(w[1], 0.0);
  EXPECT_EQ(w[4], 0.0);
}

// The binary Concrete density in closed form (Maddison et al. 2017, eq. 23 with alpha = e^{l1 - l0}):
// p(y) = tau alpha y^{-tau-1} (1-y)^{-tau-1} / (alpha y^{-tau} + (1-y)^{-tau})^2, y = y_1.
TEST(analysis_glm, concrete_density_matches_the_binary_closed_form_and_integrates_to_one) {
  const double tau = 0.5, l[2] = {0.3, -0.2}, alpha = std::exp(l[1] - l[0]);
  double integral = 0;
  const double ds = 1e-3;
  for (double s = -60; s <= 60; s += ds) {  // y = sigmoid(s): dy = y (1 - y) ds
    const double y = 1 / (1 + std::exp(-s)), ly[2] = {-std::log1p(std::exp(s)), -std::log1p(std::exp(-s))};
    const double lp = concrete_log_density(ly, l, 2, tau, nullptr, nullptr);
    const double closed = tau * alpha * std::pow(y, -tau - 1) * std::pow(1 - y, -tau - 1) /
                          std::pow(alpha * std::pow(y, -tau) + std::pow(1 - y, -tau), 2);
    if (std::fabs(s) < 10) {
      EXPECT_NEAR(std::exp(lp), closed, 1e-10 * closed) << y;
    }
    integral += std::exp(lp + ly[0] + ly[1]) * ds;
  }
  EXPECT_NEAR(integral, 1.0, 1e-4);
}

TEST(analysis_glm, generator_matches_the_demos_statistics) {
  // Gamma variates: means within 5 standard errors.
  for (const double shape : {0.2, 1.6}) {
    double sum = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) sum += gamma_variate(shape, 1, test_purpose, 0, static_cast<std::uint64_t>(i));
    EXPECT_NEAR(sum / n, shape, 5 * std::sqrt(shape / n)) << shape;
  }
  plant_options o;
  o.states = 5, o.neurons = 40;
  const auto g = plant_switching_glm(o, 11, test_purpose);
  // Classes: the Dirichlet mean (0.1, 0.8, 0.1); 7800 draws correlated through 1560 pairs
  // (sd of a pair's p_none 0.23, so a standard error near 0.006): 0.03 is five of them.
  double count[3] = {}, strength = 0, connected = 0, total = 0;
  for (std::size_t k = 0; k < g.adjacency.size(); ++k) {
    if ((k / 40) % 40 == k % 40) {
      EXPECT_EQ(g.adjacency[k], 0);
      continue;
    }
    count[g.adjacency[k] + 1] += 1, total += 1;
    if (g.adjacency[k] != 0) strength += std::fabs(g.model.weights[k]), connected += 1;
  }
  EXPECT_NEAR(count[0] / total, 0.1, 0.03);
  EXPECT_NEAR(count[1] / total, 0.8, 0.03);
  EXPECT_NEAR(count[2] / total, 0.1, 0.03);
  // Strengths log(1 + 3 U), U ~ U(0, 1): mean (4 log 4 - 3) / 3 (integral of log v over [1, 4],
  // divided by 3), sd 0.382, about 1560 connections.
  EXPECT_NEAR(strength / connected, (4 * std::log(4.0) - 3) / 3, 5 * 0.382 / std::sqrt(connected));
  for (const double b : g.model.bias) EXPECT_LE(std::fabs(b), 0.05);
  // A long trial: switches at rate 0.02 per bin; counts whose mean is the model's rate.
  o.neurons = 10;
  const auto small = plant_switching_glm(o, 12, test_purpose);
  const auto trial = sample_switching_glm(small.model, 20000, 12, test_purpose, 1u << 24);
  double switches = 0;
  for (std::size_t t = 1; t < trial.bins; ++t) switches += trial.states[t] != trial.states[t - 1] ? 1 : 0;
  const double bins = static_cast<double>(trial.bins);
  EXPECT_NEAR(switches / (bins - 1), 0.02, 5 * std::sqrt(0.02 * 0.98 / bins));
  const auto h = history(trial, small.model.basis);
  double residual = 0, variance = 0;
  for (std::size_t t = 0; t < trial.bins; ++t)
    for (std::size_t n = 0; n < 10; ++n) {
      const auto s = static_cast<std::size_t>(trial.states[t]);
      double u = small.model.bias[n];
      for (std::size_t p = 0; p < 10; ++p) u += small.model.weights[(s * 10 + n) * 10 + p] * h[t * 10 + p];
      const double f = 1 / (1 + std::exp(-u));
      residual += trial.counts[t * 10 + n] - f, variance += f;  // Poisson: variance = rate
    }
  EXPECT_LT(std::fabs(residual / std::sqrt(variance)), 5.0);
}

TEST(analysis_glm, lbfgs_minimises_rosenbrock) {
  std::vector<double> x = {-1.2, 1.0};
  lbfgs_options o;
  o.max_iterations = 200, o.max_step = 10;
  const auto r = minimise_lbfgs(
      [](const std::vector<double>& v, std::vector<double>& g) {
        const double a = 1 - v[0], b = v[1] - v[0] * v[0];
        g = {-2 * a - 400 * v[0] * b, 200 * b};
        return a * a + 100 * b * b;
      },
      x, o);
  EXPECT_NEAR(x[0], 1.0, 1e-5);
  EXPECT_NEAR(x[1], 1.0, 1e-5);
  EXPECT_LT(r.value, 1e-10);
}

TEST(analysis_glm, em_gives_the_same_bits_on_one_and_two_threads) {
  plant_options p;
  p.states = 2, p.neurons = 5;
  const auto g = plant_switching_glm(p, 21, test_purpose);
  std::vector<spike_trial> trials;
  for (std::uint32_t k = 0; k < 3; ++k) trials.push_back(sample_switching_glm(g.model, 150, 21, test_purpose, (1u << 24) + k));
  for (const auto kind : {weight_prior::gaussian, weight_prior::onehot}) {
    hmm_glm_options o;
    o.prior = kind, o.states = 2, o.em_iterations = 2, o.m_iterations = 3, o.purpose = test_purpose;
    o.threads = 1;
    const auto one = fit_hmm_glm(trials, o);
    o.threads = 2;
    const auto two = fit_hmm_glm(trials, o);
    EXPECT_EQ(one.rows, two.rows) << weight_prior_name(kind);
    EXPECT_EQ(one.model.transition, two.model.transition);
    EXPECT_EQ(one.log_likelihood, two.log_likelihood);
  }
}

TEST(analysis_glm, restarts_keep_the_best_training_likelihood) {
  plant_options p;
  p.states = 2, p.neurons = 4;
  const auto g = plant_switching_glm(p, 31, test_purpose);
  std::vector<spike_trial> trials;
  for (std::uint32_t k = 0; k < 2; ++k) trials.push_back(sample_switching_glm(g.model, 120, 31, test_purpose, (1u << 24) + k));
  hmm_glm_options o;
  o.prior = weight_prior::gaussian, o.states = 2, o.em_iterations = 2, o.m_iterations = 3, o.purpose = test_purpose;
  const auto first = fit_hmm_glm(trials, o);
  o.seed = 2;
  const auto second = fit_hmm_glm(trials, o);
  o.seed = 1, o.restarts = 2;
  const auto best = fit_hmm_glm(trials, o);
  EXPECT_EQ(best.log_likelihood.back(), std::max(first.log_likelihood.back(), second.log_likelihood.back()));
}

TEST(analysis_glm, bad_input_is_named) {
  spike_trial bad{10, 3, std::vector<double>(29, 0.0), {}};
  try {
    history(bad, exponential_basis(5));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("10 bins x 3 neurons"), std::string::npos) << e.what();
  }
  spike_trial a{4, 3, std::vector<double>(12, 0.0), {}}, b{4, 2, std::vector<double>(8, 0.0), {}};
  EXPECT_THROW(fit_hmm_glm({a, b}, hmm_glm_options{}), std::invalid_argument);
  EXPECT_THROW(fit_hmm_glm({}, hmm_glm_options{}), std::invalid_argument);
}
