#include "io/checkpoint.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/state.hpp"
#include "core/version.hpp"
#include "io/h5.hpp"
#include "io/results.hpp"

namespace neurite::io {
namespace {

constexpr const char* format_name = "neurite checkpoint";
constexpr std::int64_t format_version = 1;

// Collects every array the simulation lists.
class saving_visitor final : public core::state_visitor {
 public:
  explicit saving_visitor(std::int64_t step) : step_(step) {}
  void reals(std::string_view name, std::vector<double>& values, bool) override {
    add(name, state_array::kind::real).reals = values;
  }
  void floats(std::string_view name, std::vector<float>& values, bool) override {
    add(name, state_array::kind::single).singles = values;
  }
  void integers(std::string_view name, std::vector<std::int64_t>& values, bool) override {
    add(name, state_array::kind::integer).integers = values;
  }
  using state_visitor::integers;
  bool restoring() const override { return false; }
  std::int64_t step() const override { return step_; }
  std::vector<state_array> arrays;

 private:
  state_array& add(std::string_view name, state_array::kind type) {
    auto& a = arrays.emplace_back();
    a.name = name, a.type = type;
    return a;
  }
  std::int64_t step_;
};

// Hands the checkpoint's arrays back in the order the simulation asks for them.
class restoring_visitor final : public core::state_visitor {
 public:
  explicit restoring_visitor(const checkpoint& c) : c_(c) {}
  void reals(std::string_view name, std::vector<double>& values, bool resizable) override {
    take(next(name, state_array::kind::real).reals, values, resizable, name);
  }
  void floats(std::string_view name, std::vector<float>& values, bool resizable) override {
    take(next(name, state_array::kind::single).singles, values, resizable, name);
  }
  void integers(std::string_view name, std::vector<std::int64_t>& values, bool resizable) override {
    take(next(name, state_array::kind::integer).integers, values, resizable, name);
  }
  using state_visitor::integers;
  bool restoring() const override { return true; }
  std::int64_t step() const override { return c_.step; }
  bool all_taken() const { return k_ == c_.arrays.size(); }

 private:
  const state_array& next(std::string_view name, state_array::kind type) {
    if (k_ >= c_.arrays.size())
      throw std::invalid_argument(fmt::format("{}: missing (the checkpoint has {} arrays)", name, c_.arrays.size()));
    const auto& a = c_.arrays[k_++];
    if (a.name != name || a.type != type)
      throw std::invalid_argument(fmt::format("array {} is {}, where the network has {}", k_ - 1, a.name, name));
    return a;
  }
  template <class T>
  static void take(const std::vector<T>& from, std::vector<T>& to, bool resizable, std::string_view name) {
    if (!resizable && from.size() != to.size())
      throw std::invalid_argument(fmt::format("{}: {} values, where the network has {}", name, from.size(), to.size()));
    to = from;
  }
  const checkpoint& c_;
  std::size_t k_ = 0;
};

std::string error_text(const std::string& path, const std::string& what) { return fmt::format("{}: {}", path, what); }

// The seal: the file's first seal_bytes (an HDF5 user block) name the checksum and length of the
// rest, so that a truncated or damaged checkpoint is refused before HDF5 parses it (HDF5 trusts
// the sizes it reads: a damaged file can make it allocate gigabytes or read out of place).
constexpr std::size_t seal_bytes = 512;
constexpr std::string_view seal_magic = "neurite checkpoint seal 1\n";

std::uint64_t fnv1a(std::istream& in) {
  std::uint64_t h = 14695981039346656037ull;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    for (std::streamsize k = 0; k < in.gcount(); ++k)
      h = (h ^ static_cast<unsigned char>(buffer[static_cast<std::size_t>(k)])) * 1099511628211ull;
  return h;
}

std::string seal_header(std::uint64_t hash, std::uint64_t length) {
  std::string head = fmt::format("{}fnv1a64 {:016x} bytes {}\n", seal_magic, hash, length);
  head.resize(seal_bytes, '\0');
  return head;
}

void check_seal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(seal_bytes, '\0');
  const auto size = std::filesystem::file_size(path);
  if (!in.read(head.data(), seal_bytes) || !head.starts_with(seal_magic))
    throw std::runtime_error(fmt::format("expected a neurite checkpoint (a file starting \"{}\"), found {}",
                                         seal_magic.substr(0, seal_magic.size() - 1),
                                         size < seal_bytes ? fmt::format("{} bytes", size) : "other contents"));
  unsigned long long hash = 0, length = 0;
  if (std::sscanf(head.c_str() + seal_magic.size(), "fnv1a64 %llx bytes %llu", &hash, &length) != 2 ||
      head != seal_header(hash, length))
    throw std::runtime_error("expected a checksum and a length in the checkpoint's header, found a damaged header");
  if (length != size - seal_bytes)
    throw std::runtime_error(fmt::format("expected {} bytes after the header, found {} (a truncated or extended file)",
                                         length, size - seal_bytes));
  if (fnv1a(in) != hash)
    throw std::runtime_error("expected contents matching the header's checksum, found other bytes (a damaged file)");
}

void write_array(hid_t group, const std::string& name, const state_array& a) {
  switch (a.type) {
    case state_array::kind::real: return h5::write_dataset(group, name, a.reals);
    case state_array::kind::single: return h5::write_dataset(group, name, a.singles);
    case state_array::kind::integer: return h5::write_dataset(group, name, a.integers);
  }
}

void read_array(hid_t group, const std::string& name, state_array& a, std::size_t max_bytes) {
  switch (a.type) {
    case state_array::kind::real: a.reals = h5::read_dataset<double>(group, name, max_bytes / 8); return;
    case state_array::kind::single: a.singles = h5::read_dataset<float>(group, name, max_bytes / 4); return;
    case state_array::kind::integer: a.integers = h5::read_dataset<std::int64_t>(group, name, max_bytes / 8); return;
  }
}

std::size_t array_bytes(const state_array& a) {
  return a.reals.size() * 8 + a.singles.size() * 4 + a.integers.size() * 8;
}

void write_file(const std::string& path, const checkpoint& c) {
  auto file = h5::create_file(path, seal_bytes);
  h5::write_string_attribute(file, "format", format_name);
  h5::write_string_attribute(file, "neurite_version", c.neurite_version);
  h5::write_string_attribute(file, "model_file", c.model_file);
  h5::write_string_attribute(file, "model_text", c.model_text);
  h5::write_string_attribute(file, "model_hash", c.model_hash);
  h5::write_string_attribute(file, "overrides", nlohmann::json(c.overrides).dump());
  h5::write_dataset(file, "counters", std::vector<std::int64_t>{format_version, c.step, c.end_step, c.checkpoint_every});
  nlohmann::json outputs = nlohmann::json::array(), arrays = nlohmann::json::array();
  std::vector<std::uint64_t> rows;
  for (const auto& [name, n] : c.output_rows) outputs.push_back(name), rows.push_back(n);
  h5::write_string_attribute(file, "output_datasets", outputs.dump());
  h5::write_dataset(file, "output_rows", rows);
  auto state = h5::make_group(file, "state");
  for (std::size_t k = 0; k < c.arrays.size(); ++k) {
    arrays.push_back({c.arrays[k].name, static_cast<int>(c.arrays[k].type)});
    write_array(state, std::to_string(k), c.arrays[k]);
  }
  h5::write_string_attribute(file, "arrays", arrays.dump());
  state.reset();
  file.close(path);  // a failure here means a damaged file, which must not replace the last checkpoint
}

// The checks of read_checkpoint, throwing std::runtime_error or nlohmann's errors.
checkpoint read_file(const std::string& path) {
  check_seal(path);
  const auto file_size = std::filesystem::file_size(path);
  // No array may hold more than the file could expand to (gzip packs at most ~1000:1).
  const std::size_t max_bytes = static_cast<std::size_t>(file_size) * 1100 + (std::size_t{1} << 20);
  auto file = h5::open_file(path, false);
  checkpoint c;
  const auto text = [&](const char* name) { return h5::read_string_attribute(file, name); };
  if (const auto format = text("format"); format != format_name)
    throw std::runtime_error(fmt::format("format: expected \"{}\", found \"{}\"", format_name, format));
  const auto counters = h5::read_dataset<std::int64_t>(file, "counters", 4);
  if (counters.size() != 4 || counters[0] != format_version)
    throw std::runtime_error(fmt::format("checkpoint format {}, where this neurite reads {}",
                                         counters.empty() ? -1 : counters[0], format_version));
  c.neurite_version = text("neurite_version");
  if (c.neurite_version != neurite_version())
    throw std::runtime_error(fmt::format("neurite_version: expected {} (this neurite's: another's state may differ), found {}",
                                         neurite_version(), c.neurite_version));
  c.step = counters[1], c.end_step = counters[2], c.checkpoint_every = counters[3];
  for (const auto n : {c.step, c.end_step, c.checkpoint_every})
    if (n < 0 || n > core::simulation::max_step)
      throw std::runtime_error(fmt::format("counters: expected step counts in [0, 2^53], found {}", n));
  if (c.end_step < c.step)
    throw std::runtime_error(fmt::format("counters: expected an end step at or after the step {}, found {}", c.step, c.end_step));
  c.model_file = text("model_file");
  c.model_text = text("model_text");
  c.model_hash = text("model_hash");
  c.overrides = nlohmann::json::parse(text("overrides")).get<std::vector<std::string>>();
  if (model_hash(c.model_text, c.overrides) != c.model_hash)
    throw std::runtime_error("the model text or overrides do not match their hash (the file is damaged)");
  const auto outputs = nlohmann::json::parse(text("output_datasets")).get<std::vector<std::string>>();
  const auto rows = h5::read_dataset<std::uint64_t>(file, "output_rows", outputs.size());
  if (rows.size() != outputs.size()) throw std::runtime_error("output_rows: not one count per output dataset");
  for (std::size_t k = 0; k < rows.size(); ++k) c.output_rows.emplace_back(outputs[k], rows[k]);
  const auto arrays = nlohmann::json::parse(text("arrays"));
  auto state = h5::open_group(file, "state");
  std::size_t total = 0;
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    auto& a = c.arrays.emplace_back();
    a.name = arrays.at(k).at(0).get<std::string>();
    const int type = arrays.at(k).at(1).get<int>();
    if (type < 0 || type > 2) throw std::runtime_error(fmt::format("array {}: unknown kind {}", a.name, type));
    a.type = static_cast<state_array::kind>(type);
    read_array(state, std::to_string(k), a, max_bytes - total);
    total += array_bytes(a);
  }
  return c;
}

}  // namespace

std::string neurite_version() { return std::string(core::release()); }

std::string model_hash(const std::string& text, const std::vector<std::string>& overrides) {
  std::uint64_t h = 14695981039346656037ull;
  const auto add = [&](const std::string& s) {
    for (const char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;  // a separator no text byte can fake
  };
  add(text);
  for (const auto& o : overrides) add(o);
  return fmt::format("{:016x}", h);
}

std::vector<state_array> capture_state(core::simulation& sim) {
  saving_visitor v(sim.now());
  sim.visit_state(v);
  return std::move(v.arrays);
}

void restore_state(const checkpoint& c, core::simulation& sim, const std::string& path) {
  restoring_visitor v(c);
  try {
    sim.visit_state(v);
    if (!v.all_taken()) throw std::invalid_argument("more arrays than the network has");
  } catch (const std::invalid_argument& e) {
    throw checkpoint_error(error_text(path, fmt::format("does not fit the model's network: {}", e.what())));
  }
}

void write_checkpoint(const std::string& path, const checkpoint& c) {
  const std::string tmp = path + ".part";
  h5::quiet_errors quiet;
  try {
    write_file(tmp, c);
    seal_checkpoint(tmp);
    durable_rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

void seal_checkpoint(const std::string& path) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  const auto size = std::filesystem::file_size(path);
  if (!file || size < seal_bytes) throw std::runtime_error(path + ": expected a checkpoint with a header to seal");
  file.seekg(static_cast<std::streamoff>(seal_bytes));
  const std::uint64_t hash = fnv1a(file);
  file.clear();
  const std::string head = seal_header(hash, size - seal_bytes);
  file.seekp(0);
  if (!file.write(head.data(), static_cast<std::streamsize>(seal_bytes)).flush())
    throw std::runtime_error(path + ": could not write the checkpoint's header");
}

checkpoint read_checkpoint(const std::string& path) {
  h5::quiet_errors quiet;
  try {
    return read_file(path);
  } catch (const std::bad_alloc&) {
    throw checkpoint_error(error_text(path, "more data than memory (a damaged file?)"));
  } catch (const std::exception& e) {  // HDF5, JSON, file system
    throw checkpoint_error(error_text(path, e.what()));
  }
}

}  // namespace neurite::io
