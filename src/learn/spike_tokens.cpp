#include "learn/spike_tokens.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace neurite::learn {
namespace {

// The spikes in bins [first, first + W) clipped to the trial, as tokens with time slot offset + bin.
std::vector<spike_token> window_tokens(std::span<const std::uint8_t> spikes, std::uint32_t bins, std::int64_t first,
                                       std::uint32_t offset, const token_layout& l) {
  std::vector<spike_token> out;
  for (std::int64_t t = std::max<std::int64_t>(first, 0); t < std::min<std::int64_t>(first + l.window_bins, bins); ++t)
    for (std::uint32_t n = 0; n < l.neurons; ++n)
      if (spikes[static_cast<std::size_t>(t) * l.neurons + n]) out.push_back({n, offset + static_cast<std::uint32_t>(t - first)});
  return out;
}

}  // namespace

window_sequence tokenise_window(std::span<const std::uint8_t> spikes, std::uint32_t bins, std::uint32_t window,
                                const token_layout& l) {
  if (l.neurons == 0 || l.window_bins == 0) throw std::invalid_argument("spike tokens: neurons and window_bins must be positive");
  if (spikes.size() != std::size_t{bins} * l.neurons)
    throw std::invalid_argument("spike tokens: expected bins x neurons = " + std::to_string(std::size_t{bins} * l.neurons) +
                                " spike flags, got " + std::to_string(spikes.size()));
  const std::int64_t first = std::int64_t{window} * l.window_bins;
  auto context = window > 0 ? window_tokens(spikes, bins, first - l.window_bins, 0, l) : std::vector<spike_token>{};
  auto current = window_tokens(spikes, bins, first, l.window_bins, l);
  window_sequence s;
  s.window = window;
  // The context's latest spikes matter most to the next one; the current window's earliest come first.
  if (context.size() > l.max_context) {
    context.erase(context.begin(), context.end() - l.max_context);
    s.truncated = true;
  }
  if (current.size() > l.max_current) {
    current.resize(l.max_current);
    s.truncated = true;
  }
  s.tokens = context;
  s.sos = static_cast<std::uint32_t>(s.tokens.size());
  s.tokens.push_back({l.sos(), l.special_time()});
  s.tokens.insert(s.tokens.end(), current.begin(), current.end());
  s.tokens.push_back({l.eos(), l.special_time()});
  return s;
}

std::vector<window_sequence> tokenise_trial(std::span<const std::uint8_t> spikes, std::uint32_t bins,
                                            const token_layout& l) {
  std::vector<window_sequence> out;
  for (std::uint32_t w = 0; std::size_t{w} * l.window_bins < bins; ++w) out.push_back(tokenise_window(spikes, bins, w, l));
  return out;
}

std::vector<spike_event> detokenise(const window_sequence& s, const token_layout& l) {
  const auto& t = s.tokens;
  if (s.sos >= t.size() || t[s.sos].id != l.sos() || t.back().id != l.eos())
    throw std::invalid_argument("spike tokens: a window's sequence needs SOS at its sos position and ends with EOS");
  std::vector<spike_event> out;
  for (std::size_t i = s.sos + 1; i + 1 < t.size(); ++i) {
    if (t[i].id >= l.neurons || t[i].time < l.window_bins || t[i].time >= 2 * l.window_bins)
      throw std::invalid_argument("spike tokens: token " + std::to_string(i) + " (id " + std::to_string(t[i].id) + ", time " +
                                  std::to_string(t[i].time) + ") is no spike of the current window");
    out.push_back({s.window * l.window_bins + t[i].time - l.window_bins, t[i].id});
  }
  return out;
}

}  // namespace neurite::learn
