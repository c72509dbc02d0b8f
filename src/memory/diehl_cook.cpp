#include "memory/diehl_cook.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"
#include "network/build.hpp"

namespace neurite::memory {
namespace {
using core::index_t;
using network::connector_desc;
using network::value_dist;

constexpr std::uint32_t weight_id_base = 1'000'000;

value_dist constant(double v) { return {value_dist::kind::constant, v}; }

network::population_desc population(const std::string& name, const std::string& model, index_t size,
                                    std::vector<std::pair<std::string, double>> params) {
  network::population_desc p;
  p.name = name;
  p.model = model;
  p.size = size;
  p.params = std::move(params);
  p.where = "diehl_cook " + name;
  return p;
}

network::projection_desc projection(const std::string& source, const std::string& target, connector_desc c,
                                    double weight, double delay) {
  network::projection_desc p;
  p.name = source + "->" + target;
  p.source = source;
  p.target = target;
  p.connector = std::move(c);
  p.weight = constant(weight);
  p.delay = constant(delay);
  p.where = "diehl_cook " + p.name;
  return p;
}

void check_groups(const diehl_cook_config& c) {
  if (c.delay_groups < 1 || c.n_input % c.delay_groups != 0)
    throw std::invalid_argument("diehl_cook: delay_groups = " + std::to_string(c.delay_groups) +
                                " must be at least 1 and divide n_input = " + std::to_string(c.n_input));
}
index_t group_of(const diehl_cook_config& c, index_t i, index_t j) { return (i + 3 * j) % c.delay_groups; }

// Group g's delay: input_delay + g / groups of the spread, on the step grid.
double group_delay(const diehl_cook_config& c, index_t g) {
  return c.dt * std::round((c.input_delay + c.input_delay_spread * g / c.delay_groups) / c.dt);
}

// The circuit; `training`: plastic input weights and adapting thresholds, else static and frozen.
network::network_desc circuit(const diehl_cook_config& c, const diehl_cook_state& s, bool training) {
  if (s.weights.size() != std::size_t{c.n_input} * c.n_e || s.theta.size() != c.n_e)
    throw std::invalid_argument("diehl_cook: state does not fit n_input x n_e");
  check_groups(c);
  network::network_desc d;
  d.file = "diehl_cook";
  d.simulation = {c.dt, 0.0, c.seed, c.threads};
  d.populations.push_back(population("X", "poisson_rates", c.n_input, {}));
  d.populations.push_back(population("E", "diehl_cook_lif", c.n_e,
                                     {{"theta_plus", c.theta_plus}, {"tau_theta", c.tau_theta},
                                      {"tau_syn_in", c.tau_syn_in}, {"t_block", c.t_block},
                                      {"frozen", training ? 0.0 : 1.0}}));
  // Diehl & Cook's inhibitory neurons: rest -60 mV, reset -45 mV, threshold -40 mV, 10 ms, 2 ms.
  d.populations.push_back(population("I", "diehl_cook_lif", c.n_e,
                                     {{"E_L", -60.0}, {"V_reset", -45.0}, {"V_th", -40.0}, {"tau_m", 10.0},
                                      {"t_ref", 2.0}, {"E_in", -85.0}, {"tau_syn_in", c.tau_syn_in}, {"theta_plus", 0.0},
                                      {"frozen", 1.0}}));
  const index_t groups = c.delay_groups;
  for (index_t g = 0; g < groups; ++g) {
    connector_desc input;
    input.type = connector_desc::rule::explicit_list;
    for (index_t i = 0; i < c.n_input; ++i)
      for (index_t j = 0; j < c.n_e; ++j)
        if (group_of(c, i, j) == g)
          input.edges.push_back({i, j, static_cast<double>(s.weights[std::size_t{i} * c.n_e + j]), std::nullopt});
    auto xe = projection("X", "E", std::move(input), 0.0, group_delay(c, g));
    if (groups > 1) xe.name += std::to_string(g);
    if (training)
      xe.plasticity = network::plasticity_desc{"stdp_diehl_cook",
                                               {{"nu_pre", c.nu_pre},
                                                {"nu_post", c.nu_post},
                                                {"pre_potentiates", c.pre_potentiates ? 1.0 : 0.0},
                                                {"norm_total", c.norm_total / static_cast<double>(groups)},
                                                {"norm_every", c.present_ms + c.rest_ms}}};
    d.projections.push_back(std::move(xe));
  }
  connector_desc one_to_one, to_others;
  one_to_one.type = connector_desc::rule::one_to_one;
  to_others.type = connector_desc::rule::all_to_others;
  d.projections.push_back(projection("E", "I", one_to_one, c.w_ei, c.dt));
  d.projections.push_back(projection("I", "E", to_others, -c.w_ie, c.dt));
  return d;
}

// The network built, with its thresholds set from the state.
std::unique_ptr<core::simulation> make(const diehl_cook_config& c, const diehl_cook_state& s, bool training) {
  auto sim = network::build(circuit(c, s, training)).sim;
  double* theta = sim->populations()[1].dynamics->state("theta");
  std::copy(s.theta.begin(), s.theta.end(), theta);
  return sim;
}

// Shows one image: rates for present_ms, then rest; again with higher rates while the
// excitatory neurons answer with fewer than min_spikes. Returns the counts of the last showing.
std::vector<std::uint32_t> show(core::simulation& sim, const diehl_cook_config& c, const std::vector<float>& image) {
  if (image.size() != c.n_input) throw std::invalid_argument("diehl_cook: image size differs from n_input");
  auto& pops = sim.populations();
  double* rate = pops[0].dynamics->state("rate");
  const auto& count = pops[1].spike_count;
  std::vector<std::uint32_t> before(count.begin(), count.end()), out(c.n_e);
  for (int repeat = 0;; ++repeat) {
    for (index_t i = 0; i < c.n_input; ++i) rate[i] = c.max_rate * (1.0 + repeat) * image[i];
    sim.run(c.present_ms);
    std::uint64_t total = 0;
    for (index_t j = 0; j < c.n_e; ++j) out[j] = count[j] - before[j], total += out[j];
    for (index_t i = 0; i < c.n_input; ++i) rate[i] = 0;
    sim.run(c.rest_ms);
    if (total >= static_cast<std::uint64_t>(c.min_spikes) || repeat >= c.max_repeats) return out;
    std::copy(count.begin(), count.end(), before.begin());
  }
}

}  // namespace

index_t input_delay_group(const diehl_cook_config& c, index_t i, index_t j) {
  check_groups(c);
  return group_of(c, i, j);
}

diehl_cook_state initial_diehl_cook(const diehl_cook_config& c) {
  check_groups(c);
  diehl_cook_state s;
  s.weights.resize(std::size_t{c.n_input} * c.n_e);
  s.theta.assign(c.n_e, 0.0);
  for (index_t j = 0; j < c.n_e; ++j) {
    core::random_stream r(c.weight_seed, core::stream_purpose(core::purpose::learn_tasks, 5), weight_id_base + j);
    for (index_t i = 0; i < c.n_input; ++i) {
      const std::size_t k = std::size_t{i} * c.n_e + j;
      s.weights[k] = static_cast<float>(c.w_init_max * r.uniform());
    }
    // Diehl & Cook normalise before every image, the first included (each delay group to its share).
    std::vector<double> sum(c.delay_groups, 0.0);
    for (index_t i = 0; i < c.n_input; ++i) sum[group_of(c, i, j)] += s.weights[std::size_t{i} * c.n_e + j];
    const double share = c.norm_total / static_cast<double>(c.delay_groups);
    if (share > 0)
      for (index_t i = 0; i < c.n_input; ++i) {
        const double g = sum[group_of(c, i, j)];
        float& w = s.weights[std::size_t{i} * c.n_e + j];
        if (g > 0) w = static_cast<float>(w * (share / g));
      }
  }
  return s;
}

diehl_cook_state train_diehl_cook(const diehl_cook_config& c, const diehl_cook_state& start,
                                  const std::vector<std::vector<float>>& images) {
  auto sim = make(c, start, true);
  for (const auto& image : images) show(*sim, c, image);
  diehl_cook_state s = start;
  for (index_t g = 0; g < c.delay_groups; ++g)
    for (const auto& w : sim->weights(g)) s.weights[std::size_t{w.source} * c.n_e + w.target] = w.weight;
  const double* theta = sim->populations()[1].dynamics->state("theta");
  std::copy(theta, theta + c.n_e, s.theta.begin());
  return s;
}

std::vector<std::vector<std::uint32_t>> diehl_cook_responses(const diehl_cook_config& c, const diehl_cook_state& s,
                                                             const std::vector<std::vector<float>>& images) {
  auto sim = make(c, s, false);
  std::vector<std::vector<std::uint32_t>> out;
  out.reserve(images.size());
  for (const auto& image : images) out.push_back(show(*sim, c, image));
  return out;
}

}  // namespace neurite::memory
