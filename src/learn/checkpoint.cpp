#include "learn/checkpoint.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <torch/torch.h>

namespace neurite::learn {
namespace {

constexpr const char* format_name = "neurite-checkpoint";
constexpr std::int64_t format_version = 1;
constexpr std::int64_t record_fields = 6;

// One row per epoch record, in doubles: exact, so that metrics resume bit for bit.
at::Tensor records_tensor(const std::vector<epoch_record>& records) {
  at::Tensor t = at::empty({static_cast<std::int64_t>(records.size()), record_fields}, at::kDouble);
  auto rows = t.accessor<double, 2>();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    const double row[] = {static_cast<double>(r.epoch), r.train_loss, r.train_accuracy, r.test_accuracy, r.seconds,
                          r.samples_per_second};
    for (std::int64_t f = 0; f < record_fields; ++f) rows[static_cast<std::int64_t>(i)][f] = row[f];
  }
  return t;
}

std::vector<epoch_record> records_from(const at::Tensor& t) {
  std::vector<epoch_record> records;
  const auto rows = t.accessor<double, 2>();
  for (std::int64_t i = 0; i < t.size(0); ++i)
    records.push_back({static_cast<std::uint32_t>(rows[i][0]), rows[i][1], rows[i][2], rows[i][3], rows[i][4], rows[i][5]});
  return records;
}

at::Tensor bytes_tensor(const std::string& bytes) {
  at::Tensor t = at::empty({static_cast<std::int64_t>(bytes.size())}, at::kByte);
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(t.data_ptr<std::uint8_t>()));
  return t;
}

std::string bytes_from(const at::Tensor& t) {
  const auto* data = reinterpret_cast<const char*>(t.data_ptr<std::uint8_t>());
  return {data, data + t.numel()};
}

// Reads the archive's entries; a missing or mistyped one is a checkpoint_error naming the file.
class reader {
 public:
  explicit reader(const std::string& path) : path_(path) {
    try {
      archive_.load_from(path);
    } catch (const c10::Error& e) {
      fail(fmt::format("cannot be read as a checkpoint (truncated, corrupt or another kind of file): {}",
                       e.what_without_backtrace()));
    }
  }
  [[noreturn]] void fail(const std::string& what) const { throw checkpoint_error(fmt::format("{}: {}", path_, what)); }

  c10::IValue value(const std::string& key) {
    c10::IValue v;
    if (!archive_.try_read(key, v)) fail(fmt::format("not a neurite checkpoint (no entry \"{}\")", key));
    return v;
  }
  std::string text(const std::string& key) {
    const auto v = value(key);
    if (!v.isString()) fail(fmt::format("entry \"{}\" is not text", key));
    return v.toStringRef();
  }
  std::int64_t integer(const std::string& key) {
    const auto v = value(key);
    if (!v.isInt()) fail(fmt::format("entry \"{}\" is not an integer", key));
    return v.toInt();
  }
  at::Tensor tensor(const std::string& key, at::ScalarType type, std::int64_t dims) {
    at::Tensor t;
    if (!archive_.try_read(key, t) || t.scalar_type() != type || (dims >= 0 && t.dim() != dims))
      fail(fmt::format("entry \"{}\" is missing or malformed", key));
    return t.contiguous();
  }

 private:
  std::string path_;
  torch::serialize::InputArchive archive_;
};

}  // namespace

checkpoint make_checkpoint(const classifier_model& model, const training_state& state) {
  checkpoint c;
  c.state = state;
  for (const auto& p : model.parameters()) c.parameters.push_back(p.detach().clone());
  return c;
}

void write_checkpoint(const std::string& path, const checkpoint& c) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string(format_name)));
  archive.write("version", c10::IValue(format_version));
  archive.write("model_kind", c10::IValue(c.model_kind));
  archive.write("settings_file", c10::IValue(c.settings_file));
  archive.write("settings_text", c10::IValue(c.settings_text));
  archive.write("overrides", c10::IValue(c10::List<std::string>(c.overrides)));
  archive.write("seed", c10::IValue(static_cast<std::int64_t>(c.seed)));
  archive.write("epochs", c10::IValue(static_cast<std::int64_t>(c.epochs)));
  archive.write("epoch_records", records_tensor(c.state.epochs));
  archive.write("optimizer", bytes_tensor(c.state.optimizer));
  archive.write("parameter_count", c10::IValue(static_cast<std::int64_t>(c.parameters.size())));
  for (std::size_t i = 0; i < c.parameters.size(); ++i) archive.write(fmt::format("parameter.{}", i), c.parameters[i]);
  const std::string temporary = path + ".tmp";
  archive.save_to(temporary);
  std::filesystem::rename(temporary, path);
}

checkpoint read_checkpoint(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw checkpoint_error(fmt::format("{}: no such checkpoint file", path));
  reader r(path);
  if (r.text("format") != format_name) r.fail("not a neurite checkpoint");
  if (const auto v = r.integer("version"); v != format_version)
    r.fail(fmt::format("checkpoint format version {}, this neurite reads version {}", v, format_version));
  checkpoint c;
  c.model_kind = r.text("model_kind");
  c.settings_file = r.text("settings_file");
  c.settings_text = r.text("settings_text");
  const auto overrides = r.value("overrides");
  if (!overrides.isList()) r.fail("entry \"overrides\" is not a list");
  for (const auto& o : overrides.toListRef()) c.overrides.push_back(o.toStringRef());
  c.seed = static_cast<std::uint64_t>(r.integer("seed"));
  c.epochs = static_cast<std::uint32_t>(r.integer("epochs"));
  const at::Tensor records = r.tensor("epoch_records", at::kDouble, 2);
  if (records.size(1) != record_fields) r.fail("entry \"epoch_records\" is malformed");
  c.state.epochs = records_from(records);
  c.state.optimizer = bytes_from(r.tensor("optimizer", at::kByte, 1));
  const std::int64_t count = r.integer("parameter_count");
  for (std::int64_t i = 0; i < count; ++i)
    c.parameters.push_back(r.tensor(fmt::format("parameter.{}", i), at::kFloat, -1));
  return c;
}

void load_parameters(const classifier_model& model, const std::vector<at::Tensor>& parameters, const std::string& path) {
  const auto& target = model.parameters();
  if (target.size() != parameters.size())
    throw checkpoint_error(fmt::format("{}: {} parameter tensors, the model built from its settings has {}", path,
                                       parameters.size(), target.size()));
  const torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (!target[i].sizes().equals(parameters[i].sizes()))
      throw checkpoint_error(fmt::format("{}: parameter {} has shape {}, the model expects {}", path, i,
                                         fmt::join(parameters[i].sizes(), "x"), fmt::join(target[i].sizes(), "x")));
    target[i].copy_(parameters[i]);
  }
}

}  // namespace neurite::learn
