#include "learn/llama_decoder.hpp"

#include <cmath>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"

namespace neurite::learn {
namespace {

// The tensors of one layer, in parameters_ order after the embedding.
enum layer_tensor_index : std::int64_t { attn_gain, w_q, w_k, w_v, w_o, mlp_gain, w_gate, w_up, w_down, per_layer };

void require(bool ok, const char* field, const std::string& what) {
  if (!ok) throw std::invalid_argument(fmt::format("llama_decoder: {} {}", field, what));
}

}  // namespace

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& gain, double eps) {
  return x * at::rsqrt(x.square().mean(-1, true) + eps) * gain;
}

at::Tensor rotary(const at::Tensor& x, double base) {
  const std::int64_t T = x.size(-2), dh = x.size(-1), half = dh / 2;
  if (dh % 2 != 0) throw std::invalid_argument("rotary: the head dimension must be even");
  // Angles in double, then the tensor's precision: theta_j = base^(-2j/d_h), angle p theta_j.
  const at::Tensor j = at::arange(half, at::kDouble);
  const at::Tensor theta = at::pow(base, -2.0 * j / static_cast<double>(dh));
  const at::Tensor angle = at::outer(at::arange(T, at::kDouble), theta);  // (T, half)
  const at::Tensor cos = at::cat({angle.cos(), angle.cos()}, -1).to(x.scalar_type());
  const at::Tensor sin = at::cat({angle.sin(), angle.sin()}, -1).to(x.scalar_type());
  const at::Tensor x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
  return x * cos + at::cat({-x2, x1}, -1) * sin;
}

llama_decoder::llama_decoder(llama_config config, std::uint64_t seed) : config_(config) {
  const auto& c = config_;
  require(c.vocabulary >= 2, "vocabulary", "must be at least 2");
  require(c.layers >= 1, "layers", "must be at least 1");
  require(c.heads >= 1 && c.d_model % c.heads == 0, "heads", fmt::format("must divide d_model = {}", c.d_model));
  require((c.d_model / std::max<std::int64_t>(c.heads, 1)) % 2 == 0, "d_model / heads", "must be even (RoPE pairs)");
  require(c.hidden >= 1, "hidden", "must be at least 1");
  std::uint32_t index = 0;
  const auto draw = [&](std::vector<std::int64_t> shape, double bound) {
    core::random_stream s(seed, core::stream_purpose(core::purpose::learn_tasks, 13), 1000 + index++);
    return uniform_parameter(std::move(shape), bound, s);
  };
  const auto linear = [&](std::int64_t out, std::int64_t in) { return draw({out, in}, 1 / std::sqrt(static_cast<double>(in))); };
  const auto gain = [&] {
    ++index;
    return at::ones({c.d_model}, at::kFloat).requires_grad_(true);
  };
  parameters_.push_back(draw({c.vocabulary, c.d_model}, std::sqrt(3.0)));
  for (std::int64_t l = 0; l < c.layers; ++l) {
    parameters_.push_back(gain());
    for (int k = 0; k < 4; ++k) parameters_.push_back(linear(c.d_model, c.d_model));
    parameters_.push_back(gain());
    parameters_.push_back(linear(c.hidden, c.d_model));
    parameters_.push_back(linear(c.hidden, c.d_model));
    parameters_.push_back(linear(c.d_model, c.hidden));
  }
  parameters_.push_back(gain());
  parameters_.push_back(linear(c.vocabulary, c.d_model));
}

const at::Tensor& llama_decoder::layer_tensor(std::int64_t layer, std::int64_t k) const {
  if (layer < 0 || layer >= config_.layers)
    throw std::out_of_range(fmt::format("llama_decoder: layer {} of {}", layer, config_.layers));
  return parameters_[static_cast<std::size_t>(1 + layer * per_layer + k)];
}

const at::Tensor& llama_decoder::up_projection(std::int64_t layer) const { return layer_tensor(layer, w_up); }
const at::Tensor& llama_decoder::down_projection(std::int64_t layer) const { return layer_tensor(layer, w_down); }

at::Tensor llama_decoder::run(const at::Tensor& tokens, const neuron_clamp& clamp,
                              std::vector<at::Tensor>* activations) const {
  const auto& c = config_;
  if (tokens.dim() != 2) throw std::invalid_argument("llama_decoder: tokens must be (batch, T)");
  if (clamp.active() && (clamp.layer >= c.layers || clamp.neuron < 0 || clamp.neuron >= c.hidden))
    throw std::out_of_range(fmt::format("llama_decoder: clamp of neuron {} in layer {} outside {} x {}", clamp.neuron,
                                        clamp.layer, c.layers, c.hidden));
  const std::int64_t B = tokens.size(0), T = tokens.size(1), H = c.heads, dh = c.d_model / c.heads;
  at::Tensor x = at::embedding(parameters_[0], tokens);  // (B, T, d)
  // Causal: -inf above the diagonal, so that position t attends to positions <= t only.
  const at::Tensor mask = at::full({T, T}, -INFINITY, at::kFloat).triu(1);
  const auto heads = [&](const at::Tensor& y) { return y.view({B, T, H, dh}).transpose(1, 2); };  // (B, H, T, dh)
  for (std::int64_t l = 0; l < c.layers; ++l) {
    const auto w = [&](std::int64_t k) -> const at::Tensor& { return layer_tensor(l, k); };
    const at::Tensor n = rms_norm(x, w(attn_gain), c.norm_eps);
    const at::Tensor q = rotary(heads(at::linear(n, w(w_q))), c.rope_base);
    const at::Tensor k = rotary(heads(at::linear(n, w(w_k))), c.rope_base);
    const at::Tensor v = heads(at::linear(n, w(w_v)));
    const at::Tensor scores = at::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(dh)) + mask;
    const at::Tensor attended = at::matmul(at::softmax(scores, -1), v).transpose(1, 2).reshape({B, T, c.d_model});
    const at::Tensor h = x + at::linear(attended, w(w_o));
    const at::Tensor m = rms_norm(h, w(mlp_gain), c.norm_eps);
    at::Tensor a = at::silu(at::linear(m, w(w_gate))) * at::linear(m, w(w_up));  // (B, T, hidden)
    if (clamp.active() && clamp.layer == l) {
      // Replace, not add: the neuron's activation is the clamp value at every position.
      at::Tensor one_hot = at::zeros({c.hidden}, at::kFloat);
      one_hot[clamp.neuron].fill_(1.0);
      a = a * (1 - one_hot) + one_hot * clamp.value;
    }
    if (activations) activations->push_back(a.detach());
    x = h + at::linear(a, w(w_down));
  }
  return at::linear(rms_norm(x, final_norm_gain(), c.norm_eps), unembedding());
}

at::Tensor llama_decoder::forward(const at::Tensor& tokens, const neuron_clamp& clamp) const {
  return run(tokens, clamp, nullptr);
}

std::vector<at::Tensor> llama_decoder::mlp_activations(const at::Tensor& tokens) const {
  const at::NoGradGuard no_grad;
  std::vector<at::Tensor> a;
  run(tokens, {}, &a);
  return a;
}

llama_decoder llama_decoder::copy() const {
  llama_decoder d = *this;
  for (auto& p : d.parameters_) p = p.detach().clone().requires_grad_(true);
  return d;
}

namespace {

at::Tensor as_tokens(const std::vector<std::uint32_t>& ids) {
  at::Tensor t = at::empty({1, static_cast<std::int64_t>(ids.size())}, at::kLong);
  for (std::size_t i = 0; i < ids.size(); ++i) t[0][static_cast<std::int64_t>(i)] = static_cast<std::int64_t>(ids[i]);
  return t;
}

}  // namespace

std::vector<std::uint32_t> generate_greedy(const llama_decoder& model, std::vector<std::uint32_t> prompt,
                                           std::uint32_t steps, const neuron_clamp& clamp) {
  const at::NoGradGuard no_grad;
  std::vector<std::uint32_t> out;
  for (std::uint32_t s = 0; s < steps; ++s) {
    const at::Tensor logits = model.forward(as_tokens(prompt), clamp);
    const auto next = static_cast<std::uint32_t>(logits[0][-1].argmax().item<std::int64_t>());
    out.push_back(next);
    prompt.push_back(next);
  }
  return out;
}

at::Tensor next_token_probabilities(const llama_decoder& model, const std::vector<std::vector<std::uint32_t>>& prompts,
                                    const neuron_clamp& clamp) {
  const at::NoGradGuard no_grad;
  std::vector<at::Tensor> rows;
  for (const auto& p : prompts) {
    if (p.empty()) throw std::invalid_argument("next_token_probabilities: an empty prompt");
    rows.push_back(at::softmax(model.forward(as_tokens(p), clamp)[0][-1].to(at::kDouble), 0));
  }
  return at::stack(rows);
}

}  // namespace neurite::learn
