// A run stopped at a checkpoint and resumed, with another number of threads, gives bit for bit
// what the uninterrupted run gives; a damaged, foreign or mismatched checkpoint is an error that
// names the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "io/checkpoint.hpp"
#include "network/build.hpp"
#include "../small_networks.hpp"
#include "../temp_dir.hpp"

using namespace neurite;

namespace neurite::core {
bool operator==(const spike& a, const spike& b) { return a.step == b.step && a.id == b.id; }
}  // namespace neurite::core

namespace {

struct outcome {
  std::vector<std::vector<core::spike>> spikes;
  std::vector<std::vector<double>> v;
  std::vector<float> weights;
  std::uint64_t events = 0;
  std::vector<std::uint32_t> counts;
};

void collect(core::simulation& sim, outcome& o) {
  o.spikes.resize(sim.spike_recorders().size());
  for (std::size_t r = 0; r < o.spikes.size(); ++r)
    o.spikes[r].insert(o.spikes[r].end(), sim.spike_recorders()[r].spikes.begin(), sim.spike_recorders()[r].spikes.end());
  for (const auto& row : sim.state_recorders()[0].values) o.v.push_back(row);
}

void finish(core::simulation& sim, outcome& o) {
  collect(sim, o);
  for (std::uint32_t p = 0; p < sim.projections().size(); ++p)
    if (sim.projections()[p].plasticity)
      for (const auto& s : sim.weights(p)) o.weights.push_back(s.weight);
  o.events = sim.synaptic_events();
  for (const auto& pop : sim.populations()) o.counts.insert(o.counts.end(), pop.spike_count.begin(), pop.spike_count.end());
}

network::network_desc plastic(const std::string& rule, int threads) {
  auto d = test_networks::brunel_network({}, 21, threads);
  const double j = d.projections[0].weight.a;
  d.projections[0].plasticity =
      network::plasticity_desc{rule, {{"w_min", 0.0}, {"w_max", 2 * j}, {rule == "stdp_triplet" ? "A3_plus" : "A_plus", 0.05}}};
  d.state_recordings = {{"E", "V_m", {0, 1, 399, 799}, 0.5}};
  return d;
}

io::checkpoint checkpoint_of(core::simulation& sim) {
  io::checkpoint c;
  c.neurite_version = io::neurite_version();
  c.model_text = "test";
  c.model_hash = io::model_hash(c.model_text, c.overrides);
  c.step = c.end_step = sim.now();
  c.arrays = io::capture_state(sim);
  return c;
}

class checkpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test_files::unique_temp_dir("neurite_test_checkpoint");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string path(const char* name) const { return (dir / name).string(); }
  std::filesystem::path dir;
};

// 300 ms in one run against 150 ms, a checkpoint through a file, and 150 ms more elsewhere.
TEST_F(checkpoints, a_resumed_run_equals_the_uninterrupted_one_for_any_threads) {
  for (const std::string rule : {"stdp_pair", "stdp_triplet", "stdp_pair_spinnaker"})
    for (const auto& [before, after] : {std::pair{1, 2}, std::pair{2, 1}, std::pair{3, 2}}) {
      SCOPED_TRACE(rule + ", " + std::to_string(before) + " -> " + std::to_string(after) + " threads");
      outcome whole, pieces;
      auto reference = network::build(plastic(rule, 2));
      reference.sim->run(300);
      finish(*reference.sim, whole);
      ASSERT_GT(whole.spikes[0].size(), 1000u);

      auto first = network::build(plastic(rule, before));
      first.sim->run(150);  // 1500 steps: a multiple of the interval (15 steps)
      collect(*first.sim, pieces);
      io::write_checkpoint(path("checkpoint.h5"), checkpoint_of(*first.sim));
      const auto c = io::read_checkpoint(path("checkpoint.h5"));
      auto second = network::build(plastic(rule, after));
      io::restore_state(c, *second.sim, path("checkpoint.h5"));
      EXPECT_EQ(second.sim->now(), 1500);
      second.sim->run(150);
      finish(*second.sim, pieces);

      EXPECT_EQ(whole.spikes, pieces.spikes);
      EXPECT_EQ(whole.v, pieces.v);
      EXPECT_EQ(whole.weights, pieces.weights);
      EXPECT_EQ(whole.events, pieces.events);
      EXPECT_EQ(whole.counts, pieces.counts);
      EXPECT_NE(whole.weights.front(), plastic(rule, 1).projections[0].weight.a);
    }
}

// A plastic target smaller than the team (tests/small_networks.hpp): 270 ms in one run against
// three pieces of 90 ms (900 steps: a multiple of the interval), each resumed from the checkpoint
// of the one before with other threads. A checkpoint written by a worker holding every synapse
// may list postsynaptic spikes on their way to a worker holding none after the resume.
TEST_F(checkpoints, a_small_plastic_target_resumes_twice_for_any_threads) {
  const auto network = [](const std::string& rule, int threads) {
    auto d = test_networks::with_small_plastic_target(test_networks::brunel_network({}, 23, threads), rule);
    d.state_recordings = {{"T", "V_m", {0, 1}, 0.5}};
    return d;
  };
  for (const std::string rule : {"stdp_pair", "stdp_triplet", "stdp_pair_spinnaker"})
    for (const auto& threads : {std::vector{1, 2, 3}, std::vector{3, 4, 1}, std::vector{4, 1, 2}}) {
      SCOPED_TRACE(rule + ", " + std::to_string(threads[0]) + " -> " + std::to_string(threads[1]) + " -> " +
                   std::to_string(threads[2]) + " threads");
      outcome whole, pieces;
      auto reference = network::build(network(rule, 1));
      reference.sim->run(270);
      finish(*reference.sim, whole);
      ASSERT_GT(whole.spikes.back().size(), 10u) << "the small target must fire for the test to mean anything";
      ASSERT_NE(*std::min_element(whole.weights.begin(), whole.weights.end()),
                *std::max_element(whole.weights.begin(), whole.weights.end()));

      auto first = network::build(network(rule, threads[0]));
      first.sim->run(90);
      collect(*first.sim, pieces);
      const auto first_state = checkpoint_of(*first.sim);
      const auto pending = std::find_if(first_state.arrays.begin(), first_state.arrays.end(),
                                        [](const auto& a) { return a.name == "projections/E->T/pending_id"; });
      ASSERT_NE(pending, first_state.arrays.end());
      ASSERT_NE(std::count(pending->integers.begin(), pending->integers.end(), 1), 0)
          << "a spike of the neuron without plastic synapses must be on its way for the test to mean anything";
      io::write_checkpoint(path("first.h5"), first_state);
      auto second = network::build(network(rule, threads[1]));
      io::restore_state(io::read_checkpoint(path("first.h5")), *second.sim, path("first.h5"));
      second.sim->run(90);
      collect(*second.sim, pieces);
      io::write_checkpoint(path("second.h5"), checkpoint_of(*second.sim));
      auto third = network::build(network(rule, threads[2]));
      ASSERT_NO_THROW(io::restore_state(io::read_checkpoint(path("second.h5")), *third.sim, path("second.h5")));
      third.sim->run(90);
      finish(*third.sim, pieces);

      EXPECT_EQ(whole.spikes, pieces.spikes);
      EXPECT_EQ(whole.v, pieces.v);
      EXPECT_EQ(whole.weights, pieces.weights);
      EXPECT_EQ(whole.events, pieces.events);
      EXPECT_EQ(whole.counts, pieces.counts);
    }
}

TEST_F(checkpoints, damaged_foreign_and_mismatched_checkpoints_are_errors_naming_the_file) {
  auto built = network::build(plastic("stdp_pair", 2));
  built.sim->run(30);
  const auto good = path("checkpoint.h5");
  io::write_checkpoint(good, checkpoint_of(*built.sim));
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto expect_error = [&](const std::string& file, const std::string& words) {
    try {
      io::read_checkpoint(file);
      ADD_FAILURE() << file << " was read without an error";
    } catch (const io::checkpoint_error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(file + ": ", 0), 0u) << what;
      EXPECT_NE(what.find(words), std::string::npos) << what;
    }
  };
  const auto write = [&](const char* name, const std::string& content) {
    std::ofstream(path(name), std::ios::binary) << content;
    return path(name);
  };
  expect_error(write("truncated.h5", bytes.substr(0, bytes.size() / 2)), "(a truncated or extended file)");
  expect_error(write("extended.h5", bytes + "x"), "(a truncated or extended file)");
  expect_error(write("empty.h5", ""), "expected a neurite checkpoint");
  expect_error(write("text.h5", "[simulation]\ndt = \"0.1 ms\"\n"), "expected a neurite checkpoint");
  // A byte flipped anywhere, in the header or the HDF5 data: an error before HDF5 reads the file
  // (the header's checksum covers every byte after it), never a crash or a silent read.
  for (std::size_t k = 0; k < 512; k += 7) {
    std::string damaged = bytes;
    damaged[k] = static_cast<char>(damaged[k] ^ 0x5a);
    expect_error(write("damaged.h5", damaged), "expected");
  }
  for (std::size_t k = 512; k < bytes.size(); k += bytes.size() / 97) {
    std::string damaged = bytes;
    damaged[k] = static_cast<char>(damaged[k] ^ 0x5a);
    expect_error(write("damaged.h5", damaged), "found other bytes (a damaged file)");
  }

  auto other_version = checkpoint_of(*built.sim);
  other_version.neurite_version = "0.0.1-elsewhere";
  io::write_checkpoint(path("old.h5"), other_version);
  expect_error(path("old.h5"), "neurite_version: expected " + io::neurite_version());
  expect_error(path("old.h5"), "found 0.0.1-elsewhere");

  // An end before the checkpoint's step would run nothing and report success.
  auto ended = checkpoint_of(*built.sim);
  ended.end_step = ended.step - 1;
  io::write_checkpoint(path("ended.h5"), ended);
  expect_error(path("ended.h5"), "counters: expected an end step at or after the step");

  // A checkpoint of another network (other sizes) does not fit this one.
  const auto c = io::read_checkpoint(good);
  auto d = plastic("stdp_pair", 2);
  d.populations[0].size = 700;
  auto smaller = network::build(d);
  try {
    io::restore_state(c, *smaller.sim, good);
    ADD_FAILURE() << "a checkpoint of another network was restored";
  } catch (const io::checkpoint_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit the model's network"), std::string::npos) << e.what();
  }
}

}  // namespace
