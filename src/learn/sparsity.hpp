#pragma once
// Sparse training by masks on every weight matrix (every parameter with two or more dimensions,
// the first layer and the classifier included), for GraNet (Liu et al., NeurIPS 2021, "Sparse
// training via boosting pruning plasticity with neuroregeneration") and the baselines it is
// compared with, as its repository does them (FINDINGS 22):
// - GraNet: global magnitude pruning on Zhu & Gupta's cubic schedule every Delta T iterations,
//     s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n Delta T))^3,   t = t0 + k Delta T, k = 1..n,
//   each step followed by zero-cost neuroregeneration: in every layer the ceil(r nnz_l) active
//   weights of smallest |w| are removed and as many inactive positions (those just removed
//   included: those keep their weight, as in the GraNet code) of largest |dL/dw| on the current
//   batch regrow, the others at zero. Regeneration runs every
//   Delta T from the first pruning step until the end of training, r cosine-decayed from r_0 to
//   r_min over the run:
//     r(t) = r_min + (r_0 - r_min) (1 + cos(pi t / T)) / 2.
//   s_i = 0 starts dense; s_i > 0 starts from an ERK mask of density 1 - s_i.
// - GMP: the same pruning from dense, no regeneration.
// - RigL: an ERK mask at the final density from the start, regenerated as GraNet does.
// - static ERK: an ERK mask at the final density, never changed.
// Masked weights stay zero: their gradients are masked before each optimiser step, the weights
// and the optimiser's momentum after it. Pruning never lowers the count of non-zeros below the
// schedule's, and regeneration conserves it in every layer.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

// The cubic schedule: pruning steps at t0 + k Delta T for k = 1..steps.
struct pruning_schedule {
  double initial_sparsity = 0, final_sparsity = 0.9;  // s_i, s_f
  std::int64_t start = 0;                              // t0 (iterations)
  std::int64_t interval = 100;                         // Delta T
  std::int64_t steps = 1;                              // n
  // s_t: s_i up to t0, s_f from t0 + n Delta T on.
  double sparsity(std::int64_t t) const;
  bool prunes_at(std::int64_t t) const;
};

// r(t), cosine-decayed over `iterations` (constant at r_min after them).
struct regeneration_schedule {
  double initial_rate = 0.5, final_rate = 0.005;  // r_0, r_min
  std::int64_t iterations = 1;                    // T
  double rate(std::int64_t t) const;
};

enum class sparse_method { dense, gmp, granet, rigl, static_erk };
std::string method_name(sparse_method m);  // "dense", "gmp", "granet", "rigl", "static-erk"

struct sparsity_options {
  sparse_method method = sparse_method::granet;
  double initial_sparsity = 0, final_sparsity = 0.98;  // s_i (GraNet; > 0 starts from ERK), s_f
  std::int64_t interval = 100;                         // Delta T (iterations)
  std::int64_t prune_start = 0, prune_end = 0;         // iterations between which the sparsity rises
  std::int64_t iterations = 0;                         // of the whole run (the regeneration's T)
  double regeneration_rate = 0.5, final_regeneration_rate = 0.005;
  std::uint64_t seed = 1;                              // ERK masks
};

// The schedules `o` implies (steps = (prune_end - prune_start) / interval, at least 1).
pruning_schedule pruning_of(const sparsity_options& o);
regeneration_schedule regeneration_of(const sparsity_options& o);

// Erdos-Renyi-Kernel densities of layers with the given shapes (out, in, kernel...) at overall
// density d: density_l = eps (sum of the dimensions) / (product of the dimensions), eps chosen so
// that the non-zeros add up to d times the weights; layers that would exceed 1 are made dense and
// eps solved again for the others (as RigL does).
std::vector<double> erk_densities(const std::vector<std::vector<std::int64_t>>& shapes, double density);

// One pruning or regeneration event, for the record.
struct sparsity_event {
  std::int64_t iteration = 0;
  double sparsity = 0;      // after the event, over all masked weights
  double rate = 0;          // regeneration rate (0: none)
  std::int64_t regrown = 0;  // positions that became active, summed over layers
};

class sparse_masks {
 public:
  // Masks over every parameter of `model` with two or more dimensions, initialised as the method
  // asks (dense for dense, GMP and GraNet at s_i = 0) and applied to the weights at once. The model
  // must outlive this object.
  sparse_masks(const classifier_model& model, const sparsity_options& o);

  // Weights, and momentum buffers where given (one per model parameter, undefined to skip), times
  // their masks.
  void apply(const std::vector<at::Tensor>& momentum = {}) const;
  // Global magnitude pruning: only the `keep` active weights of largest |w| over all layers stay
  // active (ties: the first in layer and row-major order).
  void prune_to(std::int64_t keep);
  // Per-layer regeneration at rate r with the gradients of every model parameter; returns the
  // number of positions that became active. Weights and momentum left inactive are zeroed.
  std::int64_t regenerate(double rate, const std::vector<at::Tensor>& gradients,
                          const std::vector<at::Tensor>& momentum = {});
  // The work of one iteration t (1, 2, ...) after its optimiser step: masks applied, then pruning
  // and regeneration where the method and the schedules say.
  void after_step(std::int64_t t, const std::vector<at::Tensor>& gradients, const std::vector<at::Tensor>& momentum);

  // Hooks for train_classifier: gradients remembered and masked before each step, after_step
  // after it. They refer to this object.
  training_hooks hooks();

  std::int64_t nonzeros() const;                 // active positions over all masks
  std::int64_t weights() const;                  // all masked positions
  std::vector<std::int64_t> layer_nonzeros() const;
  double sparsity() const { return 1.0 - static_cast<double>(nonzeros()) / static_cast<double>(weights()); }
  const std::vector<at::Tensor>& masks() const { return masks_; }             // 0/1, the weights' dtype
  const std::vector<std::size_t>& masked() const { return masked_; }          // their parameters' indices
  const std::vector<sparsity_event>& events() const { return events_; }
  const pruning_schedule& pruning() const { return pruning_; }

 private:
  const classifier_model& model_;
  sparsity_options o_;
  pruning_schedule pruning_;
  regeneration_schedule regeneration_;
  std::vector<std::size_t> masked_;
  std::vector<at::Tensor> masks_;
  std::vector<at::Tensor> gradients_;  // of the last batch, dense (for regeneration)
  std::int64_t iteration_ = 0;
  std::vector<sparsity_event> events_;
};

}  // namespace neurite::learn
