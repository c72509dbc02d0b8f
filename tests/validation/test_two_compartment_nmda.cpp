// two_compartment_nmda: the passive two-compartment response against the closed form of the
// linear ODE, supralinear summation of dendritic input through the NMDA block (and only through
// it), and receptors chosen by name through the network description.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "fixture.hpp"
#include "network/build.hpp"

using namespace neurite::validation;
using namespace neurite;

namespace {
constexpr double C_m = 200, g_L = 10, C_d = 100, g_L_d = 5, g_c = 8, E_L = -70;

// Soma and dendrite at time t, started at rest with constant currents I_s into the soma and I_d
// into the dendrite: x' = A x + b for x = V - E_L, solved by Sylvester's formula for the 2x2
// exponential, e^{At} = (e^{l1 t}(A - l2) - e^{l2 t}(A - l1)) / (l1 - l2).
struct two_voltages {
  double s, d;
};
two_voltages passive_closed_form(double t, double I_s, double I_d) {
  const double a = -(g_L + g_c) / C_m, b = g_c / C_m, c = g_c / C_d, d = -(g_L_d + g_c) / C_d;
  const double u = I_s / C_m, v = I_d / C_d;
  const double det = a * d - b * c;
  const double xs_inf = -(d * u - b * v) / det, xd_inf = -(-c * u + a * v) / det;  // -A^{-1} b
  const double mean = (a + d) / 2, root = std::sqrt((a - d) * (a - d) / 4 + b * c);
  const double l1 = mean + root, l2 = mean - root, e1 = std::exp(l1 * t), e2 = std::exp(l2 * t);
  const double ys = -xs_inf, yd = -xd_inf;  // x(0) - x_inf
  const auto apply = [&](double l, double ys_, double yd_) {  // (A - l) y
    return two_voltages{(a - l) * ys_ + b * yd_, c * ys_ + (d - l) * yd_};
  };
  const two_voltages p1 = apply(l2, ys, yd), p2 = apply(l1, ys, yd);
  return {E_L + xs_inf + (e1 * p1.s - e2 * p2.s) / (l1 - l2), E_L + xd_inf + (e1 * p1.d - e2 * p2.d) / (l1 - l2)};
}

param_overrides passive(double I_s, double I_d, double substeps) {
  return {{"C_m", C_m}, {"g_L", g_L}, {"C_d", C_d}, {"g_L_d", g_L_d}, {"g_c", g_c}, {"E_L", E_L}, {"V_th", 100},
          {"I_e", I_s}, {"I_e_d", I_d}, {"n_substeps", substeps}};
}

// Peak somatic depolarisation [mV] after one dendritic input of weight w [nS] (no spiking).
double peak_epsp(double w, double nmda_ratio) {
  single_population net("two_compartment_nmda", {{"V_th", 100}, {"nmda_ratio", nmda_ratio}}, 0.1);
  net.add_spikes(2, static_cast<float>(w), {5.0}, 0.1);
  const auto rec = net.record("V_m", 0.1);
  net.run(300);
  const trace v = net.recorded(rec);
  return *std::max_element(v.v.begin(), v.v.end()) - E_L;
}
}  // namespace

// RK4's global error is ~ (h lambda)^4 / 120 relative; with |lambda| <= 0.15 /ms and h = 0.1 ms
// (one sub-step) that is ~5e-10 of the amplitude; 1e-7 leaves room yet sees any wrong term.
TEST(two_compartment_nmda, passive_response_matches_closed_form) {
  for (const double substeps : {1.0, 4.0}) {
    for (const auto& [I_s, I_d] : {std::pair{150.0, 0.0}, {0.0, 120.0}, {80.0, -60.0}}) {
      single_population net("two_compartment_nmda", passive(I_s, I_d, substeps), 0.1);
      const auto rs = net.record("V_m", 0.1), rd = net.record("V_d", 0.1);
      net.run(200);
      const trace vs = net.recorded(rs), vd = net.recorded(rd);
      const two_voltages end = passive_closed_form(1e6, I_s, I_d);
      const double amplitude = std::max(std::abs(end.s - E_L), std::abs(end.d - E_L));
      for (std::size_t k = 0; k < vs.t.size(); ++k) {
        const two_voltages x = passive_closed_form(vs.t[k], I_s, I_d);
        ASSERT_NEAR(vs.v[k], x.s, 1e-7 * amplitude) << "soma, t = " << vs.t[k] << ", I_s = " << I_s;
        ASSERT_NEAR(vd.v[k], x.d, 1e-7 * amplitude) << "dendrite, t = " << vd.t[k] << ", I_d = " << I_d;
      }
    }
  }
}

// Doubling a dendritic input more than doubles the somatic response once the NMDA block opens
// (measured: x3.0 from 8 to 16 nS at the default nmda_ratio = 2); without NMDA the driving force
// makes summation sublinear at every size.
TEST(two_compartment_nmda, nmda_block_makes_dendritic_summation_supralinear) {
  double best_gain = 0;
  for (const double w : {2.0, 4.0, 8.0, 16.0, 32.0}) {
    const double passive_gain = peak_epsp(2 * w, 0) / peak_epsp(w, 0);
    EXPECT_LE(passive_gain, 2.0) << "w = " << w;
    best_gain = std::max(best_gain, peak_epsp(2 * w, 2) / peak_epsp(w, 2));
  }
  EXPECT_GT(best_gain, 2.5);
  // Small inputs stay near linear (block almost closed): within 10% of doubling.
  EXPECT_NEAR(peak_epsp(0.2, 2) / peak_epsp(0.1, 2), 2.0, 0.2);
}

TEST(two_compartment_nmda, receptor_named_in_description) {
  network::network_desc d;
  d.file = "test";
  d.simulation = {0.1, 50.0, 1, 1};
  core::population_data times;
  times.spike_times = {{5.0}};
  d.populations.push_back({"in", "spike_source", 1, {}, {}, times, "in"});
  d.populations.push_back({"n", "two_compartment_nmda", 1, {{"V_th", 100.0}}, {}, {}, "n"});
  network::connector_desc all;
  const network::value_dist w{network::value_dist::kind::constant, 20.0}, delay{network::value_dist::kind::constant, 1.0};
  d.projections.push_back({"p", "in", "n", all, w, delay, {}, "model.toml:7", "dend_ex"});
  auto built = network::build(d);
  EXPECT_EQ(built.sim->projections()[0].receptor, 2u);
  built.sim->run(50);
  // The dendrite leads the soma after a dendritic input.
  auto& pop = built.sim->populations()[1];
  EXPECT_GT(pop.dynamics->state("V_d")[0], pop.dynamics->state("V_m")[0]);

  d.projections[0].receptor = "apical";
  try {
    network::build(d);
    FAIL() << "an unknown receptor was accepted";
  } catch (const network::build_error& e) {
    EXPECT_NE(std::string(e.what()).find("model.toml:7: projections[0].receptor: expected a receptor of "
                                         "two_compartment_nmda (ex, in, dend_ex, dend_in), found \"apical\""),
              std::string::npos)
        << e.what();
  }
}
