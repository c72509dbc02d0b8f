#pragma once
// Decoding MLP neurons through the LM head (Davies 2025, "Flash interpretability"): the up-
// projection row w_i of a neuron reads the residual stream; read as if it were the final residual,
//   p_i = softmax(W_U w_i)                 (without the final norm's gain), or
//   p_i = softmax(W_U (g_final * w_i))     (with it; the paper does not say which it used),
// and its top tokens label the neuron. Every neuron of every layer at once is one product
// W_up_all W_U^T, (layers * hidden) x V, then a softmax and a top-k per row. Clamping a neuron
// (learn/llama_decoder.hpp) checks what a label claims: the labelled token's probability on
// prompts that do not cue it should rise.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/llama_decoder.hpp"

namespace neurite::learn {

struct neuron_map {
  std::int64_t layers = 0, neurons = 0;  // rows are layer-major: row = layer * neurons + neuron
  at::Tensor top_tokens;                 // (layers * neurons, k) int64, most probable first
  at::Tensor top_probabilities;          // (layers * neurons, k) float
  double seconds = 0;                    // wall time of the product, softmax and top-k
};

// Every up-projection neuron through the LM head in one batched product, its top k tokens.
neuron_map decode_neurons(const llama_decoder& model, std::int64_t k, bool with_final_gain);
// One neuron alone, p_i over the whole vocabulary (V), computed as a matrix-vector product: the
// reference the batched map is tested against.
at::Tensor decode_neuron(const llama_decoder& model, std::int64_t layer, std::int64_t neuron, bool with_final_gain);

// The share of neurons whose top-1 token is the same in both maps (same shapes).
double top1_agreement(const neuron_map& a, const neuron_map& b);

// One layer's table as CSV: layer,neuron,rank,token,probability (token as its word).
std::string top_k_csv(const neuron_map& map, std::int64_t layer, const std::vector<std::string>& words);

// Per neuron (layer-major rows), the activation of largest magnitude over the given token windows,
// with its sign: the scale a clamp is measured in.
at::Tensor peak_activations(const llama_decoder& model, const at::Tensor& tokens);

}  // namespace neurite::learn
