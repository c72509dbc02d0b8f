// Explicit connection lists (CSV files named by a projection): ids, weights and delays with
// units, and malformed lists reported at their line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/model_file.hpp"

using namespace neurite;
using network::connector_desc;

class explicit_connections : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("neurite_model_file_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }
  std::string model(const std::string& connector, const std::string& rest = "weight = \"1 mV\"\ndelay = \"1 ms\"\n") {
    write("model.toml", "[populations.S]\nmodel = \"poisson_source\"\nsize = 3\n"
                        "[populations.T]\nmodel = \"iaf_psc_delta\"\nsize = 2\n"
                        "[[projections]]\nsource = \"S\"\ntarget = \"T\"\nconnector = " +
                            connector + "\n" + rest);
    return (dir_ / "model.toml").string();
  }
  std::string error(const std::string& path) {
    try {
      io::read_model_file(path);
    } catch (const io::model_error& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::filesystem::path dir_;
};

TEST_F(explicit_connections, reads_ids_weights_and_delays_with_units) {
  write("edges.csv", "# a comment\nsource,target,weight,delay\n0,1,250,1.5\n\n2, 0 , -500, 0.1\n");
  const auto d = io::read_model_file(
      model("{ rule = \"explicit\", file = \"edges.csv\", weight_unit = \"uV\", delay_unit = \"ms\" }", ""));
  const auto& c = d.projections.at(0).connector;
  EXPECT_EQ(c.type, connector_desc::rule::explicit_list);
  ASSERT_EQ(c.edges.size(), 2u);
  EXPECT_EQ(c.edges[0].source, 0u);
  EXPECT_EQ(c.edges[0].target, 1u);
  EXPECT_DOUBLE_EQ(*c.edges[0].weight, 0.25);
  EXPECT_DOUBLE_EQ(*c.edges[0].delay, 1.5);
  EXPECT_EQ(c.edges[1].source, 2u);
  EXPECT_DOUBLE_EQ(*c.edges[1].weight, -0.5);
}

TEST_F(explicit_connections, ids_only_take_the_projection_weight_and_delay) {
  write("ids.csv", "0,0\n1,1\n");
  const auto d = io::read_model_file(model("{ rule = \"explicit\", file = \"ids.csv\" }"));
  const auto& p = d.projections.at(0);
  ASSERT_EQ(p.connector.edges.size(), 2u);
  EXPECT_FALSE(p.connector.edges[0].weight);
  EXPECT_DOUBLE_EQ(p.weight.a, 1);
  EXPECT_DOUBLE_EQ(p.delay.a, 1);
}

TEST_F(explicit_connections, malformed_lists_are_reported_at_their_line) {
  const std::string csv = (dir_ / "e.csv").string();
  const std::string conn = "{ rule = \"explicit\", file = \"e.csv\", weight_unit = \"mV\" }";
  const std::string key = ": projections[0].connector.file: ";
  const struct {
    const char* rows;
    std::string expected;
  } cases[] = {
      {"0,1,0.5\n3,1,0.5\n", csv + ":2" + key + "expected a source id in [0, 2] (the population has 3 neurons), found 3"},
      {"0,1,0.5\n0,x,0.5\n", csv + ":2" + key + "expected a target id (an integer in [0, 1]), found \"x\""},
      {"0,1,0.5\n\n0,1\n", csv + ":3" + key + "expected 3 columns like the first row, found 2 in \"0,1\""},
      {"0,1,abc\n", csv + ":1" + key + "expected a weight (a finite number), found \"abc\""},
      {"src,tgt\n", csv + ":1" + key + "expected a header \"source,target[,weight[,delay]]\", found \"src,tgt\""},
      {"0\n", csv + ":1" + key + "expected 2 to 4 columns (source,target[,weight[,delay]]), found 1 in \"0\""},
      {"0,-1,0.5\n", csv + ":1" + key + "expected a target id (an integer in [0, 1]), found \"-1\""},
  };
  for (const auto& c : cases) {
    write("e.csv", c.rows);
    const auto path = model(conn, "delay = \"1 ms\"\n");
    EXPECT_NE(error(path).find(c.expected), std::string::npos) << "rows: " << c.rows << "\ngot: " << error(path);
  }
  write("d.csv", "0,1,1,0.05\n");
  const auto path = model("{ rule = \"explicit\", file = \"d.csv\", weight_unit = \"mV\", delay_unit = \"ms\" }", "");
  EXPECT_NE(error(path).find((dir_ / "d.csv").string() + ":1" + key + "expected a delay >= dt (0.1 ms), found 0.05 ms"),
            std::string::npos)
      << error(path);
  write("d.csv", "0,1,1,0.1\n1,1,1,7000\n");  // beyond the 16-bit step count of a delay: refused, not clipped
  EXPECT_NE(error(path).find((dir_ / "d.csv").string() + ":2" + key +
                             "expected a delay of at most 65535 steps of dt (6553.5 ms), found 7000 ms"),
            std::string::npos)
      << error(path);
  write("w.csv", "0,1,1\n");
  const auto both = model("{ rule = \"explicit\", file = \"w.csv\", weight_unit = \"mV\" }");
  EXPECT_NE(error(both).find(":11: projections[0].weight: expected no weight here"), std::string::npos) << error(both);
  const auto no_unit = model("{ rule = \"explicit\", file = \"w.csv\" }", "delay = \"1 ms\"\n");
  EXPECT_NE(error(no_unit).find(":10: projections[0].connector.weight_unit: expected the unit of the weight column"),
            std::string::npos)
      << error(no_unit);
  const auto directory = model("{ rule = \"explicit\", file = \".\" }");
  EXPECT_NE(error(directory).find(":10: projections[0].connector.file: expected a readable CSV file of connections, "
                                  "found \"" + (dir_ / ".").string() + "\" (a directory)"),
            std::string::npos)
      << error(directory);
  write("bom.csv", "\xEF\xBB\xBFsource,target\n0,0\n");
  EXPECT_EQ(error(model("{ rule = \"explicit\", file = \"bom.csv\" }")), "(no error)");
  const auto missing = model("{ rule = \"explicit\", file = \"nowhere.csv\" }");
  EXPECT_NE(error(missing).find(":10: projections[0].connector.file: expected a readable CSV file of connections, found \"" +
                                (dir_ / "nowhere.csv").string() + "\" (No such file or directory)"),
            std::string::npos)
      << error(missing);
}
