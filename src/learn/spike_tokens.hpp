#pragma once
// Spikes as tokens, as Neuroformer does it (paper 7): each spike of the current window becomes one
// token of two parts, the neuron id and its time offset in the window (one bin = one dt step),
// and the spikes of the previous window come first as context. One window's sequence is
//   [previous-window spikes..., SOS, current-window spikes..., EOS, PAD...]
// ordered by (bin, neuron id), with ids 0..N-1 for neurons, then EOS = N, SOS = N + 1, PAD = N + 2,
// and time slots 0..W-1 for the previous window, W..2W-1 for the current one, 2W for SOS, EOS and
// PAD. The model predicts, at every position from SOS on, the next token's id (a neuron or EOS) and
// its offset in the current window. Decoding the current part gives the spikes back exactly (when
// neither part overflowed its cap). No LibTorch here.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace neurite::learn {

struct token_layout {
  std::uint32_t neurons = 0;      // N
  std::uint32_t window_bins = 5;  // W: bins per window (the paper: 0.05 s windows of 0.01 s steps)
  std::uint32_t max_context = 32, max_current = 32;  // spikes kept from the previous / current window
  std::uint32_t eos() const { return neurons; }
  std::uint32_t sos() const { return neurons + 1; }
  std::uint32_t pad() const { return neurons + 2; }
  std::uint32_t id_vocabulary() const { return neurons + 3; }
  std::uint32_t special_time() const { return 2 * window_bins; }
  std::uint32_t time_vocabulary() const { return 2 * window_bins + 1; }
  std::uint32_t max_tokens() const { return max_context + max_current + 2; }
};

struct spike_token {
  std::uint32_t id = 0, time = 0;
  bool operator==(const spike_token&) const = default;
};

struct window_sequence {
  std::vector<spike_token> tokens;  // unpadded: ends with EOS
  std::uint32_t window = 0;         // its index in the trial
  std::uint32_t sos = 0;            // the position of SOS
  bool truncated = false;           // a part had more spikes than its cap (the latest context kept,
                                    // the earliest current spikes kept)
};

struct spike_event {
  std::uint32_t bin = 0, neuron = 0;
  bool operator==(const spike_event&) const = default;
};

// Window w of a trial given as bins x N spike flags (bins a multiple of W or not: a last partial
// window has fewer bins). Window 0 has an empty context.
window_sequence tokenise_window(std::span<const std::uint8_t> spikes, std::uint32_t bins, std::uint32_t window,
                                const token_layout& layout);
// All windows of a trial, in order.
std::vector<window_sequence> tokenise_trial(std::span<const std::uint8_t> spikes, std::uint32_t bins,
                                            const token_layout& layout);
// The spikes of the current part, in trial bins, in token order; throws std::invalid_argument on
// a malformed sequence (no SOS or EOS where the layout puts them, an id or time out of range).
std::vector<spike_event> detokenise(const window_sequence& s, const token_layout& layout);

}  // namespace neurite::learn
