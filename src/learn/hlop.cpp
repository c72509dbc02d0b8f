#include "learn/hlop.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "core/rng.hpp"
#include "learn/lif_network.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

// Orthonormal columns spanning the columns of a (n x k): the left singular vectors whose singular
// values exceed 1e-6 of the largest (the rank-revealing part; QR would invent directions for a
// rank-deficient a).
at::Tensor orthonormal_columns(const at::Tensor& a) {
  if (a.size(1) == 0) return a;
  const auto [u, s, vh] = at::linalg_svd(a, false);
  const double largest = s[0].item<double>();
  const auto rank = s.gt(1e-6 * largest).sum().item<std::int64_t>();
  return u.narrow(1, 0, rank).contiguous();
}

// Uniform random rows (k x n) from the Philox stream of (seed, id), orthogonal to the rows of
// `against` (orthonormal rows), orthonormalised.
at::Tensor random_orthonormal_rows(std::int64_t k, std::int64_t n, const at::Tensor& against_basis,
                                   std::uint64_t seed, std::uint32_t id) {
  core::random_stream stream(seed, core::stream_purpose(core::purpose::learn_tasks, 4), id);
  at::Tensor r = uniform_parameter({n, k}, 1.0, stream, at::kDouble).detach();
  if (against_basis.size(1) > 0) r = r - at::matmul(against_basis, at::matmul(against_basis.t(), r));
  return std::get<0>(at::linalg_qr(r)).t().contiguous();
}

}  // namespace

lateral_subspace::lateral_subspace(std::int64_t inputs)
    : inputs_(inputs), w_(at::zeros({0, inputs}, at::kDouble)), momentum_(at::zeros({0, inputs}, at::kDouble)) {
  if (inputs < 1) throw std::invalid_argument("lateral_subspace: the layer needs at least one input");
}

std::int64_t lateral_subspace::rows() const { return w_.size(0); }

void lateral_subspace::add_neurons(std::int64_t k, std::uint64_t seed, std::uint32_t id) {
  freeze();
  if (k < 0 || rows() + k > inputs_)
    throw std::invalid_argument(fmt::format("lateral_subspace: {} more lateral neurons on top of {} exceed the {} inputs",
                                            k, rows(), inputs_));
  if (k == 0) return;
  w_ = at::cat({w_, random_orthonormal_rows(k, inputs_, frozen_basis(), seed, id)});
  momentum_ = at::zeros({k, inputs_}, at::kDouble);
}

void lateral_subspace::learn(const at::Tensor& x_in, const hebbian_options& o) {
  if (x_in.dim() != 2 || x_in.size(1) != inputs_)
    throw std::invalid_argument(fmt::format("lateral_subspace: expected inputs (batch, {})", inputs_));
  const std::int64_t k = rows() - frozen_;
  if (k == 0) return;
  const at::Tensor x = x_in.to(at::kDouble);
  const double batch = static_cast<double>(x.size(0));
  for (int i = 0; i < o.iterations; ++i) {
    const at::Tensor y = at::matmul(x, w_.t());                 // (B, rows)
    const at::Tensor residual = x - at::matmul(y, w_);          // x - W^T y, per sample
    const at::Tensor y_new = y.narrow(1, frozen_, k);
    const at::Tensor delta = (at::matmul(y_new.t(), residual) / batch).clamp(-o.clamp, o.clamp);
    momentum_ = o.momentum * momentum_ + (1 - o.momentum) * delta;
    w_.narrow(0, frozen_, k).add_(o.learning_rate * momentum_);
  }
}

void lateral_subspace::freeze() {
  frozen_ = rows();
  momentum_ = at::zeros({0, inputs_}, at::kDouble);
}

at::Tensor lateral_subspace::frozen_basis() const { return orthonormal_columns(w_.narrow(0, 0, frozen_).t()); }

at::Tensor project_out(const at::Tensor& update, const at::Tensor& basis) {
  if (basis.size(1) == 0) return update;
  const at::Tensor q = basis.to(update.scalar_type());
  return update - at::matmul(at::matmul(update, q), q.t());
}

at::Tensor top_singular_subspace(const at::Tensor& x, std::int64_t k) {
  if (k < 0 || k > std::min(x.size(0), x.size(1)))
    throw std::invalid_argument("top_singular_subspace: k must be at most the samples and the dimension");
  const auto [u, s, vh] = at::linalg_svd(x.to(at::kDouble), false);
  return vh.narrow(0, 0, k).contiguous();
}

at::Tensor top_eigen_subspace(const at::Tensor& second_moment, std::int64_t k) {
  const std::int64_t n = second_moment.size(0);
  if (second_moment.dim() != 2 || second_moment.size(1) != n || k < 0 || k > n)
    throw std::invalid_argument("top_eigen_subspace: expected a square matrix and k at most its size");
  // eigh sorts ascending: the last k columns, largest first.
  const at::Tensor v = std::get<1>(at::linalg_eigh(second_moment.to(at::kDouble)));
  return v.narrow(1, n - k, k).flip(1).t().contiguous();
}

std::vector<double> principal_cosines(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor qa = orthonormal_columns(a.to(at::kDouble).t()), qb = orthonormal_columns(b.to(at::kDouble).t());
  const at::Tensor s = at::linalg_svdvals(at::matmul(qa.t(), qb)).clamp_max(1.0).contiguous();
  return {s.data_ptr<double>(), s.data_ptr<double>() + s.numel()};
}

projected_layers projected_layers_of(const lif_network& net) {
  projected_layers p;
  for (std::size_t l = 0; l < net.layers(); ++l) p.weights.push_back(2 * l);
  p.inputs = [&net](const at::Tensor& inputs) {
    std::vector<at::Tensor> rates{inputs.mean(0)};
    const auto outputs = net.layer_outputs(inputs);
    for (std::size_t l = 0; l + 1 < outputs.size(); ++l) rates.push_back(outputs[l].spikes.mean(0));
    return rates;
  };
  return p;
}

std::vector<std::int64_t> lateral_schedule::neurons(std::size_t task) const {
  if (task == 0) return first;
  std::vector<std::int64_t> n(increment.size());
  for (std::size_t l = 0; l < n.size(); ++l) {
    const auto cut = l < reduction.size() ? reduction[l] * static_cast<std::int64_t>(task / std::max<std::size_t>(every, 1)) : 0;
    n[l] = std::max<std::int64_t>(increment[l] - cut, 0);
  }
  return n;
}

hlop::hlop(const classifier_model& model, projected_layers layers, std::vector<hebbian_options> hebbian,
           std::uint64_t seed)
    : layers_(std::move(layers)), hebbian_(std::move(hebbian)), seed_(seed) {
  if (hebbian_.size() != layers_.weights.size())
    throw std::invalid_argument("hlop: one set of Hebbian options per projected layer");
  for (const auto i : layers_.weights) {
    const at::Tensor& w = model.parameters().at(i);
    if (w.dim() != 2) throw std::invalid_argument("hlop: a projected parameter is not a weight matrix");
    subspaces_.emplace_back(w.size(1));
    bases_.push_back(at::zeros({w.size(1), 0}, w.scalar_type()));
  }
}

void hlop::begin_task(const std::vector<std::int64_t>& neurons) {
  if (neurons.size() != subspaces_.size())
    throw std::invalid_argument(fmt::format("hlop: {} lateral-neuron counts for {} layers", neurons.size(), subspaces_.size()));
  for (std::size_t l = 0; l < subspaces_.size(); ++l)
    subspaces_[l].add_neurons(neurons[l], seed_, static_cast<std::uint32_t>(task_ * subspaces_.size() + l));
}

void hlop::learn(const at::Tensor& inputs) {
  const at::NoGradGuard no_grad;
  const auto activity = layers_.inputs(inputs);
  for (std::size_t l = 0; l < subspaces_.size(); ++l) subspaces_[l].learn(activity.at(l), hebbian_[l]);
}

void hlop::consolidate(const labelled_dataset& train, std::uint32_t epochs, std::uint32_t batch) {
  if (batch == 0) throw std::invalid_argument("hlop: consolidation batches need at least one sample");
  std::vector<std::uint32_t> samples;
  for (std::uint32_t e = 0; e < epochs; ++e)
    for (std::uint32_t first = 0; first < train.count(); first += batch) {
      samples.resize(std::min(batch, train.count() - first));
      std::iota(samples.begin(), samples.end(), first);
      learn(train.batch(samples, 0, e).inputs);
    }
}

void hlop::end_task() {
  for (std::size_t l = 0; l < subspaces_.size(); ++l) {
    subspaces_[l].freeze();
    bases_[l] = subspaces_[l].frozen_basis().to(bases_[l].scalar_type());
  }
  ++task_;
}

void hlop::project(std::vector<at::Tensor>& gradients) const {
  for (std::size_t l = 0; l < subspaces_.size(); ++l) {
    at::Tensor& g = gradients.at(layers_.weights[l]);
    g = project_out(g, bases_[l]);
  }
}

training_hooks hlop::hooks(const labelled_dataset& train) {
  training_hooks h;
  h.gradients = [this](std::vector<at::Tensor>& g) { project(g); };
  h.batch_done = [this, &train](std::span<const std::uint32_t> samples, std::uint32_t epoch) {
    learn(train.batch(samples, 0, epoch).inputs);
  };
  return h;
}

}  // namespace neurite::learn
