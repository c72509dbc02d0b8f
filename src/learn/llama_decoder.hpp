#pragma once
// A small Llama-style decoder-only transformer (Touvron et al. 2023; Llama 3's layout), for the
// LM-head decoding of feature neurons (docs/llm_feature_neurons.md). Per layer, pre-norm:
//   h = x + W_o Attn(RoPE(W_q n), RoPE(W_k n), W_v n),   n = RMSNorm(x; g_attn)
//   x' = h + W_down (silu(W_gate m) * (W_up m)),          m = RMSNorm(h; g_mlp)
// and logits = W_U RMSNorm(x_L; g_final) with an untied unembedding W_U (V x d), no biases.
//   RMSNorm(x; g) = g * x / sqrt(mean(x^2) + eps)
//   RoPE: within each head (dimension d_h), the pairs (x_j, x_{j + d_h/2}), j < d_h/2, are rotated
//   by the angle p theta_j at position p, theta_j = base^(-2j/d_h) (the "rotate half" layout of
//   Llama's reference code), so that <RoPE(q, m), RoPE(k, n)> depends on m - n only.
// Attention is causal (position t sees positions <= t), with H heads of d_h = d / H.
// An MLP neuron i of a layer is the i-th hidden unit: it reads the residual stream through row i
// of W_up (and of W_gate), its activation is silu(W_gate m)_i (W_up m)_i, and it writes column i of
// W_down. A clamp fixes one neuron's activation to a value at every position.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"

namespace neurite::learn {

struct llama_config {
  std::int64_t vocabulary = 256, d_model = 64, layers = 2, heads = 4, hidden = 256;
  double rope_base = 10000, norm_eps = 1e-5;
};

struct neuron_clamp {
  std::int64_t layer = -1, neuron = 0;  // layer -1: no clamp
  double value = 0;
  bool active() const { return layer >= 0; }
};

class llama_decoder final : public classifier_model {
 public:
  // Weights from the Philox stream (seed, learn_tasks + 16 * 13, 1000 + tensor index): linear
  // layers and the unembedding uniform in +-1/sqrt(fan-in), the embedding uniform with unit
  // variance, norm gains 1. Throws std::invalid_argument naming the field for impossible sizes.
  llama_decoder(llama_config config, std::uint64_t seed);
  // tokens (batch, T) int64 -> logits (batch, T, V).
  at::Tensor forward(const at::Tensor& tokens) const override { return forward(tokens, {}); }
  at::Tensor forward(const at::Tensor& tokens, const neuron_clamp& clamp) const;
  // Each layer's MLP activations silu(gate) * up, (batch, T, hidden), without gradients.
  std::vector<at::Tensor> mlp_activations(const at::Tensor& tokens) const;
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const llama_config& config() const { return config_; }

  const at::Tensor& up_projection(std::int64_t layer) const;    // W_up (hidden x d)
  const at::Tensor& down_projection(std::int64_t layer) const;  // W_down (d x hidden)
  const at::Tensor& unembedding() const { return parameters_.back(); }  // W_U (V x d)
  const at::Tensor& final_norm_gain() const { return parameters_[parameters_.size() - 2]; }  // (d)

  // An independent copy (the parameters cloned), e.g. to fine-tune while keeping the original.
  llama_decoder copy() const;

 private:
  llama_config config_;
  std::vector<at::Tensor> parameters_;  // embedding, per layer 9 tensors (see .cpp), final gain, W_U
  const at::Tensor& layer_tensor(std::int64_t layer, std::int64_t k) const;
  at::Tensor run(const at::Tensor& tokens, const neuron_clamp& clamp, std::vector<at::Tensor>* activations) const;
};

// g * x / sqrt(mean(x^2) + eps) over the last dimension.
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& gain, double eps);
// RoPE on x (..., T, d_h) at positions 0..T-1 (d_h even).
at::Tensor rotary(const at::Tensor& x, double base);

// Greedy continuation of a prompt by `steps` tokens, with the clamp held throughout.
std::vector<std::uint32_t> generate_greedy(const llama_decoder& model, std::vector<std::uint32_t> prompt,
                                           std::uint32_t steps, const neuron_clamp& clamp = {});
// The next-token distribution after each prompt (prompts of any length), (prompts, V).
at::Tensor next_token_probabilities(const llama_decoder& model, const std::vector<std::vector<std::uint32_t>>& prompts,
                                    const neuron_clamp& clamp = {});

}  // namespace neurite::learn
