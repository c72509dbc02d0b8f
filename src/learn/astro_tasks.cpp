#include "learn/astro_tasks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/rng.hpp"

namespace neurite::learn {

char_corpus read_char_corpus(const std::vector<std::string>& files) {
  std::string text;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + f);
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::array<int, 256> id{};
  id.fill(-1);
  char_corpus c;
  for (const unsigned char ch : text) id[ch] = 0;
  for (int ch = 0; ch < 256; ++ch)
    if (id[static_cast<std::size_t>(ch)] == 0) {
      id[static_cast<std::size_t>(ch)] = static_cast<int>(c.alphabet.size());
      c.alphabet.push_back(static_cast<char>(ch));
    }
  c.ids.reserve(text.size());
  for (const unsigned char ch : text) c.ids.push_back(static_cast<std::uint8_t>(id[ch]));
  return c;
}

char_windows::char_windows(const char_corpus& corpus, std::size_t begin, std::size_t end, std::uint32_t steps)
    : corpus_(corpus), begin_(begin), steps_(steps) {
  end = std::min(end, corpus.ids.size());
  // Each window needs one character more for its last label.
  count_ = end > begin + 1 ? static_cast<std::uint32_t>((end - begin - 1) / steps) : 0;
}

labelled_batch char_windows::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  const auto n = static_cast<std::int64_t>(samples.size());
  const std::int64_t T = steps_;
  const auto V = static_cast<std::int64_t>(corpus_.alphabet.size());
  at::Tensor inputs = at::zeros({T, n, V}, at::kFloat);
  at::Tensor labels = at::empty({n, T}, at::kLong);
  float* x = inputs.data_ptr<float>();
  std::int64_t* y = labels.data_ptr<std::int64_t>();
  for (std::int64_t k = 0; k < n; ++k) {
    const std::size_t start = begin_ + static_cast<std::size_t>(samples[static_cast<std::size_t>(k)]) * steps_;
    for (std::int64_t t = 0; t < T; ++t) {
      x[(t * n + k) * V + corpus_.ids[start + static_cast<std::size_t>(t)]] = 1;
      y[k * T + t] = corpus_.ids[start + static_cast<std::size_t>(t) + 1];
    }
  }
  return {inputs, labels};
}

at::Tensor sequence_cross_entropy::loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const std::int64_t B = outputs.size(0), T = outputs.size(1);
  const at::Tensor nll = at::nll_loss(at::log_softmax(outputs.reshape({B * T, -1}), 1), labels.reshape({B * T}),
                                      {}, at::Reduction::Sum);
  return nll / static_cast<double>(T);
}

double sequence_cross_entropy::score_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  const auto T = static_cast<double>(outputs.size(1));
  return static_cast<double>(outputs.argmax(2).eq(labels).sum().item<std::int64_t>()) / T;
}

double bits_per_character(const classifier_model& model, const char_windows& data, std::uint32_t micro_batch,
                          int threads) {
  const at::NoGradGuard no_grad;
  const sequence_cross_entropy objective;
  double nats = 0;  // summed in micro-batch order: the same for any thread count
  for (const auto& [outputs, labels] : evaluation_outputs(model, data, micro_batch, threads))
    nats += objective.loss_sum(outputs, labels).item<double>();
  return nats / static_cast<double>(data.count()) / std::log(2.0);
}

labelled_batch delayed_recall::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  const auto& c = config_;
  const auto n = static_cast<std::int64_t>(samples.size());
  const std::int64_t T = c.delay + 2, F = features();
  at::Tensor inputs = at::zeros({T, n, F}, at::kFloat);
  at::Tensor labels = at::empty({n}, at::kLong);
  float* x = inputs.data_ptr<float>();
  for (std::int64_t k = 0; k < n; ++k) {
    core::random_stream s(seed_, core::stream_purpose(core::purpose::learn_tasks, 6),
                          1 + samples[static_cast<std::size_t>(k)], c.split);
    const std::uint32_t cue = s.below(c.cues);
    x[k * F + cue] = 1;
    for (std::int64_t t = 1; t <= static_cast<std::int64_t>(c.delay); ++t) x[(t * n + k) * F + c.cues + s.below(c.distractors)] = 1;
    x[((T - 1) * n + k) * F + F - 1] = 1;  // go
    labels.data_ptr<std::int64_t>()[k] = cue;
  }
  return {inputs, labels};
}

}  // namespace neurite::learn
