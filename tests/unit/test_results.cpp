// spikes.h5 as SONATA readers expect it (sorting as an HDF5 enum, units on recorded weights),
// and a write that fails leaves neither a temporary nor a damaged file behind.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/results.hpp"
#include "network/build.hpp"
#include "../small_networks.hpp"

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
    dir = std::filesystem::temp_directory_path() /
          ("neurite_test_results_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(results_file, sorting_is_an_hdf5_enum_and_weights_carry_their_unit) {
  auto built = network::build(plastic_network("EE"));
  built.sim->run(20);
  const auto path = (dir / "spikes.h5").string();
  io::write_spikes_h5(path, *built.sim, 1.0);

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
  io::write_spikes_h5(path.string(), *good.sim, 1.0);
  const auto before = read_bytes(path);
  ASSERT_FALSE(before.empty());

  auto bad = network::build(plastic_network("E/E"));
  bad.sim->run(10);
  EXPECT_THROW(io::write_spikes_h5(path.string(), *bad.sim, 1.0), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "spikes.h5.part"));
  EXPECT_EQ(read_bytes(path), before);
}

}  // namespace
