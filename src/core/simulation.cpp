#include "core/simulation.hpp"

#include "core/interval_barrier.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <exception>
#include <stdexcept>

namespace neurite::core {

struct simulation::worker_state {
  std::vector<std::vector<spike>> spikes[2];     // [interval parity][population]
  std::vector<std::vector<spike>> recorded;      // [spike recorder]
  std::vector<std::vector<std::uint32_t>> counts;  // [population][rate bin - bin0] of this interval
  step_t bin0 = 0;                                 // the rate bin of the interval's first step
  std::vector<index_t> spiked;
  std::vector<input_t*> receptors;  // this step's ring-buffer rows of the population being updated
  // [projection] this worker's postsynaptic spikes that have not yet reached plastic synapses
  std::vector<std::deque<spike>> post_pending;
  std::uint64_t events = 0;
};

simulation::simulation(double dt_ms, std::uint64_t seed, int threads) : dt_(dt_ms), seed_(seed), team_(threads) {
  if (!(dt_ms > 0)) throw std::invalid_argument("dt must be positive");
  for (int w = 0; w < team_.size(); ++w) workers_.push_back(std::make_unique<worker_state>());
}

simulation::~simulation() = default;

index_t simulation::slice_begin(std::uint32_t pop, int worker) const {
  const std::uint64_t n = pops_[pop].size;
  return static_cast<index_t>(n * static_cast<std::uint64_t>(worker) / static_cast<std::uint64_t>(team_.size()));
}

std::uint32_t simulation::add_population(std::string name, const neuron_model_info& model, const param_set& params,
                                         index_t size, const population_data& data) {
  require_not_started("add_population");
  population p;
  p.name = std::move(name);
  p.model = &model;
  p.size = size;
  p.dynamics = model.make(params, size, dt_, data);
  p.last_spike.assign(size, -1);
  p.spike_count.assign(size, 0);
  p.isi_sum.assign(size, 0.0);
  p.isi_sum_sq.assign(size, 0.0);
  p.isi_count.assign(size, 0);
  pops_.push_back(std::move(p));
  rates_.counts.emplace_back();
  return static_cast<std::uint32_t>(pops_.size() - 1);
}

std::uint32_t simulation::add_projection(projection p) {
  require_not_started("add_projection");
  if (p.blocks.size() != static_cast<std::size_t>(team_.size()))
    throw std::invalid_argument("projection must have one synapse block per worker");
  if (p.delay < 1) throw std::invalid_argument("delays must be at least one step");
  projs_.push_back(std::move(p));
  return static_cast<std::uint32_t>(projs_.size() - 1);
}

void simulation::set_rate_bin(step_t steps) {
  require_not_started("set_rate_bin");
  rates_.bin = std::max<step_t>(steps, 1);
}

void simulation::add_stimulus(std::unique_ptr<stimulus> s) {
  require_not_started("add_stimulus");
  stims_.push_back(std::move(s));
}

spike_recorder& simulation::record_spikes(std::uint32_t population, std::vector<std::uint8_t> selected) {
  spike_recs_.push_back({population, std::move(selected), {}});
  return spike_recs_.back();
}

weight_recorder& simulation::record_weights(std::uint32_t projection,
                                            std::vector<std::pair<index_t, index_t>> synapses, step_t interval) {
  if (projection >= projs_.size() || !projs_[projection].plasticity)
    throw std::invalid_argument("weights can only be recorded from a plastic projection");
  weight_recorder r;
  r.projection = projection;
  r.synapses = std::move(synapses);
  r.interval = std::max<step_t>(interval, 1);
  locate_weights(r);
  weight_recs_.push_back(std::move(r));
  return weight_recs_.back();
}

state_recorder& simulation::record_state(std::uint32_t population, const std::string& variable,
                                         std::vector<index_t> ids, step_t interval) {
  if (!pops_[population].dynamics->state(variable))
    throw std::invalid_argument("population '" + pops_[population].name + "' (model " +
                                pops_[population].model->name + ") has no state variable '" + variable + "'");
  state_recorder r;
  r.population = population;
  r.variable = variable;
  r.ids = std::move(ids);
  r.interval = std::max<step_t>(interval, 1);
  state_recs_.push_back(std::move(r));
  return state_recs_.back();
}

step_t simulation::interval_steps() const {
  step_t d = projs_.empty() ? 10 : std::numeric_limits<step_t>::max();
  for (const auto& p : projs_) d = std::min<step_t>(d, p.delay);
  return d;
}

// Sizes the ring buffers for the longest delay and sets the interval length to the shortest.
void simulation::prepare() {
  step_t max_delay = 1;
  min_delay_ = interval_steps();
  for (const auto& p : projs_) max_delay = std::max<step_t>(max_delay, p.max_delay);
  for (auto& ws : workers_) {
    ws->recorded.resize(spike_recs_.size());  // recorders may be added between runs
    ws->counts.assign(pops_.size(), std::vector<std::uint32_t>(static_cast<std::size_t>(min_delay_ / rates_.bin + 2), 0));
  }
  state_first_.resize(state_recs_.size(), 0);
  if (!ring_.empty()) return;  // sized at the first run; the network is fixed from then on
  for (auto& p : projs_)
    if (p.plasticity) prepare_plastic(p);
  for (auto& ws : workers_) ws->post_pending.resize(projs_.size());
  slots_ = max_delay + 1;
  ring_.assign(pops_.size(), {});
  current_.assign(pops_.size(), {});
  for (std::size_t p = 0; p < pops_.size(); ++p) {
    ring_[p].assign(pops_[p].model->receptors.size(),
                    std::vector<input_t>(static_cast<std::size_t>(slots_) * pops_[p].size, 0.0f));
    current_[p].assign(pops_[p].size, 0.0);
  }
  for (auto& ws : workers_)
    for (auto& parity : ws->spikes) parity.assign(pops_.size(), {});
}

// Plastic synapses keep a weight each; the rule sizes its traces.
void simulation::prepare_plastic(projection& proj) {
  const double lo = proj.plasticity->weight_min(), hi = proj.plasticity->weight_max();
  for (synapse_block& b : proj.blocks) {
    if (!b.delay.empty())
      throw std::invalid_argument("projection '" + proj.name + "': plastic synapses need one delay for all synapses");
    if (b.weight.empty()) b.weight.assign(b.size(), proj.weight);
    for (const float x : b.weight)
      if (x < lo || x > hi)
        throw std::invalid_argument("projection '" + proj.name + "': initial weight " + std::to_string(x) +
                                    " outside the plasticity rule's [w_min, w_max] = [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
  }
  proj.plasticity->prepare(pops_[proj.source].size, pops_[proj.target].size, team_.size(), proj.delay);
}

// Deferred updates of every plastic projection up to step t; `always`: even when few are pending.
// Runs where no delivery does (between intervals, or after a run).
void simulation::flush_plastic(step_t t, bool always) {
  for (auto& proj : projs_) {
    if (!proj.plasticity) continue;
    if (!always && !proj.plasticity->due(t) &&
        proj.plasticity->pending() < 32 * static_cast<std::size_t>(pops_[proj.target].size) + 4096)
      continue;
    std::vector<plastic_rows> rows;
    for (auto& b : proj.blocks)
      if (b.size() > 0)
        rows.push_back({b.row_start.data(), static_cast<index_t>(b.row_start.size() - 1), b.targets(), b.weight.data()});
    proj.plasticity->flush(t, rows);
  }
}

void simulation::locate_weights(weight_recorder& rec) const {
  const projection& proj = projs_[rec.projection];
  for (const auto& [src, tgt] : rec.synapses) {
    int w = 0;
    while (w + 1 < team_.size() && tgt >= slice_end(proj.target, w)) ++w;
    const synapse_block& b = proj.blocks[static_cast<std::size_t>(w)];
    const bool in_range = src + 1 < b.row_start.size();
    std::uint32_t k = in_range ? b.row_start[src] : 0;
    const std::uint32_t k1 = in_range ? b.row_start[src + 1] : 0;
    while (k < k1 && b.target(k) != tgt) ++k;
    if (k >= k1)
      throw std::invalid_argument("projection '" + proj.name + "' has no synapse " + std::to_string(src) + " -> " +
                                  std::to_string(tgt) + " to record");
    rec.at.emplace_back(w, k);
  }
}

// Called when every delivery before step `boundary` is done and none after it has begun.
void simulation::sample_weights(step_t boundary) {
  bool flushed = false;
  for (auto& rec : weight_recs_) {
    if (boundary < rec.next) continue;
    if (!flushed) flush_plastic(boundary - 1, true), flushed = true;
    rec.next = (boundary / rec.interval + 1) * rec.interval;
    rec.times.push_back(static_cast<double>(boundary) * dt_);
    auto& row = rec.values.emplace_back();
    for (const auto& [w, k] : rec.at) row.push_back(projs_[rec.projection].blocks[static_cast<std::size_t>(w)].weight[k]);
  }
}

std::vector<synapse_weight> simulation::weights(std::uint32_t projection, const std::vector<index_t>& targets) const {
  const struct projection& proj = projs_.at(projection);
  std::vector<std::uint8_t> wanted(targets.empty() ? 0 : pops_[proj.target].size, 0);
  for (const index_t t : targets) wanted.at(t) = 1;
  std::vector<synapse_weight> out;
  for (const synapse_block& b : proj.blocks)
    for (index_t src = 0; src + 1 < b.row_start.size(); ++src)
      for (std::uint32_t k = b.row_start[src]; k < b.row_start[src + 1]; ++k)
        if (wanted.empty() || wanted[b.target(k)])
          out.push_back({src, b.target(k), b.weight.empty() ? proj.weight : b.weight[k]});
  std::stable_sort(out.begin(), out.end(), [](const synapse_weight& a, const synapse_weight& b) {
    return a.source != b.source ? a.source < b.source : a.target < b.target;
  });
  return out;
}

void simulation::require_not_started(const char* what) const {
  if (!ring_.empty()) throw std::logic_error(std::string(what) + ": the network cannot change once it has run");
}

void simulation::update_interval(int w, step_t t0, step_t t1) {
  worker_state& ws = *workers_[static_cast<std::size_t>(w)];
  ws.bin0 = t0 / rates_.bin;
  auto& out = ws.spikes[(t0 / min_delay_) & 1];
  for (auto& v : out) v.clear();
  for (step_t s = t0; s < t1; ++s) {
    for (std::uint32_t p = 0; p < pops_.size(); ++p) {
      if (slice_begin(p, w) == slice_end(p, w)) continue;
      update_population(w, p, s);
      note_spikes(ws, p, s, out[p]);
    }
    sample_state(w, s);
  }
}

// Stimuli, then the model's update of this worker's slice, then the step's inputs are cleared.
void simulation::update_population(int w, std::uint32_t p, step_t s) {
  worker_state& ws = *workers_[static_cast<std::size_t>(w)];
  population& pop = pops_[p];
  const index_t b = slice_begin(p, w), e = slice_end(p, w);
  const auto slot = static_cast<std::size_t>(s % slots_);
  ws.receptors.clear();
  for (auto& r : ring_[p]) ws.receptors.push_back(r.data() + slot * pop.size);
  double* current = current_[p].data();
  for (auto& st : stims_)
    if (st->target() == p) st->apply(b, e, s, ws.receptors, current);
  ws.spiked.clear();
  const std::span<const input_t* const> inputs(ws.receptors.data(), ws.receptors.size());
  pop.dynamics->update(b, e, {inputs, current, s, seed_, stream_purpose(purpose::neuron_noise, p)}, ws.spiked);
  for (input_t* r : ws.receptors) std::memset(r + b, 0, (e - b) * sizeof(input_t));
  std::memset(current + b, 0, (e - b) * sizeof(double));
}

// The spikes of one step: the interval's list, ISI statistics, rate counts, spike recorders.
void simulation::note_spikes(worker_state& ws, std::uint32_t p, step_t s, std::vector<spike>& out) {
  population& pop = pops_[p];
  for (const index_t id : ws.spiked) {
    out.push_back({s, id});
    if (pop.last_spike[id] >= 0) {
      const auto isi = static_cast<double>(s - pop.last_spike[id]);
      pop.isi_sum[id] += isi;
      pop.isi_sum_sq[id] += isi * isi;
      ++pop.isi_count[id];
    }
    pop.last_spike[id] = s;
    ++pop.spike_count[id];
  }
  ws.counts[p][static_cast<std::size_t>(s / rates_.bin - ws.bin0)] += static_cast<std::uint32_t>(ws.spiked.size());
  for (std::size_t r = 0; r < spike_recs_.size(); ++r) {
    const auto& rec = spike_recs_[r];
    if (rec.population != p) continue;
    for (const index_t id : ws.spiked)
      if (rec.selected.empty() || rec.selected[id]) ws.recorded[r].push_back({s, id});
  }
}

// State recorders due after step s, for the neurons of this worker's slices.
void simulation::sample_state(int w, step_t s) {
  for (std::size_t r = 0; r < state_recs_.size(); ++r) {
    auto& rec = state_recs_[r];
    if ((s + 1) % rec.interval != 0) continue;
    const std::uint32_t p = rec.population;
    const index_t b = slice_begin(p, w), e = slice_end(p, w);
    const double* values = pops_[p].dynamics->state(rec.variable);
    auto& row = rec.values[static_cast<std::size_t>((s + 1) / rec.interval - state_first_[r])];
    for (std::size_t k = 0; k < rec.ids.size(); ++k)
      if (rec.ids[k] >= b && rec.ids[k] < e) row[k] = values[rec.ids[k]];
  }
}

namespace {
// Adds the row [k0, k1) of one spike emitted at step s into the ring buffer.
template <class Target>
void deliver_row(const projection& proj, const synapse_block& block, const Target* target, std::uint32_t k0,
                 std::uint32_t k1, step_t s, input_t* ring, step_t slots, std::size_t n_target) {
  if (block.delay.empty()) {
    input_t* slot = ring + static_cast<std::size_t>((s + proj.delay) % slots) * n_target;
    if (block.weight.empty()) {
      const float weight = proj.weight;
      for (std::uint32_t k = k0; k < k1; ++k) slot[target[k]] += weight;
    } else {
      const float* weight = block.weight.data();
      for (std::uint32_t k = k0; k < k1; ++k) slot[target[k]] += weight[k];
    }
    return;
  }
  for (std::uint32_t k = k0; k < k1; ++k) {
    const float weight = block.weight.empty() ? proj.weight : block.weight[k];
    ring[static_cast<std::size_t>((s + block.delay[k]) % slots) * n_target + target[k]] += weight;
  }
}
}  // namespace

void simulation::deliver_interval(int w, step_t t0, step_t t1) {
  const std::size_t parity = static_cast<std::size_t>((t0 / min_delay_) & 1);
  std::vector<std::size_t> cursor(workers_.size());
  for (std::uint32_t p = 0; p < projs_.size(); ++p) {
    projection& proj = projs_[p];
    std::fill(cursor.begin(), cursor.end(), 0);
    // Even without synapses of a plastic projection a worker follows every presynaptic spike (its
    // copy of the traces) and its neurons' spikes (the postsynaptic traces, restored pending spikes).
    if (proj.plasticity) {
      deliver_plastic(w, p, t0, t1, cursor, parity);
      continue;
    }
    if (proj.blocks[static_cast<std::size_t>(w)].size() == 0) continue;
    for (step_t s = t0; s < t1; ++s) deliver_spikes_at(w, proj, s, cursor, parity);
  }
}

// The spikes of step s of the projection's source, by worker (= ascending source id): the same
// order of additions for any number of workers.
void simulation::deliver_spikes_at(int w, projection& proj, step_t s, std::vector<std::size_t>& cursor,
                                   std::size_t parity) {
  worker_state& ws = *workers_[static_cast<std::size_t>(w)];
  synapse_block& block = proj.blocks[static_cast<std::size_t>(w)];
  const std::size_t n_target = pops_[proj.target].size;
  input_t* ring = ring_[proj.target][proj.receptor].data();
  const target_view targets = block.targets();
  for (std::size_t v = 0; v < workers_.size(); ++v) {
    const auto& list = workers_[v]->spikes[parity][proj.source];
    std::size_t& c = cursor[v];
    for (; c < list.size() && list[c].step == s; ++c) {
      const index_t src = list[c].id;
      const std::uint32_t k0 = block.row_start[src], k1 = block.row_start[src + 1];
      ws.events += k1 - k0;
      if (proj.plasticity) proj.plasticity->on_pre(w, s, src, k0, k1, targets, block.weight.data());
      if (block.target32.empty())
        deliver_row(proj, block, block.target16.data(), k0, k1, s, ring, slots_, n_target);
      else
        deliver_row(proj, block, block.target32.data(), k0, k1, s, ring, slots_, n_target);
    }
  }
}

// Per step: postsynaptic spikes reaching the synapses now, then the presynaptic spikes, then
// the postsynaptic traces (core/plasticity.hpp). This worker's spikes of the interval join the
// queue; they reach the synapses a delay (at least one interval) later.
void simulation::deliver_plastic(int w, std::uint32_t p, step_t t0, step_t t1, std::vector<std::size_t>& cursor,
                                 std::size_t parity) {
  projection& proj = projs_[p];
  auto& pending = workers_[static_cast<std::size_t>(w)]->post_pending[p];
  const auto& own = workers_[static_cast<std::size_t>(w)]->spikes[parity][proj.target];
  pending.insert(pending.end(), own.begin(), own.end());
  for (step_t s = t0; s < t1; ++s) {
    std::size_t due = 0;
    for (; due < pending.size() && pending[due].step + proj.delay == s; ++due)
      proj.plasticity->on_post(s, pending[due].id);
    deliver_spikes_at(w, proj, s, cursor, parity);
    for (std::size_t k = 0; k < due; ++k) proj.plasticity->count_post(s, pending[k].id);
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(due));
  }
}

// Rows for the state samples due in the steps [t0, t1), filled by the workers that own the neurons.
void simulation::add_state_rows(step_t t0, step_t t1) {
  for (std::size_t r = 0; r < state_recs_.size(); ++r) {
    auto& rec = state_recs_[r];
    for (step_t k = t0 / rec.interval + 1; k <= t1 / rec.interval; ++k) {
      if (rec.values.empty()) state_first_[r] = k;
      rec.times.push_back(static_cast<double>(k * rec.interval) * dt_);
      rec.values.emplace_back(rec.ids.size(), 0.0);
    }
  }
}

// The rate counts of the interval [t0, t1) from every worker, summed as integers (so in any order).
void simulation::collect_interval(step_t t0, step_t t1) {
  const step_t b0 = t0 / rates_.bin, b1 = (t1 - 1) / rates_.bin;
  for (std::size_t p = 0; p < pops_.size(); ++p) {
    auto& total = rates_.counts[p];
    total.resize(std::max(total.size(), static_cast<std::size_t>(b1 - rates_.first + 1)), 0);
    for (auto& ws : workers_)
      for (step_t b = b0; b <= b1; ++b) {
        auto& n = ws->counts[p][static_cast<std::size_t>(b - b0)];
        total[static_cast<std::size_t>(b - rates_.first)] += n;
        n = 0;
      }
  }
  rates_.complete = static_cast<std::size_t>(t1 / rates_.bin - rates_.first);
}

// Moves the workers' recorded spikes to their recorders, sorted by (step, id): every spike
// recorded before is earlier, so the recorders stay sorted.
void simulation::gather_spikes() {
  for (std::size_t r = 0; r < spike_recs_.size(); ++r) {
    auto& all = spike_recs_[r].spikes;
    const std::size_t first_new = all.size();
    for (auto& ws : workers_) {
      all.insert(all.end(), ws->recorded[r].begin(), ws->recorded[r].end());
      ws->recorded[r].clear();
    }
    std::sort(all.begin() + static_cast<std::ptrdiff_t>(first_new), all.end(),
              [](const spike& a, const spike& b) { return a.step != b.step ? a.step < b.step : a.id < b.id; });
  }
}

std::size_t simulation::recorded_bytes() const {
  std::size_t n = 0;
  for (const auto& ws : workers_)
    for (const auto& list : ws->recorded) n += list.size() * sizeof(spike);
  for (const auto& rec : spike_recs_) n += rec.spikes.size() * sizeof(spike);
  for (const auto& c : rates_.counts) n += c.size() * sizeof(std::uint64_t);
  for (const auto& rec : state_recs_) n += rec.values.size() * (rec.ids.size() + 1) * sizeof(double);
  for (const auto& rec : weight_recs_) n += rec.values.size() * (rec.synapses.size() * sizeof(float) + sizeof(double));
  return n;
}

// Hands what the recorders hold to options.drain and empties them (the last rate bin stays
// while it is filling).
void simulation::drain(const run_options& options) {
  gather_spikes();
  options.drain(*this);
  for (auto& rec : spike_recs_) rec.spikes.clear();
  for (auto& rec : state_recs_) rec.times.clear(), rec.values.clear();
  for (auto& rec : weight_recs_) rec.times.clear(), rec.values.clear();
  for (auto& c : rates_.counts) c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(rates_.complete));
  rates_.first += static_cast<step_t>(rates_.complete);
  rates_.complete = 0;
}

step_t simulation::run(double duration_ms, const run_options& options) {
  return run_steps(steps_of(duration_ms, dt_), options);
}

step_t simulation::run_steps(step_t steps, const run_options& options) {
  prepare();
  if (steps <= 0) return 0;
  const step_t start = now_, end = now_ + steps;

  // Interval boundaries are aligned to multiples of the minimum delay so that the spike-list
  // parity (t0 / D) alternates between consecutive intervals.
  for (auto& rec : weight_recs_) rec.next = std::max(rec.next, (start / rec.interval + 1) * rec.interval);
  std::atomic<bool> stopping{false};
  std::atomic<step_t> reached{start};
  std::exception_ptr drain_error;
  step_t delivered = start;  // every delivery before this step is done
  const auto wall0 = std::chrono::steady_clock::now();
  step_t interval_end = std::min(end, (start / min_delay_ + 1) * min_delay_);
  add_state_rows(start, interval_end);
  auto on_interval = [&]() noexcept {
    collect_interval(delivered, interval_end);
    sample_weights(delivered);
    flush_plastic(delivered - 1, false);
    delivered = interval_end;
    reached.store(interval_end, std::memory_order_relaxed);
    if (options.stop && options.stop->load()) stopping.store(true);
    if (options.drain && recorded_bytes() > options.drain_bytes) try {
        drain(options);
      } catch (...) {
        drain_error = std::current_exception();
        stopping.store(true);
      }
    if (options.progress) {
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
      options.progress({static_cast<double>(interval_end - start) * dt_, static_cast<double>(end - start) * dt_, wall});
    }
    const step_t next_end = std::min(end, interval_end + min_delay_);
    if (!stopping.load() && interval_end < end) add_state_rows(interval_end, next_end);
    interval_end = next_end;
  };
  interval_barrier sync(team_.size(), on_interval);
  team_.run([&](int w) {
    step_t t0 = start;
    while (t0 < end) {
      const step_t t1 = std::min(end, (t0 / min_delay_ + 1) * min_delay_);
      update_interval(w, t0, t1);
      sync.arrive_and_wait();
      deliver_interval(w, t0, t1);
      if (stopping.load()) break;
      t0 = t1;
    }
  });
  const step_t done = reached.load();
  sample_weights(done);
  flush_plastic(done - 1, true);
  gather_spikes();
  now_ = done;
  if (drain_error) std::rethrow_exception(drain_error);
  if (options.drain) drain(options);
  return done - start;
}

namespace {
// A value the checkpoint must agree with the network on.
template <class T>
void expect_same(state_visitor& v, const std::string& name, T value) {
  T seen = value;
  v.scalar(name, seen);
  if (v.restoring() && seen != value)
    throw std::invalid_argument(name + ": the checkpoint has " + std::to_string(seen) + ", the network " +
                                std::to_string(value));
}
}  // namespace

void simulation::visit_state(state_visitor& v) {
  prepare();
  if (v.restoring()) {
    if (v.step() < 0 || v.step() > max_step) throw std::invalid_argument("step: outside [0, 2^53]");
    now_ = v.step();
  }
  expect_same(v, "populations", pops_.size());
  expect_same(v, "projections", projs_.size());
  expect_same(v, "rate_bin", rates_.bin);
  std::uint64_t events = synaptic_events();
  v.scalar("synaptic_events", events);
  v.scalar("rate_first", rates_.first);
  for (std::uint32_t p = 0; p < pops_.size(); ++p) {
    v.integers("rates/" + pops_[p].name, rates_.counts[p], true);
    visit_population(v, p);
  }
  for (std::uint32_t k = 0; k < projs_.size(); ++k)
    if (projs_[k].plasticity) visit_plastic(v, k);
  for (std::size_t r = 0; r < weight_recs_.size(); ++r) v.scalar("weight_recorders/" + std::to_string(r), weight_recs_[r].next);
  if (!v.restoring()) return;
  for (auto& ws : workers_) ws->events = 0;
  workers_.front()->events = events;
  if (rates_.first < 0 || rates_.first > now_ / rates_.bin)
    throw std::invalid_argument("rate_first: a bin after the step");
  const step_t bins = (now_ + rates_.bin - 1) / rates_.bin - rates_.first;
  for (const auto& c : rates_.counts)
    if (c.size() > static_cast<std::size_t>(bins)) throw std::invalid_argument("rates: more bins than the steps simulated");
  rates_.complete = static_cast<std::size_t>(std::max<step_t>(0, now_ / rates_.bin - rates_.first));
  rates_.complete = std::min(rates_.complete, rates_.counts.empty() ? 0 : rates_.counts.front().size());
}

// Model state, ISI statistics and the ring buffers (the spikes in flight) of a population.
void simulation::visit_population(state_visitor& v, std::uint32_t p) {
  population& pop = pops_[p];
  prefixed_visitor pv(v, "populations/" + pop.name);
  pop.dynamics->visit_state(pv);
  pv.integers("last_spike", pop.last_spike);
  pv.integers("spike_count", pop.spike_count);
  pv.reals("isi_sum", pop.isi_sum);
  pv.reals("isi_sum_sq", pop.isi_sum_sq);
  pv.integers("isi_count", pop.isi_count);
  for (std::size_t r = 0; r < ring_[p].size(); ++r) pv.floats("ring_" + std::to_string(r), ring_[p][r]);
  if (v.restoring())
    for (const step_t t : pop.last_spike)
      if (t < -1 || t >= now_) throw std::invalid_argument("populations/" + pop.name + "/last_spike: a spike after the step");
}

// The weights of a plastic projection, by source and then target (the same order for any number
// of workers), its rule's state and the postsynaptic spikes still on their way to the synapses.
void simulation::visit_plastic(state_visitor& v, std::uint32_t p) {
  projection& proj = projs_[p];
  const std::string where = "projections/" + proj.name;
  prefixed_visitor pv(v, where);
  std::vector<std::int64_t> targets;
  std::vector<float> weights;
  for (index_t src = 0; src < pops_[proj.source].size; ++src)
    for (const auto& b : proj.blocks)
      for (std::uint32_t k = b.row_start[src]; k < b.row_start[src + 1]; ++k)
        targets.push_back(b.target(k)), weights.push_back(b.weight[k]);
  const auto built = targets;
  pv.integers("targets", targets, true);
  if (v.restoring() && targets != built)
    throw std::invalid_argument(where + "/targets: the checkpoint's synapses differ from the network's");
  pv.floats("weights", weights);
  std::size_t n = 0;
  for (index_t src = 0; src < pops_[proj.source].size; ++src)
    for (auto& b : proj.blocks)
      for (std::uint32_t k = b.row_start[src]; k < b.row_start[src + 1]; ++k) b.weight[k] = weights[n++];
  try {
    proj.plasticity->visit_state(pv);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + "/" + e.what());
  }
  std::vector<spike> pending;
  for (const auto& ws : workers_) pending.insert(pending.end(), ws->post_pending[p].begin(), ws->post_pending[p].end());
  std::sort(pending.begin(), pending.end(),
            [](const spike& a, const spike& b) { return a.step != b.step ? a.step < b.step : a.id < b.id; });
  std::vector<std::int64_t> steps, ids;
  for (const auto& s : pending) steps.push_back(s.step), ids.push_back(s.id);
  pv.integers("pending_step", steps, true);
  pv.integers("pending_id", ids, true);
  if (!v.restoring()) return;
  if (steps.size() != ids.size()) throw std::invalid_argument(where + "/pending_id: not one per pending_step");
  for (auto& ws : workers_) ws->post_pending[p].clear();
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const index_t id = static_cast<index_t>(ids[k]);
    if (ids[k] < 0 || ids[k] >= pops_[proj.target].size || steps[k] >= now_ || steps[k] + proj.delay < now_ ||
        (k > 0 && (steps[k] < steps[k - 1] || (steps[k] == steps[k - 1] && ids[k] <= ids[k - 1]))))
      throw std::invalid_argument(where + "/pending_step: a spike that cannot be on its way at this step");
    int w = 0;
    while (w + 1 < team_.size() && id >= slice_end(proj.target, w)) ++w;
    workers_[static_cast<std::size_t>(w)]->post_pending[p].push_back({steps[k], id});
  }
}

std::uint64_t simulation::synaptic_events() const {
  std::uint64_t n = 0;
  for (const auto& ws : workers_) n += ws->events;
  return n;
}

std::size_t simulation::synapse_count() const {
  std::size_t n = 0;
  for (const auto& p : projs_) n += p.synapse_count();
  return n;
}

std::size_t simulation::synapse_bytes() const {
  std::size_t n = 0;
  for (const auto& p : projs_) n += p.bytes();
  return n;
}

}  // namespace neurite::core
