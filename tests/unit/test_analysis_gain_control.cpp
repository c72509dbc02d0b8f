// analysis/gain_control and analysis/projected_gradient against independent references: the
// W = 0 closed form (classic gain normalisation, derived in docs/gain_control.md), the on-drive
// closed forms against the optimiser, the time-domain solver against the steady state, the
// gradient against central finite differences, and the symmetry of the problem (turning the
// ensemble turns the gains).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "analysis/gain_control.hpp"
#include "analysis/projected_gradient.hpp"

using namespace neurite::analysis;

namespace {

gain_network_config small(gain_site site, fidelity fid, double rho) {
  gain_network_config c;
  c.neurons = 12;
  c.spectral_radius = rho;
  c.site = site;
  c.fid = fid;
  c.lambda = 1.0;
  return c;
}

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]) / std::fabs(b[i]));
  return m;
}

}  // namespace

TEST(projected_gradient, bound_constrained_quadratic_matches_hand_solution) {
  // min (x0 - 1)^2 + 2 (x1 + 3)^2 + x0 x1 / 2 with x >= 0: x1 sits on its bound, x0 = 1.
  const auto f = [](const std::vector<double>& x, std::vector<double>& g) {
    g = {2 * (x[0] - 1) + 0.5 * x[1], 4 * (x[1] + 3) + 0.5 * x[0]};
    return (x[0] - 1) * (x[0] - 1) + 2 * (x[1] + 3) * (x[1] + 3) + 0.5 * x[0] * x[1];
  };
  const auto r = minimise_projected(f, {5.0, 5.0}, {0.0, 0.0});
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.x[0], 1.0, 1e-8);
  EXPECT_EQ(r.x[1], 0.0);
}

TEST(gain_control, w_zero_is_classic_gain_normalisation) {
  // W = 0: L = sum_i [-log g_i + lambda g_i m_i], so g_i = 1 / (lambda m_i) (either gain site),
  // and the quadratic fidelity gives g_i = 1 - lambda m_i / (2 E[f_i^2]).
  const auto biased = biased_ensemble(24, 0.3, 0.4);
  for (const auto site : {gain_site::on_input, gain_site::on_drive}) {
    auto c = small(site, fidelity::log_det, 0.0);
    c.lambda = 0.7;
    const auto net = make_gain_network(c);
    const auto sol = optimal_gains(net, biased);
    std::vector<double> expected(c.neurons);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      double m = 0;
      for (std::size_t k = 0; k < biased.s.size(); ++k) m += biased.p[k] * drive(net, biased.s[k])[i];
      expected[i] = 1.0 / (c.lambda * m);
    }
    EXPECT_LT(max_rel_diff(sol.g, expected), 1e-6) << name_of(site) << " " << sol.method;
    EXPECT_LT(max_rel_diff(normalisation_gains(net, biased), expected), 1e-12);
    // Homeostasis is exact here: every mean response is 1 / lambda.
    for (const double m : mean_responses(tuning_curves(net, sol.g, biased), biased)) EXPECT_NEAR(m, 1 / c.lambda, 1e-6);
    // Gains fall where the adapter drives the neurons more.
    EXPECT_LT(sol.g[1], sol.g[7]);  // neuron 1 prefers 15 deg, near the 0.3 rad adapter; 7: 105 deg
  }
  auto c = small(gain_site::on_input, fidelity::quadratic, 0.0);
  c.lambda = 0.5;
  const auto net = make_gain_network(c);
  const auto sol = optimal_gains(net, biased);
  for (std::size_t i = 0; i < c.neurons; ++i) {
    double m = 0, m2 = 0;
    for (std::size_t k = 0; k < biased.s.size(); ++k) {
      const double f = drive(net, biased.s[k])[i];
      m += biased.p[k] * f, m2 += biased.p[k] * f * f;
    }
    EXPECT_NEAR(sol.g[i], 1 - c.lambda * m / (2 * m2), 1e-6) << i;
  }
}

TEST(gain_control, on_drive_closed_forms_agree_with_the_optimiser) {
  const auto biased = biased_ensemble(20, 0.0, 0.5);
  for (const auto fid : {fidelity::log_det, fidelity::quadratic}) {
    auto c = small(gain_site::on_drive, fid, 0.7);
    c.lambda = fid == fidelity::quadratic ? 0.1 : 1.0;  // at lambda = 1 every quadratic gain but one is 0
    const auto net = make_gain_network(c);
    const auto closed = optimal_gains(net, biased);
    EXPECT_EQ(closed.method.rfind("closed form", 0), 0u) << closed.method;
    std::vector<double> grad;
    const auto r = minimise_projected([&](const std::vector<double>& x, std::vector<double>& gr) {
      return objective(net, biased, x, gr);
    }, std::vector<double>(12, 0.3), std::vector<double>(12, 1e-12));
    EXPECT_TRUE(r.converged) << name_of(fid);
    for (std::size_t i = 0; i < 12; ++i) EXPECT_NEAR(r.x[i], closed.g[i], 1e-5 * std::max(1.0, closed.g[i])) << name_of(fid);
    EXPECT_LE(closed.value, r.value + 1e-10);
  }
}

TEST(gain_control, time_domain_solver_converges_to_the_steady_state) {
  for (const auto site : {gain_site::on_input, gain_site::on_drive}) {
    const auto net = make_gain_network(small(site, fidelity::log_det, 0.8));
    std::vector<double> g(12);
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = 0.6 + 0.05 * static_cast<double>(i);
    ASSERT_TRUE(stable(net, g));
    const auto f = drive(net, 0.4);
    const auto fixed = steady_state(net, g, f);
    // The slowest mode decays as exp(-(1 - rho_eff) t / tau), rho_eff <= 0.8 * 1.15: 200 tau is
    // far below 1e-10 relative; RK4 with dt = tau / 20 is exact to ~1e-9 per unit time.
    const auto r = integrate(net, g, f, std::vector<double>(12, 0.0), 10.0, 0.5, 2000.0);
    EXPECT_LT(max_rel_diff(r, fixed), 1e-8) << name_of(site);
    // Steady state really is a fixed point of the equation it solves.
    const auto again = integrate(net, g, f, fixed, 10.0, 0.5, 5.0);
    EXPECT_LT(max_rel_diff(again, fixed), 1e-12);
  }
  // Beyond the stability edge there is no steady state.
  const auto net = make_gain_network(small(gain_site::on_input, fidelity::log_det, 0.8));
  EXPECT_FALSE(stable(net, std::vector<double>(12, 1.3)));
  EXPECT_TRUE(std::isinf(steady_state(net, std::vector<double>(12, 1.3), drive(net, 0.0))[0]));
}

TEST(gain_control, gradient_matches_finite_differences) {
  const auto biased = biased_ensemble(16, 0.2, 0.35);
  for (const auto site : {gain_site::on_input, gain_site::on_drive})
    for (const auto fid : {fidelity::log_det, fidelity::quadratic}) {
      const auto net = make_gain_network(small(site, fid, 0.6));
      std::vector<double> g(12), grad, dummy;
      for (std::size_t i = 0; i < g.size(); ++i) g[i] = 0.5 + 0.07 * static_cast<double>((i * 5) % 12);
      objective(net, biased, g, grad);
      for (std::size_t k = 0; k < g.size(); ++k) {
        const double h = 1e-6 * g[k];
        auto up = g, down = g;
        up[k] += h, down[k] -= h;
        const double fd = (objective(net, biased, up, dummy) - objective(net, biased, down, dummy)) / (2 * h);
        // Central differences: error ~ h^2 f''' plus rounding ~ eps |L| / h; 1e-6 relative covers both.
        EXPECT_NEAR(grad[k], fd, 1e-6 * std::max(1.0, std::fabs(fd))) << name_of(site) << " " << name_of(fid) << " " << k;
      }
    }
}

TEST(gain_control, rotating_the_ensemble_rotates_the_gains) {
  // 12 neurons on a 24-orientation grid: turning p by 2 grid steps (15 deg) turns the problem by
  // one neuron, so the optimal gains move by one index.
  const auto net = make_gain_network(small(gain_site::on_input, fidelity::log_det, 0.7));
  const auto e = biased_ensemble(24, 0.0, 0.4);
  const auto g0 = optimal_gains(net, e).g, g1 = optimal_gains(net, rotate(e, 2)).g;
  for (std::size_t i = 0; i < 12; ++i) EXPECT_NEAR(g1[(i + 1) % 12], g0[i], 1e-6 * g0[i]) << i;
  // And a uniform ensemble gives equal gains.
  const auto u = optimal_gains(net, uniform_ensemble(24)).g;
  for (const double x : u) EXPECT_NEAR(x, u[0], 1e-7 * u[0]);
}

TEST(gain_control, adaptation_effects_in_the_rate_model) {
  // The paper's four ordering claims at a small size (the reproduction's rows at N = 12).
  const auto net = make_gain_network(small(gain_site::on_input, fidelity::log_det, 0.8));
  const auto uniform = uniform_ensemble(24), biased = biased_ensemble(24, 0.0, 0.5);
  const auto gu = optimal_gains(net, uniform).g, gb = optimal_gains(net, biased).g;
  const auto e = measure_effects(net.theta, 0.0, gu, gb, tuning_curves(net, gu, biased), tuning_curves(net, gb, biased), biased);
  EXPECT_LT(e.gain_ratio_near, 1.0);
  EXPECT_LT(e.gain_ratio_near, e.gain_ratio_far);
  EXPECT_LT(e.cv_adapted, e.cv_unadapted);
  EXPECT_GT(e.repulsion_deg, 0.0);
  EXPECT_LT(e.corr_adapted, e.corr_unadapted);
}

TEST(gain_control, bad_input_is_named) {
  auto c = small(gain_site::on_input, fidelity::log_det, 1.2);
  try {
    make_gain_network(c);
    FAIL() << "spectral radius 1.2 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("spectral_radius"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gain_site_from("soma"), std::invalid_argument);
  EXPECT_THROW(fidelity_from("fisher"), std::invalid_argument);
  const auto net = make_gain_network(small(gain_site::on_input, fidelity::log_det, 0.5));
  EXPECT_THROW(steady_state(net, std::vector<double>(3, 1.0), drive(net, 0.0)), std::invalid_argument);
}
