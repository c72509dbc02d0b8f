#pragma once
// A device that injects input into one population each step: it adds to the receptor inputs
// arriving at this step or to the stimulus current, for the slice of neurons a worker owns.
#include <cstdint>
#include <span>

#include "core/neuron_model.hpp"

namespace neurite::core {

class stimulus {
 public:
  explicit stimulus(std::uint32_t target) : target_(target) {}
  virtual ~stimulus() = default;
  std::uint32_t target() const { return target_; }
  // receptor[r][i] and current[i] are the inputs of neuron i at this step.
  virtual void apply(index_t begin, index_t end, step_t step, std::span<input_t* const> receptor, double* current) = 0;

 private:
  std::uint32_t target_;
};

}  // namespace neurite::core
