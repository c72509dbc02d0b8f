// network::build's own checks, for descriptions that did not come through the reader (the C++
// and Python APIs), and the memory pre-check: every message in the promised form
// "FILE:LINE: KEY: expected ..., found ...".
#include <gtest/gtest.h>

#include <string>

#include "io/model_file.hpp"
#include "network/build.hpp"

using namespace neurite;

namespace {

std::string build_error_of(const network::network_desc& d) {
  try {
    network::build(d);
  } catch (const network::build_error& e) {
    return e.what();
  }
  return "(no error)";
}

const char* const two = R"([simulation]
duration = "10 ms"
[populations.E]
model = "iaf_psc_delta"
size = 10
[[projections]]
source = "E"
target = "E"
connector = { rule = "all_to_all" }
weight = "0.1 mV"
delay = "1 ms"
)";

}  // namespace

TEST(build, a_delay_beyond_65535_steps_is_located_with_its_limit) {
  auto d = io::parse_model(two, "api.toml");
  d.projections[0].delay.a = 10000;  // [ms]: set through the API, past the reader
  EXPECT_EQ(build_error_of(d), "api.toml:6: projections[0].delay: expected a delay of at most 65535 steps of dt "
                               "(6553.5 ms), found 10000 ms");
}

TEST(build, drawn_plastic_weights_outside_the_bounds_are_located_with_units) {
  auto d = io::parse_model(std::string(two) + "plasticity = { rule = \"stdp_pair\", w_max = \"1 mV\" }\n", "api.toml");
  d.projections[0].weight = {network::value_dist::kind::normal, 0.5, 2.0};  // unbounded: the reader cannot know
  const std::string message = build_error_of(d);
  EXPECT_EQ(message.rfind("api.toml:6: projections[0].weight: expected initial weights within the rule's [w_min, "
                          "w_max] = [0 mV, 1 mV], found ",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find(" mV", message.find("found ")), std::string::npos) << message;
}

TEST(build, the_memory_check_names_the_entries_that_need_the_most) {
  const auto d = io::parse_model(std::string(two) + "[[projections]]\nname = \"big\"\nsource = \"E\"\ntarget = \"E\"\n"
                                                    "connector = { rule = \"fixed_indegree\", indegree = 100000 }\n"
                                                    "weight = \"0.1 mV\"\ndelay = \"1 ms\"\n",
                                 "api.toml",
                                 {"populations.E.size=4000000000", "projections.0.connector={ rule = \"one_to_one\" }"});
  const std::string message = build_error_of(d);
  EXPECT_EQ(message.rfind("api.toml:12: projections[1]: expected a network that fits in the ", 0), 0u) << message;
  EXPECT_NE(message.find(" GB of memory available, found one that needs about "), std::string::npos) << message;
  EXPECT_NE(message.find("synapses), most of it for projections[1] (big) "), std::string::npos) << message;
}
