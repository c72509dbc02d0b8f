#pragma once
// Internal to io/: the parts of the TOML readers that other layers do not see (where nodes came
// from, parsing with the nesting check, message helpers). The located values themselves are
// public, io::config_value (io/config_file.hpp); here they are `field`.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "core/units.hpp"
#include "io/config_file.hpp"
#include "io/model_file.hpp"
#include "network/description.hpp"

namespace neurite::io::detail {

// Where each node of the tree came from: the model file, or override N (1-based) of an origin
// such as "--set:2" or "--seed".
class origins {
 public:
  explicit origins(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // Sort key that reproduces the order of entries in the file (overrides come last).
  using order_key = std::tuple<int, std::uint32_t, std::uint32_t>;
  order_key order(const toml::node& n) const;
  // Marks n and everything below it as set by override set_index, located as `where`; when it
  // replaced a node, it takes that node's place in the file order.
  void mark(const toml::node& n, int set_index, const std::string& where,
            std::optional<order_key> replaced = std::nullopt);
  // The override's origin ("--set:N", "--seed"), "FILE:LINE", or fallback when the node has no position.
  std::string where(const toml::node& n, const std::string& fallback) const;

 private:
  struct mark_t {
    int set_index;
    std::string where;
    bool replaced;
    order_key replaced_order;
  };
  std::string file_;
  std::unordered_map<const toml::node*, mark_t> marks_;
};

[[noreturn]] void fail(const std::string& where, std::string_view key, std::string_view what);

// "a directory", "a character device", "a pipe", ... for a file that is not a regular file.
std::string file_kind(std::filesystem::file_type t);

// The deepest nesting accepted in TOML text: dotted key parts plus open inline tables and
// arrays. toml++ parses nesting by recursion, so deeper input could overflow the stack.
inline constexpr int max_nesting = 64;
// Where text nests deeper than max_nesting - base_depth, as "LINE:COLUMN", or "" when it does not.
std::string too_deep(std::string_view text, int base_depth = 0);
// Text parsed as TOML; a syntax error reads "FILE:LINE:COLUMN: expected valid TOML, found ...",
// and so does nesting deeper than max_nesting, found before toml++ sees the text.
toml::table parse_toml(std::string_view text, const std::string& file_name);

// "a string (\"abc\")", "an integer (5)", "a table", ... for "found ..." parts of messages.
std::string describe(const toml::node& n);
// "a voltage (mV)", or "a plain number" for dimensionless values.
std::string dimension_text(core::dimension d);
// `a, b, c` for messages.
std::string join(const std::vector<std::string>& items);
// Appends a key to a dotted path, quoting keys that are not bare TOML keys.
std::string key_path(const std::string& parent, std::string_view key);

using field = config_value;

// x is a whole multiple (>= 1) of dt, to a relative tolerance of 1e-9.
bool is_step_multiple(double x, double dt);
// x >= dt, to a relative tolerance of 1e-9.
bool at_least_step(double x, double dt);

// The most steps of dt a time may span (durations, spike and stimulus times, intervals): the
// kernel counts steps in 64-bit integers and times in doubles, which are exact to 2^53.
inline constexpr double max_steps = 9007199254740992.0;  // 2^53
// "at most 9007199254740992 steps of dt (9.0072e+14 ms)" for messages.
std::string step_limit_text(double dt);


}  // namespace neurite::io::detail
