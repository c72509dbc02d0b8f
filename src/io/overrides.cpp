#include "io/overrides.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/text.hpp"

namespace neurite::io::detail {
namespace {
using core::trim;

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "a.b[2].c" -> {"a", "b", "2", "c"}; empty on malformed keys.
std::vector<std::string> split_key(std::string_view key) {
  std::vector<std::string> out;
  std::string current;
  bool after_bracket = false;  // "]" just closed a segment
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '.') {
      if (current.empty() && !after_bracket) return {};
      if (!current.empty()) out.push_back(current);
      current.clear();
      after_bracket = false;
    } else if (c == '[') {
      const auto close = key.find(']', i);
      if (close == std::string_view::npos || (current.empty() && !after_bracket && out.empty())) return {};
      if (!current.empty()) out.push_back(current);
      current.clear();
      const auto index = key.substr(i + 1, close - i - 1);
      if (!is_index(index)) return {};
      out.emplace_back(index);
      i = close;
      after_bracket = true;
    } else {
      if (after_bracket) return {};
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  else if (!after_bracket) return {};
  return out;
}

// The value as TOML ("100", "true", "[1, 2]", "{ rule = \"one_to_one\" }", "\"x\""), else a string.
toml::table parse_value(std::string_view text) {
  try {
    toml::table parsed = toml::parse("v = " + std::string(text));
    if (parsed.size() == 1 && parsed.contains("v")) return parsed;
  } catch (const toml::parse_error&) {
  }
  toml::table as_string;
  as_string.insert("v", std::string(text));
  return as_string;
}

// Applies override number n (its rank, for the file order of what it adds), located as `where`.
void apply_one(toml::table& root, const std::string& text, int n, const std::string& where, origins& o) {
  const auto eq = text.find('=');
  const auto key = trim(std::string_view(text).substr(0, eq == std::string::npos ? text.size() : eq));
  const auto segments = split_key(key);
  if (eq == std::string::npos || segments.empty())
    fail(where, "",
         fmt::format("expected KEY=VALUE with a dotted KEY, e.g. \"simulation.duration=2 s\", found \"{}\"", text));
  const auto value_text = trim(std::string_view(text).substr(eq + 1));
  if (segments.size() > max_nesting || !too_deep(value_text, static_cast<int>(segments.size())).empty())
    fail(where, "",
         fmt::format("expected a KEY and VALUE nested at most {} levels deep together (key parts, inline tables and "
                     "arrays), found deeper nesting in \"{}\"",
                     max_nesting, text.size() > 60 ? text.substr(0, 60) + "..." : text));
  toml::table parsed = parse_value(value_text);
  toml::node& value = *parsed.get("v");

  toml::node* current = &root;
  std::string shown;  // the path so far, as messages write it
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    const bool last = i + 1 == segments.size();
    if (auto* table = current->as_table()) {
      const std::string next_shown = key_path(shown, seg);
      toml::node* child = table->get(seg);
      if (last) {
        std::optional<origins::order_key> replaced;
        if (child) replaced = o.order(*child);
        value.visit([&](auto& v) { table->insert_or_assign(seg, std::move(v)); });
        o.mark(*table->get(seg), n, where, replaced);
        return;
      }
      if (!child) {
        if (is_index(segments[i + 1]))
          fail(where, next_shown, fmt::format("expected an array to take element {}, found nothing", segments[i + 1]));
        if (shown == "populations") {
          std::vector<std::string> names;
          for (const auto& [k, v] : *table) names.emplace_back(k.str());
          fail(where, next_shown,
               fmt::format("expected the name of a population in the file ({}), found \"{}\" (to add a population, "
                           "set the whole table: populations.{}={{ model = ..., size = ... }})",
                           names.empty() ? "there are none" : join(names), seg, seg));
        }
        child = table->insert(seg, toml::table{}).first->second.as_table();
        o.mark(*child, n, where);
      }
      current = child;
      shown = next_shown;
    } else if (auto* array = current->as_array()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), index);
      if (!is_index(seg) || ec != std::errc{} || end != seg.data() + seg.size())
        fail(where, shown, fmt::format("expected an element number below {} (elements count from 0), found \"{}\"",
                                       array->size(), seg));
      const std::string next_shown = fmt::format("{}[{}]", shown, seg);
      if (index >= array->size())
        fail(where, next_shown,
             fmt::format("expected an element number below {} (elements count from 0), found {}", array->size(),
                         index));
      if (last) {
        const auto replaced = o.order(*array->get(index));
        value.visit([&](auto& v) { array->replace(array->cbegin() + static_cast<std::ptrdiff_t>(index), std::move(v)); });
        o.mark(*array->get(index), n, where, replaced);
        return;
      }
      current = array->get(index);
      shown = next_shown;
    } else {
      std::vector<std::string> rest(segments.begin() + static_cast<std::ptrdiff_t>(i), segments.end());
      fail(where, shown,
           fmt::format("expected a table to set \"{}\" in, found {}", fmt::join(rest, "."), describe(*current)));
    }
  }
}

}  // namespace

void apply_overrides(toml::table& root, const override_list& overrides, origins& o) {
  int sets = 0;  // --set entries so far, for "--set:N"
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const auto& [text, origin] = overrides[i];
    const std::string where = origin.empty() ? fmt::format("--set:{}", ++sets) : origin;
    apply_one(root, text, static_cast<int>(i) + 1, where, o);
  }
}

}  // namespace neurite::io::detail
