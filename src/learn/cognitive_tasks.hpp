#pragma once
// Generated neuroscience tasks after NeuroGym (our re-implementation of the three environments the
// rich/lazy paper trains on, with its timings at dt = 100 ms: 8 steps a trial). Every step has a
// target: 0 (fixate) until the last step, the decision, whose target is choice 1 or 2. The
// fixation input is 1 until the decision step and 0 there (the cue to answer).
//   two_alternative (PerceptualDecisionMaking, 2AF): 7 stimulus steps then the decision. Two
//     stimulus channels cos(theta_j - theta_choice) coh / 200 + 0.5 + N(0, 0.1^2), theta = {0, pi},
//     coherence coh in {0, 6.4, 12.8, 25.6, 51.2}. 3 inputs, 3 outputs.
//   delayed_match (DelayMatchSample, DMS): sample (1 step), delay (5), test (1), decision. Sample and
//     test in two channels cos(theta_j - theta) / 2 + 1/2 + N(0, 0.1^2); the test is the sample
//     (choice 1, match) or its opposite (choice 2). 3 inputs, 3 outputs.
//   context_decision (ContextDecisionMaking, CXT): stimulus (2 steps), delay (5), decision. Two
//     modalities of two channels (1 +- signed coh / 100) / 2, coh in {5, 15, 50}, and two context
//     channels (1 on the active one at every step, the decision included, as in NeuroGym); N(0, 0.1^2) on every input in the stimulus.
//     The target follows the modality the context names. 7 inputs, 3 outputs.
// Trial i of a stream is a pure function of (seed, stream, i): Philox stream
// (seed, learn_tasks + 16 * (3 + stream), i).
#include <cstdint>
#include <string_view>

#include "learn/classifier.hpp"

namespace neurite::learn {

enum class cognitive_task { two_alternative, delayed_match, context_decision };

struct task_shape {
  std::int64_t inputs = 0, outputs = 0, steps = 0;
};
task_shape shape_of(cognitive_task task);
std::string_view task_name(cognitive_task task);  // "2AF", "DMS", "CXT"

// Trials [first, first + count) of `stream`: inputs (steps, count, inputs) float, labels
// (steps, count) int64.
labelled_batch task_trials(cognitive_task task, std::uint64_t first, std::uint32_t count, std::uint32_t stream,
                           std::uint64_t seed);

}  // namespace neurite::learn
