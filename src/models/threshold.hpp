#pragma once
// The threshold pass shared by the integrate-and-fire models. Each model first integrates a
// slice without branches (so the loop vectorises, refractory neurons held by a select), then
// calls this scan: crossings are rare, so the branch is cheap here and costly in the first loop.
#include <vector>

#include "core/neuron_model.hpp"

namespace neurite::models {

// Neurons with V >= V_th spike: V <- V_reset, refractory for ref_steps steps.
inline void threshold_and_reset(core::index_t begin, core::index_t end, double* V, int* refractory, double V_th,
                                double V_reset, int ref_steps, std::vector<core::index_t>& spiked) {
  for (core::index_t i = begin; i < end; ++i) {
    if (V[i] >= V_th) {
      spiked.push_back(i);
      V[i] = V_reset;
      refractory[i] = ref_steps;
    }
  }
}

}  // namespace neurite::models
