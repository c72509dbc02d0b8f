// The CA3 content-addressable memory (memory/ca3_cam): the paper's golden output trace, and
// learning and recall with orthogonal and overlapping contents, from every single bit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "io/model_file.hpp"
#include "memory/ca3_cam.hpp"
#include "network/build.hpp"
#include "repro/repro.hpp"

using namespace neurite;
using memory::ca3_operation;
using op = ca3_operation::kind;
using core::index_t;

namespace {

std::vector<index_t> bits_of(index_t value, index_t m) {
  std::vector<index_t> out;
  for (index_t b = 0; b < m; ++b)
    if (value >> b & 1) out.push_back(b);
  return out;
}

// Writes contents[c] to cue c, reads every cue, then every single bit, 14 ms apart as in the
// paper's testbench 2; each read must name exactly the stored content, or exactly the cues
// storing that bit. Returns the reads that did not.
std::vector<std::string> wrong_reads(const std::vector<std::vector<index_t>>& contents, index_t m,
                                     index_t stdp_history = 16) {
  const auto n = static_cast<index_t>(contents.size());
  std::vector<ca3_operation> ops;
  std::int64_t t = 0;
  for (index_t c = 0; c < n; ++c, t += 14) ops.push_back({op::learn, t, c, contents[c]});
  for (index_t c = 0; c < n; ++c, t += 14) ops.push_back({op::recall_by_cue, t, c, {}});
  for (index_t b = 0; b < m; ++b, t += 14) ops.push_back({op::recall_by_content, t, -1, {b}});
  const auto run = memory::run_ca3_cam({n, m, stdp_history}, ops, t + 14);
  std::vector<std::string> wrong;
  for (const auto& o : ops) {
    if (o.type == op::learn) continue;
    std::vector<index_t> want;  // output ids: cues, then n + bit
    if (o.type == op::recall_by_cue) {
      want.push_back(static_cast<index_t>(o.cue));
      for (const index_t b : contents[static_cast<std::size_t>(o.cue)]) want.push_back(n + b);
    } else {
      for (index_t c = 0; c < n; ++c)
        if (std::count(contents[c].begin(), contents[c].end(), o.bits[0])) want.push_back(c);
      want.push_back(n + o.bits[0]);
    }
    std::sort(want.begin(), want.end());
    if (memory::ca3_active(run, "output", o.step + 4, o.step + 14) != want)
      wrong.push_back((o.type == op::recall_by_cue ? "cue " : "bit ") +
                      std::to_string(o.type == op::recall_by_cue ? o.cue : o.bits[0]));
  }
  return wrong;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p + "; ";
  return out;
}

}  // namespace

// The golden trace of the paper's code, spike for spike in the output layer (learning, recall
// by cue and by content, forgetting by overwriting and the recall by content after it), and the
// reads of testbench 2 and the state map (repro ca3-cam; scripts/ca3_compare_layers.py compares every layer).
TEST(ca3_cam, golden_trace_testbench_2_and_state_map_match) {
  const auto* r = repro::find_reproduction("ca3-cam");
  ASSERT_NE(r, nullptr);
  repro::options o;
  o.out = (std::filesystem::temp_directory_path() / ("neurite_test_ca3_" + std::to_string(getpid()))).string();
  const auto rows = r->run(o);
  int golden = 0, reads = 0;
  for (const auto& row : rows) {
    const bool is_golden = row.quantity.rfind("golden trace", 0) == 0;
    const bool is_read = row.quantity.rfind("testbench 2", 0) == 0 || row.quantity.rfind("state map", 0) == 0;
    if (!is_golden && !is_read) continue;
    (is_golden ? golden : reads)++;
    EXPECT_EQ(row.result, repro::verdict::match) << row.quantity << "\n" << row.paper << "\n" << row.neurite;
  }
  EXPECT_EQ(golden, 9);
  EXPECT_EQ(reads, 2);  // testbench 2 and the state map
  std::filesystem::remove_all(o.out);
}

TEST(ca3_cam, orthogonal_contents_are_recalled_from_cue_and_from_every_bit) {
  const auto wrong = wrong_reads({{0, 1}, {2, 3}, {4, 5}, {6, 7}}, 8);
  EXPECT_TRUE(wrong.empty()) << joined(wrong);
}

// Content c + 1 in binary for cue c: contents overlap (bit 0 is in cues 0, 2 and 4).
TEST(ca3_cam, overlapping_contents_are_recalled_from_cue_and_from_every_bit) {
  std::vector<std::vector<index_t>> contents;
  for (index_t c = 0; c < 5; ++c) contents.push_back(bits_of(c + 1, 10));
  const auto wrong = wrong_reads(contents, 10);
  EXPECT_TRUE(wrong.empty()) << joined(wrong);
}

// Contents c + 1 in 5 bits for 24 cues: each bit is written by 12 or more learn operations, so
// the content neurons fire more often than SpiNNaker's 16-entry STDP history remembers before
// the cue's next spike applies its last potentiation. Memories are lost with that history and
// all kept with a long one.
TEST(ca3_cam, many_overlapping_memories_need_a_longer_stdp_history) {
  std::vector<std::vector<index_t>> contents;
  for (index_t c = 0; c < 24; ++c) contents.push_back(bits_of(c % 31 + 1, 5));
  EXPECT_FALSE(wrong_reads(contents, 5, 16).empty());
  const auto wrong = wrong_reads(contents, 5, 1024);
  EXPECT_TRUE(wrong.empty()) << joined(wrong);
}

TEST(ca3_cam, spikes_and_weights_are_the_same_for_one_and_two_threads) {
  std::vector<ca3_operation> ops{{op::learn, 0, 0, {0, 1, 8, 9}}, {op::learn, 10, 4, {1, 5, 6}},
                                 {op::recall_by_content, 20, -1, {1}}, {op::learn, 30, 0, {2, 3}},
                                 {op::recall_by_cue, 40, 0, {}}};
  const auto a = memory::run_ca3_cam({5, 10}, ops, 50, 1), b = memory::run_ca3_cam({5, 10}, ops, 50, 2);
  EXPECT_EQ(a.spikes, b.spikes);
  EXPECT_EQ(a.weights_cue_to_content, b.weights_cue_to_content);
  EXPECT_GT(a.weights_cue_to_content[4][5], 0.0f);  // learned
}

// examples/ca3_cam.toml is the same network and protocol written as a model file: its output
// spikes equal the module's, step for step.
TEST(ca3_cam, the_model_file_gives_the_same_output_as_the_module) {
  const auto desc = io::read_model_file(std::string(NEURITE_SOURCE_DIR) + "/examples/ca3_cam.toml");
  auto built = network::build(desc);
  built.sim->run(desc.simulation.duration);
  const std::vector<ca3_operation> ops{
      {op::learn, 0, 0, {0, 1, 8, 9}},     {op::learn, 10, 4, {1, 5, 6}},       {op::learn, 20, 3, {4, 5, 6}},
      {op::recall_by_cue, 30, 0, {}},      {op::recall_by_content, 40, -1, {6}}, {op::recall_by_content, 50, -1, {0, 4}},
      {op::learn, 60, 3, {1, 3, 4, 8}},    {op::recall_by_cue, 70, 3, {}},      {op::recall_by_content, 80, -1, {6}}};
  const auto module = memory::run_ca3_cam({5, 10}, ops, 90);
  const auto& recorded = built.sim->spike_recorders().back();  // "output", the last in [record]
  ASSERT_EQ(built.sim->populations()[recorded.population].name, "output");
  std::vector<std::vector<std::int64_t>> from_file(15);
  for (const auto& s : recorded.spikes) from_file[s.id].push_back(s.step);
  EXPECT_EQ(from_file, module.spikes.back());
  EXPECT_GT(recorded.spikes.size(), 50u);
}
