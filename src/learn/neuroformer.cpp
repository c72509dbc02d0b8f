#include "learn/neuroformer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

constexpr std::size_t per_layer = 12;  // ln1 g, b, Wqkv, bqkv, Wo, bo, ln2 g, b, W1, b1, W2, b2

at::Tensor ones(std::int64_t d) { return at::ones({d}, at::kFloat).set_requires_grad(true); }
at::Tensor zeros(std::int64_t d) { return at::zeros({d}, at::kFloat).set_requires_grad(true); }

void check(const neuroformer_config& c) {
  if (c.layout.neurons == 0 || c.layout.window_bins == 0 || c.windows == 0 || c.layers < 1 || c.heads < 1 ||
      c.embedding % c.heads != 0 || c.feedforward < 1)
    throw std::invalid_argument("neuroformer: needs neurons, window_bins, windows, layers, heads, feedforward >= 1 and "
                                "embedding a multiple of heads");
}

// The causal mask: 0 on and below the diagonal, -inf above.
at::Tensor causal_mask(std::int64_t L) {
  return at::full({L, L}, -std::numeric_limits<float>::infinity(), at::kFloat).triu(1);
}

}  // namespace

neuroformer::neuroformer(neuroformer_config c, std::uint64_t seed) : config_(c) {
  check(c);
  const std::int64_t d = c.embedding, f = c.feedforward, N = c.layout.neurons, W = c.layout.window_bins;
  // Embeddings as GPT-2 draws them (sd 0.02), here uniform of the same spread, from the Philox stream.
  core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_weights), 1000);
  const double spread = 0.02 * std::sqrt(3.0);
  parameters_.push_back(uniform_parameter({c.layout.id_vocabulary(), d}, spread, stream));
  parameters_.push_back(uniform_parameter({c.layout.time_vocabulary(), d}, spread, stream));
  parameters_.push_back(uniform_parameter({c.windows, d}, spread, stream));
  std::uint32_t layer = 0;
  const auto linear = [&](std::int64_t out, std::int64_t in) {
    for (auto& p : linear_parameters(out, in, seed, layer++)) parameters_.push_back(p);
  };
  for (std::int64_t l = 0; l < c.layers; ++l) {
    parameters_.push_back(ones(d));
    parameters_.push_back(zeros(d));
    linear(3 * d, d);
    linear(d, d);
    parameters_.push_back(ones(d));
    parameters_.push_back(zeros(d));
    linear(f, d);
    linear(d, f);
  }
  parameters_.push_back(ones(d));
  parameters_.push_back(zeros(d));
  linear(N + 1, d);
  linear(W, d);
  if (c.behaviour_head) linear(1, d);
}

std::int64_t neuroformer::outputs() const {
  return config_.layout.neurons + 1 + config_.layout.window_bins + (config_.behaviour_head ? 1 : 0);
}

neuroformer::pass neuroformer::run(const at::Tensor& inputs) const {
  const auto& p = parameters_;
  const std::int64_t B = inputs.size(0), L = inputs.size(1), d = config_.embedding, H = config_.heads, dh = d / H;
  if (inputs.dim() != 3 || inputs.size(2) != 3) throw std::invalid_argument("neuroformer: inputs must be (batch, tokens, 3)");
  at::Tensor x = at::embedding(p[0], inputs.select(2, 0)) + at::embedding(p[1], inputs.select(2, 1)) +
                 at::embedding(p[2], inputs.select(2, 2));
  const at::Tensor mask = causal_mask(L);
  pass out;
  for (std::int64_t l = 0; l < config_.layers; ++l) {
    const auto* q = &p[3 + static_cast<std::size_t>(l) * per_layer];
    const at::Tensor h = at::layer_norm(x, {d}, q[0], q[1]);
    const auto qkv = at::linear(h, q[2], q[3]).view({B, L, 3, H, dh}).permute({2, 0, 3, 1, 4});  // (3, B, H, L, dh)
    const at::Tensor scores = at::matmul(qkv[0], qkv[1].transpose(-2, -1)) / std::sqrt(static_cast<double>(dh)) + mask;
    const at::Tensor attention = at::softmax(scores, -1);
    out.attention.push_back(attention);
    const at::Tensor mixed = at::matmul(attention, qkv[2]).transpose(1, 2).reshape({B, L, d});
    x = x + at::linear(mixed, q[4], q[5]);
    x = x + at::linear(at::gelu(at::linear(at::layer_norm(x, {d}, q[6], q[7]), q[8], q[9])), q[10], q[11]);
  }
  const std::size_t head = 3 + static_cast<std::size_t>(config_.layers) * per_layer;
  out.features = at::layer_norm(x, {d}, p[head], p[head + 1]);
  std::vector<at::Tensor> parts{at::linear(out.features, p[head + 2], p[head + 3]),
                                at::linear(out.features, p[head + 4], p[head + 5])};
  if (config_.behaviour_head) parts.push_back(at::linear(out.features, p[head + 6], p[head + 7]));
  out.outputs = at::cat(parts, 2);
  return out;
}

at::Tensor neuroformer::forward(const at::Tensor& inputs) const { return run(inputs).outputs; }

window_dataset::window_dataset(token_layout layout, std::vector<window_sequence> windows, std::vector<double> behaviour)
    : layout_(layout), windows_(std::move(windows)), behaviour_(std::move(behaviour)) {
  if (!behaviour_.empty() && behaviour_.size() != windows_.size())
    throw std::invalid_argument("window dataset: " + std::to_string(behaviour_.size()) + " behaviour values for " +
                                std::to_string(windows_.size()) + " windows");
}

labelled_batch window_dataset::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  std::size_t L = 1;
  for (const auto s : samples) L = std::max(L, windows_.at(s).tokens.size());
  const auto B = static_cast<std::int64_t>(samples.size());
  at::Tensor inputs = at::empty({B, static_cast<std::int64_t>(L), 3}, at::kLong);
  at::Tensor labels = at::full({B, static_cast<std::int64_t>(L), 4}, -1.0, at::kDouble);
  auto in = inputs.accessor<std::int64_t, 3>();
  auto out = labels.accessor<double, 3>();
  const double W = layout_.window_bins;
  for (std::int64_t b = 0; b < B; ++b) {
    const auto& w = windows_[samples[static_cast<std::size_t>(b)]];
    const auto& t = w.tokens;
    for (std::size_t i = 0; i < L; ++i) {
      const spike_token k = i < t.size() ? t[i] : spike_token{layout_.pad(), layout_.special_time()};
      in[b][static_cast<std::int64_t>(i)][0] = k.id;
      in[b][static_cast<std::int64_t>(i)][1] = k.time;
      in[b][static_cast<std::int64_t>(i)][2] = w.window;
      out[b][static_cast<std::int64_t>(i)][3] = 0;
      if (i >= w.sos && i + 1 < t.size()) {
        const auto& next = t[i + 1];
        out[b][static_cast<std::int64_t>(i)][0] = next.id;
        out[b][static_cast<std::int64_t>(i)][1] = next.id < layout_.neurons ? static_cast<double>(next.time) - W : -1.0;
      }
    }
    const auto eos = static_cast<std::int64_t>(t.size() - 1);
    out[b][eos][2] = behaviour_.empty() ? 0.0 : behaviour_[samples[static_cast<std::size_t>(b)]];
    out[b][eos][3] = behaviour_.empty() ? 0.0 : 1.0;
  }
  return {inputs, labels};
}

at::Tensor neuroformer_objective::loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const std::int64_t K = neurons_ + 1, W = window_bins_;
  const at::Tensor ids = outputs.slice(2, 0, K).reshape({-1, K});
  const at::Tensor offsets = outputs.slice(2, K, K + W).reshape({-1, W});
  at::Tensor loss = at::cross_entropy_loss(ids, labels.select(2, 0).reshape({-1}).to(at::kLong), {}, at::Reduction::Sum, -1) +
                    at::cross_entropy_loss(offsets, labels.select(2, 1).reshape({-1}).to(at::kLong), {}, at::Reduction::Sum, -1);
  if (behaviour_weight_ > 0 && outputs.size(2) > K + W) {
    const at::Tensor error = outputs.select(2, K + W) - labels.select(2, 2).to(at::kFloat);
    loss = loss + behaviour_weight_ * (error.square() * labels.select(2, 3).to(at::kFloat)).sum();
  }
  return loss;
}

double neuroformer_objective::score_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const std::int64_t K = neurons_ + 1;
  return at::cross_entropy_loss(outputs.slice(2, 0, K).reshape({-1, K}), labels.select(2, 0).reshape({-1}).to(at::kLong), {},
                                at::Reduction::Sum, -1)
      .item<double>();
}

namespace {

// f(inputs, labels) for consecutive micro-batches of all samples, in order.
template <class F>
void for_each_batch(const window_dataset& data, std::uint32_t micro_batch, F f) {
  if (micro_batch == 0) throw std::invalid_argument("neuroformer: micro_batch must be positive");
  std::vector<std::uint32_t> all(data.count());
  std::iota(all.begin(), all.end(), 0u);
  for (std::size_t first = 0; first < all.size(); first += micro_batch) {
    const auto samples = std::span(all).subspan(first, std::min<std::size_t>(micro_batch, all.size() - first));
    const auto b = data.batch(samples, 1, 0);
    f(b.inputs, b.labels, samples);
  }
}

}  // namespace

token_cross_entropy evaluate_cross_entropy(const neuroformer& model, const window_dataset& data, std::uint32_t micro_batch) {
  const at::NoGradGuard no_grad;
  const std::int64_t K = data.layout().neurons + 1, W = data.layout().window_bins;
  token_cross_entropy ce;
  for_each_batch(data, micro_batch, [&](const at::Tensor& inputs, const at::Tensor& labels, auto) {
    const at::Tensor out = model.forward(inputs);
    const at::Tensor id = labels.select(2, 0).reshape({-1}).to(at::kLong), dt = labels.select(2, 1).reshape({-1}).to(at::kLong);
    ce.id += at::cross_entropy_loss(out.slice(2, 0, K).reshape({-1, K}), id, {}, at::Reduction::Sum, -1).item<double>();
    ce.offset += at::cross_entropy_loss(out.slice(2, K, K + W).reshape({-1, W}), dt, {}, at::Reduction::Sum, -1).item<double>();
    ce.id_targets += static_cast<std::size_t>(id.ge(0).sum().item<std::int64_t>());
    ce.offset_targets += static_cast<std::size_t>(dt.ge(0).sum().item<std::int64_t>());
  });
  ce.id /= static_cast<double>(std::max<std::size_t>(ce.id_targets, 1));
  ce.offset /= static_cast<double>(std::max<std::size_t>(ce.offset_targets, 1));
  return ce;
}

token_cross_entropy rate_baseline_cross_entropy(const window_dataset& train, const window_dataset& test) {
  const auto& l = train.layout();
  // Counts of the next-token ids and offsets, as the dataset's labels define them.
  const auto tally = [&](const window_dataset& d, std::vector<double>& ids, std::vector<double>& offsets) {
    for (const auto& w : d.windows())
      for (std::size_t i = w.sos; i + 1 < w.tokens.size(); ++i) {
        const auto& next = w.tokens[i + 1];
        ids.at(next.id) += 1;
        if (next.id < l.neurons) offsets.at(next.time - l.window_bins) += 1;
      }
  };
  std::vector<double> train_ids(l.neurons + 1, 1.0), train_offsets(l.window_bins, 1.0);  // add-one
  std::vector<double> test_ids(l.neurons + 1, 0.0), test_offsets(l.window_bins, 0.0);
  tally(train, train_ids, train_offsets);
  tally(test, test_ids, test_offsets);
  const auto score = [](const std::vector<double>& model, const std::vector<double>& counts, double& ce, std::size_t& n) {
    const double total = std::accumulate(model.begin(), model.end(), 0.0);
    double sum = 0, count = 0;
    for (std::size_t k = 0; k < model.size(); ++k) {
      sum -= counts[k] * std::log(model[k] / total);
      count += counts[k];
    }
    ce = sum / std::max(count, 1.0);
    n = static_cast<std::size_t>(count);
  };
  token_cross_entropy ce;
  score(train_ids, test_ids, ce.id, ce.id_targets);
  score(train_offsets, test_offsets, ce.offset, ce.offset_targets);
  return ce;
}

at::Tensor gradient_weighted_attention(const at::Tensor& attention, const at::Tensor& gradient, double discard) {
  if (attention.dim() != 4 || !attention.sizes().equals(gradient.sizes()))
    throw std::invalid_argument("gradient-weighted attention: attention and gradient must both be (B, heads, L, L)");
  if (!(discard >= 0 && discard < 1)) throw std::invalid_argument("gradient-weighted attention: discard must lie in [0, 1)");
  at::Tensor w = (attention * gradient.clamp_min(0)).mean(1).to(at::kDouble).contiguous();
  auto a = w.accessor<double, 3>();
  const std::int64_t L = w.size(1);
  std::vector<std::int64_t> order;
  for (std::int64_t b = 0; b < w.size(0); ++b)
    for (std::int64_t q = 0; q < L; ++q) {
      const auto drop = static_cast<std::int64_t>(std::floor(discard * static_cast<double>(q + 1)));
      order.resize(static_cast<std::size_t>(q + 1));
      std::iota(order.begin(), order.end(), std::int64_t{0});
      std::stable_sort(order.begin(), order.end(), [&](std::int64_t i, std::int64_t j) { return a[b][q][i] < a[b][q][j]; });
      for (std::int64_t k = 0; k < drop; ++k) a[b][q][order[static_cast<std::size_t>(k)]] = 0;
    }
  return w;
}

namespace {

// prod_l 0.5 (W_l / rowsum(W_l) + I), the last layer leftmost; rows that sum to zero keep the identity.
at::Tensor rolled_out(const std::vector<at::Tensor>& weighted) {
  const std::int64_t L = weighted.front().size(1);
  const at::Tensor eye = at::eye(L, at::kDouble);
  at::Tensor r = eye.expand_as(weighted.front()).clone();
  for (const auto& w : weighted) {
    const at::Tensor sum = w.sum(-1, true);
    const at::Tensor a = 0.5 * (at::where(sum > 0, w / sum.clamp_min(1e-300), eye) + eye);
    r = at::matmul(a, r);
  }
  return r.contiguous();
}

}  // namespace

std::vector<double> attention_connectivity(const neuroformer& model, const window_dataset& data, double discard,
                                           std::uint32_t micro_batch, bool rollout) {
  const std::int64_t N = data.layout().neurons;
  std::vector<double> sum(static_cast<std::size_t>(N * N), 0.0), count(sum.size(), 0.0);
  for_each_batch(data, micro_batch, [&](const at::Tensor& inputs, const at::Tensor& labels, auto) {
    const auto pass = model.run(inputs);
    const at::Tensor target = labels.select(2, 0).to(at::kLong);
    const at::Tensor spike = target.ge(0).logical_and(target.lt(N));
    // The logit of each query's true next neuron, summed: in the last layer a query's attention row
    // reaches no other query's output, so each row's gradient is that of its own target's logit.
    const at::Tensor logits = pass.outputs.slice(2, 0, N).gather(2, target.clamp(0, N - 1).unsqueeze(2)).squeeze(2);
    const at::Tensor total = (logits * spike.to(at::kFloat)).sum();
    at::Tensor w;
    if (rollout) {
      const auto grads = torch::autograd::grad({total}, pass.attention);
      std::vector<at::Tensor> weighted;
      for (std::size_t l = 0; l < grads.size(); ++l)
        weighted.push_back(gradient_weighted_attention(pass.attention[l].detach(), grads[l], discard));
      w = rolled_out(weighted);
    } else {
      const at::Tensor& last = pass.attention.back();
      w = gradient_weighted_attention(last.detach(), torch::autograd::grad({total}, {last})[0], discard);
    }
    auto a = w.accessor<double, 3>();
    auto in = inputs.accessor<std::int64_t, 3>();
    auto t = target.accessor<std::int64_t, 2>();
    for (std::int64_t b = 0; b < w.size(0); ++b)
      for (std::int64_t q = 0; q < w.size(1); ++q) {
        const std::int64_t post = t[b][q];
        if (post < 0 || post >= N) continue;
        for (std::int64_t k = 0; k <= q; ++k) {
          const std::int64_t pre = in[b][k][0];
          if (pre >= N) continue;
          sum[static_cast<std::size_t>(post * N + pre)] += a[b][q][k];
          count[static_cast<std::size_t>(post * N + pre)] += 1;
        }
      }
  });
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = count[i] > 0 ? sum[i] / count[i] : 0.0;
  return sum;
}

at::Tensor window_features(const neuroformer& model, const window_dataset& data, std::uint32_t micro_batch) {
  const at::NoGradGuard no_grad;
  std::vector<at::Tensor> rows;
  for_each_batch(data, micro_batch, [&](const at::Tensor& inputs, const at::Tensor&, std::span<const std::uint32_t> samples) {
    const at::Tensor f = model.run(inputs).features;
    for (std::size_t b = 0; b < samples.size(); ++b)
      rows.push_back(f[static_cast<std::int64_t>(b)][static_cast<std::int64_t>(data.windows()[samples[b]].tokens.size() - 1)]);
  });
  return at::stack(rows).to(at::kDouble);
}

namespace {

// Index of the draw u in [0, 1) under the (unnormalised, non-negative) weights p.
std::uint32_t draw(const std::vector<double>& p, double u) {
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  double acc = 0;
  for (std::size_t k = 0; k < p.size(); ++k)
    if (p[k] > 0 && u * total < (acc += p[k])) return static_cast<std::uint32_t>(k);
  for (std::size_t k = p.size(); k-- > 0;)
    if (p[k] > 0) return static_cast<std::uint32_t>(k);
  return 0;
}

}  // namespace

std::vector<window_sequence> sample_windows(const neuroformer& model, const std::vector<window_sequence>& prompts,
                                            double temperature, std::uint64_t seed, std::uint32_t purpose,
                                            std::uint32_t first_id) {
  if (!(temperature > 0)) throw std::invalid_argument("neuroformer sampling: temperature must be positive");
  const auto& l = model.config().layout;
  const std::int64_t N = l.neurons, W = l.window_bins;
  std::vector<window_sequence> out;
  std::vector<bool> done(prompts.size(), false);
  std::vector<std::uint32_t> last_offset(prompts.size(), 0);
  for (const auto& p : prompts) {
    window_sequence s;
    s.window = p.window;
    s.sos = p.sos;
    s.tokens.assign(p.tokens.begin(), p.tokens.begin() + p.sos + 1);
    out.push_back(std::move(s));
  }
  const at::NoGradGuard no_grad;
  for (std::uint32_t step = 0; step <= l.max_current; ++step) {
    std::vector<std::uint32_t> open;
    for (std::uint32_t i = 0; i < out.size(); ++i)
      if (!done[i]) open.push_back(i);
    if (open.empty()) break;
    window_dataset batch(l, [&] {
      std::vector<window_sequence> v;
      for (const auto i : open) v.push_back(out[i]);
      return v;
    }());
    std::vector<std::uint32_t> all(open.size());
    std::iota(all.begin(), all.end(), 0u);
    const at::Tensor logits = (model.forward(batch.batch(all, 1, 0).inputs) / temperature).to(at::kDouble);
    auto a = logits.accessor<double, 3>();
    for (std::size_t j = 0; j < open.size(); ++j) {
      const std::uint32_t i = open[j];
      auto& s = out[i];
      const auto q = static_cast<std::int64_t>(s.tokens.size() - 1);
      core::random_stream r(seed, purpose, first_id + i, step);
      const auto softmax = [&](std::int64_t from, std::int64_t n, std::int64_t allowed_from) {
        double top = -std::numeric_limits<double>::infinity();
        for (std::int64_t k = allowed_from; k < n; ++k) top = std::max(top, a[static_cast<std::int64_t>(j)][q][from + k]);
        std::vector<double> p(static_cast<std::size_t>(n), 0.0);
        for (std::int64_t k = allowed_from; k < n; ++k) p[static_cast<std::size_t>(k)] = std::exp(a[static_cast<std::int64_t>(j)][q][from + k] - top);
        return p;
      };
      // The last slot may only end the window.
      const std::uint32_t id = step == l.max_current ? l.eos() : draw(softmax(0, N + 1, 0), r.uniform());
      if (id == l.eos()) {
        s.tokens.push_back({l.eos(), l.special_time()});
        done[i] = true;
        continue;
      }
      const std::uint32_t offset = draw(softmax(N + 1, W, last_offset[i]), r.uniform());
      last_offset[i] = offset;
      s.tokens.push_back({id, static_cast<std::uint32_t>(W) + offset});
    }
  }
  return out;
}

}  // namespace neurite::learn
