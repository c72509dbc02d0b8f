#include "learn/sparsity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

// The Philox purpose of the ERK masks: id = layer.
constexpr std::uint32_t erk_purpose = core::stream_purpose(core::purpose::learn_tasks, 7);

// The first k positions of a flat score in sorted order; a stable sort, so ties go to the lower
// position and the choice is the same in every run.
at::Tensor first_positions(const at::Tensor& score, std::int64_t k, bool descending) {
  return std::get<1>(at::sort(score, /*stable=*/true, 0, descending)).slice(0, 0, k);
}

std::int64_t count(const at::Tensor& mask) { return at::count_nonzero(mask).item<std::int64_t>(); }

// A mask with round(density n) active positions drawn uniformly (a partial Fisher-Yates shuffle on
// the layer's own stream).
at::Tensor random_mask(const at::Tensor& weight, double density, std::uint64_t seed, std::uint32_t layer) {
  const std::int64_t n = weight.numel();
  const auto active = std::clamp<std::int64_t>(std::llround(density * static_cast<double>(n)), 0, n);
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  core::random_stream stream(seed, erk_purpose, layer, 0);
  for (std::int64_t i = 0; i < active; ++i)
    std::swap(order[static_cast<std::size_t>(i)],
              order[static_cast<std::size_t>(i + stream.below(static_cast<std::uint32_t>(n - i)))]);
  at::Tensor chosen = at::from_blob(order.data(), {active}, at::kLong).clone();
  at::Tensor mask = at::zeros({n}, weight.options().requires_grad(false));
  mask.index_fill_(0, chosen, 1.0);
  return mask.view(weight.sizes());
}

bool regenerates(sparse_method m) { return m == sparse_method::granet || m == sparse_method::rigl; }
bool prunes(sparse_method m) { return m == sparse_method::granet || m == sparse_method::gmp; }

}  // namespace

double pruning_schedule::sparsity(std::int64_t t) const {
  const double span = static_cast<double>(steps * interval);
  const double p = std::clamp(static_cast<double>(t - start) / span, 0.0, 1.0);
  return final_sparsity + (initial_sparsity - final_sparsity) * std::pow(1.0 - p, 3);
}

bool pruning_schedule::prunes_at(std::int64_t t) const {
  return t > start && t <= start + steps * interval && (t - start) % interval == 0;
}

double regeneration_schedule::rate(std::int64_t t) const {
  const double p = std::clamp(static_cast<double>(t) / static_cast<double>(iterations), 0.0, 1.0);
  return final_rate + (initial_rate - final_rate) * 0.5 * (1.0 + std::cos(std::numbers::pi * p));
}

std::string method_name(sparse_method m) {
  switch (m) {
    case sparse_method::dense: return "dense";
    case sparse_method::gmp: return "gmp";
    case sparse_method::granet: return "granet";
    case sparse_method::rigl: return "rigl";
    case sparse_method::static_erk: return "static-erk";
  }
  return "?";
}

pruning_schedule pruning_of(const sparsity_options& o) {
  const std::int64_t steps = std::max<std::int64_t>(1, (o.prune_end - o.prune_start) / std::max<std::int64_t>(o.interval, 1));
  return {o.initial_sparsity, o.final_sparsity, o.prune_start, o.interval, steps};
}

regeneration_schedule regeneration_of(const sparsity_options& o) {
  return {o.regeneration_rate, o.final_regeneration_rate, std::max<std::int64_t>(o.iterations, 1)};
}

std::vector<double> erk_densities(const std::vector<std::vector<std::int64_t>>& shapes, double density) {
  if (!(density > 0 && density <= 1)) throw std::invalid_argument("erk_densities: the density must be in (0, 1]");
  const std::size_t layers = shapes.size();
  std::vector<double> size(layers), dims(layers);
  for (std::size_t l = 0; l < layers; ++l) {
    size[l] = 1.0, dims[l] = 0.0;
    for (const auto n : shapes[l]) size[l] *= static_cast<double>(n), dims[l] += static_cast<double>(n);
  }
  const double target = density * std::accumulate(size.begin(), size.end(), 0.0);
  std::vector<bool> dense(layers, false);
  for (;;) {
    // Non-zeros: sum over dense layers of size_l + eps * sum over the others of dims_l = target.
    double fixed = 0, scaled = 0;
    for (std::size_t l = 0; l < layers; ++l) {
      if (dense[l]) fixed += size[l];
      else scaled += dims[l];
    }
    const double eps = scaled > 0 ? (target - fixed) / scaled : 0;
    bool changed = false;
    for (std::size_t l = 0; l < layers; ++l)
      if (!dense[l] && eps * dims[l] / size[l] > 1) dense[l] = changed = true;
    if (changed) continue;
    std::vector<double> d(layers);
    for (std::size_t l = 0; l < layers; ++l) d[l] = dense[l] ? 1.0 : eps * dims[l] / size[l];
    return d;
  }
}

sparse_masks::sparse_masks(const classifier_model& model, const sparsity_options& o)
    : model_(model), o_(o), pruning_(pruning_of(o)), regeneration_(regeneration_of(o)) {
  if (!(o.final_sparsity >= 0 && o.final_sparsity < 1) || !(o.initial_sparsity >= 0 && o.initial_sparsity < 1))
    throw std::invalid_argument("sparse_masks: sparsities must be in [0, 1)");
  if (o.interval < 1) throw std::invalid_argument("sparse_masks: the interval must be positive");
  const auto& parameters = model.parameters();
  std::vector<std::vector<std::int64_t>> shapes;
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (parameters[i].dim() >= 2) {
      masked_.push_back(i);
      shapes.push_back(parameters[i].sizes().vec());
    }
  // ERK from the start: RigL and static ERK at the final density, GraNet at 1 - s_i when s_i > 0.
  const bool from_erk = o.method == sparse_method::rigl || o.method == sparse_method::static_erk ||
                        (o.method == sparse_method::granet && o.initial_sparsity > 0);
  const double erk_density = 1.0 - (o.method == sparse_method::granet ? o.initial_sparsity : o.final_sparsity);
  const auto densities = from_erk ? erk_densities(shapes, erk_density) : std::vector<double>(shapes.size(), 1.0);
  for (std::size_t l = 0; l < masked_.size(); ++l) {
    const at::Tensor& w = parameters[masked_[l]];
    masks_.push_back(from_erk ? random_mask(w, densities[l], o.seed, static_cast<std::uint32_t>(l))
                              : at::ones_like(w, w.options().requires_grad(false)));
  }
  apply();
}

void sparse_masks::apply(const std::vector<at::Tensor>& momentum) const {
  const at::NoGradGuard no_grad;
  const auto& parameters = model_.parameters();
  for (std::size_t l = 0; l < masked_.size(); ++l) {
    parameters[masked_[l]].mul_(masks_[l]);
    if (masked_[l] < momentum.size() && momentum[masked_[l]].defined()) momentum[masked_[l]].mul_(masks_[l]);
  }
}

void sparse_masks::prune_to(std::int64_t keep) {
  const at::NoGradGuard no_grad;
  std::vector<at::Tensor> scores;
  for (std::size_t l = 0; l < masked_.size(); ++l) {
    const at::Tensor& w = model_.parameters()[masked_[l]];
    // Inactive positions score below any active weight, so they are never kept.
    scores.push_back(at::where(masks_[l].gt(0), w.abs(), at::full_like(w, -1)).flatten());
  }
  const at::Tensor all = at::cat(scores);
  at::Tensor kept = at::zeros_like(all);
  kept.index_fill_(0, first_positions(all, std::min(keep, all.numel()), true), 1.0);
  std::int64_t offset = 0;
  for (auto& m : masks_) {
    m = kept.slice(0, offset, offset + m.numel()).view(m.sizes()).clone();
    offset += m.numel();
  }
  apply();
}

std::int64_t sparse_masks::regenerate(double rate, const std::vector<at::Tensor>& gradients,
                                      const std::vector<at::Tensor>& momentum) {
  const at::NoGradGuard no_grad;
  std::int64_t regrown = 0;
  for (std::size_t l = 0; l < masked_.size(); ++l) {
    const at::Tensor& w = model_.parameters()[masked_[l]];
    at::Tensor& m = masks_[l];
    const std::int64_t active = count(m);
    const auto k = std::min<std::int64_t>(active, static_cast<std::int64_t>(std::ceil(rate * static_cast<double>(active))));
    if (k == 0) continue;
    const at::Tensor before = m.clone();
    at::Tensor flat = m.view({-1});
    // Remove the k active weights of smallest magnitude (inactive ones score +inf)...
    const at::Tensor magnitude =
        at::where(m.gt(0), w.abs(), at::full_like(w, std::numeric_limits<double>::infinity())).flatten();
    flat.index_fill_(0, first_positions(magnitude, k, false), 0.0);
    // ...and regrow the k inactive positions of largest gradient magnitude (active ones score -1).
    // A position removed in this same step may regrow; as in the GraNet code, whose mask is
    // applied only after the growth, it keeps its weight and momentum. Positions inactive before
    // hold zeros, so those regrow at zero.
    const at::Tensor g = gradients.at(masked_[l]);
    const at::Tensor growth = at::where(m.gt(0), at::full_like(g, -1), g.abs()).flatten();
    flat.index_fill_(0, first_positions(growth, k, true), 1.0);
    w.mul_(m);
    if (masked_[l] < momentum.size() && momentum[masked_[l]].defined()) momentum[masked_[l]].mul_(m);
    regrown += count(m.gt(0).logical_and(before.eq(0)));
  }
  return regrown;
}

void sparse_masks::after_step(std::int64_t t, const std::vector<at::Tensor>& gradients,
                              const std::vector<at::Tensor>& momentum) {
  apply(momentum);
  // Every Delta T counted from the start of pruning (a one-shot prune may start at any iteration).
  if ((t - o_.prune_start) % o_.interval != 0 || !(prunes(o_.method) || regenerates(o_.method))) return;
  sparsity_event e{t, 0, 0, 0};
  bool changed = false;
  if (prunes(o_.method) && pruning_.prunes_at(t)) {
    const auto keep = static_cast<std::int64_t>(std::llround((1.0 - pruning_.sparsity(t)) * static_cast<double>(weights())));
    if (keep < nonzeros()) prune_to(keep);
    changed = true;
  }
  // Regeneration from the first pruning step on (a dense network has nothing to regrow into).
  if (regenerates(o_.method) && t > o_.prune_start && t < o_.iterations) {
    e.rate = regeneration_.rate(t);
    e.regrown = regenerate(e.rate, gradients, momentum);
    changed = true;
  }
  if (!changed) return;
  apply(momentum);
  e.sparsity = sparsity();
  events_.push_back(e);
}

training_hooks sparse_masks::hooks() {
  training_hooks h;
  h.gradients = [this](std::vector<at::Tensor>& gradients) {
    gradients_ = gradients;  // dense: regeneration reads the gradient at inactive positions
    for (std::size_t l = 0; l < masked_.size(); ++l) gradients[masked_[l]] = gradients[masked_[l]] * masks_[l];
  };
  h.step_done = [this](const std::vector<at::Tensor>& momentum) { after_step(++iteration_, gradients_, momentum); };
  return h;
}

std::int64_t sparse_masks::nonzeros() const {
  std::int64_t n = 0;
  for (const auto& m : masks_) n += count(m);
  return n;
}

std::int64_t sparse_masks::weights() const {
  std::int64_t n = 0;
  for (const auto& m : masks_) n += m.numel();
  return n;
}

std::vector<std::int64_t> sparse_masks::layer_nonzeros() const {
  std::vector<std::int64_t> n;
  for (const auto& m : masks_) n.push_back(count(m));
  return n;
}

}  // namespace neurite::learn
