#pragma once
// A Diehl & Cook (2015) network on the spiking kernel, as one module of the place-recognition
// ensembles of Hussaini et al. (2023) (papers/PAPERS_01-12.md, section 9): Poisson inputs
// (poisson_rates) -> excitatory neurons with adaptive thresholds (diehl_cook_lif), plastic
// (stdp_diehl_cook with weight normalisation); each excitatory neuron drives one inhibitory
// neuron (one_to_one), which inhibits all the other excitatory neurons (all_to_others).
//
// Phases as in the paper's code: train (plastic input weights, thresholds adapt), then the
// frozen network (static weights, frozen thresholds) answers images with spike counts; the
// driver assigns neurons and scores them (memory/place_recognition.hpp). Every image is shown
// for `present_ms`, then the inputs rest for `rest_ms`; an image that makes fewer than
// `min_spikes` excitatory spikes is shown again with its rates raised by one intensity step.
#include <cstdint>
#include <vector>

#include "core/neuron_model.hpp"

namespace neurite::memory {

struct diehl_cook_config {
  core::index_t n_input = 784, n_e = 100;
  double dt = 0.5;                                  // [ms]
  double present_ms = 350, rest_ms = 150;
  double max_rate = 63.75;                          // [Hz] of a white pixel at the first intensity
  int min_spikes = 5, max_repeats = 4;              // the intensity rule
  double w_init_max = 0.3;                          // initial input weights uniform in [0, w_init_max)
  // [ms] Input delays. The paper's code draws each input synapse's delay uniformly from
  // [0, 10) ms, which decorrelates the neurons' input (with one delay all neurons integrate the
  // same spikes and cross threshold together, before the lateral inhibition can act). The kernel's
  // plastic projections have one delay each, so the inputs are split into `delay_groups`
  // projections of equal size with delays input_delay + spread g / groups; each group's weights
  // are normalised to norm_total / groups (weight cannot move between groups: an approximation).
  double input_delay = 0.5;
  core::index_t delay_groups = 1;
  double input_delay_spread = 10;
  double norm_total = 78;                           // sum of each neuron's input weights (784 inputs)
  double nu_pre = 1e-4, nu_post = 1e-2;
  bool pre_potentiates = false;                     // the VPRSNN sign of the presynaptic term
  double theta_plus = 0.05, tau_theta = 1e7;        // [mV], [ms]
  double w_ei = 10.4, w_ie = 17.0;                  // E -> I, I -> E (inhibitory) conductance jumps
  // The VPRSNN module's settings that differ from Diehl & Cook's paper: inhibitory conductances
  // decay with 0.5 ms (the code's tc_gi; Diehl & Cook 2 ms), in both populations.
  double tau_syn_in = 0.5;                          // [ms]
  // [ms] The excitatory neurons' minimum interval between spikes, from the codes' timer quirk
  // (diehl_cook_lif's t_block); 0: the 5 ms refractory period alone.
  double t_block = 50;
  int threads = 1;
  std::uint64_t seed = 1;                           // the kernel's seed (Poisson inputs)
  std::uint64_t weight_seed = 1;                    // initial weights and delays
};

// What training leaves: input weights [source * n_e + target] and thresholds.
struct diehl_cook_state {
  std::vector<float> weights;
  std::vector<double> theta;
};

// The delay group of input synapse i -> j: (i + 3 j) mod delay_groups, so that every neuron has
// n_input / delay_groups synapses in each group and a pixel reaches neighbouring neurons with
// different delays. Throws unless delay_groups >= 1 divides n_input.
core::index_t input_delay_group(const diehl_cook_config& c, core::index_t i, core::index_t j);

// Initial input weights, uniform in [0, w_init_max) and normalised as training does, drawn from stream_purpose(learn_tasks, 5) with id
// 1'000'000 + target (views of places use ids below that); each delay group's share of them sums
// to norm_total / delay_groups.
diehl_cook_state initial_diehl_cook(const diehl_cook_config& c);

// Trains on the images in order (pixel intensities in [0, 1], n_input each), one presentation
// each: the caller repeats and shuffles for epochs.
diehl_cook_state train_diehl_cook(const diehl_cook_config& c, const diehl_cook_state& start,
                                  const std::vector<std::vector<float>>& images);

// Spike counts [image][excitatory neuron] of the frozen network.
std::vector<std::vector<std::uint32_t>> diehl_cook_responses(const diehl_cook_config& c, const diehl_cook_state& s,
                                                             const std::vector<std::vector<float>>& images);

}  // namespace neurite::memory
