#pragma once
// The time-stepped kernel. It knows populations, projections, stimuli and recorders, but no
// model. Step protocol (per worker, each owning a contiguous slice of every population):
//
//   for each min-delay interval [t0, t0 + D):
//     for each step s:  for each population:  stimuli -> update -> clear inputs -> record spikes
//                        then sample state recorders
//     barrier (one thread: progress line, Ctrl-C check)
//     deliver the interval's spikes of all workers into this worker's ring buffers
//
// Delivery may run while other workers already update the next interval: a worker only
// writes the ring buffers of its own targets, every spike of the interval arrives at least D
// steps later, and spike lists are double-buffered by interval parity. Spikes are delivered
// in (projection, step, source id) order, so sums come out bit-identical for any thread count.
// Plastic projections update their weights during delivery, in the order that
// core/plasticity.hpp states, each worker on the synapses onto its own neurons.
// The barrier (interval_barrier.hpp) spins for at most 20 us before it sleeps.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/projection.hpp"
#include "core/rng.hpp"
#include "core/state.hpp"
#include "core/stimulus.hpp"
#include "core/thread_team.hpp"

namespace neurite::core {

struct spike {
  step_t step;  // emitted at the end of this step: time (step + 1) * dt
  index_t id;
};

struct population {
  std::string name;
  const neuron_model_info* model = nullptr;
  index_t size = 0;
  std::unique_ptr<neuron_dynamics> dynamics;
  // Per-neuron inter-spike-interval statistics [steps], kept for every neuron.
  std::vector<step_t> last_spike;
  std::vector<std::uint32_t> spike_count;
  std::vector<double> isi_sum, isi_sum_sq;
  std::vector<std::uint32_t> isi_count;
};

struct spike_recorder {
  std::uint32_t population = 0;
  std::vector<std::uint8_t> selected;  // empty: every neuron
  std::vector<spike> spikes;           // merged and sorted by (step, id) after run
};

struct state_recorder {
  std::uint32_t population = 0;
  std::string variable;
  std::vector<index_t> ids;
  step_t interval = 1;              // [steps] between samples
  std::vector<double> times;        // [ms]
  std::vector<std::vector<double>> values;  // values[sample][k] for ids[k]
};

// Weights of chosen synapses of a plastic projection, sampled every `interval` steps. Samples
// are taken between min-delay intervals, at the first boundary at or after each multiple of the
// interval; times[j] is that boundary, and the weights include every pairing before it.
struct weight_recorder {
  std::uint32_t projection = 0;
  std::vector<std::pair<index_t, index_t>> synapses;  // (source, target); the first such synapse
  step_t interval = 1;
  std::vector<double> times;                      // [ms]
  std::vector<std::vector<float>> values;         // values[sample][k] for synapses[k]
  std::vector<std::pair<int, std::uint32_t>> at;  // (worker, position) of each synapse
  step_t next = 0;                                // the next multiple of interval to sample at
};

struct synapse_weight {
  index_t source, target;
  float weight;
};

// Spikes of each population counted in bins of `bin` steps, bin k covering the steps
// [k bin, (k + 1) bin): counts[pop][j] is bin first + j. The first `complete` bins are whole;
// a last one may still be filling.
struct rate_counts {
  step_t bin = 1;
  step_t first = 0;
  std::size_t complete = 0;
  std::vector<std::vector<std::uint64_t>> counts;
};

struct run_status {
  double simulated_ms = 0, total_ms = 0, wall_s = 0;
};

class simulation;

struct run_options {
  std::function<void(const run_status&)> progress;  // called between intervals, one thread
  const std::atomic<bool>* stop = nullptr;            // set asynchronously (e.g. by SIGINT)
  // Takes what the recorders hold away (to a file, say) so that memory does not grow with the
  // duration: called between intervals, on one thread, once the recorders hold more than
  // drain_bytes, and at the end of run(). It reads spike_recorders(), rates() (the whole
  // bins), state_recorders() and weight_recorders(); the kernel empties them when it returns.
  std::function<void(const simulation&)> drain;
  std::size_t drain_bytes = std::size_t{2} << 20;
};

class simulation {
 public:
  simulation(double dt_ms, std::uint64_t seed, int threads);
  ~simulation();

  double dt() const { return dt_; }
  std::uint64_t seed() const { return seed_; }
  const thread_team& team() const { return team_; }
  int workers() const { return team_.size(); }

  // The slice [begin, end) of a population owned by a worker.
  index_t slice_begin(std::uint32_t pop, int worker) const;
  index_t slice_end(std::uint32_t pop, int worker) const { return slice_begin(pop, worker + 1); }

  std::uint32_t add_population(std::string name, const neuron_model_info& model, const param_set& params,
                               index_t size, const population_data& data = {});
  // Populations, projections and stimuli are added before the first run (else std::logic_error).
  std::uint32_t add_projection(projection p);  // blocks must hold one entry per worker
  void add_stimulus(std::unique_ptr<stimulus> s);
  spike_recorder& record_spikes(std::uint32_t population, std::vector<std::uint8_t> selected = {});
  // Throws std::invalid_argument for a static projection or a synapse that does not exist.
  weight_recorder& record_weights(std::uint32_t projection, std::vector<std::pair<index_t, index_t>> synapses,
                                  step_t interval);
  // Throws std::invalid_argument if the model has no such state variable.
  state_recorder& record_state(std::uint32_t population, const std::string& variable, std::vector<index_t> ids,
                               step_t interval);

  // The population-rate bin [steps]; before the first run (default: one step).
  void set_rate_bin(step_t steps);

  // Advances the network by duration (rounded to whole steps). Returns the steps simulated,
  // fewer than asked when options.stop was set. Runs may follow each other: a network run in
  // pieces gives the same results as in one.
  step_t run(double duration_ms, const run_options& options = {});
  // The same for a count of steps: exact up to max_step, where durations in ms need not be.
  step_t run_steps(step_t steps, const run_options& options = {});

  step_t now() const { return now_; }
  // Steps per interval (the shortest delay; 10 without projections). Runs that stop at
  // multiples of it give exactly the results of one run.
  step_t interval_steps() const;
  // The longest run in steps: 2^53, where step counts are still exact as doubles.
  static constexpr step_t max_step = step_t{1} << 53;
  // Lists the state of the network and the kernel (core/state.hpp) between runs, for
  // checkpoints: neuron state, ISI statistics, ring buffers with the spikes in flight, plastic
  // weights, the rules' traces and the postsynaptic spikes still travelling back, rate bins,
  // recorder positions, event counts. A restoring visitor sets the step to v.step(); it needs
  // the same network built the same way, with any number of threads.
  void visit_state(state_visitor& v);
  std::vector<population>& populations() { return pops_; }
  const std::vector<population>& populations() const { return pops_; }
  const std::vector<projection>& projections() const { return projs_; }
  const std::vector<spike_recorder>& spike_recorders() const { return spike_recs_; }
  const std::vector<state_recorder>& state_recorders() const { return state_recs_; }
  const std::vector<weight_recorder>& weight_recorders() const { return weight_recs_; }
  // The synapses of a projection (onto `targets` only, when given) with their current weights,
  // by (source, target).
  std::vector<synapse_weight> weights(std::uint32_t projection, const std::vector<index_t>& targets = {}) const;
  // Spikes of each population per rate bin, since the start or the last drain.
  const rate_counts& rates() const { return rates_; }
  // Bytes the recorders hold (spikes, rate bins, state and weight samples).
  std::size_t recorded_bytes() const;
  std::uint64_t synaptic_events() const;
  std::size_t synapse_count() const;
  std::size_t synapse_bytes() const;

 private:
  struct worker_state;
  void prepare();
  void require_not_started(const char* what) const;
  void add_state_rows(step_t t0, step_t t1);
  void collect_interval(step_t t0, step_t t1);
  void gather_spikes();
  void drain(const run_options& options);
  void update_interval(int w, step_t t0, step_t t1);
  void update_population(int w, std::uint32_t p, step_t s);
  void note_spikes(worker_state& ws, std::uint32_t p, step_t s, std::vector<spike>& out);
  void sample_state(int w, step_t s);
  void deliver_interval(int w, step_t t0, step_t t1);
  void deliver_plastic(int w, std::uint32_t proj, step_t t0, step_t t1, std::vector<std::size_t>& cursor,
                       std::size_t parity);
  void deliver_spikes_at(int w, projection& proj, step_t s, std::vector<std::size_t>& cursor, std::size_t parity);
  void prepare_plastic(projection& proj);
  void visit_population(state_visitor& v, std::uint32_t p);
  void visit_plastic(state_visitor& v, std::uint32_t p);
  void flush_plastic(step_t t, bool always);
  void locate_weights(weight_recorder& rec) const;
  void sample_weights(step_t boundary);

  double dt_;
  std::uint64_t seed_;
  thread_team team_;
  std::vector<population> pops_;
  std::vector<projection> projs_;
  std::vector<std::unique_ptr<stimulus>> stims_;
  std::vector<spike_recorder> spike_recs_;
  std::vector<state_recorder> state_recs_;
  std::vector<weight_recorder> weight_recs_;
  rate_counts rates_;
  // Ring buffers: ring_[pop][receptor] holds slots_ rows of size pop.size.
  std::vector<std::vector<std::vector<input_t>>> ring_;
  std::vector<std::vector<double>> current_;
  std::vector<std::unique_ptr<worker_state>> workers_;
  std::vector<step_t> state_first_;  // the sample number (time / interval) of each state recorder's first row
  step_t min_delay_ = 10, slots_ = 1, now_ = 0;
};

}  // namespace neurite::core
