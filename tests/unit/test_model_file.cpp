// Model-file reader (io/model_file.hpp): a good file, the examples, overrides, explicit
// connection lists, and a table of malformed inputs with the message each must produce.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"
#include "io/model_file.hpp"
#include "model_errors.hpp"
#include "network/catalog.hpp"

using namespace neurite;
using network::connector_desc;
using network::value_dist;

namespace {

using test::error_of;

const char* const good_file = R"(# a network that uses most of the format
[simulation]
dt = "0.05 ms"
duration = "0.5 s"
seed = 7
threads = 2

[populations.Z]
model = "iaf_psc_delta"
size = 20
params = { tau_m = "0.01 s", V_th = "-50 mV" }
initial = { V_m = { dist = "normal", mean = "-65 mV", sd = "2 mV", max = "-55 mV" } }

[populations.A]
model = "poisson_source"
size = 5
params = { rate = "0.02 kHz" }

[populations.S]
model = "spike_source"
size = 2
spike_times = { unit = "s", times = [[0.001, 0.0025], []] }

[[projections]]
source = "A"
target = "Z"
connector = { rule = "fixed_probability", p = 0.25 }
weight = { dist = "uniform", low = "0.1 mV", high = "200 uV" }
delay = "1 ms"

[[projections]]
name = "recurrent"
source = "Z"
target = "Z"
connector = { rule = "fixed_indegree", indegree = 3, autapses = false, multapses = false }
weight = { dist = "lognormal", mean = "-0.5 mV", sd = "0.1 mV" }
delay = { dist = "normal", mean = "2 ms", sd = "0.5 ms", min = "0.05 ms" }

[[projections]]
source = "S"
target = "Z"
connector = { rule = "all_to_all" }
weight = "1 mV"
delay = "0.1 ms"

[[stimuli]]
type = "poisson_input"
target = "Z"
rate = "8 Hz"
n = 100
weight = "0.1 mV"
start = "10 ms"

[[stimuli]]
type = "dc"
target = "Z"
amplitude = "0.2 nA"
stop = "100 ms"

[record]
spikes = ["Z", { population = "A", ids = [0, 3] }]
state = [{ population = "Z", variable = "V_m", ids = [1, 2], interval = "0.5 ms" }]
rate_bin = "2 ms"
)";

}  // namespace

TEST(model_file, good_file_parses_into_the_description) {
  const auto d = io::parse_model(good_file, "good.toml");
  EXPECT_EQ(d.file, "good.toml");
  EXPECT_DOUBLE_EQ(d.simulation.dt, 0.05);
  EXPECT_DOUBLE_EQ(d.simulation.duration, 500);
  EXPECT_EQ(d.simulation.seed, 7u);
  EXPECT_EQ(d.simulation.threads, 2);

  // File order, not the sorted order of the TOML table.
  ASSERT_EQ(d.populations.size(), 3u);
  EXPECT_EQ(d.populations[0].name, "Z");
  EXPECT_EQ(d.populations[1].name, "A");
  EXPECT_EQ(d.populations[2].name, "S");
  const auto& z = d.populations[0];
  EXPECT_EQ(z.model, "iaf_psc_delta");
  EXPECT_EQ(z.size, 20u);
  EXPECT_EQ(z.where, "good.toml:8");
  ASSERT_EQ(z.params.size(), 2u);
  EXPECT_EQ(z.params[0].first, "tau_m");  // as written, not sorted
  EXPECT_DOUBLE_EQ(z.params[0].second, 10);
  EXPECT_EQ(z.params[1].first, "V_th");
  EXPECT_DOUBLE_EQ(z.params[1].second, -50);
  ASSERT_EQ(z.initial.size(), 1u);
  EXPECT_EQ(z.initial[0].first, "V_m");
  EXPECT_EQ(z.initial[0].second.type, value_dist::kind::normal);
  EXPECT_DOUBLE_EQ(z.initial[0].second.a, -65);
  EXPECT_DOUBLE_EQ(z.initial[0].second.b, 2);
  EXPECT_DOUBLE_EQ(z.initial[0].second.max, -55);
  EXPECT_TRUE(std::isinf(z.initial[0].second.min));
  EXPECT_DOUBLE_EQ(d.populations[1].params.at(0).second, 20);  // 0.02 kHz
  const auto& s = d.populations[2];
  ASSERT_EQ(s.data.spike_times.size(), 2u);
  ASSERT_EQ(s.data.spike_times[0].size(), 2u);
  EXPECT_DOUBLE_EQ(s.data.spike_times[0][0], 1);
  EXPECT_DOUBLE_EQ(s.data.spike_times[0][1], 2.5);
  EXPECT_TRUE(s.data.spike_times[1].empty());

  ASSERT_EQ(d.projections.size(), 3u);
  const auto& p0 = d.projections[0];
  EXPECT_EQ(p0.name, "A->Z");
  EXPECT_EQ(p0.connector.type, connector_desc::rule::fixed_probability);
  EXPECT_DOUBLE_EQ(p0.connector.p, 0.25);
  EXPECT_TRUE(p0.connector.autapses);
  EXPECT_EQ(p0.weight.type, value_dist::kind::uniform);
  EXPECT_DOUBLE_EQ(p0.weight.a, 0.1);
  EXPECT_DOUBLE_EQ(p0.weight.b, 0.2);
  EXPECT_TRUE(p0.delay.is_constant());
  EXPECT_DOUBLE_EQ(p0.delay.a, 1);
  EXPECT_EQ(p0.where, "good.toml:24");
  const auto& p1 = d.projections[1];
  EXPECT_EQ(p1.name, "recurrent");
  EXPECT_EQ(p1.connector.type, connector_desc::rule::fixed_indegree);
  EXPECT_EQ(p1.connector.degree, 3u);
  EXPECT_FALSE(p1.connector.autapses);
  EXPECT_FALSE(p1.connector.multapses);
  EXPECT_EQ(p1.weight.type, value_dist::kind::lognormal);
  EXPECT_DOUBLE_EQ(p1.weight.a, -0.5);
  EXPECT_EQ(p1.delay.type, value_dist::kind::normal);
  EXPECT_DOUBLE_EQ(p1.delay.min, 0.05);
  EXPECT_EQ(d.projections[2].connector.type, connector_desc::rule::all_to_all);

  ASSERT_EQ(d.stimuli.size(), 2u);
  EXPECT_EQ(d.stimuli[0].type, "poisson_input");
  EXPECT_EQ(d.stimuli[0].target, "Z");
  EXPECT_DOUBLE_EQ(d.stimuli[0].rate, 8);
  EXPECT_EQ(d.stimuli[0].n, 100u);
  EXPECT_DOUBLE_EQ(d.stimuli[0].weight, 0.1);
  EXPECT_DOUBLE_EQ(d.stimuli[0].start, 10);
  EXPECT_TRUE(std::isinf(d.stimuli[0].stop));
  EXPECT_EQ(d.stimuli[1].type, "dc");
  EXPECT_DOUBLE_EQ(d.stimuli[1].amplitude, 200);
  EXPECT_DOUBLE_EQ(d.stimuli[1].start, 0);
  EXPECT_DOUBLE_EQ(d.stimuli[1].stop, 100);

  ASSERT_EQ(d.spike_recordings.size(), 2u);
  EXPECT_EQ(d.spike_recordings[0].population, "Z");
  EXPECT_TRUE(d.spike_recordings[0].ids.empty());
  EXPECT_EQ(d.spike_recordings[1].ids, (std::vector<core::index_t>{0, 3}));
  ASSERT_EQ(d.state_recordings.size(), 1u);
  EXPECT_EQ(d.state_recordings[0].variable, "V_m");
  EXPECT_EQ(d.state_recordings[0].ids, (std::vector<core::index_t>{1, 2}));
  EXPECT_DOUBLE_EQ(d.state_recordings[0].interval, 0.5);
  EXPECT_DOUBLE_EQ(d.rate_bin, 2);
}

TEST(model_file, defaults_are_applied) {
  const auto d = io::parse_model(R"(
[populations.E]
model = "iaf_psc_delta"
size = 3
[[projections]]
source = "E"
target = "E"
connector = { rule = "fixed_outdegree", outdegree = 2 }
weight = "0.5 mV"
delay = "0.1 ms"
[[stimuli]]
type = "poisson_input"
target = "E"
rate = "10 Hz"
weight = "0.1 mV"
[record]
state = [{ population = "E", variable = "V_m", ids = [0] }]
)",
                                 "defaults.toml");
  EXPECT_DOUBLE_EQ(d.simulation.dt, 0.1);
  EXPECT_DOUBLE_EQ(d.simulation.duration, 1000);
  EXPECT_EQ(d.simulation.seed, 1u);
  EXPECT_EQ(d.simulation.threads, 1);
  EXPECT_TRUE(d.populations[0].params.empty());
  EXPECT_TRUE(d.populations[0].initial.empty());
  EXPECT_EQ(d.projections[0].name, "E->E");
  EXPECT_TRUE(d.projections[0].connector.autapses);
  EXPECT_TRUE(d.projections[0].connector.multapses);
  EXPECT_EQ(d.stimuli[0].n, 1u);
  EXPECT_DOUBLE_EQ(d.stimuli[0].start, 0);
  EXPECT_TRUE(std::isinf(d.stimuli[0].stop));
  EXPECT_TRUE(d.spike_recordings.empty());
  EXPECT_DOUBLE_EQ(d.state_recordings[0].interval, 0.1);  // dt
  EXPECT_DOUBLE_EQ(d.rate_bin, 1);
}

TEST(model_file, weight_signs_pick_the_receptor_of_two) {
  // One receptor: either sign, also within one distribution.
  const std::string delta = "[populations.D]\nmodel = \"iaf_psc_delta\"\nsize = 4\n[[projections]]\nsource = \"D\"\n"
                            "target = \"D\"\nconnector = { rule = \"all_to_all\" }\ndelay = \"1 ms\"\n";
  EXPECT_EQ(error_of(delta + "weight = { dist = \"normal\", mean = \"0 mV\", sd = \"1 mV\" }\n"), "(no error)");
  if (!core::find_neuron_model("iaf_cond_exp")) GTEST_SKIP() << "iaf_cond_exp is not registered yet";
  const std::string cond = "[populations.C]\nmodel = \"iaf_cond_exp\"\nsize = 4\n[[projections]]\nsource = \"C\"\n"
                           "target = \"C\"\nconnector = { rule = \"all_to_all\" }\ndelay = \"1 ms\"\n";
  EXPECT_DOUBLE_EQ(io::parse_model(cond + "weight = \"-2 nS\"\n", "c.toml").projections[0].weight.a, -2);
  EXPECT_EQ(error_of(cond + "weight = { dist = \"normal\", mean = \"2 nS\", sd = \"1 nS\", min = \"0 nS\" }\n"),
            "(no error)");
  EXPECT_NE(error_of(cond + "weight = { dist = \"normal\", mean = \"2 nS\", sd = \"1 nS\" }\n", {}, "c.toml")
                .find("c.toml:9: projections[0].weight: expected weights of one sign (onto iaf_cond_exp the sign picks "
                      "the receptor: + ex, - in"),
            std::string::npos);
  EXPECT_NE(error_of(cond + "weight = { dist = \"uniform\", low = \"-1 nS\", high = \"1 nS\" }\n", {}, "c.toml")
                .find("c.toml:9: projections[0].weight: expected weights of one sign"),
            std::string::npos);
  EXPECT_NE(error_of(cond + "weight = \"0.1 mV\"\n", {}, "c.toml")
                .find("c.toml:9: projections[0].weight: expected a conductance (nS), found a voltage (\"0.1 mV\")"),
            std::string::npos);
}

// A receptor named in the projection: two_compartment_nmda's dendrite; an unknown name is refused.
TEST(model_file, projection_names_a_receptor) {
  const std::string two = "[populations.N]\nmodel = \"two_compartment_nmda\"\nsize = 2\n[[projections]]\n"
                          "source = \"N\"\ntarget = \"N\"\nconnector = { rule = \"all_to_all\" }\n"
                          "delay = \"1 ms\"\nweight = \"2 nS\"\n";
  EXPECT_EQ(io::parse_model(two + "receptor = \"dend_ex\"\n", "t.toml").projections[0].receptor, "dend_ex");
  EXPECT_EQ(io::parse_model(two, "t.toml").projections[0].receptor, "");
  EXPECT_NE(error_of(two + "receptor = \"apical\"\n", {}, "t.toml")
                .find("t.toml:10: projections[0].receptor: expected a receptor of two_compartment_nmda (ex, in, "
                      "dend_ex, dend_in), found \"apical\""),
            std::string::npos)
      << error_of(two + "receptor = \"apical\"\n", {}, "t.toml");
}

TEST(model_file, brunel_example_parses) {
  const auto d = io::read_model_file(NEURITE_SOURCE_DIR "/examples/brunel.toml");
  ASSERT_EQ(d.populations.size(), 2u);
  EXPECT_EQ(d.populations[0].name, "E");
  EXPECT_EQ(d.populations[0].size, 10000u);
  EXPECT_EQ(d.populations[1].name, "I");
  EXPECT_EQ(d.populations[1].size, 2500u);
  EXPECT_DOUBLE_EQ(d.simulation.duration, 1000);
  EXPECT_EQ(d.simulation.seed, 12345u);
  ASSERT_EQ(d.projections.size(), 4u);
  EXPECT_EQ(d.projections[2].name, "I->E");
  EXPECT_EQ(d.projections[2].connector.degree, 250u);
  EXPECT_FALSE(d.projections[2].connector.autapses);
  EXPECT_DOUBLE_EQ(d.projections[2].weight.a, -0.5);
  EXPECT_DOUBLE_EQ(d.projections[2].delay.a, 1.5);
  ASSERT_EQ(d.stimuli.size(), 2u);
  EXPECT_EQ(d.stimuli[1].n, 1000u);
  EXPECT_EQ(d.spike_recordings.size(), 2u);
}

TEST(model_file, other_examples_parse_when_their_models_exist) {
  for (const char* name : {"cuba.toml", "coba.toml"}) {
    const std::string path = std::string(NEURITE_SOURCE_DIR "/examples/") + name;
    if (!std::filesystem::exists(path)) continue;
    try {
      const auto d = io::read_model_file(path);
      EXPECT_FALSE(d.populations.empty()) << name;
    } catch (const io::model_error& e) {
      // Models still being added are the only acceptable reason to fail.
      EXPECT_NE(std::string(e.what()).find(".model: expected a neuron model"), std::string::npos) << e.what();
    }
  }
}

TEST(model_file, a_named_choice_gives_its_number) {
  const auto d = io::parse_model("[populations.X]\nmodel = \"lif_discrete\"\nsize = 3\nparams = { reset = \"to_zero\" }\n",
                                 "choice.toml");
  ASSERT_EQ(d.populations[0].params.size(), 1u);
  EXPECT_EQ(d.populations[0].params[0], (std::pair<std::string, double>{"reset", 1.0}));
}

TEST(model_file, missing_file_is_reported) {
  const auto path = std::string(NEURITE_SOURCE_DIR "/examples/no_such_model.toml");
  try {
    io::read_model_file(path);
    FAIL() << "no error";
  } catch (const io::model_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": expected a readable model file, found an error: No such file"),
              std::string::npos)
        << e.what();
  }
}

TEST(model_file, overrides_change_the_tree_before_validation) {
  const auto d = io::read_model_file(NEURITE_SOURCE_DIR "/examples/brunel.toml",
                                     {"simulation.duration=2 s", "populations.E.size=100",
                                      "projections.0.weight=0.2 mV", "projections[3].weight=-1 mV",
                                      "populations.E.params.tau_m=10 ms", "populations.I.initial.V_m=5 mV",
                                      "stimuli.1.n=7", "record.spikes=[\"I\"]", "simulation.threads = 4",
                                      "projections.1.connector={ rule = \"all_to_all\" }",
                                      "populations.X={ model = \"poisson_source\", size = 3 }"});
  EXPECT_DOUBLE_EQ(d.simulation.duration, 2000);
  EXPECT_EQ(d.simulation.threads, 4);
  ASSERT_EQ(d.populations.size(), 3u);
  EXPECT_EQ(d.populations[0].name, "E");  // an overridden population keeps its place
  EXPECT_EQ(d.populations[0].size, 100u);
  EXPECT_EQ(d.populations[2].name, "X");  // an added one comes last
  double tau_m = 0;
  for (const auto& [name, value] : d.populations[0].params)
    if (name == "tau_m") tau_m = value;
  EXPECT_DOUBLE_EQ(tau_m, 10);
  ASSERT_EQ(d.populations[1].initial.size(), 1u);
  EXPECT_TRUE(d.populations[1].initial[0].second.is_constant());
  EXPECT_DOUBLE_EQ(d.populations[1].initial[0].second.a, 5);
  EXPECT_DOUBLE_EQ(d.projections[0].weight.a, 0.2);
  EXPECT_DOUBLE_EQ(d.projections[3].weight.a, -1);
  EXPECT_EQ(d.projections[1].connector.type, connector_desc::rule::all_to_all);
  EXPECT_EQ(d.stimuli[1].n, 7u);
  ASSERT_EQ(d.spike_recordings.size(), 1u);
  EXPECT_EQ(d.spike_recordings[0].population, "I");
}

TEST(model_file, overridden_population_keeps_its_place) {
  const char* text = "[populations.B]\nmodel = \"iaf_psc_delta\"\nsize = 2\n"
                     "[populations.A]\nmodel = \"iaf_psc_delta\"\nsize = 2\n";
  const auto d = io::parse_model(text, "order.toml", {"populations.B={ model = \"poisson_source\", size = 4 }"});
  ASSERT_EQ(d.populations.size(), 2u);
  EXPECT_EQ(d.populations[0].name, "B");
  EXPECT_EQ(d.populations[0].model, "poisson_source");
  EXPECT_EQ(d.populations[0].where, "--set:1");
  EXPECT_EQ(d.populations[1].name, "A");
}

// Options that stand for a key (`--seed 7` is "simulation.seed=7") are named in messages as the
// user typed them, and --set entries keep their own numbering around them.
TEST(model_file, an_option_override_is_located_by_the_option) {
  const std::string seed_error = error_of("", {{"simulation.seed=-1", "--seed"}});
  EXPECT_EQ(seed_error.rfind("--seed: simulation.seed: expected an integer in [0, 18446744073709551615]", 0), 0u)
      << seed_error;
  EXPECT_NE(seed_error.find("found -1"), std::string::npos) << seed_error;
  const std::string duration_error =
      error_of("", {{"simulation.threads=2", "--threads"}, {"simulation.duration=\"3 mV\"", "--duration"}});
  EXPECT_EQ(duration_error, "--duration: simulation.duration: expected a time (ms), found a voltage (\"3 mV\")");
  const std::string set_error = error_of("[populations.E]\nmodel = \"iaf_psc_delta\"\nsize = 1\n",
                                         {{"simulation.threads=2", "--threads"}, "populations.E.size=0"});
  EXPECT_EQ(set_error.rfind("--set:1: populations.E.size:", 0), 0u) << set_error;
}

// An option's text reaches the reader as typed: TOML syntax in it is not read (a hex seed, a quote
// and a comment closing the duration early), and a bare integer key takes digits only.
TEST(model_file, option_text_is_checked_as_typed) {
  const char* pop = "[populations.E]\nmodel = \"iaf_psc_delta\"\nsize = 1\n";
  EXPECT_NE(error_of(pop, {io::option_override("simulation.seed", "0x10", "--seed", true)})
                .find("found a string (\"0x10\")"),
            std::string::npos);
  EXPECT_NE(error_of(pop, {io::option_override("simulation.duration", "1 s\"#", "--duration")})
                .find("--duration: simulation.duration: expected a time"),
            std::string::npos);
  EXPECT_NE(error_of(pop, {io::option_override("simulation.threads", "1_0", "--threads", true)})
                .find("--threads: simulation.threads: expected an integer in [1, 256], found a string (\"1_0\")"),
            std::string::npos);
  EXPECT_EQ(error_of(pop, {io::option_override("simulation.seed", "18446744073709551615", "--seed", true),
                           io::option_override("simulation.threads", "2", "--threads", true),
                           io::option_override("simulation.duration", "2 s", "--duration")}),
            "(no error)");
}

TEST(model_file, seeds_take_the_whole_uint64_range) {
  const char* pop = "[populations.E]\nmodel = \"iaf_psc_delta\"\nsize = 1\n";
  const auto seed = [&](const std::string& file_value, const io::override_list& overrides = {}) {
    const std::string sim = file_value.empty() ? "" : "[simulation]\nseed = " + file_value + "\n";
    return io::parse_model(sim + pop, "seed.toml", overrides).simulation.seed;
  };
  EXPECT_EQ(seed("9223372036854775807"), 9223372036854775807u);
  EXPECT_EQ(seed("\"18446744073709551615\""), 18446744073709551615u);
  EXPECT_EQ(seed("", {{"simulation.seed=9223372036854775808", "--seed"}}), 9223372036854775808u);
  EXPECT_EQ(seed("", {{"simulation.seed=0", "--seed"}}), 0u);
  for (const char* bad : {"\"18446744073709551616\"", "\"-1\"", "\"+1\"", "\" 1\"", "\"\"", "\"1e3\"", "-1", "1.0"})
    EXPECT_NE(error_of(std::string("[simulation]\nseed = ") + bad + "\n" + pop).find(
                  "bad.toml:2: simulation.seed: expected an integer in [0, 18446744073709551615]"),
              std::string::npos)
        << bad;
}

// ---- malformed inputs ----------------------------------------------------------------------

namespace {

// Six lines; a case's snippet starts at line 7, written "@1" in the expected text.
const char* const base = R"([populations.E]
model = "iaf_psc_delta"
size = 10
[populations.P]
model = "poisson_source"
size = 5
)";
constexpr int base_lines = 6;

const char* const projection = "[[projections]]\nsource = \"E\"\ntarget = \"E\"\n";  // lines @1-@3

struct bad_case {
  std::string snippet;                 // appended to base (or the whole file, when standalone)
  std::vector<std::string> overrides;  // applied to it
  std::string expected;                // "@N" stands for "bad.toml:<line of snippet line N>"
  bool standalone = false;
};

std::string located(const std::string& expected) {
  if (expected.size() < 2 || expected[0] != '@') return expected;
  const auto digits = expected.find_first_not_of("0123456789", 1);
  const int line = std::stoi(expected.substr(1, digits - 1)) + base_lines;
  return "bad.toml:" + std::to_string(line) + expected.substr(digits);
}

const std::string proj = projection;
const std::string conn = "connector = { rule = \"all_to_all\" }\n";
const std::string wd = "weight = \"0.1 mV\"\ndelay = \"1 ms\"\n";

const std::vector<bad_case> bad_cases = {
    // TOML syntax and files
    {"[simulation]\ndt = \n", {}, "@2:6: expected valid TOML, found a syntax error"},
    {"[simulation]\ndt = \"0.1 ms\"\n", {}, "bad.toml:1: populations: expected a table of populations such as "
                                            "[populations.E], found nothing (this key is required)", true},
    {"[populations]\n", {}, "bad.toml:1: populations: expected at least one population such as [populations.E], found none",
     true},
    // top level and [simulation]
    {"[simulaton]\ndt = \"0.1 ms\"\n", {}, "@1: simulaton: expected a section of a model file (simulation, populations, "
                                           "projections, stimuli, record), found unknown key \"simulaton\" (did you mean \"simulation\"?)"},
    {"[simulation]\ndtt = \"0.1 ms\"\n", {}, "@2: simulation.dtt: expected a key of [simulation] (dt, duration, seed, "
                                             "threads), found unknown key \"dtt\" (did you mean \"dt\"?)"},
    {"[simulation]\ndt = \"0.1 mV\"\n", {}, "@2: simulation.dt: expected a time (ms), found a voltage (\"0.1 mV\")"},
    {"[simulation]\ndt = 0.1\n", {}, "@2: simulation.dt: expected a time (ms) written with its unit as a string, e.g. "
                                     "\"20 ms\", found a floating-point number (0.1) without a unit"},
    {"[simulation]\ndt = \"0 ms\"\n", {}, "@2: simulation.dt: expected a time step > 0 ms, found 0 ms"},
    {"[simulation]\ndt = \"0.1 ms\"\nduration = \"100.05 ms\"\n", {},
     "@3: simulation.duration: expected a positive multiple of dt (0.1 ms), found 100.05 ms"},
    {"[simulation]\ndt = \"0.3 ms\"\n", {},
     "@1: simulation.duration: expected a positive multiple of dt (0.3 ms), found the default 1000 ms"},
    {"[simulation]\nduration = \"1 parsec\"\n", {}, "@2: simulation.duration: expected a time (ms) such as \"20 ms\", "
                                                    "found \"1 parsec\" (unknown unit \"parsec\" in \"1 parsec\")"},
    {"[simulation]\nseed = -1\n", {}, "@2: simulation.seed: expected an integer in [0, 18446744073709551615]"},
    {"[simulation]\nthreads = 0\n", {}, "@2: simulation.threads: expected an integer in [1, 256], found 0"},
    {"[simulation]\nthreads = \"4\"\n", {},
     "@2: simulation.threads: expected an integer in [1, 256], found a string (\"4\")"},
    // populations
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 0\n", {},
     "@3: populations.X.size: expected an integer in [1, 4294967295], found 0"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 4294967296\n", {},
     "@3: populations.X.size: expected an integer in [1, 4294967295], found 4294967296"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 10.0\n", {},
     "@3: populations.X.size: expected an integer in [1, 4294967295], found a floating-point number (10.0)"},
    {"[populations.X]\nsize = 3\n", {}, "@1: populations.X.model: expected a neuron model ("},
    {"[populations.X]\nmodel = \"iaf_psc_dleta\"\nsize = 3\n", {}, "@2: populations.X.model: expected a neuron model ("},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\nparams = { tau_n = \"10 ms\" }\n", {},
     "@4: populations.X.params.tau_n: expected a parameter of iaf_psc_delta (E_L, C_m, tau_m, t_ref, V_th, V_reset, "
     "I_e), found unknown key \"tau_n\" (did you mean \"tau_m\"?)"},
    {"[populations.X]\nmodel = \"lif_discrete\"\nsize = 3\nparams = { reset = \"zero\" }\n", {},
     "@4: populations.X.params.reset: expected one of \"subtract\", \"to_zero\", found \"zero\""},
    {"[populations.X]\nmodel = \"lif_discrete\"\nsize = 3\nparams = { reset = 1 }\n", {},
     "@4: populations.X.params.reset: expected one of \"subtract\", \"to_zero\", found an integer (1)"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\nparams = { tau_m = \"10 mV\" }\n", {},
     "@4: populations.X.params.tau_m: expected a time (ms), found a voltage (\"10 mV\")"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\nparams = { C_m = \"-250 pF\" }\n", {},
     "@4: populations.X.params.C_m: expected a value > 0 pF, found -250 pF"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\n[populations.X.params]\nV_th = \"-80 mV\"\n", {},
     "@4: populations.X.params: expected V_reset < V_th, found V_reset = -70 mV and V_th = -80 mV"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\ninitial = { V = \"-70 mV\" }\n", {},
     "@4: populations.X.initial.V: expected a state variable of iaf_psc_delta (V_m), found unknown key \"V\""},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\n"
     "initial = { V_m = { dist = \"gaussian\", mean = \"0 mV\", sd = \"1 mV\" } }\n",
     {}, "@4: populations.X.initial.V_m.dist: expected a distribution name (normal, uniform, lognormal), found \"gaussian\""},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\n"
     "initial = { V_m = { dist = \"uniform\", low = \"0 mV\", high = \"-1 mV\" } }\n",
     {}, "@4: populations.X.initial.V_m.high: expected high > low (0 mV), found -1 mV"},
    {"[populations.X]\nmodel = \"iaf_psc_delta\"\nsize = 3\nspike_times = { unit = \"ms\", times = [[1.0], [], []] }\n",
     {}, "@4: populations.X.spike_times: expected no spike_times for model iaf_psc_delta (only spike_source takes them)"},
    {"[populations.S]\nmodel = \"spike_source\"\nsize = 2\n", {},
     "@1: populations.S.spike_times: expected the spike times of each neuron, e.g. { unit = \"ms\", times = [[1.0, 5.0], "
     "[2.0]] }, found nothing (this key is required)"},
    {"[populations.S]\nmodel = \"spike_source\"\nsize = 2\nspike_times = { unit = \"ms\", times = [[1.0]] }\n", {},
     "@4: populations.S.spike_times.times: expected 2 arrays of spike times (one per neuron of S), found 1"},
    {"[populations.S]\nmodel = \"spike_source\"\nsize = 1\nspike_times = { unit = \"mV\", times = [[1.0]] }\n", {},
     "@4: populations.S.spike_times.unit: expected a time unit (s, ms, us, min), found \"mV\""},
    {"[populations.S]\nmodel = \"spike_source\"\nsize = 1\nspike_times = { unit = \"ms\", times = [[\"1 ms\"]] }\n", {},
     "@4: populations.S.spike_times.times[0][0]: expected a spike time in ms (a number), found a string (\"1 ms\")"},
    {"[populations.\"my pop\"]\nmodel = \"iaf_psc_delta\"\nsize = 3\n", {},
     "@1: populations.\"my pop\": expected a population name of letters, digits and '_'"},
    // projections
    {"[projections]\nsource = \"E\"\n", {},
     "@1: projections: expected an array of tables, written [[projections]], found a table"},
    {"[[projections]]\nsource = \"Ee\"\ntarget = \"E\"\n", {},
     "@2: projections[0].source: expected the name of a population (E, P), found \"Ee\" (did you mean \"E\"?)"},
    {"[[projections]]\nsource = \"F\"\ntarget = \"E\"\n", {},
     "@2: projections[0].source: expected the name of a population (E, P), found \"F\""},
    {"[[projections]]\nsource = \"E\"\ntarget = \"P\"\n" + conn + wd, {},
     "@3: projections[0].target: expected a population that takes synaptic input, found \"P\" (its model poisson_source is "
     "a spike source)"},
    {proj + wd, {}, "@1: projections[0].connector: expected a connector table such as { rule = \"all_to_all\" }, found "
                    "nothing (this key is required)"},
    {proj + "connector = { rule = \"all2all\" }\n" + wd, {},
     "@4: projections[0].connector.rule: expected a connection rule (all_to_all, all_to_others, domain, explicit, fixed_indegree, "
     "fixed_outdegree, fixed_probability, one_to_one), found \"all2all\""},
    {proj + "connector = { rule = \"fixed_probability\", p = 1.5 }\n" + wd, {},
     "@4: projections[0].connector.p: expected p in [0, 1], found 1.5"},
    {"[[projections]]\nsource = \"P\"\ntarget = \"E\"\nconnector = { rule = \"one_to_one\" }\n" + wd, {},
     "@4: projections[0].connector.rule: expected populations of equal size for one_to_one, found P (5) and E (10)"},
    {proj + "connector = { rule = \"all_to_all\", multapses = false }\n" + wd, {},
     "@4: projections[0].connector.multapses: expected a key of the all_to_all rule (rule, autapses), found "
     "\"multapses\", which only applies to fixed_indegree, fixed_outdegree"},
    {proj + "connector = { rule = \"fixed_indegree\", indegree = 10, autapses = false, multapses = false }\n" + wd, {},
     "@4: projections[0].connector.indegree: expected at most 9 (9 sources of E are available without multapses or "
     "autapses), found 10"},
    {proj + "connector = { rule = \"fixed_indegree\", indegre = 10 }\n" + wd, {},
     "@4: projections[0].connector.indegre: expected a key of the fixed_indegree rule (rule, indegree, autapses, "
     "multapses), found unknown key \"indegre\" (did you mean \"indegree\"?)"},
    {proj + conn + "weight = \"0.1 nS\"\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].weight: expected a voltage (mV), found a conductance (\"0.1 nS\")"},
    {proj + conn + "delay = \"1 ms\"\n", {},
     "@1: projections[0].weight: expected a voltage (mV) such as \"-70 mV\", or a distribution { dist = ... }, found "
     "nothing (this key is required)"},
    {proj + conn + "weight = { dist = \"normal\", mean = \"0.1 mV\", sd = \"-0.1 mV\" }\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].weight.sd: expected a standard deviation >= 0, found -0.1 mV"},
    {proj + conn + "weight = { dist = \"lognormal\", mean = \"0 mV\", sd = \"0.1 mV\" }\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].weight.mean: expected a non-zero mean"},
    {proj + conn + "weight = { dist = \"lognormal\", mean = \"0.5 mV\", sd = \"1e300 mV\" }\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].weight.sd: expected a standard deviation below 1.34e+154 times |mean| (0.5 mV), found 1e+300 mV"},
    // the limit itself: 7e153 / 0.5 is above it, and its square overflows
    {proj + conn + "weight = { dist = \"lognormal\", mean = \"0.5 mV\", sd = \"7e153 mV\" }\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].weight.sd: expected a standard deviation below 1.34e+154 times |mean| (0.5 mV), found 7e+153 mV"},
    {proj + conn + "wieght = \"0.1 mV\"\ndelay = \"1 ms\"\n", {},
     "@5: projections[0].wieght: expected a key of a projection (name, source, target, connector, weight, delay, "
     "plasticity, receptor), found unknown key \"wieght\" (did you mean \"weight\"?)"},
    // plasticity
    {proj + conn + wd + "plasticity = { rule = \"stdp_pear\" }\n", {},
     "@7: projections[0].plasticity.rule: expected a plasticity rule (stdp_diehl_cook, stdp_pair, stdp_pair_spinnaker, stdp_triplet), found \"stdp_pear\" "
     "(did you mean \"stdp_pair\"?)"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\", tau_pluss = \"20 ms\" }\n", {},
     "@7: projections[0].plasticity.tau_pluss: expected a parameter of stdp_pair"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\", w_max = \"1 ms\" }\n", {},
     "@7: projections[0].plasticity.w_max: expected a voltage (mV)"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\", tau_plus = \"0 ms\" }\n", {},
     "@7: projections[0].plasticity.tau_plus: expected a value > 0 ms, found 0 ms"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\", w_min = \"2 mV\", w_max = \"1 mV\" }\n", {},
     "@7: projections[0].plasticity: expected w_min < w_max"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair_spinnaker\", history = 16.5 }\n", {},
     "@7: projections[0].plasticity: expected a whole number of spikes for history, found 16.5"},
    {proj + conn + "weight = \"0.1 mV\"\ndelay = { dist = \"uniform\", low = \"1 ms\", high = \"2 ms\" }\n"
              "plasticity = { rule = \"stdp_pair\" }\n", {},
     "@7: projections[0].plasticity: expected static synapses, since plastic synapses need one delay"},
    // weight recordings
    {proj + conn + wd + "name = \"P\"\nplasticity = { rule = \"stdp_pair\" }\n[record]\nweights = [{ projection = \"Q\", targets = [0] }]\n", {},
     "@10: record.weights[0].projection: expected the name of one plastic projection (P), found \"Q\""},
    {proj + conn + wd + "[record]\nweights = [{ projection = \"E->E\", targets = [0] }]\n", {},
     "@8: record.weights[0].projection: expected the name of one plastic projection (there is none), found \"E->E\""},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\" }\n[record]\nweights = [{ projection = \"E->E\", synapses = [[0, 10]] }]\n", {},
     "@9: record.weights[0].synapses[0]: expected a pair [source, target] of neuron ids, within [0, 9] and [0, 9], found [0, 10]"},
    {proj + conn + wd + "plasticity = { rule = \"stdp_pair\" }\n[record]\nweights = [{ projection = \"E->E\", synapses = [] }]\n", {},
     "@9: record.weights[0].synapses: expected at least one pair [source, target], found an empty list"},
    {proj + conn + "weight = \"0.1 mV\"\ndelay = \"0.05 ms\"\n", {},
     "@6: projections[0].delay: expected a delay >= dt (0.1 ms), found 0.05 ms"},
    {proj + conn + "weight = \"0.1 mV\"\ndelay = \"0.15 ms\"\n", {},
     "@6: projections[0].delay: expected a delay that is a multiple of dt (0.1 ms), found 0.15 ms"},
    {proj + conn + "weight = \"0.1 mV\"\ndelay = { dist = \"normal\", mean = \"1 ms\", sd = \"0.2 ms\" }\n", {},
     "@6: projections[0].delay.min: expected a lower bound min >= dt (0.1 ms) for a normal delay distribution, found "
     "nothing (this key is required)"},
    {proj + conn + "weight = \"0.1 mV\"\ndelay = { dist = \"uniform\", low = \"0 ms\", high = \"2 ms\" }\n", {},
     "@6: projections[0].delay.low: expected low >= dt (0.1 ms), so that no delay is shorter than a step, found 0 ms"},
    {proj + "connector = { rule = \"explicit\", file = \"nonexistent.csv\" }\n" + wd, {},
     "@4: projections[0].connector.file: expected a readable CSV file of connections, found \"nonexistent.csv\""},
    {proj + conn + wd + "name = \"x\"\n" + proj + conn + wd + "name = \"x\"\n", {},
     "@14: projections[1].name: expected a projection name used once, found \"x\" again"},
    // stimuli
    {"[[stimuli]]\ntype = \"noise\"\ntarget = \"E\"\n", {},
     "@2: stimuli[0].type: expected a stimulus type (dc, poisson_input), found \"noise\""},
    {"[[stimuli]]\ntype = \"poisson_input\"\ntarget = \"E\"\nweight = \"0.1 mV\"\n", {},
     "@1: stimuli[0].rate: expected a frequency (Hz) such as \"10 Hz\", found nothing (this key is required)"},
    {"[[stimuli]]\ntype = \"dc\"\ntarget = \"E\"\namplitude = \"5 mV\"\n", {},
     "@4: stimuli[0].amplitude: expected a current (pA), found a voltage (\"5 mV\")"},
    {"[[stimuli]]\ntype = \"dc\"\ntarget = \"P\"\namplitude = \"5 pA\"\n", {},
     "@3: stimuli[0].target: expected a population that takes input, found \"P\" (its model poisson_source is a spike "
     "source)"},
    {"[[stimuli]]\ntype = \"dc\"\ntarget = \"E\"\namplitude = \"5 pA\"\nstart = \"100 ms\"\nstop = \"50 ms\"\n", {},
     "@6: stimuli[0].stop: expected a stop time after start (100 ms), found 50 ms"},
    {"[[stimuli]]\ntype = \"dc\"\ntarget = \"E\"\namplitude = \"5 pA\"\nrate = \"5 Hz\"\n", {},
     "@5: stimuli[0].rate: expected a key of a dc stimulus (type, target, amplitude, start, stop), found unknown key "
     "\"rate\""},
    // [record]
    {"[record]\nspikes = [\"E\", \"X\"]\n", {},
     "@2: record.spikes[1]: expected the name of a population (E, P), found \"X\""},
    {"[record]\nspikes = [{ population = \"E\", ids = [0, 10] }]\n", {},
     "@2: record.spikes[0].ids[1]: expected a neuron id of E, an integer in [0, 9], found 10"},
    {"[record]\nspikes = [\"E\", \"E\"]\n", {},
     "@2: record.spikes[1]: expected each population at most once, found \"E\" again"},
    {"[record]\nstate = [{ population = \"E\", variable = \"v\", ids = [0] }]\n", {},
     "@2: record.state[0].variable: expected a state variable of iaf_psc_delta (V_m), found \"v\""},
    {"[record]\nstate = [{ population = \"E\", variable = \"V_m\", ids = [0], interval = \"0.25 ms\" }]\n", {},
     "@2: record.state[0].interval: expected a positive multiple of dt (0.1 ms), found 0.25 ms"},
    {"[record]\nstate = [{ population = \"E\", variable = \"V_m\" }]\n", {},
     "@2: record.state[0].ids: expected a list of neuron ids of E (integers in [0, 9]), found nothing"},
    {"[record]\nrate_bin = \"0.55 ms\"\n", {}, "@2: record.rate_bin: expected a positive multiple of dt (0.1 ms), found 0.55 ms"},
    {"[record]\nspike = [\"E\"]\n", {},
     "@2: record.spike: expected a key of [record] (spikes, state, weights, rate_bin), found unknown key \"spike\" (did you mean "
     "\"spikes\"?)"},
    // overrides
    {"", {"simulation.duration=2 parsecs"}, "--set:1: simulation.duration: expected a time (ms) such as \"20 ms\", found "
                                            "\"2 parsecs\""},
    {"", {"populations.E.sise=100"}, "--set:1: populations.E.sise: expected a key of a population (model, size, params, "
                                     "initial, spike_times), found unknown key \"sise\" (did you mean \"size\"?)"},
    {"", {"populations.X.size=3"}, "--set:1: populations.X: expected the name of a population in the file (E, P), found \"X\""},
    {"", {"projections.0.weight=1 mV"}, "--set:1: projections: expected an array to take element 0, found nothing"},
    {proj + conn + wd, {"projections.3.weight=1 mV"},
     "--set:1: projections[3]: expected an element number below 1 (elements count from 0), found 3"},
    {"", {"nokey"}, "--set:1: expected KEY=VALUE with a dotted KEY, e.g. \"simulation.duration=2 s\", found \"nokey\""},
    {"", {"simulation..dt=1 ms"}, "--set:1: expected KEY=VALUE with a dotted KEY"},
    {"", {"simulation.seed=3", "simulation.seed=-3"}, "--set:2: simulation.seed: expected an integer in [0, "
                                                      "18446744073709551615] (above 9223372036854775807 as a string of "
                                                      "digits, e.g. \"18446744073709551615\"), found -3"},
    {"", {"simulation.threads=1000"}, "--set:1: simulation.threads: expected an integer in [1, 256], found 1000"},
    {"", {"populations.E.size.x=3"}, "--set:1: populations.E.size: expected a table to set \"x\" in, found an integer (10)"},
    {"", {"populations.E.size=big"}, "--set:1: populations.E.size: expected an integer in [1, 4294967295], found a string "
                                     "(\"big\")"},
    {"", {"populations.E.params.V_th=-80 mV"}, "--set:1: populations.E.params: expected V_reset < V_th, found"},
};

}  // namespace

TEST(model_file, malformed_inputs_are_rejected_with_located_messages) {
  ASSERT_GE(bad_cases.size(), 30u);
  for (std::size_t i = 0; i < bad_cases.size(); ++i) {
    const auto& c = bad_cases[i];
    const std::string text = c.standalone ? c.snippet : std::string(base) + c.snippet;
    const std::string message = error_of(text, c.overrides);
    const std::string expected = located(c.expected);
    EXPECT_NE(message.find(expected), std::string::npos)
        << "case " << i << "\n--- file:\n" << text << "--- expected to contain:\n" << expected << "\n--- got:\n" << message;
  }
}

// Times are counted in steps of dt (64-bit, exact in a double to 2^53), delays in 16-bit step
// counts: a time whose step count does not fit is refused at its key, never wrapped to 0 or
// clipped in silence.
TEST(model_file, times_whose_step_count_does_not_fit_are_refused) {
  const std::string limit = "expected a time of at most 9007199254740992 steps of dt (9.0072e+14 ms), found ";
  const std::string delay_limit = "of at most 65535 steps of dt (6553.5 ms), found ";
  const std::string stim = "[[stimuli]]\ntype = \"dc\"\ntarget = \"E\"\namplitude = \"5 pA\"\n";
  const std::vector<bad_case> cases = {
      {"[simulation]\nduration = \"1e15 s\"\n", {}, "@2: simulation.duration: " + limit + "1e+18 ms"},
      {"[simulation]\nduration = \"1e20 s\"\n", {}, "@2: simulation.duration: " + limit + "1e+23 ms"},
      {"[simulation]\nduration = \"1e308 s\"\n", {}, "@2: simulation.duration: " + limit + "inf ms"},
      {"", {"simulation.duration=1e15 s"}, "--set:1: simulation.duration: " + limit + "1e+18 ms"},
      {"[simulation]\ndt = \"1e-14 ms\"\n", {},
       "@1: simulation.duration: expected a time of at most 9007199254740992 steps of dt (90.072 ms), found 1000 ms"},
      {"[simulation]\nduration = \"-1 s\"\n", {},
       "@2: simulation.duration: expected a positive multiple of dt (0.1 ms), found -1000 ms"},
      {"[record]\nrate_bin = \"1e20 s\"\n", {}, "@2: record.rate_bin: " + limit + "1e+23 ms"},
      {"[record]\nstate = [{ population = \"E\", variable = \"V_m\", ids = [0], interval = \"1e20 s\" }]\n", {},
       "@2: record.state[0].interval: " + limit + "1e+23 ms"},
      {"[populations.S]\nmodel = \"spike_source\"\nsize = 1\nspike_times = { unit = \"s\", times = [[1e20]] }\n", {},
       "@4: populations.S.spike_times.times[0][0]: " + limit + "1e+23 ms"},
      {"[populations.Q]\nmodel = \"poisson_source\"\nsize = 1\nparams = { start = \"1e20 s\" }\n", {},
       "@4: populations.Q.params.start: " + limit + "1e+23 ms"},
      {stim + "start = \"1e20 s\"\n", {}, "@5: stimuli[0].start: " + limit + "1e+23 ms"},
      {stim + "stop = \"1e20 s\"\n", {}, "@5: stimuli[0].stop: " + limit + "1e+23 ms"},
      {proj + conn + "weight = \"0.1 mV\"\ndelay = \"1000 s\"\n", {},
       "@6: projections[0].delay: expected a delay " + delay_limit + "1e+06 ms"},
      {proj + conn + "weight = \"0.1 mV\"\ndelay = { dist = \"uniform\", low = \"1 ms\", high = \"7 s\" }\n", {},
       "@6: projections[0].delay.high: expected a delay bound high " + delay_limit + "7000 ms"},
      {proj + conn + "weight = \"0.1 mV\"\ndelay = { dist = \"normal\", mean = \"1 ms\", sd = \"1 ms\", min = \"1 ms\", "
                     "max = \"7 s\" }\n",
       {}, "@6: projections[0].delay.max: expected a delay bound max " + delay_limit + "7000 ms"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string message = error_of(std::string(base) + cases[i].snippet, cases[i].overrides);
    EXPECT_NE(message.find(located(cases[i].expected)), std::string::npos)
        << "case " << i << "\n--- expected to contain:\n" << located(cases[i].expected) << "\n--- got:\n" << message;
  }
  // The longest delay and a long duration are still accepted.
  EXPECT_EQ(error_of(std::string(base) + "[simulation]\nduration = \"1e6 s\"\n" + proj + conn +
                     "weight = \"0.1 mV\"\ndelay = \"6553.5 ms\"\n"),
            "(no error)");
}

// toml++ parses nesting by recursion: deep input is refused, located, before it sees the text.
TEST(model_file, nesting_deeper_than_the_limit_is_refused_before_parsing) {
  std::string dotted = "a";
  for (int i = 0; i < 50000; ++i) dotted += ".a";
  const std::string nested = "expected valid TOML nested at most 64 levels deep (dotted key parts, inline tables "
                             "and arrays), found deeper nesting";
  // The 65th dot of a.a.a... is its 130th character.
  EXPECT_EQ(error_of(dotted + " = 1\n"), "bad.toml:1:130: " + nested);
  EXPECT_EQ(error_of(std::string(base) + "[" + dotted + "]\n"), "bad.toml:7:129: " + nested);  // [ is a level
  EXPECT_EQ(error_of("x = " + std::string(50000, '[') + std::string(50000, ']') + "\n"), "bad.toml:1:69: " + nested);
  std::string tables = "x = ";
  for (int i = 0; i < 50000; ++i) tables += "{ a = ";
  EXPECT_EQ(error_of(tables + "1" + std::string(50000, '}') + "\n"), "bad.toml:1:" + std::to_string(4 + 6 * 64 + 1) +
                                                                         ": " + nested);
  // Lines are counted through multi-line strings; dots and brackets in strings and comments do
  // not nest.
  const std::string quiet = "# " + dotted + "\n" + "s = \"\"\"\n" + std::string(100, '[') + "\n\"\"\"\n" + "t = '" +
                            std::string(100, '{') + "'\nu = \"" + dotted.substr(0, 300) + "\"\n";
  EXPECT_EQ(error_of(quiet + "v = " + std::string(70, '[') + "\n"), "bad.toml:7:69: " + nested);
  EXPECT_EQ(error_of(quiet).find("nested"), std::string::npos) << error_of(quiet);
  // 64 levels are accepted by the scan (the key is then simply unknown).
  const std::string deepest = dotted.substr(0, 2 * 64 - 1);
  EXPECT_NE(error_of(deepest + " = 1\n" + base).find("bad.toml:1: a: expected a section"), std::string::npos)
      << error_of(deepest + " = 1\n" + base);
  // Overrides: the key parts and the value's nesting count together.
  EXPECT_EQ(error_of(base, {dotted + "=1"}).rfind("--set:1: expected a KEY and VALUE nested at most 64 levels deep "
                                                  "together (key parts, inline tables and arrays), found deeper nesting",
                                                  0),
            0u);
  EXPECT_EQ(error_of(base, {"simulation.x=" + std::string(63, '[') + std::string(63, ']')}).rfind("--set:1: expected a KEY", 0),
            0u);
}

TEST(model_file, only_regular_files_up_to_64_mib_are_read) {
  const auto dir = std::filesystem::temp_directory_path() / ("neurite_big_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto error = [](const std::string& path) {
    try {
      io::read_model_file(path);
    } catch (const io::model_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("/dev/zero"), "/dev/zero: expected a readable model file (a regular file), found a character device");
  EXPECT_EQ(error(dir.string()), dir.string() + ": expected a readable model file (a regular file), found a directory");
  const auto fifo = dir / "pipe.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error(fifo.string()), fifo.string() + ": expected a readable model file (a regular file), found a pipe");
  const auto big = dir / "big.toml";
  std::ofstream(big).put('#');
  std::filesystem::resize_file(big, (64u << 20) + 1);  // sparse: costs no disk
  EXPECT_EQ(error(big.string()), big.string() + ": expected a model file of at most 64 MiB, found 67108865 bytes");
  std::filesystem::remove_all(dir);
}

// Projection names become HDF5 group names: refused where they are read when HDF5 would fail
// on them (or read them as a path) at the end of a run.
TEST(model_file, projection_names_are_checked_where_they_are_read) {
  const std::string expected = "@4: projections[0].name: expected a projection name of 1 to 255 letters, digits, "
                               "spaces and _ - + . : < > ( ), not starting with '.' or a space, found ";
  for (const std::string& bad : std::vector<std::string>{"a/b", "", ".hidden", " x", "caf\u00e9", "tab\there", std::string(256, 'x')}) {
    const std::string snippet = proj + "name = \"" + bad + "\"\n" + conn + wd;
    EXPECT_EQ(error_of(std::string(base) + snippet).rfind(located(expected + "\"" + bad + "\""), 0), 0u)
        << bad << ": " << error_of(std::string(base) + snippet);
  }
  EXPECT_EQ(error_of(std::string(base) + proj + conn + wd, {"projections.0.name=x/y"}),
            "--set:1: projections[0].name: " + expected.substr(std::string("@4: projections[0].name: ").size()) +
                "\"x/y\"");
  for (const std::string& good : std::vector<std::string>{"E->E recurrent", "a.b", "w(1):2+3", std::string(255, 'x')})
    EXPECT_EQ(error_of(std::string(base) + proj + "name = \"" + good + "\"\n" + conn + wd), "(no error)") << good;
}

// Messages that once lacked a key or units (issue 10, defect 9).
TEST(model_file, plasticity_messages_name_the_key_and_units) {
  const std::string plastic = proj + conn + "delay = \"1 ms\"\n";  // weight on line @6, plasticity on @7
  const std::vector<bad_case> cases = {
      {plastic + "weight = \"5 mV\"\nplasticity = { rule = \"stdp_pair\", w_max = \"1 mV\" }\n", {},
       "@6: projections[0].weight: expected an initial weight within the rule's [w_min, w_max] = [0 mV, 1 mV], found "
       "5 mV"},
      {plastic + "weight = { dist = \"uniform\", low = \"-1 mV\", high = \"0.5 mV\" }\n"
                 "plasticity = { rule = \"stdp_pair\", w_max = \"1 mV\" }\n",
       {},
       "@6: projections[0].weight: expected initial weights within the rule's [w_min, w_max] = [0 mV, 1 mV], found a "
       "distribution with [low, high] = [-1 mV, 0.5 mV]"},
      {plastic + "weight = \"0.5 mV\"\nplasticity = { rule = \"stdp_pair\", w_min = \"2 mV\", w_max = \"1 mV\" }\n", {},
       "@7: projections[0].plasticity: expected w_min < w_max, found w_min = 2 mV and w_max = 1 mV"},
      {plastic + "weight = \"0.5 mV\"\nplasticity = { rule = \"stdp_pair\", w_max = \"1 nS\" }\n", {},
       "@7: projections[0].plasticity.w_max: expected a voltage (mV), found a conductance (\"1 nS\")"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string message = error_of(std::string(base) + cases[i].snippet, cases[i].overrides);
    EXPECT_EQ(message.rfind(located(cases[i].expected), 0), 0u)
        << "case " << i << "\n--- expected to start with:\n" << located(cases[i].expected) << "\n--- got:\n" << message;
  }
  // Within the bounds: accepted.
  EXPECT_EQ(error_of(std::string(base) + plastic + "weight = \"0.5 mV\"\nplasticity = { rule = \"stdp_pair\", w_max = \"1 mV\" }\n"),
            "(no error)");
}
