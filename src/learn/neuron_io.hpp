#pragma once
// A synthetic neuron-IO task (the NeuronIO analogue of the ELM paper): Poisson input trains onto a
// two_compartment_nmda neuron (models/two_compartment_nmda.cpp), simulated by the kernel through a
// network description; the task is to predict, bin by bin, the output spike and soma voltage from
// the input spike counts.
//
// Inputs come in groups: somatic excitatory and inhibitory, dendritic inhibitory, and dendritic
// excitatory split into `dend_clusters` clusters. Each group has its own rate envelope, constant
// over segments of `segment` ms, each segment's rate uniform in [0, 2 mean): co-activated clusters
// open the NMDA block and drive dendritic plateaus. Every input spikes in a simulation step with
// probability rate dt. Synaptic weights are lognormal (CV 0.5) and drawn from `seed` alone, so all
// samples share one neuron; the input trains are a pure function of (seed, sample).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "learn/sequence_dataset.hpp"

namespace neurite::learn {

struct neuron_io_options {
  std::uint32_t samples = 1024;
  std::uint32_t first_sample = 0;  // sample ids first_sample .. + samples: disjoint for train and test
  double window = 500;             // [ms] per sample; the neuron starts at rest
  double burn_in = 150;            // [ms] leading part that scores skip
  double bin = 1;                  // [ms] one step of the task
  double dt = 0.25;                // [ms] simulation step; bin is a whole number of them
  std::uint32_t soma_ex = 40, soma_in = 40, dend_ex = 160, dend_in = 40;  // inputs per group
  std::uint32_t dend_clusters = 4;
  double rate_ex = 5, rate_in = 10;  // [Hz] mean rate of excitatory and inhibitory inputs
  double segment = 100;              // [ms] the rate envelopes are piecewise constant over it
  double w_ex = 6, w_in = 3, w_dend_ex = 0.5, w_dend_in = 3;  // [nS] mean synaptic weights
  std::vector<std::pair<std::string, double>> neuron;       // overrides of the neuron's parameters
  std::uint64_t seed = 1;
};

// One simulated sample, time-major per bin.
struct neuron_io_sample {
  std::vector<float> inputs;   // [bin * features + input] spike counts
  std::vector<float> spikes;   // [bin] 1 if the neuron spiked in the bin
  std::vector<float> voltage;  // [bin] soma V_m at the bin's end [mV]
  std::vector<float> dendrite; // [bin] dendritic V_d at the bin's end [mV]
};

class neuron_io_dataset final : public sequence_dataset {
 public:
  // Throws std::invalid_argument for inconsistent options, naming the option.
  explicit neuron_io_dataset(neuron_io_options options);
  std::uint32_t count() const override { return options_.samples; }
  std::uint32_t features() const override;
  std::uint32_t steps() const override;
  std::uint32_t burn_in() const override;
  // Stream and epoch do not matter: a sample is one fixed simulation.
  sequence_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                       std::uint64_t epoch) const override;
  neuron_io_sample simulate(std::uint32_t sample) const;
  const neuron_io_options& options() const { return options_; }

 private:
  neuron_io_options options_;
};

// Output statistics over the first `samples` samples, after the burn-in.
struct neuron_io_statistics {
  double rate_hz = 0;           // output spikes per second
  double plateau_fraction = 0;  // of output spikes in bins whose dendrite ends above plateau_mV
  double spike_bins = 0;        // fraction of bins with a spike
};
neuron_io_statistics measure(const neuron_io_dataset& data, std::uint32_t samples, double plateau_mV = -40);

// A linear baseline without trained parameters: the net input count (excitation minus inhibition)
// filtered with a 10 ms exponential, scored by ROC AUC against the spikes after the burn-in, over
// the first `samples` samples.
double filtered_input_auc(const neuron_io_dataset& data, std::uint32_t samples);

}  // namespace neurite::learn
