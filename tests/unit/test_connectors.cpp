// Connectors: exact degrees where the rule fixes them, binomial statistics where it is
// probabilistic, no autapses or multapses where forbidden, the same network for any number
// of workers; weight and delay distributions with their clipping.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "network/build.hpp"

using namespace neurite;
using network::connector_desc;
using network::value_dist;
using rule = connector_desc::rule;

namespace {

struct edge {
  core::index_t source, target;
  float weight;
  int delay;
  auto operator<=>(const edge&) const = default;
};

network::network_desc two_populations(core::index_t n_a, core::index_t n_b, int threads) {
  network::network_desc d;
  d.file = "test";
  d.simulation = {0.1, 1.0, 5, threads};
  d.populations.push_back({"A", "iaf_psc_delta", n_a, {}, {}, {}, "A"});
  d.populations.push_back({"B", "iaf_psc_exp", n_b, {}, {}, {}, "B"});
  return d;
}

// All synapses of the single projection, as (source, target, weight, delay) sorted.
std::vector<edge> edges_of(const network::network_desc& d) {
  auto built = network::build(d);
  const auto& p = built.sim->projections().at(0);
  std::vector<edge> out;
  for (const auto& b : p.blocks)
    for (core::index_t j = 0; j + 1 < b.row_start.size(); ++j)
      for (auto k = b.row_start[j]; k < b.row_start[j + 1]; ++k)
        out.push_back({j, b.target(k), b.weight.empty() ? p.weight : b.weight[k], b.delay.empty() ? p.delay : b.delay[k]});
  std::sort(out.begin(), out.end());
  return out;
}

network::network_desc with_projection(network::network_desc d, const std::string& src, const std::string& tgt,
                                      connector_desc c, value_dist w = {value_dist::kind::constant, 1.0},
                                      value_dist delay = {value_dist::kind::constant, 1.0}) {
  d.projections.push_back({"p", src, tgt, std::move(c), w, delay, {}, "p"});
  return d;
}

connector_desc make(rule r, double p = 0, std::uint64_t k = 0, bool autapses = true, bool multapses = true) {
  connector_desc c;
  c.type = r, c.p = p, c.degree = k, c.autapses = autapses, c.multapses = multapses;
  return c;
}

}  // namespace

TEST(connectors, fixed_indegree_is_exact_without_autapses_or_multapses) {
  const auto e = edges_of(with_projection(two_populations(300, 10, 2), "A", "A", make(rule::fixed_indegree, 0, 50, false, false)));
  std::map<core::index_t, std::set<core::index_t>> sources;
  std::map<core::index_t, int> count;
  for (const auto& s : e) {
    EXPECT_NE(s.source, s.target) << "autapse";
    EXPECT_TRUE(sources[s.target].insert(s.source).second) << "multapse " << s.source << "->" << s.target;
    ++count[s.target];
  }
  ASSERT_EQ(count.size(), 300u);
  for (const auto& [t, n] : count) EXPECT_EQ(n, 50) << t;
}

TEST(connectors, fixed_outdegree_is_exact) {
  const auto e = edges_of(with_projection(two_populations(100, 400, 3), "A", "B", make(rule::fixed_outdegree, 0, 30, true, false)));
  std::map<core::index_t, std::set<core::index_t>> targets;
  for (const auto& s : e) EXPECT_TRUE(targets[s.source].insert(s.target).second);
  ASSERT_EQ(targets.size(), 100u);
  for (const auto& [s, t] : targets) EXPECT_EQ(t.size(), 30u);
}

// The count of a fixed_probability projection is Binomial(pairs, p): within 5 standard deviations.
// The in-degrees follow Binomial(n_source, p): their sample variance within 20% of n p (1 - p)
// (the relative standard error of a variance over 1000 targets is about sqrt(2/1000) = 4.5%).
TEST(connectors, fixed_probability_has_binomial_statistics) {
  const double p = 0.05;
  const auto e = edges_of(with_projection(two_populations(2000, 1000, 2), "A", "B", make(rule::fixed_probability, p)));
  const double pairs = 2000.0 * 1000.0, mean = pairs * p;
  EXPECT_NEAR(static_cast<double>(e.size()), mean, 5 * std::sqrt(mean * (1 - p)));
  std::vector<double> indegree(1000, 0);
  for (const auto& s : e) ++indegree[s.target];
  double m = 0, v = 0;
  for (double k : indegree) m += k;
  m /= 1000;
  for (double k : indegree) v += (k - m) * (k - m);
  v /= 999;
  EXPECT_NEAR(v, 2000 * p * (1 - p), 0.2 * 2000 * p * (1 - p));
}

TEST(connectors, fixed_probability_without_autapses_never_connects_a_neuron_to_itself) {
  const auto e = edges_of(with_projection(two_populations(200, 10, 1), "A", "A", make(rule::fixed_probability, 0.5, 0, false)));
  for (const auto& s : e) EXPECT_NE(s.source, s.target);
  EXPECT_NEAR(static_cast<double>(e.size()), 0.5 * 200 * 199, 5 * std::sqrt(0.25 * 200 * 199));
}

TEST(connectors, all_to_all_and_one_to_one) {
  EXPECT_EQ(edges_of(with_projection(two_populations(30, 20, 2), "A", "B", make(rule::all_to_all))).size(), 600u);
  EXPECT_EQ(edges_of(with_projection(two_populations(30, 20, 2), "A", "A", make(rule::all_to_all, 0, 0, false))).size(),
            30u * 29u);
  const auto e = edges_of(with_projection(two_populations(25, 25, 3), "A", "B", make(rule::one_to_one)));
  ASSERT_EQ(e.size(), 25u);
  for (const auto& s : e) EXPECT_EQ(s.source, s.target);
}

// domain: with 103 neurons and 10 astrocytes, astrocyte d hears neurons [ceil(10.3 d), ceil(10.3 (d + 1)))
// and each neuron only its own astrocyte, both ways and on any number of workers.
TEST(connectors, domain_cuts_the_larger_population_into_contiguous_blocks) {
  for (const int threads : {1, 3}) {
    const auto up = edges_of(with_projection(two_populations(103, 10, threads), "A", "B", make(rule::domain)));
    const auto down = edges_of(with_projection(two_populations(10, 103, threads), "A", "B", make(rule::domain)));
    ASSERT_EQ(up.size(), 103u);
    ASSERT_EQ(down.size(), 103u);
    for (const auto& s : up) {
      EXPECT_GE(s.source, (s.target * 103 + 9) / 10) << s.source << "->" << s.target;
      EXPECT_LT(s.source, ((s.target + 1) * 103 + 9) / 10) << s.source << "->" << s.target;
    }
    for (std::size_t k = 0; k < down.size(); ++k) {
      EXPECT_EQ(down[k].source, up[k].target);  // the same domains read the other way
      EXPECT_EQ(down[k].target, up[k].source);
    }
  }
  const auto same = edges_of(with_projection(two_populations(7, 7, 2), "A", "B", make(rule::domain)));
  ASSERT_EQ(same.size(), 7u);
  for (const auto& s : same) EXPECT_EQ(s.source, s.target);
}

TEST(connectors, explicit_list_keeps_given_weights_and_delays) {
  auto c = make(rule::explicit_list);
  c.edges = {{0, 1, 2.5, 3.0}, {4, 0, std::nullopt, std::nullopt}, {4, 3, -1.0, 0.2}};
  const auto e = edges_of(with_projection(two_populations(5, 10, 2), "A", "A", c));
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], (edge{0, 1, 2.5f, 30}));
  EXPECT_EQ(e[1], (edge{4, 0, 1.0f, 10}));   // the projection's weight and delay
  EXPECT_EQ(e[2], (edge{4, 3, -1.0f, 2}));
}

TEST(connectors, the_network_does_not_depend_on_the_number_of_workers) {
  const value_dist w{value_dist::kind::normal, 1.0, 0.5}, delay{value_dist::kind::uniform, 0.1, 5.0};
  for (const auto r : {rule::fixed_indegree, rule::fixed_outdegree, rule::fixed_probability}) {
    const auto c = make(r, 0.1, 20, false, false);
    const auto one = edges_of(with_projection(two_populations(150, 150, 1), "A", "A", c, w, delay));
    for (const int threads : {2, 3, 4})
      EXPECT_EQ(one, edges_of(with_projection(two_populations(150, 150, threads), "A", "A", c, w, delay)))
          << static_cast<int>(r) << " with " << threads << " workers";
  }
}

// Excitatory weights onto a two-receptor model never turn negative, inhibitory never positive;
// delays never fall below one step.
TEST(connectors, distributions_are_clipped_keeping_the_sign) {
  const auto c = make(rule::fixed_indegree, 0, 100);
  const auto exc = edges_of(with_projection(two_populations(100, 100, 1), "A", "B", c, {value_dist::kind::normal, 1.0, 2.0},
                                            {value_dist::kind::normal, 0.5, 1.0}));
  const auto inh = edges_of(with_projection(two_populations(100, 100, 1), "A", "B", c, {value_dist::kind::normal, -1.0, 2.0}));
  std::size_t zeros = 0;
  for (const auto& s : exc) {
    EXPECT_GE(s.weight, 0.0f);
    EXPECT_GE(s.delay, 1);
    zeros += s.weight == 0.0f;
  }
  for (const auto& s : inh) EXPECT_LE(s.weight, 0.0f);
  EXPECT_GT(zeros, 0u) << "a normal(1, 2) has 31% of its mass below zero: some draws must be clipped";
}

// The mean and sd of lognormal weights match what was asked (5 standard errors).
TEST(connectors, lognormal_weights_have_the_requested_mean_and_sd) {
  const auto e = edges_of(with_projection(two_populations(100, 1000, 2), "A", "B", make(rule::fixed_indegree, 0, 100),
                                          {value_dist::kind::lognormal, 2.0, 1.0}));
  double m = 0, v = 0;
  for (const auto& s : e) m += s.weight;
  m /= static_cast<double>(e.size());
  for (const auto& s : e) v += (s.weight - m) * (s.weight - m);
  v /= static_cast<double>(e.size() - 1);
  EXPECT_NEAR(m, 2.0, 5 * 1.0 / std::sqrt(static_cast<double>(e.size())));
  EXPECT_NEAR(std::sqrt(v), 1.0, 0.05);  // the sd of a lognormal sample converges slowly: 5% at n = 1e5
}

TEST(connectors, an_impossibly_large_network_is_refused_before_building) {
  auto d = with_projection(two_populations(2000000, 2000000, 1), "A", "B", make(rule::all_to_all));
  try {
    network::build(d);
    FAIL() << "a 4e12-synapse network was built";
  } catch (const network::build_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(": projections[0]: expected a network that fits in the "), std::string::npos) << msg;
    EXPECT_NE(msg.find(" GB of memory available, found one that needs about "), std::string::npos) << msg;
  }
}
