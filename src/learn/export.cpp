#include "learn/export.hpp"

#include <stdexcept>

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/results.hpp"
#include "learn/training.hpp"

namespace neurite::learn {
namespace {

// The shortest decimal text that reads back as exactly this double (and so as this float).
std::string exact(double x) { return fmt::format("{}", x); }

// (T, batch, n) as contiguous float on the CPU.
at::Tensor float_values(const at::Tensor& t) { return t.detach().to(at::kFloat).contiguous(); }

void check_input(const lif_network& net, const at::Tensor& in) {
  if (net.config().recurrent || net.config().learn_tau)
    throw std::invalid_argument(
        "export: expected a feed-forward network with one tau_m (lif_discrete has neither recurrent weights nor "
        "per-neuron time constants), found model.recurrent or model.learn_tau");
  if (in.dim() != 3 || in.size(2) != net.config().sizes.front())
    throw std::invalid_argument(fmt::format("export: expected input of shape (steps, batch, {}), found {} dimensions",
                                            net.config().sizes.front(), in.dim()));
  const float* x = in.data_ptr<float>();
  for (std::int64_t k = 0; k < in.numel(); ++k)
    if (x[k] != 0 && x[k] != 1)
      throw std::invalid_argument(fmt::format(
          "export: expected input spikes (0 or 1, from the poisson_rate or latency encoding), found {} at element {}; "
          "direct_current input has no spikes to export",
          x[k], k));
}

// "[t, t, ...], [...], ...": the times of one spike_source neuron per list.
std::string time_lists(const std::vector<std::vector<double>>& times) {
  std::vector<std::string> lists;
  for (const auto& list : times) {
    std::vector<std::string> texts;
    for (const double t : list) texts.push_back(exact(t));
    lists.push_back(fmt::format("[{}]", fmt::join(texts, ", ")));
  }
  return fmt::format("{}", fmt::join(lists, ", "));
}

// spike_times of the input: one list per neuron b n + i; learn's step t is emitted at (t + 1) dt.
std::string input_spike_times(const at::Tensor& in, double dt) {
  const std::int64_t steps = in.size(0), neurons = in.size(1) * in.size(2);
  std::vector<std::vector<double>> times(static_cast<std::size_t>(neurons));
  const float* x = in.data_ptr<float>();
  for (std::int64_t t = 0; t < steps; ++t)
    for (std::int64_t j = 0; j < neurons; ++j)
      if (x[t * neurons + j] != 0) times[static_cast<std::size_t>(j)].push_back(static_cast<double>(t + 1) * dt);
  return time_lists(times);
}

// The bias source of layer l spikes in kernel steps l - 1 ... l + T - 2, so that its input arrives
// in steps l ... l + T - 1, the layer's T steps.
std::string bias_spike_times(std::size_t layers, std::int64_t steps, double dt) {
  std::vector<std::vector<double>> times(layers);
  for (std::size_t l = 1; l <= layers; ++l)
    for (std::int64_t k = 0; k < steps; ++k) times[l - 1].push_back(static_cast<double>(static_cast<std::int64_t>(l) + k) * dt);
  return time_lists(times);
}

// Block-diagonal: sample b's copy of input i connects to its copy of neuron j with W[j][i].
std::string weight_rows(const at::Tensor& W, std::int64_t batch) {
  const at::Tensor w = float_values(W);
  const std::int64_t out = w.size(0), in = w.size(1);
  const float* v = w.data_ptr<float>();
  std::string text = "source,target,weight\n";
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < in; ++i)
      for (std::int64_t j = 0; j < out; ++j)
        text += fmt::format("{},{},{}\n", b * in + i, b * out + j, exact(v[j * in + i]));
  return text;
}

std::string bias_rows(const at::Tensor& bias, std::size_t layer, std::int64_t batch) {
  const at::Tensor b = float_values(bias);
  const std::int64_t out = b.size(0);
  const float* v = b.data_ptr<float>();
  std::string text = "source,target,weight\n";
  for (std::int64_t k = 0; k < batch; ++k)
    for (std::int64_t j = 0; j < out; ++j) text += fmt::format("{},{},{}\n", layer - 1, k * out + j, exact(v[j]));
  return text;
}

std::string neuron_params(const lif_params& p) {
  return fmt::format("{{ tau_m = \"{} ms\", V_th = \"{} mV\", reset = \"{}\", q_sfa = \"{} mV\", tau_sfa = \"{} ms\" }}",
                     exact(p.tau_m), exact(p.V_th), p.reset == reset_mode::subtract ? "subtract" : "to_zero",
                     exact(p.q_sfa), exact(p.tau_sfa));
}

std::string header(const lif_network_config& c, std::int64_t steps, std::int64_t batch) {
  return fmt::format(
      "# A {} network of LIF layers trained in learn/, exported by learn::export_model_file for the\n"
      "# kernel model lif_discrete (docs/learn.md, \"Export to the simulator\"). {} sample(s) of {} steps\n"
      "# run side by side: sample b's copy of a population of n neurons per sample is ids [b n, (b+1) n).\n"
      "# Time shift: the kernel delivers spikes one step (delay = dt) after they were emitted, learn/ in\n"
      "# the same step. Learn's step t (from 0) of layerL is the kernel's step t + L: a spike that learn/\n"
      "# stamps (t + 1) dt is stamped (t + L + 1) dt here (the input, layer 0, is not shifted).\n"
      "# layerL's T steps are kernel steps [L, L + T); the run lasts until the last layer's end, and\n"
      "# spikes of earlier layers after their T steps lie outside what learn/ computed.\n"
      "# The biases arrive as weights from population bias, whose neuron L-1 spikes in the T steps\n"
      "# before layerL's T steps.\n\n",
      fmt::join(c.sizes, "-"), batch, steps);
}

// The population of layer l; appends its two projections (weights, biases) to `projections` and
// writes their connection lists.
std::string layer_section(const lif_network& net, std::size_t l, std::int64_t batch, const std::filesystem::path& dir,
                          std::string& projections) {
  const auto& c = net.config();
  const std::string name = layer_population(l);
  const std::string weights = name + "_weights.csv", biases = name + "_bias.csv";
  io::write_text_file((dir / weights).string(), weight_rows(net.parameters()[2 * (l - 1)], batch));
  io::write_text_file((dir / biases).string(), bias_rows(net.parameters()[2 * l - 1], l, batch));
  const std::string source = l == 1 ? "input" : layer_population(l - 1);
  for (const auto& [from, file] : {std::pair{source, weights}, std::pair{std::string("bias"), biases}})
    projections += fmt::format(
        "[[projections]]\nsource = \"{}\"\ntarget = \"{}\"\nconnector = {{ rule = \"explicit\", file = \"{}\", "
        "weight_unit = \"mV\" }}\ndelay = \"{} ms\"\n\n",
        from, name, file, exact(c.neuron.dt));
  return fmt::format("[populations.{}]\nmodel = \"lif_discrete\"\nsize = {}\nparams = {}\n\n", name, batch * c.sizes[l],
                     neuron_params(c.neuron));
}

std::string spike_source_section(const std::string& name, std::int64_t size, const std::string& times) {
  return fmt::format("[populations.{}]\nmodel = \"spike_source\"\nsize = {}\nspike_times = {{ unit = \"ms\", times = [{}] }}\n\n",
                     name, size, times);
}

}  // namespace

std::string layer_population(std::size_t layer) { return fmt::format("layer{}", layer); }

std::filesystem::path export_model_file(const lif_network& net, const at::Tensor& input_spikes,
                                        const std::filesystem::path& dir) {
  const at::Tensor in = float_values(input_spikes);
  check_input(net, in);
  const auto& c = net.config();
  const std::size_t layers = c.sizes.size() - 1;
  const std::int64_t steps = in.size(0), batch = in.size(1);
  const double dt = c.neuron.dt;
  std::filesystem::create_directories(dir);

  std::string toml = header(c, steps, batch);
  toml += fmt::format("[simulation]\ndt = \"{0} ms\"\nduration = \"{1} ms\"\nseed = 1\n\n", exact(dt),
                      exact(static_cast<double>(steps + static_cast<std::int64_t>(layers)) * dt));
  toml += spike_source_section("input", batch * c.sizes.front(), input_spike_times(in, dt));
  toml += spike_source_section("bias", static_cast<std::int64_t>(layers), bias_spike_times(layers, steps, dt));
  std::string projections;
  std::vector<std::string> recorded{"\"input\""};
  for (std::size_t l = 1; l <= layers; ++l) {
    toml += layer_section(net, l, batch, dir, projections);
    recorded.push_back(fmt::format("\"{}\"", layer_population(l)));
  }
  toml += projections + fmt::format("[record]\nspikes = [{}]\n", fmt::join(recorded, ", "));
  const auto path = dir / "model.toml";
  io::write_text_file(path.string(), toml);
  return path;
}

at::Tensor encode_first(const encoder& e, const io::labelled_images& data, std::uint32_t count) {
  if (count > data.count)
    throw std::invalid_argument(fmt::format("export: expected at most {} samples (the data set's size), found {}", data.count, count));
  std::vector<std::uint32_t> samples(count);
  for (std::uint32_t i = 0; i < count; ++i) samples[i] = i;
  return encoded_images(e, data).batch(samples, 1, 0).inputs;
}

std::vector<core::spike> kernel_spikes(const at::Tensor& spikes, std::size_t layer) {
  const at::Tensor s = float_values(spikes);
  const std::int64_t steps = s.size(0), neurons = s.size(1) * s.size(2);
  const float* x = s.data_ptr<float>();
  std::vector<core::spike> out;
  for (std::int64_t t = 0; t < steps; ++t)
    for (std::int64_t j = 0; j < neurons; ++j)
      if (x[t * neurons + j] != 0)
        out.push_back({t + static_cast<core::step_t>(layer), static_cast<core::index_t>(j)});
  return out;
}

}  // namespace neurite::learn
