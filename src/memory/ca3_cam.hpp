#pragma once
// The hippocampal CA3 spike-based content-addressable memory of Casanueva-Morato et al.
// (Neural Networks 2024; papers/PAPERS_13-24.md, section 16) as a module of a larger network.
// n one-hot cues address n memories of m content bits. Eight internal layers of
// if_curr_exp_spinnaker neurons; two all-to-all STDP projections store each memory in both
// directions (cue -> content and content -> cue). Operations, driven through an input
// population of n + m neurons (cue part first):
//   learn:          the cue and the content together for 3 consecutive steps;
//   recall by cue:  the cue for 1 step; the output shows the cue, then its content;
//   recall by content (CAM): any fragment of a content for 1 step; the output shows the
//                   fragment, then the cues of every memory containing it;
//   forget:         learning new content for a cue overwrites the old one.
// The step is 1 ms. Spike times are counted in steps as sPyNNaker stamps them: an input at
// step t reaches a layer with a 1-step delay at step t + 1, and that layer fires then.
#include <cstdint>
#include <string>
#include <vector>

#include "network/description.hpp"

namespace neurite::memory {

struct ca3_cam_size {
  core::index_t cues = 5, bits = 10;
  // Postsynaptic spikes each STDP synapse's target remembers (stdp_pair_spinnaker's history):
  // SpiNNaker's 16 by default. Large memories need more, since potentiation waits for the
  // cue's next spike.
  core::index_t stdp_history = 16;
};

// Names of the internal layers, as in the paper's code.
struct ca3_cam_layers {
  std::string cue_cue, cont_cue, cont_cond, cont_cond_int, cue_cont, cont_cont, merge_cue, merge_cont;
  std::vector<std::string> all() const;
  std::string cue_to_content, content_to_cue;  // the two STDP projections
};

// Adds the memory to d (populations named prefix + layer), driven by `input` (cues + bits
// neurons). d.simulation.dt must be 1 ms.
ca3_cam_layers add_ca3_cam(network::network_desc& d, const ca3_cam_size& size, const std::string& input,
                           const std::string& prefix = "CA3");
// Connects the merge layers to `output` (cues + bits neurons, cue part first), one to one.
void connect_ca3_output(network::network_desc& d, const ca3_cam_layers& layers, const ca3_cam_size& size,
                        const std::string& output);

struct ca3_operation {
  enum class kind { learn, recall_by_cue, recall_by_content };
  kind type;
  std::int64_t step;                 // when the input starts
  std::int64_t cue = -1;             // learn, recall_by_cue
  std::vector<core::index_t> bits;   // learn, recall_by_content
};

// Input spike steps per input neuron (cues, then bits) for a sequence of operations.
std::vector<std::vector<std::int64_t>> ca3_input_steps(const std::vector<ca3_operation>& ops,
                                                       const ca3_cam_size& size);

struct ca3_run {
  std::vector<std::string> names;                                // "input", the layers, "output"
  std::vector<std::vector<std::vector<std::int64_t>>> spikes;   // [population][neuron] spike steps
  std::vector<std::vector<float>> weights_cue_to_content;        // final [cue][bit] weights [pA]
  double wall_s = 0;                                             // simulation time
};

// Builds input -> memory -> output and runs it for `steps` steps on `threads` workers.
ca3_run run_ca3_cam(const ca3_cam_size& size, const std::vector<ca3_operation>& ops, std::int64_t steps,
                    int threads = 1);

// The output neurons (cue part: ids < cues) spiking in steps [from, to).
std::vector<core::index_t> ca3_active(const ca3_run& run, const std::string& population, std::int64_t from,
                                      std::int64_t to);

}  // namespace neurite::memory
