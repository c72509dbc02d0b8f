// `neurite info` and the model-file reader agree: every default that info shows, for every
// registered neuron model, plasticity rule, connector and stimulus, is accepted by the reader.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/neuron_model.hpp"
#include "core/plasticity.hpp"
#include "model_errors.hpp"
#include "network/catalog.hpp"

using namespace neurite;
using test::error_of;

namespace {

// A TOML value for a default as `neurite info` shows it (and its unit column), or "" when the
// default is written by leaving the key out.
std::string toml_of(const std::string& shown, const std::string& unit, bool is_text) {
  if (shown == "none" || shown == "never" || shown == "required") return "";
  if (shown == "true" || shown == "false") return shown;
  if (is_text) return fmt::format("\"{}\"", shown);
  if (!unit.empty()) return fmt::format("\"{}{}\"", shown, shown.find(' ') == std::string::npos ? " " + unit : "");
  return shown;
}

// "KEY = VALUE, " for each key whose default can be written, and an example for required ones.
std::string option_defaults(const network::option_table& options, const std::string& weight_unit,
                            const std::string& csv) {
  using kind = network::option_spec::kind;
  std::string out;
  for (const auto& o : options) {
    const std::string shown = network::default_text(o);
    std::string value = toml_of(shown, o.weight_dim ? weight_unit : network::unit_text(o), false);
    if (shown == "required") {
      const double example = std::isfinite(o.min) ? o.min : 0;
      if (o.type == kind::path) value = fmt::format("\"{}\"", csv);
      else if (o.type == kind::quantity)
        value = fmt::format("\"{}\"", core::format_quantity(example, o.weight_dim ? core::dimension::voltage : o.dim));
      else value = fmt::format("{}", example);
    }
    if (!value.empty()) out += fmt::format("{} = {}, ", o.name, value);
  }
  return out;
}

// "KEY = VALUE" for each parameter whose default can be written, joined by ", ".
std::string param_defaults(const core::param_table& params, const std::vector<std::string>& weight_params) {
  std::vector<std::string> entries;
  for (const auto& p : params) {
    const bool weight = std::find(weight_params.begin(), weight_params.end(), p.name) != weight_params.end();
    const std::string value = toml_of(network::param_default_text(p), weight ? "mV" : network::param_unit_text(p),
                                      !p.choices.empty());
    if (!value.empty()) entries.push_back(p.name + " = " + value);
  }
  return fmt::format("{}", fmt::join(entries, ", "));
}

}  // namespace

// For every registered neuron model, plasticity rule, connector rule and stimulus type, a model
// file that writes every key `neurite info` lists with the default it shows is accepted: the
// tables that info prints are the ones the reader reads, in the form it reads them.
TEST(model_file, every_default_that_info_shows_is_accepted_by_the_reader) {
  const auto dir = std::filesystem::temp_directory_path() / ("neurite_defaults_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto csv = (dir / "edges.csv").string();
  std::ofstream(csv) << "0,0\n";
  const std::string target = "[populations.T]\nmodel = \"iaf_psc_delta\"\nsize = 2\n";
  for (const auto* m : core::neuron_models()) {
    const std::string spikes = m->name == "spike_source" ? "spike_times = { unit = \"ms\", times = [[1.0]] }\n" : "";
    const std::string text = "[populations.X]\nmodel = \"" + m->name + "\"\nsize = 1\nparams = { " +
                             param_defaults(m->params, {}) + " }\n" + spikes;
    EXPECT_EQ(error_of(text), "(no error)") << text;
  }
  const std::string projection = "[[projections]]\nsource = \"T\"\ntarget = \"T\"\nweight = \"0.5 mV\"\ndelay = \"1 ms\"\n";
  for (const auto* r : core::plasticity_rules()) {
    const std::string text = target + projection + "connector = { rule = \"all_to_all\" }\nplasticity = { rule = \"" +
                             r->name + "\", " + param_defaults(r->params, r->weight_params) + " }\n";
    EXPECT_EQ(error_of(text), "(no error)") << text;
  }
  for (const auto* c : network::connectors()) {
    const std::string text = target + projection + "connector = { " + option_defaults(c->options, "mV", csv) +
                             "rule = \"" + c->name + "\" }\n";
    EXPECT_EQ(error_of(text, {}, (dir / "m.toml").string()), "(no error)") << text;
  }
  for (const auto* s : network::stimuli()) {
    const std::string text = "stimuli = [{ " + option_defaults(s->options, "mV", csv) + "type = \"" + s->name +
                             "\", target = \"T\" }]\n" + target;
    EXPECT_EQ(error_of(text), "(no error)") << text;
  }
  std::filesystem::remove_all(dir);
}
