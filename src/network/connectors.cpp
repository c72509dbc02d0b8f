#include "network/connectors.hpp"

#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/rng.hpp"
#include "network/catalog.hpp"

namespace neurite::network {
using core::index_t;
using rule = connector_desc::rule;

// Synapses onto one worker's targets, in generation order, before sorting into rows.
struct edge_list {
  std::vector<index_t> source, target;
  std::vector<float> weight;
  std::vector<std::uint16_t> delay;
};

class edge_sink {
 public:
  edge_sink(const projection_plan& plan, edge_list& out) : plan_(plan), out_(out) {}
  // Adds one synapse; its weight and delay are drawn from s unless constant.
  void add(index_t source, index_t target, core::random_stream& s) {
    out_.source.push_back(source);
    out_.target.push_back(target);
    if (plan_.weight_per_synapse) out_.weight.push_back(static_cast<float>(draw(plan_.weight, s)));
    if (plan_.delay_per_synapse) out_.delay.push_back(delay_steps(draw(plan_.delay, s)));
  }
  // An edge of an explicit list: its own weight and delay where the list gives them.
  void add(const connector_desc::edge& e, core::random_stream& s) {
    out_.source.push_back(e.source);
    out_.target.push_back(e.target);
    if (plan_.weight_per_synapse)
      out_.weight.push_back(static_cast<float>(e.weight ? std::clamp(*e.weight, plan_.weight.min, plan_.weight.max)
                                                        : draw(plan_.weight, s)));
    if (plan_.delay_per_synapse) out_.delay.push_back(delay_steps(e.delay ? *e.delay : draw(plan_.delay, s)));
  }

 private:
  std::uint16_t delay_steps(double ms) const {
    const double steps = std::max(1.0, std::round(ms / plan_.dt));
    return static_cast<std::uint16_t>(std::min(steps, max_delay_steps));
  }
  const projection_plan& plan_;
  edge_list& out_;
};

namespace {

core::random_stream target_stream(const projection_plan& plan, index_t id) {
  return {plan.seed, core::stream_purpose(core::purpose::connectivity, plan.index), id};
}

// Draws `degree` partners from [0, n) on stream s, never `self` when autapses are off and
// without repeats when multapses are off (rejection against the marker array `taken`, which
// has n zeros then and is left zeroed). Calls add(partner) for each, in draw order.
template <class Add>
void draw_partners(core::random_stream& s, index_t n, const connector_desc& c, bool no_self, index_t self,
                   std::vector<std::uint8_t>& taken, std::vector<index_t>& chosen, Add&& add) {
  chosen.clear();
  while (chosen.size() < c.degree) {
    const index_t k = s.below(n);
    if ((no_self && k == self) || (!c.multapses && taken[k])) continue;
    if (!c.multapses) taken[k] = 1;
    chosen.push_back(k);
    add(k);
  }
  if (!c.multapses)
    for (const index_t k : chosen) taken[k] = 0;
}

// fixed_indegree: `degree` sources for each target, from the target's stream.
void fixed_indegree(const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
  const connector_desc& c = plan.desc->connector;
  std::vector<std::uint8_t> taken(c.multapses ? 0 : plan.n_source, 0);
  std::vector<index_t> chosen;
  for (index_t i = begin; i < end; ++i) {
    auto s = target_stream(plan, i);
    draw_partners(s, plan.n_source, c, plan.same_population && !c.autapses, i, taken, chosen,
                  [&](index_t j) { sink.add(j, i, s); });
  }
}

// fixed_probability: each (source, target) pair independently with probability p; the gaps
// between chosen sources are geometric, so the cost is proportional to the synapses made.
void fixed_probability(const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
  const connector_desc& c = plan.desc->connector;
  if (c.p <= 0) return;
  const double log_q = std::log1p(-c.p);
  for (index_t i = begin; i < end; ++i) {
    auto s = target_stream(plan, i);
    double j = -1;
    for (;;) {
      j += c.p >= 1 ? 1.0 : 1.0 + std::floor(std::log(s.uniform_open()) / log_q);
      if (j >= plan.n_source) break;
      const auto src = static_cast<index_t>(j);
      if (plan.same_population && !c.autapses && src == i) continue;
      sink.add(src, i, s);
    }
  }
}

// fixed_outdegree: drawn from each source's stream over all targets; a worker keeps those
// that fall in its slice, drawing the weights of the others too so that streams stay aligned.
void fixed_outdegree(const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
  const connector_desc& c = plan.desc->connector;
  std::vector<std::uint8_t> taken(c.multapses ? 0 : plan.n_target, 0);
  std::vector<index_t> chosen;
  edge_list scratch;
  edge_sink discard(plan, scratch);
  for (index_t j = 0; j < plan.n_source; ++j) {
    auto s = target_stream(plan, j);
    draw_partners(s, plan.n_target, c, plan.same_population && !c.autapses, j, taken, chosen,
                  [&](index_t i) { (i >= begin && i < end ? sink : discard).add(j, i, s); });
    scratch.source.clear(), scratch.target.clear(), scratch.weight.clear(), scratch.delay.clear();
  }
}

// The registered rule of a connector.
const connector_info& info_of(const connector_desc& c) {
  for (const auto* r : connectors())
    if (r->type == c.type) return *r;
  throw std::logic_error("connector rule not registered");
}

}  // namespace

double draw(const value_dist& d, core::random_stream& s) {
  double v = d.a;
  switch (d.type) {
    case value_dist::kind::constant: break;
    case value_dist::kind::normal: v = d.a + d.b * s.normal(); break;
    case value_dist::kind::uniform: v = d.a + (d.b - d.a) * s.uniform(); break;
    case value_dist::kind::lognormal: {
      const double m = std::fabs(d.a), sigma2 = std::log1p(d.b * d.b / (m * m));
      v = std::copysign(std::exp(std::log(m) - sigma2 / 2 + std::sqrt(sigma2) * s.normal()), d.a);
      break;
    }
  }
  return std::clamp(v, d.min, d.max);
}

double expected_synapses(const connector_desc& c, index_t n_source, index_t n_target, bool same) {
  return info_of(c).expected(c, n_source, n_target, same);
}

void generate_synapses(const projection_plan& plan, index_t begin, index_t end, core::synapse_block& block) {
  edge_list edges;
  const double expected = expected_synapses(plan.desc->connector, plan.n_source, plan.n_target, plan.same_population) *
                          (end - begin) / std::max<double>(plan.n_target, 1);
  const auto reserve = static_cast<std::size_t>(expected * 1.02 + 64);  // 2% over: binomial spread
  edges.source.reserve(reserve);
  edges.target.reserve(reserve);
  if (plan.weight_per_synapse) edges.weight.reserve(reserve);
  if (plan.delay_per_synapse) edges.delay.reserve(reserve);
  edge_sink sink(plan, edges);
  info_of(plan.desc->connector).generate(plan, begin, end, sink);
  // Counting sort into CSR rows by source; within a row, synapses keep generation order.
  block.row_start.assign(static_cast<std::size_t>(plan.n_source) + 1, 0);
  for (const index_t j : edges.source) ++block.row_start[j + 1];
  for (std::size_t j = 0; j < plan.n_source; ++j) block.row_start[j + 1] += block.row_start[j];
  std::vector<std::uint32_t> fill(block.row_start.begin(), block.row_start.end() - 1);
  const std::size_t n = edges.source.size();
  const bool narrow = plan.n_target <= core::synapse_block::narrow_limit;
  if (narrow) block.target16.resize(n);
  else block.target32.resize(n);
  block.weight.resize(edges.weight.size());
  block.delay.resize(edges.delay.size());
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t at = fill[edges.source[k]]++;
    if (narrow) block.target16[at] = static_cast<std::uint16_t>(edges.target[k]);
    else block.target32[at] = edges.target[k];
    if (!edges.weight.empty()) block.weight[at] = edges.weight[k];
    if (!edges.delay.empty()) block.delay[at] = edges.delay[k];
  }
}

// ---- the rules' tables (connector registry) ---------------------------------------------------

namespace {
using kind = option_spec::kind;

option_spec autapses_option() {
  return {"autapses", kind::flag, core::dimension::dimensionless, false, 1.0, 0, 1,
          "allow self-connections (source == target only)"};
}
option_spec multapses_option() {
  return {"multapses", kind::flag, core::dimension::dimensionless, false, 1.0, 0, 1, "allow repeated pairs"};
}
option_spec degree_option(const char* name, const char* doc) {
  return {name, kind::integer, core::dimension::dimensionless, false, std::nullopt, 0, 4294967295.0, doc};
}

void apply_autapses(const option_values& v, connector_desc& c) { c.autapses = v.flag("autapses"); }
void apply_flags(const option_values& v, connector_desc& c) {
  apply_autapses(v, c);
  c.multapses = v.flag("multapses");
}

// fixed_indegree / fixed_outdegree: enough partners in the pool for `degree` without repeats.
std::optional<option_error> check_degree(const connector_desc& c, const projection_ends& e) {
  const bool in = c.type == rule::fixed_indegree;
  const std::string key = in ? "indegree" : "outdegree";
  const std::string& pool = in ? e.source : e.target;
  const std::uint64_t available = (in ? e.n_source : e.n_target) - (e.same && !c.autapses ? 1 : 0);
  if (c.degree > 0 && available == 0)
    return option_error{key, fmt::format("expected 0, since {} has no neuron but the one itself to connect {} and "
                                         "autapses = false, found {}",
                                         pool, in ? "from" : "to", c.degree)};
  if (!c.multapses && c.degree > available)
    return option_error{key, fmt::format("expected at most {} ({} {} of {} are available without multapses{}), "
                                         "found {}",
                                         available, available, in ? "sources" : "targets", pool,
                                         e.same && !c.autapses ? " or autapses" : "", c.degree)};
  return std::nullopt;
}

const register_connector all_to_all_registration{{
    .name = "all_to_all",
    .doc = "every source to every target",
    .type = rule::all_to_all,
    .options = {autapses_option()},
    .apply = apply_autapses,
    .expected = [](const connector_desc& c, index_t ns, index_t nt, bool same) {
      return (static_cast<double>(ns) - (same && !c.autapses ? 1.0 : 0.0)) * nt;
    },
    .generate =
        [](const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
          const bool no_self = plan.same_population && !plan.desc->connector.autapses;
          for (index_t i = begin; i < end; ++i) {
            auto s = target_stream(plan, i);
            for (index_t j = 0; j < plan.n_source; ++j)
              if (!(no_self && i == j)) sink.add(j, i, s);
          }
        },
}};

const register_connector one_to_one_registration{{
    .name = "one_to_one",
    .doc = "source i to target i (populations of equal size)",
    .type = rule::one_to_one,
    .options = {},
    .apply = [](const option_values&, connector_desc&) {},
    .check = [](const connector_desc&, const projection_ends& e) -> std::optional<option_error> {
      if (e.n_source == e.n_target) return std::nullopt;
      return option_error{"rule", fmt::format("expected populations of equal size for one_to_one, found {} ({}) and "
                                              "{} ({})",
                                              e.source, e.n_source, e.target, e.n_target)};
    },
    .expected = [](const connector_desc&, index_t, index_t nt, bool) { return static_cast<double>(nt); },
    .generate =
        [](const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
          for (index_t i = begin; i < end; ++i) {
            auto s = target_stream(plan, i);
            sink.add(i, i, s);
          }
        },
}};

// Lateral inhibition through a partner population (Diehl & Cook: each excitatory neuron drives
// its own inhibitory neuron one to one, which inhibits every excitatory neuron but that one).
const register_connector all_to_others_registration{{
    .name = "all_to_others",
    .doc = "source i to every target j != i (populations of equal size)",
    .type = rule::all_to_others,
    .options = {},
    .apply = [](const option_values&, connector_desc&) {},
    .check = [](const connector_desc&, const projection_ends& e) -> std::optional<option_error> {
      if (e.n_source == e.n_target) return std::nullopt;
      return option_error{"rule", fmt::format("expected populations of equal size for all_to_others, found {} ({}) "
                                              "and {} ({})",
                                              e.source, e.n_source, e.target, e.n_target)};
    },
    .expected = [](const connector_desc&, index_t, index_t nt, bool) {
      return static_cast<double>(nt) * (static_cast<double>(nt) - 1.0);
    },
    .generate =
        [](const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
          for (index_t i = begin; i < end; ++i) {
            auto s = target_stream(plan, i);
            for (index_t j = 0; j < plan.n_source; ++j)
              if (j != i) sink.add(j, i, s);
          }
        },
}};

const register_connector fixed_probability_registration{{
    .name = "fixed_probability",
    .doc = "each pair independently with probability p",
    .type = rule::fixed_probability,
    .options = {{"p", kind::number, core::dimension::dimensionless, false, std::nullopt, 0, 1, "connection probability"},
                autapses_option()},
    .apply = [](const option_values& v, connector_desc& c) { c.p = v.number("p"), apply_autapses(v, c); },
    .expected = [](const connector_desc& c, index_t ns, index_t nt, bool same) {
      return c.p * (ns - (same && !c.autapses ? 1.0 : 0.0)) * nt;
    },
    .generate = fixed_probability,
}};

const register_connector fixed_indegree_registration{{
    .name = "fixed_indegree",
    .doc = "each target gets exactly `indegree` sources drawn at random",
    .type = rule::fixed_indegree,
    .options = {degree_option("indegree", "sources per target"), autapses_option(), multapses_option()},
    .apply = [](const option_values& v, connector_desc& c) {
      c.degree = static_cast<std::uint64_t>(v.number("indegree")), apply_flags(v, c);
    },
    .check = check_degree,
    .expected = [](const connector_desc& c, index_t, index_t nt, bool) { return static_cast<double>(c.degree) * nt; },
    .generate = fixed_indegree,
}};

const register_connector fixed_outdegree_registration{{
    .name = "fixed_outdegree",
    .doc = "each source gets exactly `outdegree` targets drawn at random",
    .type = rule::fixed_outdegree,
    .options = {degree_option("outdegree", "targets per source"), autapses_option(), multapses_option()},
    .apply = [](const option_values& v, connector_desc& c) {
      c.degree = static_cast<std::uint64_t>(v.number("outdegree")), apply_flags(v, c);
    },
    .check = check_degree,
    .expected = [](const connector_desc& c, index_t ns, index_t, bool) { return static_cast<double>(c.degree) * ns; },
    .generate = fixed_outdegree,
}};

// domain: tripartite coupling (an astrocyte and the neurons it ensheathes). The larger population
// is cut into min(n_source, n_target) contiguous domains, element x of a population of n in domain
// floor(x D / n); a source and a target connect when they share a domain. Neurons -> astrocytes:
// each astrocyte hears the neurons of its domain; astrocytes -> neurons: each neuron hears its
// astrocyte. Either way every element of the larger population has exactly one synapse.
core::index_t domain_of(core::index_t x, core::index_t n, core::index_t domains) {
  return static_cast<core::index_t>(static_cast<std::uint64_t>(x) * domains / n);
}

// The first element of a population of n in domain d: ceil(d n / D).
core::index_t domain_start(core::index_t d, core::index_t n, core::index_t domains) {
  return static_cast<core::index_t>((static_cast<std::uint64_t>(d) * n + domains - 1) / domains);
}

const register_connector domain_registration{{
    .name = "domain",
    .doc = "tripartite coupling: contiguous domains of the larger population, one per element of the smaller",
    .type = rule::domain,
    .options = {},
    .apply = [](const option_values&, connector_desc&) {},
    .expected = [](const connector_desc&, index_t ns, index_t nt, bool) { return static_cast<double>(std::max(ns, nt)); },
    .generate =
        [](const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
          const index_t domains = std::min(plan.n_source, plan.n_target);
          if (domains == 0) return;
          for (index_t i = begin; i < end; ++i) {
            auto s = target_stream(plan, i);
            const index_t d = domain_of(i, plan.n_target, domains);
            const index_t j1 = domain_start(d + 1, plan.n_source, domains);
            for (index_t j = domain_start(d, plan.n_source, domains); j < j1; ++j) sink.add(j, i, s);
          }
        },
}};

// Its keys are read with the file they describe (io/projections.cpp), since the units apply
// to the file's columns.
const register_connector explicit_list_registration{{
    .name = "explicit",
    .doc = "the pairs listed in a CSV file: source,target[,weight[,delay]]",
    .type = rule::explicit_list,
    .options = {{"file", kind::path, core::dimension::dimensionless, false, std::nullopt, 0, 0,
                 "CSV file of connections, relative to the model file"},
                {"weight_unit", kind::unit, core::dimension::dimensionless, true, std::nullopt, 0, 0,
                 "unit of the weight column: required with one, unless the weights are plain numbers", "none"},
                {"delay_unit", kind::unit, core::dimension::time, false, std::nullopt, 0, 0,
                 "unit of the delay column: required with one", "none"}},
    .apply = [](const option_values&, connector_desc&) {},
    .check = {},
    .expected = [](const connector_desc& c, index_t, index_t, bool) { return static_cast<double>(c.edges.size()); },
    .generate =
        [](const projection_plan& plan, index_t begin, index_t end, edge_sink& sink) {
          const auto& edges = plan.desc->connector.edges;
          for (std::size_t k = 0; k < edges.size(); ++k) {
            if (edges[k].target < begin || edges[k].target >= end) continue;
            auto s = target_stream(plan, static_cast<index_t>(k));
            sink.add(edges[k], s);
          }
        },
}};

}  // namespace

}  // namespace neurite::network
