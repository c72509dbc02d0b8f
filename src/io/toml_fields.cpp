#include "io/toml_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "core/text.hpp"
#include "io/overrides.hpp"

namespace neurite::io {
namespace detail {
namespace {

std::string example_of(core::dimension d) {
  switch (d) {
    case core::dimension::dimensionless: return "0.5";
    case core::dimension::time: return "20 ms";
    case core::dimension::voltage: return "-70 mV";
    case core::dimension::current: return "100 pA";
    case core::dimension::capacitance: return "250 pF";
    case core::dimension::conductance: return "2 nS";
    case core::dimension::frequency: return "10 Hz";
    case core::dimension::resistance: return "0.1 GOhm";
  }
  return "?";
}

std::string shorten(std::string_view s) {
  constexpr std::size_t limit = 60;
  return s.size() <= limit ? std::string(s) : std::string(s.substr(0, limit)) + "...";
}

}  // namespace

// ---- origins ----------------------------------------------------------------------------

void origins::mark(const toml::node& n, int set_index, const std::string& where, std::optional<order_key> replaced) {
  marks_[&n] = mark_t{set_index, where, replaced.has_value(), replaced.value_or(order_key{})};
  if (const auto* t = n.as_table())
    for (const auto& [k, v] : *t) mark(v, set_index, where);
  if (const auto* a = n.as_array())
    for (const auto& v : *a) mark(v, set_index, where);
}

std::string origins::where(const toml::node& n, const std::string& fallback) const {
  if (const auto it = marks_.find(&n); it != marks_.end()) return it->second.where;
  if (n.source().begin.line > 0) return fmt::format("{}:{}", file_, n.source().begin.line);
  return fallback;
}

origins::order_key origins::order(const toml::node& n) const {
  const auto& pos = n.source().begin;
  if (const auto it = marks_.find(&n); it != marks_.end()) {
    if (it->second.replaced) return it->second.replaced_order;
    return {it->second.set_index, pos.line, pos.column};
  }
  return {0, pos.line, pos.column};
}

// ---- helpers ----------------------------------------------------------------------------

void fail(const std::string& where, std::string_view key, std::string_view what) {
  if (key.empty()) throw model_error(fmt::format("{}: {}", where, what));
  throw model_error(fmt::format("{}: {}: {}", where, key, what));
}

std::string file_kind(std::filesystem::file_type t) {
  switch (t) {
    case std::filesystem::file_type::directory: return "a directory";
    case std::filesystem::file_type::character: return "a character device";
    case std::filesystem::file_type::block: return "a block device";
    case std::filesystem::file_type::fifo: return "a pipe";
    case std::filesystem::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

namespace {

std::string size_limit_text(std::string_view what) {
  return fmt::format("a {} of at most {} MiB", what, max_config_bytes >> 20);
}

}  // namespace

}  // namespace detail

std::string read_config_text(const std::string& path, std::string_view what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && status.type() != std::filesystem::file_type::regular)
    throw model_error(fmt::format("{}: expected a readable {} (a regular file), found {}", path, what,
                                  detail::file_kind(status.type())));
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > max_config_bytes)
    throw model_error(fmt::format("{}: expected {}, found {} bytes", path, detail::size_limit_text(what), size));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw model_error(fmt::format("{}: expected a readable {}, found an error: {}", path, what,
                                  err ? std::strerror(err) : "cannot open"));
  }
  // In chunks, stopping past the limit (the file may grow while it is read).
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_config_bytes)
      throw model_error(fmt::format("{}: expected {}, found more", path, detail::size_limit_text(what)));
  }
  if (in.bad()) throw model_error(fmt::format("{}: expected a readable {}, found a read error", path, what));
  return text;
}

namespace detail {
namespace {

// A cursor over TOML text that skips strings and comments, counting lines and columns.
class nesting_scan {
 public:
  nesting_scan(std::string_view text, int base_depth) : text_(text), base_(base_depth) {}

  std::string run() {
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == '"' || c == '\'') {
        skip_string(c);
        continue;
      }
      if (c == '#') {
        while (i_ < text_.size() && text_[i_] != '\n') ++i_;
        continue;
      }
      if (c == '\n') line_start_ = i_ + 1, ++line_;
      // A dot outside strings separates key parts (or is the point of a number, once per value).
      if (c == '.') ++dots_;
      if (c == '[' || c == '{') ++open_;
      if (c == ']' || c == '}') open_ = std::max(0, open_ - 1);
      if (c == '=' || c == ',' || c == '\n' || c == '[' || c == '{' || c == ']' || c == '}') dots_ = 0;
      if (base_ + open_ + dots_ > max_nesting) return fmt::format("{}:{}", line_, i_ - line_start_ + 1);
      ++i_;
    }
    return {};
  }

 private:
  bool at(std::string_view s) const { return text_.substr(i_, s.size()) == s; }

  void newline_at(std::size_t j) {
    if (text_[j] == '\n') line_start_ = j + 1, ++line_;
  }

  // Past a string that starts at i_ with quote q ("..." or '...', or their triple forms).
  void skip_string(char q) {
    const std::string triple(3, q);
    const bool multi = at(triple);
    i_ += multi ? 3 : 1;
    while (i_ < text_.size()) {
      if (multi ? at(triple) : text_[i_] == q) {
        i_ += multi ? 3 : 1;
        return;
      }
      if (!multi && text_[i_] == '\n') return;  // unterminated: toml++ reports it
      if (q == '"' && text_[i_] == '\\' && i_ + 1 < text_.size()) newline_at(i_++);
      newline_at(i_++);
    }
  }

  std::string_view text_;
  int base_;
  std::size_t i_ = 0, line_start_ = 0;
  std::size_t line_ = 1;
  int open_ = 0, dots_ = 0;
};

}  // namespace

std::string too_deep(std::string_view text, int base_depth) { return nesting_scan(text, base_depth).run(); }

toml::table parse_toml(std::string_view text, const std::string& file_name) {
  if (const auto where = too_deep(text); !where.empty())
    throw model_error(fmt::format("{}:{}: expected valid TOML nested at most {} levels deep (dotted key parts, "
                                  "inline tables and arrays), found deeper nesting",
                                  file_name, where, max_nesting));
  try {
    return toml::parse(text, std::string_view(file_name));
  } catch (const toml::parse_error& e) {
    throw model_error(fmt::format("{}:{}:{}: expected valid TOML, found a syntax error: {}", file_name,
                                  e.source().begin.line, e.source().begin.column, e.description()));
  }
}

std::string describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return fmt::format("a string (\"{}\")", shorten(*n.value<std::string>()));
    case toml::node_type::integer: return fmt::format("an integer ({})", *n.value<std::int64_t>());
    case toml::node_type::floating_point: {
      const double v = *n.value<double>();
      const bool whole = std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15;
      return whole ? fmt::format("a floating-point number ({:.1f})", v) : fmt::format("a floating-point number ({})", v);
    }
    case toml::node_type::boolean: return fmt::format("a boolean ({})", *n.value<bool>());
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time of day";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string dimension_text(core::dimension d) {
  if (d == core::dimension::dimensionless) return std::string(core::dimension_name(d));
  return fmt::format("{} ({})", core::dimension_name(d), core::unit_name(d));
}

std::string join(const std::vector<std::string>& items) { return fmt::format("{}", fmt::join(items, ", ")); }

std::string key_path(const std::string& parent, std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  std::string piece;
  if (bare) {
    piece = std::string(key);
  } else {
    piece = "\"";
    for (const char c : key) {
      if (c == '"' || c == '\\') piece += '\\';
      piece += c;
    }
    piece += '"';
  }
  return parent.empty() ? piece : parent + "." + piece;
}

bool is_step_multiple(double x, double dt) {
  const double k = std::round(x / dt);
  return k >= 1 && std::abs(x - k * dt) <= 1e-9 * std::max(std::abs(x), dt);
}

bool at_least_step(double x, double dt) { return x >= dt * (1 - 1e-9); }

std::string step_limit_text(double dt) {
  return fmt::format("at most {:.0f} steps of dt ({})", max_steps, core::format_quantity(max_steps * dt, core::dimension::time));
}

}  // namespace detail

// ---- config_value -----------------------------------------------------------------------------

using namespace detail;  // the message helpers and the `field` spelling of config_value

field field::root(const origins& o, const toml::table& t) { return field(o, &t, "", o.file() + ":1"); }

field field::operator[](std::string_view key) const {
  const toml::node* child = table().get(key);
  return field(*origins_, child, key_path(path_, key), child ? origins_->where(*child, where_) : where_);
}

std::vector<std::pair<std::string, field>> field::entries() const {
  std::vector<std::pair<std::string, field>> out;
  for (const auto& [k, v] : table()) {
    const std::string key(k.str());
    out.emplace_back(key, field(*origins_, &v, key_path(path_, key), origins_->where(v, where_)));
  }
  std::stable_sort(out.begin(), out.end(), [&](const auto& x, const auto& y) {
    return origins_->order(*x.second.node()) < origins_->order(*y.second.node());
  });
  return out;
}

std::vector<field> field::elements() const {
  std::vector<field> out;
  const auto& a = array();
  for (std::size_t i = 0; i < a.size(); ++i)
    out.emplace_back(*origins_, &a[i], fmt::format("{}[{}]", path_, i), origins_->where(a[i], where_));
  return out;
}

void field::fail(std::string_view what) const { detail::fail(where_, path_, what); }

void field::fail_expected(std::string_view expected) const {
  if (!node_) fail(fmt::format("expected {}, found nothing (this key is required)", expected));
  fail(fmt::format("expected {}, found {}", expected, describe(*node_)));
}

void field::check_keys(const std::vector<std::string>& allowed, std::string_view what) const {
  for (const auto& [key, child] : entries()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string expected;
    if (allowed.empty())
      expected = what.empty() ? "no key here" : fmt::format("{} (there are none)", what);
    else
      expected = what.empty() ? "one of " + join(allowed) : fmt::format("{} ({})", what, join(allowed));
    const std::string hint = core::closest(key, allowed);
    child.fail(fmt::format("expected {}, found unknown key \"{}\"{}", expected, key,
                           hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
}

void field::check_keys(std::initializer_list<const char*> allowed, std::string_view what) const {
  check_keys(std::vector<std::string>(allowed.begin(), allowed.end()), what);
}

const toml::table& field::table(std::string_view expected) const {
  if (!node_ || !node_->is_table()) fail_expected(expected);
  return *node_->as_table();
}

const toml::array& field::array(std::string_view expected) const {
  if (!node_ || !node_->is_array()) fail_expected(expected);
  return *node_->as_array();
}

std::string field::string(std::string_view expected) const {
  if (!node_ || !node_->is_string()) fail_expected(expected);
  return *node_->value<std::string>();
}

std::int64_t field::integer(std::int64_t min, std::int64_t max) const {
  const std::string expected = max == std::numeric_limits<std::int64_t>::max()
                                   ? fmt::format("an integer >= {}", min)
                                   : fmt::format("an integer in [{}, {}]", min, max);
  if (!node_ || !node_->is_integer()) fail_expected(expected);
  const std::int64_t v = *node_->value<std::int64_t>();
  if (v < min || v > max) fail(fmt::format("expected {}, found {}", expected, v));
  return v;
}

std::uint64_t field::unsigned64() const {
  const std::string expected = fmt::format(
      "an integer in [0, {0}] (above {1} as a string of digits, e.g. \"{0}\")",
      std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::int64_t>::max());
  if (node_ && node_->is_integer()) {
    const std::int64_t v = *node_->value<std::int64_t>();
    if (v < 0) fail(fmt::format("expected {}, found {}", expected, v));
    return static_cast<std::uint64_t>(v);
  }
  if (node_ && node_->is_string()) {
    const std::string& s = node_->as_string()->get();
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);  // digits only: no sign, no space
    if (!s.empty() && ec == std::errc{} && end == s.data() + s.size()) return v;
  }
  fail_expected(expected);
}

bool field::boolean() const {
  if (!node_ || !node_->is_boolean()) fail_expected("a boolean (true or false)");
  return *node_->value<bool>();
}

double field::number(std::string_view expected) const {
  if (!node_ || !(node_->is_integer() || node_->is_floating_point())) fail_expected(expected);
  const double v = *node_->value<double>();
  if (!std::isfinite(v)) fail(fmt::format("expected {} (finite), found {}", expected, describe(*node_)));
  return v;
}

double field::quantity(core::dimension d) const {
  const std::string dim = dimension_text(d);
  if (node_ && node_->is_string()) {
    const std::string text = *node_->value<std::string>();
    std::string error;
    const auto q = core::parse_quantity(text, error);
    if (!q) fail(fmt::format("expected {} such as \"{}\", found \"{}\" ({})", dim, example_of(d), text, error));
    if (q->dim != d) fail(fmt::format("expected {}, found {} (\"{}\")", dim, core::dimension_name(q->dim), text));
    return q->value;
  }
  if (node_ && (node_->is_integer() || node_->is_floating_point())) {
    if (d == core::dimension::dimensionless) return number(dim);
    fail(fmt::format("expected {} written with its unit as a string, e.g. \"{}\", found {} without a unit", dim,
                     example_of(d), describe(*node_)));
  }
  if (node_ && node_->is_table() && node_->as_table()->contains("dist"))
    fail(fmt::format("expected {} such as \"{}\", found a distribution table (only one value is accepted here)", dim,
                     example_of(d)));
  fail_expected(fmt::format("{} such as \"{}\"", dim, example_of(d)));
}

network::value_dist field::value(core::dimension d) const {
  using kind = network::value_dist::kind;
  network::value_dist v;
  if (!node_ || !node_->is_table()) {
    if (!node_)
      fail_expected(fmt::format("{} such as \"{}\", or a distribution {{ dist = ... }}", dimension_text(d),
                                example_of(d)));
    v.a = quantity(d);
    return v;
  }
  const field dist = (*this)["dist"];
  if (!dist.present()) check_keys({"dist", "mean", "sd", "low", "high", "min", "max"}, "a key of a distribution");
  const std::string name = dist.string("a distribution name (normal, uniform, lognormal)");
  if (name == "normal" || name == "lognormal") {
    check_keys({"dist", "mean", "sd", "min", "max"}, fmt::format("a key of a {} distribution", name));
    v.type = name == "normal" ? kind::normal : kind::lognormal;
    v.a = (*this)["mean"].quantity(d);
    const field sd = (*this)["sd"];
    v.b = sd.quantity(d);
    if (v.b < 0) sd.fail(fmt::format("expected a standard deviation >= 0, found {}", core::format_quantity(v.b, d)));
    if (v.type == kind::lognormal && v.a == 0)
      (*this)["mean"].fail("expected a non-zero mean (its sign is the sign of every draw), found 0");
    // Draws are exp(mu + sigma z) with sigma^2 = log(1 + (sd/mean)^2): that square must be finite,
    // which it is below sqrt(DBL_MAX).
    static const double max_ratio = std::sqrt(std::numeric_limits<double>::max());
    if (v.type == kind::lognormal && !(std::fabs(v.b / v.a) < max_ratio))
      sd.fail(fmt::format("expected a standard deviation below {:.3g} times |mean| ({}), found {}", max_ratio,
                          core::format_quantity(std::fabs(v.a), d), core::format_quantity(v.b, d)));
    const field min = (*this)["min"], max = (*this)["max"];
    if (min.present()) v.min = min.quantity(d);
    if (max.present()) v.max = max.quantity(d);
    if (v.min > v.max)
      max.fail(fmt::format("expected max >= min ({}), found {}", core::format_quantity(v.min, d),
                           core::format_quantity(v.max, d)));
  } else if (name == "uniform") {
    check_keys({"dist", "low", "high"}, "a key of a uniform distribution");
    v.type = kind::uniform;
    v.a = (*this)["low"].quantity(d);
    const field high = (*this)["high"];
    v.b = high.quantity(d);
    if (!(v.b > v.a))
      high.fail(fmt::format("expected high > low ({}), found {}", core::format_quantity(v.a, d),
                            core::format_quantity(v.b, d)));
  } else {
    const std::string hint = core::closest(name, {"normal", "uniform", "lognormal"});
    dist.fail(fmt::format("expected a distribution name (normal, uniform, lognormal), found \"{}\"{}", name,
                          hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  return v;
}

config_file::config_file(std::string_view text, const std::string& file_name, const override_list& overrides)
    : origins_(std::make_unique<origins>(file_name)), table_(detail::parse_toml(text, file_name)) {
  detail::apply_overrides(table_, overrides, *origins_);
}

config_file::~config_file() = default;

config_value config_file::root() const { return config_value::root(*origins_, table_); }

}  // namespace neurite::io
