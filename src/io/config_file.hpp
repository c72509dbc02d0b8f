#pragma once
// Configuration files other than model files (training files, a reproduction's settings): TOML
// with units, read with the model-file reader's checks (a regular file of at most 64 MiB, nesting
// at most 64 deep, "KEY=VALUE" overrides). A config_value is a node (or the absence of one) with
// its dotted key path and its location ("FILE:LINE", or "--set:N" for a value given as an
// override); every accessor checks the type and throws model_error with
// "LOCATION: KEY: expected ..., found ..." when the value does not fit.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "core/units.hpp"
#include "io/model_file.hpp"
#include "network/description.hpp"

namespace neurite::io {

namespace detail {
class origins;
}

// The largest file read_config_text reads: model and training files are a few kB.
inline constexpr std::uintmax_t max_config_bytes = 64u << 20;  // 64 MiB
// The text of the file at path; `what` names the file in messages ("model file"). Only regular
// files of at most max_config_bytes are read (not /dev/zero, a pipe or a directory).
std::string read_config_text(const std::string& path, std::string_view what);

class config_value {
 public:
  config_value(const detail::origins& o, const toml::node* n, std::string path, std::string where)
      : origins_(&o), node_(n), path_(std::move(path)), where_(std::move(where)) {}
  static config_value root(const detail::origins& o, const toml::table& t);

  bool present() const { return node_ != nullptr; }
  const toml::node* node() const { return node_; }
  const std::string& path() const { return path_; }
  const std::string& where() const { return where_; }

  // Child `key` of this table (absent when missing); this must be a table (checked).
  config_value operator[](std::string_view key) const;
  // Entries of this table in file order; elements of this array.
  std::vector<std::pair<std::string, config_value>> entries() const;
  std::vector<config_value> elements() const;

  [[noreturn]] void fail(std::string_view what) const;
  // "expected <expected>, found <what is there>" (or "found nothing" for a missing required key).
  [[noreturn]] void fail_expected(std::string_view expected) const;
  // Every key of this table must be in `allowed`; `what` names them, e.g. "a parameter of X".
  void check_keys(const std::vector<std::string>& allowed, std::string_view what = {}) const;
  void check_keys(std::initializer_list<const char*> allowed, std::string_view what = {}) const;

  const toml::table& table(std::string_view expected = "a table") const;
  const toml::array& array(std::string_view expected = "an array") const;
  std::string string(std::string_view expected = "a string") const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  // Any 64-bit unsigned integer (seeds): TOML integers are signed, so values above 2^63 - 1 are
  // written as a string of decimal digits.
  std::uint64_t unsigned64() const;
  bool boolean() const;
  double number(std::string_view expected = "a number") const;  // integer or float, finite
  // A quantity string such as "20 ms" of dimension d (bare numbers only when dimensionless).
  double quantity(core::dimension d) const;
  // A quantity, or a distribution table { dist = "normal" | "uniform" | "lognormal", ... }.
  network::value_dist value(core::dimension d) const;

 private:
  const detail::origins* origins_;
  const toml::node* node_;
  std::string path_;
  std::string where_;
};

// A parsed configuration with its overrides applied; its values point into it, so it outlives them.
class config_file {
 public:
  // `text` read from `file_name` (named in messages); a syntax error, or nesting deeper than 64,
  // throws model_error at FILE:LINE:COLUMN, and a bad override at "--set:N".
  config_file(std::string_view text, const std::string& file_name, const override_list& overrides = {});
  ~config_file();
  config_file(const config_file&) = delete;
  config_file& operator=(const config_file&) = delete;

  config_value root() const;

 private:
  std::unique_ptr<detail::origins> origins_;
  toml::table table_;
};

}  // namespace neurite::io
