// spikes.h5 as SONATA readers expect it (sorting as an HDF5 enum, units on recorded weights),
// and a write that fails leaves neither a temporary nor a damaged file behind.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "io/results.hpp"
#include "network/build.hpp"
#include "../small_networks.hpp"
#include "../temp_dir.hpp"

using namespace neurite;

namespace {

// A small Brunel network whose E->E synapses learn, recording the weights onto neuron 0.
network::network_desc plastic_network(const std::string& projection_name) {
  auto d = test_networks::brunel_network({200, 50, 20, 5}, 3, 2);
  d.projections[0].name = projection_name;
  d.projections[0].plasticity = network::plasticity_desc{"stdp_pair", {{"w_min", 0.0}, {"w_max", 2.0}}};
  d.weight_recordings.push_back({projection_name, {}, {0}, 5.0, "test"});
  return d;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class results_file : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test_files::unique_temp_dir("neurite_test_results");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(results_file, sorting_is_an_hdf5_enum_and_weights_carry_their_unit) {
  auto built = network::build(plastic_network("EE"));
  built.sim->run(20);
  const auto path = (dir / "spikes.h5").string();
  io::write_spikes_h5(path, *built.sim);

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t attr = H5Aopen_by_name(file, "spikes/E", "sorting", H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(attr, 0);
  const hid_t type = H5Aget_type(attr);
  EXPECT_EQ(H5Tget_class(type), H5T_ENUM);
  std::uint8_t code = 0;
  ASSERT_GE(H5Aread(attr, type, &code), 0);
  char name[16] = {};
  ASSERT_GE(H5Tenum_nameof(type, &code, name, sizeof name), 0);
  EXPECT_STREQ(name, "by_time");
  std::uint8_t none = 0, by_id = 0;
  H5Tenum_valueof(type, "none", &none);
  H5Tenum_valueof(type, "by_id", &by_id);
  EXPECT_EQ(none, 0);
  EXPECT_EQ(by_id, 1);
  EXPECT_EQ(code, 2);
  H5Tclose(type);
  H5Aclose(attr);

  const hid_t units = H5Aopen_by_name(file, "weights/EE_0/values", "units", H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(units, 0) << "/weights/EE_0/values has no units attribute";
  const hid_t string_type = H5Aget_type(units);
  char unit[16] = {};
  ASSERT_LT(H5Tget_size(string_type), sizeof unit);
  ASSERT_GE(H5Aread(units, string_type, unit), 0);
  EXPECT_STREQ(unit, "mV");  // iaf_psc_delta's weights are voltage jumps
  H5Tclose(string_type);
  H5Aclose(units);
  H5Fclose(file);
}

// A name HDF5 cannot take (the model-file reader refuses it; the C++ API does not) makes the
// write fail midway: the earlier, good file stays as it was and no .part is left.
TEST_F(results_file, a_failed_write_keeps_the_good_file_and_leaves_no_temporary) {
  const auto path = dir / "spikes.h5";
  auto good = network::build(plastic_network("EE"));
  good.sim->run(10);
  io::write_spikes_h5(path.string(), *good.sim);
  const auto before = read_bytes(path);
  ASSERT_FALSE(before.empty());

  auto bad = network::build(plastic_network("E/E"));
  bad.sim->run(10);
  EXPECT_THROW(io::write_spikes_h5(path.string(), *bad.sim), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "spikes.h5.part"));
  EXPECT_EQ(read_bytes(path), before);
}

// Every dataset of an HDF5 file, read as doubles, by path.
std::map<std::string, std::vector<double>> datasets(const std::string& path) {
  std::map<std::string, std::vector<double>> out;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type != H5O_TYPE_DATASET) return 0;
        const hid_t set = H5Dopen2(root, name, H5P_DEFAULT);
        const hid_t space = H5Dget_space(set);
        std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
        if (!values.empty()) H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        (*static_cast<std::map<std::string, std::vector<double>>*>(data))[name] = std::move(values);
        H5Sclose(space);
        H5Dclose(set);
        return 0;
      },
      &out);
  H5Fclose(file);
  return out;
}

// Drained in small pieces while it runs (as `neurite run` does), a run writes the same file as
// one kept in memory and written at the end, and the kernel holds only a drain's worth.
TEST_F(results_file, streaming_in_pieces_writes_what_one_write_at_the_end_does) {
  auto d = plastic_network("EE");
  d.state_recordings = {{"E", "V_m", {0, 7, 199}, 0.3}};
  d.rate_bin = 0.7;
  auto whole = network::build(d);
  whole.sim->run(150);
  whole.sim->run(100);
  io::write_spikes_h5((dir / "whole.h5").string(), *whole.sim);

  auto streamed = network::build(d);
  io::spike_file file((dir / "streamed.h5").string(), *streamed.sim);
  core::run_options options;
  int drains = 0;
  std::size_t largest = 0;
  options.drain = [&](const core::simulation& sim) {
    file.append(sim);
    ++drains;
    largest = std::max(largest, sim.recorded_bytes());
  };
  options.drain_bytes = 2048;
  streamed.sim->run(150, options);
  streamed.sim->run(100, options);
  file.finish(*streamed.sim);

  EXPECT_GT(drains, 20);
  EXPECT_LT(largest, 64u << 10) << "the recorders must not hold much more than a drain's worth";
  EXPECT_LE(streamed.sim->rates().counts[0].size(), 1u);  // only the bin still filling
  EXPECT_TRUE(streamed.sim->spike_recorders()[0].spikes.empty());
  const auto a = datasets((dir / "whole.h5").string()), b = datasets((dir / "streamed.h5").string());
  EXPECT_EQ(a.size(), 15u);
  EXPECT_GT(a.at("spikes/E/timestamps").size(), 100u);
  EXPECT_EQ(a, b);
}

// A write that fails while the run goes (here: the drain throws, as HDF5 does on a full disk)
// stops the run where it was, leaves the kernel consistent and the temporary removed.
TEST_F(results_file, a_write_failing_during_the_run_stops_it_and_leaves_no_temporary) {
  auto built = network::build(plastic_network("EE"));
  core::run_options options;
  int drains = 0;
  {
    io::spike_file file((dir / "spikes.h5").string(), *built.sim);
    options.drain = [&](const core::simulation& sim) {
      if (++drains == 3) throw std::runtime_error("disk full");
      file.append(sim);
    };
    options.drain_bytes = 1024;
    EXPECT_THROW(built.sim->run(200, options), std::runtime_error);
    EXPECT_TRUE(std::filesystem::exists(dir / "spikes.h5.part"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "spikes.h5.part"));
  EXPECT_FALSE(std::filesystem::exists(dir / "spikes.h5"));
  EXPECT_GT(built.sim->now(), 0);
  EXPECT_LT(built.sim->now(), 2000);
  EXPECT_EQ(built.sim->now() % built.sim->interval_steps(), 0);
  built.sim->run(10);  // and it can go on
}

}  // namespace

// Once a checkpoint names rows of PATH.part, a failure later in the run (a full disk during a
// drain or the next checkpoint) keeps it: removing it would lose every spike written so far
// and leave the checkpoint naming rows that no longer exist.
TEST_F(results_file, a_failure_after_a_checkpoint_keeps_the_temporary_it_names) {
  auto built = network::build(plastic_network("EE"));
  const auto part = dir / "spikes.h5.part";
  {
    io::spike_file file((dir / "spikes.h5").string(), *built.sim);
    built.sim->run(50);
    file.append(*built.sim);
    EXPECT_EQ(file.kept_at(), "");
    file.flush();
    file.keep();  // as after a checkpoint was written
    EXPECT_EQ(file.kept_at(), part.string());
  }
  EXPECT_TRUE(std::filesystem::exists(part));
}

// A resume that adopted a killed run's PATH.part (or failed to) never removes it: this
// process did not create it, and it may hold the only copy of the run's spikes.
TEST_F(results_file, a_resumed_run_never_removes_a_temporary_it_did_not_create) {
  auto built = network::build(plastic_network("EE"));
  built.sim->run(50);
  io::write_spikes_h5((dir / "killed.h5").string(), *built.sim);
  const auto part = dir / "spikes.h5.part";
  std::filesystem::copy_file(dir / "killed.h5", part);
  std::vector<std::pair<std::string, std::uint64_t>> rows;
  {
    io::spike_file probe((dir / "probe.h5").string(), *built.sim);
    rows = probe.rows();
  }
  {
    auto adopted = io::spike_file::resume((dir / "spikes.h5").string(), *built.sim, rows);
    EXPECT_EQ(adopted->kept_at(), part.string());
  }
  EXPECT_TRUE(std::filesystem::exists(part));

  rows[0].second = 1u << 30;  // more rows than the file holds, and no spikes.h5 to fall back on
  EXPECT_THROW(io::spike_file::resume((dir / "spikes.h5").string(), *built.sim, rows), std::runtime_error);
  EXPECT_TRUE(std::filesystem::exists(part));
}

// A file whose last writes fail (here a file-size limit, as a full disk does) must not replace
// the good one: HDF5 writes most of a small file when it is closed, so a close whose failure
// was ignored used to rename a damaged file into place. Run in a child so the limit stays there.
TEST_F(results_file, a_file_whose_close_fails_does_not_replace_the_good_one) {
  const auto path = dir / "spikes.h5";
  auto built = network::build(plastic_network("EE"));
  built.sim->run(100);
  io::write_spikes_h5(path.string(), *built.sim);
  const auto before = read_bytes(path);
  ASSERT_GT(before.size(), 8192u);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
    const rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    int code = 0;
    try {
      io::write_spikes_h5(path.string(), *built.sim);
    } catch (const std::runtime_error&) {
      code = 3;
    }
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << "the write must fail";
  EXPECT_TRUE(read_bytes(path) == before) << "the good file was replaced";
  EXPECT_FALSE(std::filesystem::exists(dir / "spikes.h5.part"));
}
