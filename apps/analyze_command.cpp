// `neurite analyze SPIKES.h5`: the measures of analysis/ on a run's spikes (docs/analysis.md),
// written as analysis.json with CSV files of the per-neuron values and spectra, and drawn as
// analysis.png.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/report.hpp"
#include "apps/commands.hpp"
#include "io/results.hpp"
#include "io/spikes_reader.hpp"

namespace neurite::apps {
namespace {

struct analyze_args {
  std::string spikes, out, measures;
  std::vector<std::string> populations;
  double from = 0, bin = 1, window = 100;
  std::size_t max_neurons = 200;
  bool no_plot = false, quiet = false;
};

std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{:.10g}", v) : std::string(); }

void write_csvs(const std::string& out, const std::string& pop, const analysis::population_report& r) {
  std::string text = "node_id,rate_hz,cv_isi,lv,fano\n";
  const auto& n = r.neurons;
  for (std::size_t k = 0; k < n.id.size(); ++k)
    text += fmt::format("{},{},{},{},{}\n", n.id[k], csv_number(n.rate_hz[k]), csv_number(n.cv[k]), csv_number(n.lv[k]),
                        csv_number(n.fano[k]));
  io::write_text_file(out + "/analysis_neurons_" + pop + ".csv", text);
  if (r.spectrum.power.empty()) return;
  text = "frequency_hz,power\n";
  for (std::size_t k = 0; k < r.spectrum.power.size(); ++k)
    text += fmt::format("{},{}\n", csv_number(r.spectrum.frequency_hz[k]), csv_number(r.spectrum.power[k]));
  io::write_text_file(out + "/analysis_spectrum_" + pop + ".csv", text);
}

void print_line(const std::string& pop, const nlohmann::ordered_json& j) {
  std::string line = fmt::format("{}: {} spikes", pop, j["spikes"].get<std::uint64_t>());
  const auto add = [&](const char* label, const nlohmann::ordered_json& v) {
    if (v.is_number()) line += fmt::format(", {} {:.4g}", label, v.get<double>());
  };
  if (j.contains("rate_hz")) add("rate [Hz]", j["rate_hz"]);
  if (j.contains("cv_isi")) add("CV", j["cv_isi"]["mean"]);
  if (j.contains("lv")) add("LV", j["lv"]["mean"]);
  if (j.contains("fano")) add("Fano", j["fano"]["mean"]);
  if (j.contains("sttc")) add("STTC", j["sttc"]["mean"]);
  if (j.contains("spectrum")) add("peak [Hz]", j["spectrum"]["peak_hz"]);
  if (j.contains("sync")) add("chi", j["sync"]["golomb_chi"]), add("R", j["sync"]["kuramoto_r"]);
  if (j.contains("dimension")) add("PR", j["dimension"]["participation_ratio"]);
  fmt::print("{}\n", line);
}

int run(const analyze_args& a) {
  analysis::report_options o;
  io::spikes_file file;
  std::vector<std::string> chosen;
  try {
    if (!a.measures.empty()) o.measures = analysis::parse_measures(a.measures);
    o.t_start = a.from, o.bin_ms = a.bin, o.window_ms = a.window, o.max_neurons = a.max_neurons;
    file = io::read_spikes_file(a.spikes);
    chosen = a.populations.empty() ? file.names() : a.populations;
    for (const auto& p : chosen)
      if (!file.find(p))
        throw std::invalid_argument(fmt::format("{} has no population '{}' (it has {})", a.spikes, p,
                                                file.names().empty() ? "none" : fmt::format("{}", fmt::join(file.names(), ", "))));
    analysis::check(o, file.t_stop);
  } catch (const std::exception& e) {  // the file, an option or a name: bad input
    fmt::print(stderr, "neurite analyze: {}\n", e.what());
    return exit_bad_input;
  }
  const std::string out = a.out.empty() ? std::filesystem::path(a.spikes).parent_path().string() : a.out;
  const std::string folder = out.empty() ? "." : out;
  std::filesystem::create_directories(folder);
  nlohmann::ordered_json j;
  j["spikes_file"] = absolute_path(a.spikes);
  j["t_start_ms"] = o.t_start;
  j["t_stop_ms"] = file.t_stop;
  j["t_stop_from_file"] = file.t_stop_known;
  j["measures"] = o.measures;
  j["populations"] = nlohmann::ordered_json::object();
  for (const auto& name : chosen) {
    const auto r = analysis::analyze_population(*file.find(name), file.t_stop, o);
    j["populations"][name] = r.json;
    write_csvs(folder, name, r);
    if (!a.quiet) print_line(name, r.json);
  }
  j.update(io::provenance("spikes", a.spikes, {}, command_line()));
  io::write_text_file(folder + "/analysis.json", j.dump(2) + "\n");
  const bool plotted =
      !a.no_plot && run_python_helper("neurite_analysis_plots.py", {absolute_path(folder)}, "analysis.png", a.quiet);
  if (!a.quiet) fmt::print("wrote {}/analysis.json{}\n", folder, plotted ? ", analysis.png" : "");
  return 0;
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto args = std::make_shared<analyze_args>();
  auto* cmd = app.add_subcommand("analyze", "Measure spike-train statistics, synchrony and spectra of a run's spikes.h5");
  cmd->add_option("spikes", args->spikes, "A spikes.h5 (SONATA) file")->required();
  cmd->add_option("--measures,-m", args->measures,
                  "Comma-separated: rate,cv,lv,fano,sttc,spectrum,sync,dimension (default: all)");
  cmd->add_option("--population,-p", args->populations, "A population to analyse (repeatable; default: all)");
  cmd->add_option("--out,-o", args->out, "Output folder (default: the spikes file's folder)")->check(non_empty_folder);
  cmd->add_option("--from", args->from, "Leave out the first MS milliseconds (a transient)");
  cmd->add_option("--bin", args->bin, "Population-rate bin in ms, for spectrum and sync (default 1)");
  cmd->add_option("--window", args->window, "Count window in ms, for fano and dimension (default 100)");
  cmd->add_option("--max-neurons", args->max_neurons, "Neurons sampled for sttc, sync and dimension (default 200)");
  cmd->add_flag("--no-plot", args->no_plot, "Do not draw analysis.png");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { exit_with(run(*args)); });
}

}  // namespace neurite::apps
