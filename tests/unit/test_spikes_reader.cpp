// io::read_spikes_file: a run's spikes.h5 read back as written, and every damaged or inconsistent
// file refused with a message naming the file and the dataset.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "io/h5.hpp"
#include "io/results.hpp"
#include "io/spikes_reader.hpp"
#include "network/build.hpp"
#include "../small_networks.hpp"
#include "../temp_dir.hpp"

using namespace neurite;

namespace {

class spikes_reader : public ::testing::Test {
 protected:
  std::filesystem::path dir = test_files::unique_temp_dir("neurite_spikes_reader_" + std::to_string(getpid()));
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string path(const char* name) const { return (dir / name).string(); }
};

// The message of the error read_spikes_file throws, or "" if it reads the file.
std::string read_error(const std::string& path) {
  try {
    io::read_spikes_file(path);
  } catch (const io::spikes_file_error& e) {
    return e.what();
  }
  return {};
}

// A file with one population whose datasets are written by hand.
void write_by_hand(const std::string& path, const std::vector<double>& times, const std::vector<std::uint64_t>& ids) {
  auto file = io::h5::create_file(path);
  auto spikes = io::h5::make_group(file, "spikes");
  auto e = io::h5::make_group(spikes, "E");
  io::h5::write_dataset(e, "timestamps", times);
  io::h5::write_dataset(e, "node_ids", ids);
  file.close(path);
}

TEST_F(spikes_reader, reads_back_what_a_run_wrote) {
  auto built = network::build(test_networks::brunel_network({200, 50, 20, 5}, 7, 1));
  built.sim->run(100);
  const std::string file = path("spikes.h5");
  io::write_spikes_h5(file, *built.sim);
  const auto f = io::read_spikes_file(file);
  ASSERT_EQ(f.names(), (std::vector<std::string>{"E", "I"}));
  EXPECT_TRUE(f.t_stop_known);
  EXPECT_DOUBLE_EQ(f.t_stop, 100.0);
  for (std::size_t r = 0; r < 2; ++r) {
    const auto& rec = built.sim->spike_recorders()[r];
    const auto& p = *f.find(r == 0 ? "E" : "I");
    EXPECT_TRUE(p.size_known);
    EXPECT_EQ(p.size, r == 0 ? 200u : 50u);
    EXPECT_EQ(p.recorded, p.size);
    ASSERT_EQ(p.times.size(), rec.spikes.size());
    ASSERT_GT(p.times.size(), 10u);
    for (std::size_t k = 0; k < rec.spikes.size(); ++k) {
      EXPECT_EQ(p.node_ids[k], rec.spikes[k].id);
      EXPECT_DOUBLE_EQ(p.times[k], static_cast<double>(rec.spikes[k].step + 1) * 0.1);
    }
    EXPECT_FALSE(p.rate_hz.empty());
  }
  EXPECT_EQ(f.find("X"), nullptr);
}

TEST_F(spikes_reader, a_file_without_the_size_attributes_infers_them) {
  const std::string file = path("other.h5");
  write_by_hand(file, {1.0, 2.0, 7.5}, {3, 0, 3});
  const auto f = io::read_spikes_file(file);
  const auto& p = f.populations.at(0);
  EXPECT_FALSE(p.size_known);
  EXPECT_EQ(p.size, 4u);
  EXPECT_FALSE(f.t_stop_known);
  EXPECT_DOUBLE_EQ(f.t_stop, 7.5);
}

TEST_F(spikes_reader, mismatched_lengths_name_both_datasets) {
  const std::string file = path("mismatch.h5");
  write_by_hand(file, {1.0, 2.0, 3.0}, {0, 1});
  const auto error = read_error(file);
  EXPECT_NE(error.find(file), std::string::npos) << error;
  EXPECT_NE(error.find("spikes/E/node_ids has 2 values where spikes/E/timestamps has 3"), std::string::npos) << error;
}

TEST_F(spikes_reader, a_negative_time_is_refused) {
  const std::string file = path("negative.h5");
  write_by_hand(file, {1.0, -2.0}, {0, 1});
  const auto error = read_error(file);
  EXPECT_NE(error.find("spikes/E/timestamps: value 1 is -2"), std::string::npos) << error;
}

TEST_F(spikes_reader, missing_garbage_and_truncated_files_are_named) {
  const std::string missing = path("missing.h5");
  EXPECT_NE(read_error(missing).find(missing + ": no such file"), std::string::npos) << read_error(missing);

  const std::string garbage = path("garbage.h5");
  std::ofstream(garbage) << "this is not HDF5 at all, just text\n";
  EXPECT_NE(read_error(garbage).find(garbage + ": not an HDF5 file"), std::string::npos) << read_error(garbage);

  auto built = network::build(test_networks::brunel_network({200, 50, 20, 5}, 7, 1));
  built.sim->run(100);
  const std::string truncated = path("truncated.h5");
  io::write_spikes_h5(truncated, *built.sim);
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
  const auto error = read_error(truncated);
  EXPECT_EQ(error.rfind(truncated + ": ", 0), 0u) << error;
}

TEST_F(spikes_reader, a_file_without_spikes_group_is_refused) {
  const std::string file = path("empty.h5");
  auto f = io::h5::create_file(file);
  f.close(file);
  EXPECT_NE(read_error(file).find("no group /spikes"), std::string::npos) << read_error(file);
}

}  // namespace
