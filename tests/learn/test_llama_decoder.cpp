// The Llama-style decoder, the concept grammar and the LM-head decoding of neurons, against
// independent references: RMSNorm and RoPE against hand-computed values, RoPE's relative-position
// property, causality, the batched decode against plain loops, a clamp at zero against a model
// without the neuron.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <ATen/ATen.h>

#include "learn/concept_grammar.hpp"
#include "learn/llama_decoder.hpp"
#include "learn/neuron_decoding.hpp"

using namespace neurite::learn;

namespace {

const llama_config tiny{50, 16, 2, 2, 32, 10000, 1e-5};

at::Tensor tokens_of(std::vector<std::int64_t> ids) {
  return at::tensor(ids, at::kLong).reshape({1, static_cast<std::int64_t>(ids.size())});
}

// A final norm gain away from 1, so that decoding with and without it differ.
void perturb_gain(const llama_decoder& model) {
  const at::NoGradGuard no_grad;
  model.final_norm_gain().copy_(at::linspace(0.5, 2.0, model.config().d_model));
}

}  // namespace

TEST(llama_decoder, rms_norm_matches_hand_computed_values) {
  // x = (1, 2, 3, 4): mean of squares 30 / 4 = 7.5.
  const at::Tensor x = at::tensor({1.0, 2.0, 3.0, 4.0}, at::kDouble);
  const at::Tensor g = at::tensor({1.0, 1.0, 2.0, 0.5}, at::kDouble);
  const at::Tensor y = rms_norm(x, g, 1e-5);
  const double scale = 1 / std::sqrt(7.5 + 1e-5);
  const double expected[] = {1 * scale, 2 * scale, 6 * scale, 2 * scale};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[i].item<double>(), expected[i], 1e-14) << i;
}

TEST(llama_decoder, rotary_matches_hand_computed_rotation) {
  // d_h = 4: theta_0 = 1, theta_1 = 10000^(-1/2) = 0.01. At position 1 the pair (x0, x2) turns by
  // 1 rad, the pair (x1, x3) by 0.01 rad; position 0 is left alone.
  const at::Tensor x = at::tensor({1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0}, at::kDouble).reshape({2, 4});
  const at::Tensor y = rotary(x, 10000);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[0][i].item<double>(), i + 1.0, 1e-15);
  const double c1 = std::cos(1.0), s1 = std::sin(1.0), c2 = std::cos(0.01), s2 = std::sin(0.01);
  EXPECT_NEAR(y[1][0].item<double>(), 1 * c1 - 3 * s1, 1e-14);
  EXPECT_NEAR(y[1][2].item<double>(), 3 * c1 + 1 * s1, 1e-14);
  EXPECT_NEAR(y[1][1].item<double>(), 2 * c2 - 4 * s2, 1e-14);
  EXPECT_NEAR(y[1][3].item<double>(), 4 * c2 + 2 * s2, 1e-14);
}

TEST(llama_decoder, rotary_dot_products_depend_on_the_offset_only) {
  const at::Tensor q = at::tensor({0.3, -1.2, 0.7, 2.0, -0.4, 0.9, 1.5, -0.8}, at::kDouble);
  const at::Tensor k = at::tensor({1.1, 0.2, -0.6, 0.4, 0.8, -1.3, 0.5, 0.1}, at::kDouble);
  // Row p of rotary(copies) is q (or k) rotated to position p.
  const at::Tensor rq = rotary(q.repeat({12, 1}), 10000), rk = rotary(k.repeat({12, 1}), 10000);
  const auto dot = [&](int m, int n) { return at::dot(rq[m], rk[n]).item<double>(); };
  EXPECT_NEAR(dot(3, 1), dot(7, 5), 1e-12);
  EXPECT_NEAR(dot(3, 1), dot(11, 9), 1e-12);
  EXPECT_NEAR(dot(2, 6), dot(5, 9), 1e-12);
  EXPECT_GT(std::abs(dot(3, 1) - dot(3, 0)), 1e-3);  // another offset, another value
}

TEST(llama_decoder, outputs_do_not_depend_on_future_tokens) {
  const llama_decoder model(tiny, 3);
  const at::NoGradGuard no_grad;
  const at::Tensor a = model.forward(tokens_of({1, 7, 9, 4, 22, 31, 5, 8}));
  const at::Tensor b = model.forward(tokens_of({1, 7, 9, 4, 40, 2, 17, 49}));
  EXPECT_LT((a.narrow(1, 0, 4) - b.narrow(1, 0, 4)).abs().max().item<double>(), 1e-6);
  EXPECT_GT((a.narrow(1, 4, 4) - b.narrow(1, 4, 4)).abs().max().item<double>(), 1e-3);
}

TEST(llama_decoder, batched_decode_equals_a_plain_loop_per_neuron) {
  const llama_decoder model(tiny, 5);
  perturb_gain(model);
  const auto& c = model.config();
  const at::Tensor u = model.unembedding().detach().to(at::kDouble), g = model.final_norm_gain().detach().to(at::kDouble);
  for (const bool with_gain : {false, true}) {
    const auto map = decode_neurons(model, 3, with_gain);
    ASSERT_EQ(map.top_tokens.size(0), c.layers * c.hidden);
    for (std::int64_t l = 0; l < c.layers; ++l) {
      const at::Tensor w = model.up_projection(l).detach().to(at::kDouble);
      const auto* U = u.data_ptr<double>();
      const auto* G = g.data_ptr<double>();
      const auto* W = w.data_ptr<double>();
      for (std::int64_t i = 0; i < c.hidden; ++i) {
        // p_v = exp(z_v) / sum exp(z), z_v = sum_j U[v][j] (g_j) w_i[j], by loops in double.
        std::vector<double> z(static_cast<std::size_t>(c.vocabulary));
        double top = -1e300;
        for (std::int64_t v = 0; v < c.vocabulary; ++v) {
          double s = 0;
          for (std::int64_t j = 0; j < c.d_model; ++j) s += U[v * c.d_model + j] * (with_gain ? G[j] : 1.0) * W[i * c.d_model + j];
          z[static_cast<std::size_t>(v)] = s;
          top = std::max(top, s);
        }
        double total = 0;
        for (const double s : z) total += std::exp(s - top);
        const std::int64_t row = l * c.hidden + i;
        for (std::int64_t r = 0; r < 3; ++r) {
          const auto v = map.top_tokens[row][r].item<std::int64_t>();
          EXPECT_NEAR(map.top_probabilities[row][r].item<double>(), std::exp(z[static_cast<std::size_t>(v)] - top) / total, 1e-6);
          if (r > 0) {
            EXPECT_LE(map.top_probabilities[row][r].item<double>(), map.top_probabilities[row][r - 1].item<double>());
          }
        }
        // The largest of the loop's probabilities is the map's top-1.
        const auto best = std::max_element(z.begin(), z.end()) - z.begin();
        EXPECT_EQ(map.top_tokens[row][0].item<std::int64_t>(), best);
        // And the one-neuron decode agrees over the whole vocabulary.
        const at::Tensor p = decode_neuron(model, l, i, with_gain);
        EXPECT_NEAR(p[best].item<double>(), map.top_probabilities[row][0].item<double>(), 1e-6);
      }
    }
  }
}

TEST(llama_decoder, the_gain_changes_the_decode_and_agreement_with_itself_is_one) {
  const llama_decoder model(tiny, 6);
  perturb_gain(model);
  const auto a = decode_neurons(model, 1, false), b = decode_neurons(model, 1, true);
  EXPECT_DOUBLE_EQ(top1_agreement(a, a), 1.0);
  EXPECT_LT(top1_agreement(a, b), 1.0);
  EXPECT_THROW(decode_neurons(model, 0, false), std::invalid_argument);
}

TEST(llama_decoder, clamping_a_neuron_at_zero_is_removing_its_output_column) {
  const llama_decoder model(tiny, 7);
  const auto removed = model.copy();
  {
    const at::NoGradGuard no_grad;
    removed.down_projection(1).select(1, 5).zero_();
  }
  const at::NoGradGuard no_grad;
  const at::Tensor tokens = tokens_of({3, 14, 15, 9, 2, 6});
  const at::Tensor clamped = model.forward(tokens, {1, 5, 0.0});
  EXPECT_LT((clamped - removed.forward(tokens)).abs().max().item<double>(), 1e-5);
  EXPECT_GT((clamped - model.forward(tokens)).abs().max().item<double>(), 1e-4);
  // The copy is independent: the original still has the column.
  EXPECT_GT(model.down_projection(1).select(1, 5).abs().sum().item<double>(), 0);
  // A clamp holds the activation at its value at every position.
  EXPECT_THROW(model.forward(tokens, {2, 0, 1.0}), std::out_of_range);
}

TEST(llama_decoder, impossible_sizes_are_refused_naming_the_field) {
  llama_config bad = tiny;
  bad.heads = 3;
  try {
    llama_decoder m(bad, 1);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("heads"), std::string::npos) << e.what();
  }
}

TEST(concept_grammar, every_concept_follows_a_cue_of_its_own) {
  const concept_grammar g({});
  EXPECT_EQ(g.vocabulary_size(), 13u + 4 + 32 + 96 + 120);
  const auto text = g.corpus(grammar_variant::base, 500, 11, 0);
  const auto a = g.id("a"), dot = g.id(".");
  std::uint32_t answers = 0, last_cue = 0;
  bool have_cue = false;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const std::string& w = g.word(text[i]);
    if (text[i] == dot) have_cue = false;
    if (w.find("_cue") != std::string::npos) {
      last_cue = text[i];
      have_cue = true;
    }
    if (text[i] != a) continue;
    ++answers;
    ASSERT_TRUE(g.is_concept_token(text[i + 1]));
    ASSERT_TRUE(have_cue);
    const std::string& cue = g.word(last_cue);
    const std::string& answer = g.word(text[i + 1]);
    EXPECT_TRUE(cue.starts_with(answer) && cue.compare(answer.size(), 4, "_cue") == 0) << cue << " then " << answer;
  }
  EXPECT_GT(answers, 200u);  // p_concept = 0.6 of 500 sentences
  // The same stream for the same seed, another for another; the instruction format is its own.
  EXPECT_EQ(text, g.corpus(grammar_variant::base, 500, 11, 0));
  EXPECT_NE(text, g.corpus(grammar_variant::base, 500, 12, 0));
  const auto instruct = g.corpus(grammar_variant::instruction, 50, 11, 0);
  EXPECT_EQ(std::count(instruct.begin(), instruct.end(), g.id("user")), 50);
  EXPECT_EQ(std::count(text.begin(), text.end(), g.id("user")), 0);
}

TEST(concept_grammar, neutral_prompts_name_no_cue_and_unknown_words_are_named) {
  const concept_grammar g({});
  for (const auto& p : g.neutral_prompts())
    for (const auto t : p) EXPECT_EQ(g.word(t).find("_cue"), std::string::npos) << g.decode(p);
  try {
    g.encode("the zebra is");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("zebra"), std::string::npos) << e.what();
  }
  concept_grammar_config bad;
  bad.categories = 7;
  EXPECT_THROW(concept_grammar{bad}, std::invalid_argument);
}

TEST(concept_grammar, windows_are_the_next_token_shifted_by_one) {
  const token_windows w({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 4);
  EXPECT_EQ(w.count(), 2u);
  const std::uint32_t second[] = {1};
  const auto b = w.batch(second, 0, 0);
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(b.inputs[0][t].item<std::int64_t>(), 4 + t);
    EXPECT_EQ(b.labels[0][t].item<std::int64_t>(), 5 + t);
  }
  EXPECT_THROW(token_windows({0, 1, 12}, 10, 1), std::invalid_argument);
}

TEST(neuron_decoding, top_k_table_has_one_line_per_neuron_and_rank) {
  const llama_decoder model(tiny, 8);
  const auto map = decode_neurons(model, 2, false);
  std::vector<std::string> words;
  for (int i = 0; i < tiny.vocabulary; ++i) words.push_back(std::to_string(i));
  const std::string csv = top_k_csv(map, 1, words);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "layer,neuron,rank,token,probability");
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.rfind("1,", 0), 0u) << line;
    ++lines;
  }
  EXPECT_EQ(lines, tiny.hidden * 2);
}

TEST(neuron_decoding, peak_activation_is_the_signed_activation_of_largest_magnitude) {
  const llama_decoder model(tiny, 9);
  const at::Tensor tokens = at::arange(20, at::kLong).reshape({2, 10});
  const at::Tensor peaks = peak_activations(model, tokens);
  const auto activations = model.mlp_activations(tokens);
  ASSERT_EQ(peaks.size(0), tiny.layers * tiny.hidden);
  for (std::int64_t l = 0; l < tiny.layers; ++l) {
    const at::Tensor a = activations[static_cast<std::size_t>(l)].reshape({-1, tiny.hidden});
    for (std::int64_t i = 0; i < tiny.hidden; ++i) {
      double best = 0;
      for (std::int64_t t = 0; t < a.size(0); ++t)
        if (std::abs(a[t][i].item<double>()) > std::abs(best)) best = a[t][i].item<double>();
      EXPECT_DOUBLE_EQ(peaks[l * tiny.hidden + i].item<double>(), best);
    }
  }
}
