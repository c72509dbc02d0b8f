#include "learn/neuron_decoding.hpp"

#include <chrono>
#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>

namespace neurite::learn {
namespace {

// W_U, with the final norm's gain folded into its columns when asked: W_U (g * w) = (W_U diag g) w.
at::Tensor readout(const llama_decoder& model, bool with_final_gain) {
  const at::Tensor u = model.unembedding().detach();
  return with_final_gain ? u * model.final_norm_gain().detach() : u;
}

}  // namespace

neuron_map decode_neurons(const llama_decoder& model, std::int64_t k, bool with_final_gain) {
  const auto& c = model.config();
  if (k < 1 || k > c.vocabulary)
    throw std::invalid_argument(fmt::format("decode_neurons: k = {} must be in 1..{} (the vocabulary)", k, c.vocabulary));
  const at::NoGradGuard no_grad;
  const auto start = std::chrono::steady_clock::now();
  std::vector<at::Tensor> rows;
  for (std::int64_t l = 0; l < c.layers; ++l) rows.push_back(model.up_projection(l).detach());
  const at::Tensor logits = at::matmul(at::cat(rows), readout(model, with_final_gain).t());  // (L * hidden, V)
  const auto [p, ids] = at::topk(at::softmax(logits, 1), k, 1);
  neuron_map m{c.layers, c.hidden, ids.contiguous(), p.contiguous(), 0};
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

at::Tensor decode_neuron(const llama_decoder& model, std::int64_t layer, std::int64_t neuron, bool with_final_gain) {
  const at::NoGradGuard no_grad;
  const at::Tensor w = model.up_projection(layer).detach()[neuron];
  return at::softmax(at::mv(readout(model, with_final_gain), w), 0);
}

double top1_agreement(const neuron_map& a, const neuron_map& b) {
  if (a.layers != b.layers || a.neurons != b.neurons)
    throw std::invalid_argument("top1_agreement: the maps are of models of different shapes");
  const at::Tensor same = a.top_tokens.select(1, 0).eq(b.top_tokens.select(1, 0));
  return same.to(at::kDouble).mean().item<double>();
}

std::string top_k_csv(const neuron_map& map, std::int64_t layer, const std::vector<std::string>& words) {
  std::string csv = "layer,neuron,rank,token,probability\n";
  const std::int64_t k = map.top_tokens.size(1);
  const auto* ids = map.top_tokens.data_ptr<std::int64_t>();
  const auto* p = map.top_probabilities.data_ptr<float>();
  for (std::int64_t i = 0; i < map.neurons; ++i) {
    const std::int64_t row = layer * map.neurons + i;
    for (std::int64_t r = 0; r < k; ++r)
      csv += fmt::format("{},{},{},{},{:.6g}\n", layer, i, r + 1, words.at(static_cast<std::size_t>(ids[row * k + r])),
                         p[row * k + r]);
  }
  return csv;
}

at::Tensor peak_activations(const llama_decoder& model, const at::Tensor& tokens) {
  std::vector<at::Tensor> peaks;
  for (const auto& a : model.mlp_activations(tokens)) {
    const at::Tensor flat = a.reshape({-1, a.size(-1)});  // (positions, hidden)
    const at::Tensor where = flat.abs().argmax(0, true);  // (1, hidden)
    peaks.push_back(flat.gather(0, where).squeeze(0));
  }
  return at::cat(peaks);
}

}  // namespace neurite::learn
