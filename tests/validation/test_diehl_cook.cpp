// The pieces of the Diehl & Cook modules of place-recognition against closed forms: the
// adaptive-threshold neuron (relaxation of V, decay of theta and of a conductance, frozen theta),
// the STDP rule on a hand-timed spike sequence, weight normalisation (exact column sums, the same
// bits for one or two workers, inside a running network), the all_to_others connector, the
// poisson_rates source's rate, the input delay groups of memory/diehl_cook, and the scoring of memory/place_recognition on hand examples.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"
#include "memory/diehl_cook.hpp"
#include "memory/place_recognition.hpp"
#include "network/build.hpp"

using namespace neurite;
using core::index_t;

namespace {

constexpr double dt = 0.5;

// One neuron's dynamics driven step by step with chosen receptor input.
struct single_neuron {
  std::unique_ptr<core::neuron_dynamics> d;
  std::vector<core::input_t> ex{0}, in{0};
  std::vector<double> current{0};
  core::step_t step = 0;

  explicit single_neuron(const std::vector<std::pair<std::string, double>>& params) {
    const auto* info = core::find_neuron_model("diehl_cook_lif");
    core::param_set p(info->params);
    for (const auto& [k, v] : params) p.set(k, v);
    d = info->make(p, 1, dt, {});
  }
  bool advance(core::input_t w_ex = 0, core::input_t w_in = 0) {
    ex[0] = w_ex, in[0] = w_in;
    const core::input_t* receptors[] = {ex.data(), in.data()};
    core::step_input s{receptors, current.data(), step++, 1, 0};
    std::vector<index_t> spiked;
    d->update(0, 1, s, spiked);
    return !spiked.empty();
  }
  double& operator[](const char* name) { return *d->state(name); }
};

}  // namespace

TEST(diehl_cook_lif, membrane_relaxes_to_rest_exactly) {
  single_neuron n({});
  n["V_m"] = -55;  // below the threshold of -52 mV
  for (int k = 1; k <= 400; ++k) {
    ASSERT_FALSE(n.advance());
    EXPECT_NEAR(n["V_m"], -65 + 10 * std::exp(-k * dt / 100), 1e-12) << k;
  }
}

TEST(diehl_cook_lif, theta_jumps_at_a_spike_and_decays_exponentially) {
  single_neuron n({{"tau_theta", 100.0}, {"theta_plus", 0.5}});
  n["V_m"] = -40;
  ASSERT_TRUE(n.advance());
  EXPECT_DOUBLE_EQ(n["theta"], 0.5);
  EXPECT_DOUBLE_EQ(n["V_m"], -65);
  for (int k = 1; k <= 400; ++k) {
    ASSERT_FALSE(n.advance());
    EXPECT_NEAR(n["theta"], 0.5 * std::exp(-k * dt / 100), 1e-14) << k;
  }
  // The threshold is V_th + theta: a potential between the two does not fire.
  n["theta"] = 5, n["V_m"] = -48;
  EXPECT_FALSE(n.advance());
}

TEST(diehl_cook_lif, frozen_theta_neither_jumps_nor_decays) {
  single_neuron n({{"tau_theta", 10.0}, {"frozen", 1.0}});
  n["theta"] = 3;
  n["V_m"] = -20;
  ASSERT_TRUE(n.advance());
  for (int k = 0; k < 100; ++k) n.advance();
  EXPECT_EQ(n["theta"], 3);
}

TEST(diehl_cook_lif, conductance_jumps_by_the_weight_and_decays) {
  single_neuron n({{"tau_syn_ex", 1.0}, {"tau_syn_in", 2.0}});
  n.advance(2.0f, -3.0f);
  EXPECT_DOUBLE_EQ(n["g_ex"], 2.0);
  EXPECT_DOUBLE_EQ(n["g_in"], 3.0);
  for (int k = 1; k <= 20; ++k) {
    n.advance();
    EXPECT_NEAR(n["g_ex"], 2.0 * std::exp(-k * dt / 1.0), 1e-12);
    EXPECT_NEAR(n["g_in"], 3.0 * std::exp(-k * dt / 2.0), 1e-12);
  }
}

namespace {

std::unique_ptr<core::plasticity_rule> dc_rule(const std::vector<std::pair<std::string, double>>& params) {
  const auto* info = core::find_plasticity_rule("stdp_diehl_cook");
  core::param_set p(info->params);
  for (const auto& [k, v] : params) p.set(k, v);
  return info->make(p, dt);
}

// pre at step 10, post at 20 and 30, pre at 40, on one synapse starting at 0.5.
float pair_sequence(bool pre_potentiates) {
  auto rule = dc_rule({{"norm_total", 0.0}, {"pre_potentiates", pre_potentiates ? 1.0 : 0.0}});
  rule->prepare(1, 1, 1, 1);
  const index_t target[] = {0};
  const core::target_view view{nullptr, target};
  float w[] = {0.5f};
  rule->on_pre(0, 10, 0, 0, 1, view, w);
  for (const core::step_t t : {20, 30}) rule->on_post(t, 0), rule->count_post(t, 0);
  rule->on_pre(0, 40, 0, 0, 1, view, w);
  return w[0];
}

}  // namespace

TEST(stdp_diehl_cook, pair_sequence_matches_the_closed_form) {
  // The first post spike finds post2 = 0: no potentiation. The second: nu_post pre(30) post2(30-).
  // The pre spike at 40: -nu_pre post1(40), or + with the VPRSNN sign.
  const double up = 0.01 * std::exp(-20 * dt / 20) * std::exp(-10 * dt / 40);
  const double pre_term = 1e-4 * std::exp(-10 * dt / 20);
  EXPECT_NEAR(pair_sequence(false), 0.5 + up - pre_term, 1e-7);
  EXPECT_NEAR(pair_sequence(true), 0.5 + up + pre_term, 1e-7);
}

namespace {

// 5 sources onto 3 targets, all to all, rows by source; the targets split between `blocks` workers.
struct columns {
  std::vector<std::vector<std::uint32_t>> row_start;
  std::vector<std::vector<index_t>> targets;
  std::vector<std::vector<float>> weight;
  std::vector<core::plastic_rows> rows;

  explicit columns(int blocks) {
    const std::vector<std::vector<index_t>> owned = blocks == 1 ? std::vector<std::vector<index_t>>{{0, 1, 2}}
                                                                : std::vector<std::vector<index_t>>{{0}, {1, 2}};
    for (const auto& own : owned) {
      auto& rs = row_start.emplace_back(1, 0);
      auto& t = targets.emplace_back();
      auto& w = weight.emplace_back();
      for (index_t s = 0; s < 5; ++s) {
        for (const index_t j : own) t.push_back(j), w.push_back(0.01f * static_cast<float>(1 + s * 3 + j * 7));
        rs.push_back(static_cast<std::uint32_t>(t.size()));
      }
    }
    for (std::size_t b = 0; b < row_start.size(); ++b)
      rows.push_back({row_start[b].data(), 5, {nullptr, targets[b].data()}, weight[b].data()});
  }
  // The weight of source s onto target j.
  float at(index_t s, index_t j) const {
    for (std::size_t b = 0; b < targets.size(); ++b)
      for (auto k = row_start[b][s]; k < row_start[b][s + 1]; ++k)
        if (targets[b][k] == j) return weight[b][k];
    return NAN;
  }
};

}  // namespace

TEST(stdp_diehl_cook, normalisation_sets_every_column_sum_at_each_period) {
  for (const int blocks : {1, 2}) {
    auto rule = dc_rule({{"norm_total", 3.0}, {"norm_every", 5.0}});  // every 10 steps
    rule->prepare(5, 3, blocks, 1);
    columns c(blocks);
    const float before = c.at(2, 1);
    EXPECT_FALSE(rule->due(8));
    rule->flush(8, c.rows);
    EXPECT_EQ(c.at(2, 1), before);  // not yet a period
    EXPECT_TRUE(rule->due(9));
    rule->flush(9, c.rows);
    EXPECT_FALSE(rule->due(9));
    for (index_t j = 0; j < 3; ++j) {
      double sum = 0;
      for (index_t s = 0; s < 5; ++s) sum += c.at(s, j);
      EXPECT_NEAR(sum, 3.0, 1e-6) << j;
    }
    // Ratios within a column are kept: (1 + 3s + 7j) / sum over s.
    EXPECT_NEAR(c.at(2, 1), 3.0 * (1 + 6 + 7) / (5 * 8.0 + 30.0), 1e-6);
  }
  columns one(1), two(2);
  auto r1 = dc_rule({{"norm_total", 3.0}, {"norm_every", 5.0}}), r2 = dc_rule({{"norm_total", 3.0}, {"norm_every", 5.0}});
  r1->prepare(5, 3, 1, 1), r2->prepare(5, 3, 2, 1);
  r1->flush(9, one.rows), r2->flush(9, two.rows);
  for (index_t s = 0; s < 5; ++s)
    for (index_t j = 0; j < 3; ++j) EXPECT_EQ(one.at(s, j), two.at(s, j));  // the same bits for any workers
}

namespace {

// Poisson inputs onto adaptive-threshold neurons through a plastic, normalised projection.
network::network_desc small_diehl_cook(int threads, double norm_total) {
  network::network_desc d;
  d.file = "test";
  d.simulation = {dt, 100.0, 7, threads};
  d.populations.push_back({"X", "poisson_rates", 40, {{"rate", 150.0}}, {}, {}, "X"});
  d.populations.push_back({"E", "diehl_cook_lif", 6, {}, {}, {}, "E"});
  d.populations.push_back({"I", "diehl_cook_lif", 6, {{"E_L", -60.0}, {"V_reset", -45.0}, {"V_th", -40.0}}, {}, {}, "I"});
  network::connector_desc all, one, others;
  one.type = network::connector_desc::rule::one_to_one;
  others.type = network::connector_desc::rule::all_to_others;
  network::projection_desc xe{"XE", "X", "E", all, {network::value_dist::kind::uniform, 0.0, 0.3}, {network::value_dist::kind::constant, dt},
                              network::plasticity_desc{"stdp_diehl_cook", {{"norm_total", norm_total}, {"norm_every", 50.0}, {"nu_post", 0.05}}}, "XE"};
  d.projections.push_back(xe);
  d.projections.push_back({"EI", "E", "I", one, {network::value_dist::kind::constant, 10.4}, {network::value_dist::kind::constant, dt}, {}, "EI"});
  d.projections.push_back({"IE", "I", "E", others, {network::value_dist::kind::constant, -17.0}, {network::value_dist::kind::constant, dt}, {}, "IE"});
  return d;
}

std::vector<double> column_sums(const core::simulation& sim, index_t n) {
  std::vector<double> s(n, 0.0);
  for (const auto& w : sim.weights(0)) s[w.target] += w.weight;
  return s;
}

}  // namespace

TEST(stdp_diehl_cook, a_running_network_is_normalised_at_every_period_on_any_thread_count) {
  auto one = network::build(small_diehl_cook(1, 10.0)).sim;
  auto two = network::build(small_diehl_cook(2, 10.0)).sim;
  for (int k = 0; k < 3; ++k) {
    one->run(50.0), two->run(50.0);
    for (const double s : column_sums(*one, 6)) EXPECT_NEAR(s, 10.0, 1e-4);
  }
  one->run(20.0), two->run(20.0);  // between two periods the rule changes sums freely
  const auto& fired = one->populations()[1].spike_count;
  EXPECT_GT(std::accumulate(fired.begin(), fired.end(), 0u), 20u);  // so that STDP had work to do
  const auto w1 = one->weights(0), w2 = two->weights(0);
  ASSERT_EQ(w1.size(), w2.size());
  for (std::size_t k = 0; k < w1.size(); ++k) EXPECT_EQ(w1[k].weight, w2[k].weight) << k;
  const double* t1 = one->populations()[1].dynamics->state("theta");
  const double* t2 = two->populations()[1].dynamics->state("theta");
  for (int j = 0; j < 6; ++j) EXPECT_EQ(t1[j], t2[j]);
}

TEST(all_to_others, connects_every_pair_but_the_same_index) {
  auto sim = network::build(small_diehl_cook(2, 2.0)).sim;
  const auto w = sim->weights(2);
  ASSERT_EQ(w.size(), 6u * 5u);
  for (const auto& s : w) {
    EXPECT_NE(s.source, s.target);
    EXPECT_EQ(s.weight, -17.0f);
  }
}

TEST(poisson_rates, fires_at_the_rate_set_between_runs) {
  network::network_desc d;
  d.file = "test";
  d.simulation = {dt, 1000.0, 3, 1};
  d.populations.push_back({"X", "poisson_rates", 200, {{"rate", 0.0}}, {}, {}, "X"});
  auto sim = network::build(d).sim;
  sim->run(100.0);
  EXPECT_EQ(sim->populations()[0].spike_count[0], 0u);
  double* rate = sim->populations()[0].dynamics->state("rate");
  for (int i = 0; i < 200; ++i) rate[i] = i < 100 ? 40.0 : 0.0;
  sim->run(1000.0);
  const auto& c = sim->populations()[0].spike_count;
  const double fast = std::accumulate(c.begin(), c.begin() + 100, 0.0), slow = std::accumulate(c.begin() + 100, c.end(), 0.0);
  // 100 neurons x 1 s x 40 Hz: 4000 spikes, sd 63 (p = 1 - e^{-0.02} per step, binomial).
  const double mean = 100 * 2000 * -std::expm1(-40.0 * dt * 1e-3);
  EXPECT_NEAR(fast, mean, 5 * std::sqrt(mean));
  EXPECT_EQ(slow, 0.0);
}

TEST(place_recognition, assignment_hyperactivity_scores_and_precision_recall) {
  // Images 0, 1 of place 0 and 2, 3 of place 1; neuron 2 fires for all four (hyperactive at 4).
  const memory::responses ref{{3, 0, 1}, {1, 0, 1}, {0, 2, 1}, {0, 2, 1}};
  const auto a = memory::assign_neurons(ref, {0, 0, 1, 1}, 2);
  EXPECT_EQ(a, (std::vector<int>{0, 1, 0}));  // neuron 2 ties: the lowest place
  EXPECT_EQ(memory::hyperactive_neurons(ref, 0), (std::vector<bool>{false, false, false}));
  EXPECT_EQ(memory::hyperactive_neurons(ref, 4), (std::vector<bool>{false, false, true}));
  EXPECT_EQ(memory::hyperactive_neurons(ref, 5), (std::vector<bool>{false, false, false}));
  const memory::responses query{{0, 5, 9}};
  EXPECT_EQ(memory::module_scores(query, a, {false, false, false}, 2)[0], (std::vector<double>{4.5, 5.0}));
  EXPECT_EQ(memory::module_scores(query, a, {false, false, true}, 2)[0], (std::vector<double>{0.0, 5.0}));
  // Two modules of two places: the most confident module answers.
  const auto answers = memory::modular_answers({{{1, 2}, {7, 0}}, {{0, 3}, {1, 1}}});
  EXPECT_EQ(answers[0].place, 3);
  EXPECT_EQ(answers[1].place, 0);
  EXPECT_DOUBLE_EQ(memory::recall_at_1(answers, {3, 1}), 0.5);
  const std::vector<memory::place_answer> pr_in{{0, 3}, {1, 2}, {2, 2}, {3, 1}};
  const auto pr = memory::precision_recall(pr_in, {0, 9, 2, 9});
  ASSERT_EQ(pr.size(), 3u);
  EXPECT_DOUBLE_EQ(pr[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(pr[0].recall, 0.25);
  EXPECT_DOUBLE_EQ(pr[1].precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(pr[1].recall, 0.5);
  EXPECT_DOUBLE_EQ(pr[2].precision, 0.5);
  EXPECT_DOUBLE_EQ(pr[2].recall, 0.5);
  EXPECT_EQ(memory::hyperactive_grid(), (std::vector<int>{0, 5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200}));
}

TEST(place_recognition, patch_normalisation_by_hand) {
  // 3 x 3, one bright centre, patch 3. Centre: window of all 9 pixels, mu = 1, sd = sqrt(8), z
  // = 8 / sqrt(8) > 1 -> 1 -> 255. Corner: its 2 x 2 window {0, 0, 0, 9}, mu = 2.25, sd =
  // sqrt((3 * 2.25^2 + 6.75^2) / 4); edge: its 2 x 3 window, mu = 1.5, sd = sqrt((5 * 1.5^2 +
  // 7.5^2) / 6).
  const std::vector<float> img{0, 0, 0, 0, 9, 0, 0, 0, 0};
  const auto out = memory::patch_normalise(img, 3, 3, 3);
  const auto eight_bit = [](double z) { return std::floor(255 * (1 + z) / 2) / 255; };
  const double corner = -2.25 / std::sqrt((3 * 2.25 * 2.25 + 6.75 * 6.75) / 4);
  const double edge = -1.5 / std::sqrt((5 * 1.5 * 1.5 + 7.5 * 7.5) / 6);
  EXPECT_FLOAT_EQ(out[4], 1.0f);
  EXPECT_FLOAT_EQ(out[0], static_cast<float>(eight_bit(corner)));  // 53 / 255
  EXPECT_FLOAT_EQ(out[8], static_cast<float>(eight_bit(corner)));
  EXPECT_FLOAT_EQ(out[1], static_cast<float>(eight_bit(edge)));  // 70 / 255
  EXPECT_FLOAT_EQ(out[3], static_cast<float>(eight_bit(edge)));
  // A flat image is mid grey (127 / 255); brightness and contrast do not matter.
  for (const float v : memory::patch_normalise(std::vector<float>(16, 0.3f), 4, 4, 3)) EXPECT_FLOAT_EQ(v, 127.0f / 255);
  std::vector<float> lit(img.size());
  for (std::size_t i = 0; i < img.size(); ++i) lit[i] = 0.5f * img[i] + 0.25f;
  EXPECT_EQ(memory::patch_normalise(lit, 3, 3, 3), out);
  EXPECT_THROW(memory::patch_normalise(img, 3, 3, 2), std::invalid_argument);
  EXPECT_THROW(memory::patch_normalise(img, 2, 3, 3), std::invalid_argument);
}

TEST(diehl_cook_lif, t_block_spaces_spikes_while_v_integrates) {
  // I_e / g_L = 50 mV: V_inf = -15 mV, far above the threshold. After the 5 ms clamp V needs
  // tau_m ln(50 / 37) = 30.1 ms to reach -52 mV again, so without t_block the interval is about
  // 35 ms; with t_block = 50 ms every interval is exactly 100 steps, and V is above the
  // threshold before the block ends (it integrated after t_ref).
  for (const double block : {0.0, 50.0}) {
    single_neuron n({{"I_e", 500.0}, {"theta_plus", 0.0}, {"t_block", block}});
    std::vector<int> spikes;
    for (int k = 0; k < 2000; ++k)
      if (n.advance()) spikes.push_back(k);
    ASSERT_GE(spikes.size(), 5u);
    for (std::size_t i = 1; i < spikes.size(); ++i) {
      const int gap = spikes[i] - spikes[i - 1];
      if (block > 0) {
        EXPECT_EQ(gap, 100) << i;
      } else {
        EXPECT_NEAR(gap * dt, 5 + 100 * std::log(50.0 / 37.0), 1.0) << i;
      }
    }
  }
  // During the block, V passes the threshold and waits there.
  single_neuron n({{"I_e", 500.0}, {"theta_plus", 0.0}, {"t_block", 50.0}});
  while (!n.advance()) {
  }
  for (int j = 0; j < 99; ++j) ASSERT_FALSE(n.advance()) << j;
  EXPECT_GT(n["V_m"], -52.0);
  EXPECT_TRUE(n.advance());
}

namespace {
// Per neuron and delay group: the number of input synapses and the sum of their weights.
struct group_tally {
  std::vector<std::vector<int>> count;
  std::vector<std::vector<double>> sum;
};
group_tally tally(const memory::diehl_cook_config& c, const std::vector<float>& weights) {
  group_tally t{std::vector<std::vector<int>>(c.n_e, std::vector<int>(c.delay_groups, 0)),
                std::vector<std::vector<double>>(c.n_e, std::vector<double>(c.delay_groups, 0.0))};
  for (index_t i = 0; i < c.n_input; ++i)
    for (index_t j = 0; j < c.n_e; ++j) {
      const index_t g = memory::input_delay_group(c, i, j);
      ++t.count[j][g];
      t.sum[j][g] += weights[std::size_t{i} * c.n_e + j];
    }
  return t;
}

memory::diehl_cook_config grouped_module() {
  memory::diehl_cook_config c;
  c.n_input = 16, c.n_e = 4, c.delay_groups = 4, c.norm_total = 4.0;
  c.dt = 0.1, c.input_delay = 0.1, c.input_delay_spread = 2.0;
  c.present_ms = 40, c.rest_ms = 10, c.max_repeats = 0, c.t_block = 0;
  c.max_rate = 1000;  // [Hz] strong enough for 5 active inputs to make the neurons fire
  return c;
}
}  // namespace

TEST(diehl_cook_module, delay_groups_are_equal_and_each_normalised_before_and_after_training) {
  const auto c = grouped_module();
  const auto start = memory::initial_diehl_cook(c);
  const auto t0 = tally(c, start.weights);
  for (index_t j = 0; j < c.n_e; ++j)
    for (index_t g = 0; g < c.delay_groups; ++g) {
      EXPECT_EQ(t0.count[j][g], 4);          // 16 inputs / 4 groups
      EXPECT_NEAR(t0.sum[j][g], 1.0, 1e-5);  // norm_total / groups
    }
  // Neighbouring neurons see pixel 0 with different delays.
  EXPECT_NE(memory::input_delay_group(c, 0, 0), memory::input_delay_group(c, 0, 1));
  std::vector<std::vector<float>> images(3, std::vector<float>(16, 0.0f));
  for (int k = 0; k < 16; ++k) images[static_cast<std::size_t>(k % 3)][static_cast<std::size_t>(k)] = 1.0f;
  auto one = c, two = c;
  one.threads = 1, two.threads = 2;
  const auto a = memory::train_diehl_cook(one, start, images), b = memory::train_diehl_cook(two, start, images);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.theta, b.theta);
  EXPECT_NE(a.weights, start.weights);  // STDP acted
  // Every image ends a normalisation period, so each group sums to its share again.
  const auto t = tally(c, a.weights);
  for (index_t j = 0; j < c.n_e; ++j)
    for (index_t g = 0; g < c.delay_groups; ++g) EXPECT_NEAR(t.sum[j][g], 1.0, 1e-4) << j << " " << g;
}

TEST(diehl_cook_module, delay_groups_that_do_not_divide_the_inputs_are_refused) {
  auto c = grouped_module();
  c.delay_groups = 5;
  EXPECT_THROW(memory::initial_diehl_cook(c), std::invalid_argument);
  c.delay_groups = 0;
  try {
    memory::input_delay_group(c, 0, 0);
    FAIL() << "delay_groups = 0 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("delay_groups = 0"), std::string::npos) << e.what();
  }
}
