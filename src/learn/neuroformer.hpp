#pragma once
// A small Neuroformer (Antoniades et al., ICLR 2024, paper 7): a causal transformer over spike
// tokens (learn/spike_tokens.hpp) that predicts the next spike's neuron id and time offset, with
// gradient-weighted attention as a readout of connectivity and sampling back to spike times.
// Per token i of a window's sequence, with embeddings of its id, its time slot and the window's
// index in the trial (the stimulus stream: the stimulus is the same on every trial, so the index
// is all the model needs of it; the paper encodes video frames instead):
//   x_i = E_id[id_i] + E_time[time_i] + E_window[window]
//   L pre-norm blocks: x += MHA(LN(x)) with a causal mask, x += W2 gelu(W1 LN(x) + b1) + b2
//   z_i = LN(x_i);  id logits W_id z_i (N neurons + EOS), offset logits W_dt z_i (W offsets),
//   and, with a behaviour head, b = w_b . z at the EOS position (joint pretraining, multitask).
// One decoder instead of the paper's state-history encoder with cross-attention (the previous
// window is the first part of the same causal sequence), no dropout, no contrastive alignment.
// The connectivity readout follows the paper's code: the last layer's attention A (heads x
// queries x keys) times the clamped gradient of the predicted neuron's logit, max(dlogit/dA, 0),
// averaged over heads, the lowest `discard` share of each query's weights set to zero; the weight
// a query that predicts neuron j puts on a key that is a spike of neuron n counts for j <- n.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "learn/classifier.hpp"
#include "learn/spike_tokens.hpp"
#include "learn/training.hpp"

namespace neurite::learn {

struct neuroformer_config {
  token_layout layout;
  std::uint32_t windows = 20;  // windows per trial (the window-index embedding)
  std::int64_t embedding = 64, layers = 2, heads = 4, feedforward = 128;
  bool behaviour_head = false;
};

class neuroformer final : public classifier_model {
 public:
  neuroformer(neuroformer_config config, std::uint64_t seed);
  // inputs (B, L, 3) int64 (id, time slot, window) -> (B, L, outputs()): the N + 1 id logits, the
  // W offset logits, then the behaviour prediction where there is a head.
  at::Tensor forward(const at::Tensor& inputs) const override;
  const std::vector<at::Tensor>& parameters() const override { return parameters_; }
  const neuroformer_config& config() const { return config_; }
  std::int64_t outputs() const;

  struct pass {
    at::Tensor outputs;                 // as forward
    at::Tensor features;                // (B, L, d): the final layer norm's output
    std::vector<at::Tensor> attention;  // per layer (B, heads, L, L), in the autograd graph
  };
  pass run(const at::Tensor& inputs) const;

 private:
  neuroformer_config config_;
  std::vector<at::Tensor> parameters_;
};

// Windows as training samples: inputs (B, L, 3) int64 padded with PAD to the batch's longest
// sequence; labels (B, L, 4) double: the next token's id (neuron or EOS; -1 before SOS and on
// padding), its offset (-1 where the next token is no spike), the window's behaviour target and a
// 1 at the EOS position where it is trained. classes() is N + 1.
class window_dataset final : public labelled_dataset {
 public:
  window_dataset(token_layout layout, std::vector<window_sequence> windows, std::vector<double> behaviour = {});
  std::uint32_t count() const override { return static_cast<std::uint32_t>(windows_.size()); }
  std::uint32_t classes() const override { return layout_.neurons + 1; }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;
  const std::vector<window_sequence>& windows() const { return windows_; }
  const token_layout& layout() const { return layout_; }

 private:
  token_layout layout_;
  std::vector<window_sequence> windows_;
  std::vector<double> behaviour_;
};

// Next-token cross-entropy (id plus offset) summed over a sequence's predicted positions, plus
// behaviour_weight times the squared behaviour error where the model has a head; its score is
// the id cross-entropy alone.
class neuroformer_objective final : public training_objective {
 public:
  neuroformer_objective(std::uint32_t neurons, std::uint32_t window_bins, double behaviour_weight)
      : neurons_(neurons), window_bins_(window_bins), behaviour_weight_(behaviour_weight) {}
  at::Tensor loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;
  double score_sum(const at::Tensor& outputs, const at::Tensor& labels) const override;

 private:
  std::uint32_t neurons_, window_bins_;
  double behaviour_weight_;
};

// Held-out cross-entropies per predicted token [nats]: of the id (over all positions from SOS
// on, EOS included) and of the offset (over spike targets).
struct token_cross_entropy {
  double id = 0, offset = 0;
  std::size_t id_targets = 0, offset_targets = 0;
};
token_cross_entropy evaluate_cross_entropy(const neuroformer& model, const window_dataset& data, std::uint32_t micro_batch);
// The rate-only baseline: each id and offset predicted from its frequency among the training
// targets (add-one smoothed), scored on the test targets.
token_cross_entropy rate_baseline_cross_entropy(const window_dataset& train, const window_dataset& test);

// mean over heads of attention * max(gradient, 0), (B, H, L, L) -> (B, L, L); in each query row
// q the lowest floor(discard * (q + 1)) of its q + 1 causal entries are set to zero (ties: the
// earlier key first).
at::Tensor gradient_weighted_attention(const at::Tensor& attention, const at::Tensor& gradient, double discard);

// Scores N x N, score[post * N + pre]: the mean weight that a query predicting neuron `post`
// puts on a key that is a spike of neuron `pre`, over all such (query, key) pairs of `data`.
// rollout (a variant): every layer's gradient-weighted attention W_l (the gradient of the summed
// target logits, so that in lower layers a row also carries later queries' gradients), each row
// normalised to sum one and mixed with the identity for the residual path, 0.5 (W_l + I), and
// multiplied through the layers (attention rollout, Abnar & Zuidema 2020, conditioned on the
// gradient as the Neuroformer code's rollout class describes); the rolled-out row is the weight.
std::vector<double> attention_connectivity(const neuroformer& model, const window_dataset& data, double discard,
                                           std::uint32_t micro_batch, bool rollout = false);

// The final layer norm's output at each window's EOS position, (count, d) double: the features a
// few-shot readout of behaviour is fitted on.
at::Tensor window_features(const neuroformer& model, const window_dataset& data, std::uint32_t micro_batch);

// Generation: each prompt keeps its tokens up to and including SOS (the real previous window as
// context) and its current window is drawn token by token: the id from softmax(id logits /
// temperature), the offset from the offset head restricted to offsets >= the last one drawn, until
// EOS or max_current spikes. Draws from the Philox streams (seed, purpose, first_id + prompt, step).
std::vector<window_sequence> sample_windows(const neuroformer& model, const std::vector<window_sequence>& prompts,
                                            double temperature, std::uint64_t seed, std::uint32_t purpose,
                                            std::uint32_t first_id);

}  // namespace neurite::learn
