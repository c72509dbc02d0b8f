#include "learn/cognitive_tasks.hpp"

#include <array>
#include <cmath>

#include <ATen/ATen.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

constexpr std::int64_t trial_steps = 8;
constexpr double noise_sd = 0.1;  // NeuroGym's sigma = 1 / sqrt(dt), dt = 100 ms

// One trial's inputs, (steps x inputs) row-major; the generators return its decision (1 or 2).
struct trial {
  float* in;
  std::int64_t inputs;
  float& at(std::int64_t step, std::int64_t channel) { return in[step * inputs + channel]; }
};

template <std::size_t N>
double pick(core::random_stream& r, const std::array<double, N>& values) {
  return values[r.below(static_cast<std::uint32_t>(N))];
}

// cos(theta_j - theta) for the two directions theta_j = 0, pi of the ring.
double ring(std::int64_t channel, std::int64_t direction) { return channel == direction ? 1.0 : -1.0; }

std::int64_t two_alternative(trial t, core::random_stream& r) {
  const std::int64_t choice = 1 + r.below(2);
  const double coh = pick(r, std::array{0.0, 6.4, 12.8, 25.6, 51.2});
  for (std::int64_t s = 0; s < trial_steps - 1; ++s) {
    t.at(s, 0) = 1;
    for (std::int64_t j = 0; j < 2; ++j)
      t.at(s, 1 + j) = static_cast<float>(ring(j, choice - 1) * coh / 200 + 0.5 + noise_sd * r.normal());
  }
  return choice;
}

std::int64_t delayed_match(trial t, core::random_stream& r) {
  const std::int64_t choice = 1 + r.below(2), sample = r.below(2);
  const std::int64_t test = choice == 1 ? sample : 1 - sample;
  for (std::int64_t s = 0; s < trial_steps - 1; ++s) t.at(s, 0) = 1;
  for (std::int64_t j = 0; j < 2; ++j) {
    t.at(0, 1 + j) = static_cast<float>(ring(j, sample) / 2 + 0.5 + noise_sd * r.normal());
    t.at(6, 1 + j) = static_cast<float>(ring(j, test) / 2 + 0.5 + noise_sd * r.normal());
  }
  return choice;
}

std::int64_t context_decision(trial t, core::random_stream& r) {
  const std::int64_t choice = 1 + r.below(2), other = 1 + r.below(2), context = r.below(2);
  const std::array<double, 3> cohs{5, 15, 50};
  const std::array<double, 2> coh{pick(r, cohs), pick(r, cohs)};
  // Modality `context` carries the answer, the other an independent choice.
  const std::array<std::int64_t, 2> modality_choice{context == 0 ? choice : other, context == 0 ? other : choice};
  // NeuroGym sets every input to 0 at the decision and only then adds the context cue, on every
  // step: the cue stays on through the decision (fixation goes off as in the other tasks).
  for (std::int64_t s = 0; s < trial_steps; ++s) {
    if (s < trial_steps - 1) t.at(s, 0) = 1;
    t.at(s, 5 + context) = 1;
  }
  for (std::int64_t s = 0; s < 2; ++s) {
    for (std::int64_t m = 0; m < 2; ++m) {
      const double signed_coh = modality_choice[static_cast<std::size_t>(m)] == 1 ? coh[static_cast<std::size_t>(m)]
                                                                                   : -coh[static_cast<std::size_t>(m)];
      t.at(s, 1 + 2 * m) = static_cast<float>((1 + signed_coh / 100) / 2);
      t.at(s, 2 + 2 * m) = static_cast<float>((1 - signed_coh / 100) / 2);
    }
    for (std::int64_t j = 0; j < 7; ++j) t.at(s, j) += static_cast<float>(noise_sd * r.normal());
  }
  return choice;
}

}  // namespace

task_shape shape_of(cognitive_task task) {
  return {task == cognitive_task::context_decision ? 7 : 3, 3, trial_steps};
}

std::string_view task_name(cognitive_task task) {
  switch (task) {
    case cognitive_task::two_alternative: return "2AF";
    case cognitive_task::delayed_match: return "DMS";
    case cognitive_task::context_decision: return "CXT";
  }
  return "?";
}

labelled_batch task_trials(cognitive_task task, std::uint64_t first, std::uint32_t count, std::uint32_t stream,
                           std::uint64_t seed) {
  const task_shape shape = shape_of(task);
  const auto n = static_cast<std::int64_t>(count);
  // Built trial-major, then made time-major.
  at::Tensor inputs = at::zeros({n, shape.steps, shape.inputs}, at::kFloat);
  at::Tensor labels = at::zeros({n, shape.steps}, at::kLong);
  const auto purpose = core::stream_purpose(core::purpose::learn_tasks, 3 + stream);
  for (std::int64_t b = 0; b < n; ++b) {
    const std::uint64_t id = first + static_cast<std::uint64_t>(b);
    core::random_stream r(seed, purpose, static_cast<std::uint32_t>(id), id >> 32);
    const trial t{inputs.data_ptr<float>() + b * shape.steps * shape.inputs, shape.inputs};
    std::int64_t choice = 0;
    switch (task) {
      case cognitive_task::two_alternative: choice = two_alternative(t, r); break;
      case cognitive_task::delayed_match: choice = delayed_match(t, r); break;
      case cognitive_task::context_decision: choice = context_decision(t, r); break;
    }
    labels.data_ptr<std::int64_t>()[b * shape.steps + shape.steps - 1] = choice;
  }
  return {inputs.transpose(0, 1).contiguous(), labels.transpose(0, 1).contiguous()};
}

}  // namespace neurite::learn
