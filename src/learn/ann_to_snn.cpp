#include "learn/ann_to_snn.hpp"

#include <algorithm>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "learn/training_threads.hpp"

namespace neurite::learn {
namespace {

// The state of the samples still running; rows follow `index`, their places in the batch.
struct running {
  at::Tensor index, input, output;  // input: the first layer's current, constant over the steps
  std::vector<at::Tensor> membranes;

  void keep(const at::Tensor& rows) {
    index = index.index_select(0, rows), input = input.index_select(0, rows), output = output.index_select(0, rows);
    for (auto& v : membranes) v = v.index_select(0, rows);
  }
};

// After the run, each sample's O from its exit step on is its O at exit.
at::Tensor hold_after_exit(const at::Tensor& outputs, const at::Tensor& exit_step) {
  const auto steps = outputs.size(0);
  const at::Tensor at_exit = outputs.gather(0, (exit_step - 1).view({1, -1, 1}).expand({1, -1, outputs.size(2)}));
  const at::Tensor after = at::arange(steps).unsqueeze(1) >= exit_step.unsqueeze(0);  // (T, batch)
  return at::where(after.unsqueeze(2), at_exit, outputs);
}

}  // namespace

if_network::if_network(const qcfs_mlp& ann) {
  for (std::size_t l = 0; l < ann.layers(); ++l) {
    weights_.push_back(ann.weight(l).detach().to(at::kDouble));
    biases_.push_back(ann.bias(l).detach().to(at::kDouble));
    if (l + 1 < ann.layers()) thresholds_.push_back(ann.lambda(l).item<double>());
  }
}

std::int64_t if_network::hidden_neurons() const {
  std::int64_t n = 0;
  for (std::size_t l = 0; l < thresholds_.size(); ++l) n += weights_[l].size(0);
  return n;
}

if_run if_network::run(const at::Tensor& images, std::uint32_t steps, const exit_rule& stop) const {
  if (images.dim() != 2 || images.size(1) != weights_[0].size(1))
    throw std::invalid_argument(fmt::format("if_network: images must be (batch, {}), found {}", weights_[0].size(1),
                                            fmt::join(images.sizes(), " x ")));
  if (steps == 0) throw std::invalid_argument("if_network: steps must be positive");
  const at::NoGradGuard no_grad;
  const std::int64_t batch = images.size(0), classes = weights_.back().size(0);
  if_run r{at::zeros({steps, batch, classes}, at::kDouble), at::full({batch}, static_cast<std::int64_t>(steps), at::kLong),
           std::vector<double>(thresholds_.size(), 0.0), 0, 0};
  running s{at::arange(batch), at::linear(images.to(at::kDouble), weights_[0], biases_[0]),
            at::zeros({batch, classes}, at::kDouble), {}};
  for (std::size_t l = 0; l < thresholds_.size(); ++l)
    s.membranes.push_back(at::full({batch, weights_[l].size(0)}, thresholds_[l] / 2, at::kDouble));
  for (std::uint32_t t = 0; t < steps && s.index.size(0) > 0; ++t) {
    r.input_macs += static_cast<double>(s.index.size(0) * weights_[0].numel());
    at::Tensor current = s.input;
    for (std::size_t l = 0; l < thresholds_.size(); ++l) {
      at::Tensor& v = s.membranes[l];
      v += current;
      const at::Tensor spikes = v.ge(thresholds_[l]).to(at::kDouble);
      v -= thresholds_[l] * spikes;
      const double count = spikes.sum().item<double>();
      r.spikes[l] += count;
      r.synaptic_ops += count * static_cast<double>(weights_[l + 1].size(0));
      current = at::linear(thresholds_[l] * spikes, weights_[l + 1], biases_[l + 1]);
    }
    s.output += current;
    r.outputs[t].index_copy_(0, s.index, s.output);
    if (!stop || t + 1 == steps) continue;
    const at::Tensor done = stop(s.output);
    r.exit_step.index_fill_(0, s.index.masked_select(done), static_cast<std::int64_t>(t + 1));
    s.keep(at::logical_not(done).nonzero().squeeze(1));
  }
  r.outputs = hold_after_exit(r.outputs, r.exit_step);
  return r;
}

if_run if_network::run(const at::Tensor& images, std::uint32_t steps, const exit_rule& stop, std::int64_t batch_size,
                       int threads) const {
  if (batch_size < 1) throw std::invalid_argument("if_network: batch_size must be positive");
  const std::int64_t count = images.size(0), batches = (count + batch_size - 1) / batch_size;
  std::vector<if_run> parts(static_cast<std::size_t>(batches));
  const training_threads team(threads);
  team.run([&](int w) {
    for (std::int64_t b = w; b < batches; b += team.size())
      parts[static_cast<std::size_t>(b)] =
          run(images.slice(0, b * batch_size, std::min(count, (b + 1) * batch_size)), steps, stop);
  });
  if_run all{{}, {}, std::vector<double>(thresholds_.size(), 0.0), 0, 0};
  std::vector<at::Tensor> outputs, exits;
  for (const auto& p : parts) {  // in batch order, so the sums do not depend on the threads
    outputs.push_back(p.outputs), exits.push_back(p.exit_step);
    for (std::size_t l = 0; l < p.spikes.size(); ++l) all.spikes[l] += p.spikes[l];
    all.synaptic_ops += p.synaptic_ops, all.input_macs += p.input_macs;
  }
  all.outputs = at::cat(outputs, 1), all.exit_step = at::cat(exits, 0);
  return all;
}

}  // namespace neurite::learn
