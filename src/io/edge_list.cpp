#include "io/edge_list.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/text.hpp"

#include "io/toml_fields.hpp"

namespace neurite::io::detail {
namespace {
using core::trim;

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = line.find(',');
    out.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

bool looks_numeric(std::string_view s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+' || s[0] == '.');
}

}  // namespace

edge_list read_edge_list(const std::string& path, const std::string& key, core::index_t source_size,
                         core::index_t target_size, std::string& open_error) {
  edge_list out;
  std::error_code status_error;
  const auto type = std::filesystem::status(path, status_error).type();
  if (!status_error && type != std::filesystem::file_type::regular) {  // not /dev/zero nor a pipe
    open_error = file_kind(type);
    return out;
  }
  std::ifstream in(path);
  if (!in) {
    open_error = errno ? std::strerror(errno) : "cannot open";
    return out;
  }
  static const char* const names[] = {"source", "target", "weight", "delay"};
  std::string line;
  std::size_t number = 0;
  bool first = true;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 byte-order mark
    const auto where = fmt::format("{}:{}", path, number);
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto cells = split(text);
    if (first) {
      first = false;
      if (cells.size() < 2 || cells.size() > 4)
        fail(where, key, fmt::format("expected 2 to 4 columns (source,target[,weight[,delay]]), found {} in \"{}\"",
                                     cells.size(), text));
      out.columns = cells.size();
      if (!looks_numeric(cells[0])) {  // a header
        for (std::size_t i = 0; i < cells.size(); ++i)
          if (cells[i] != names[i])
            fail(where, key, fmt::format("expected a header \"source,target[,weight[,delay]]\", found \"{}\"", text));
        continue;
      }
    }
    if (cells.size() != out.columns)
      fail(where, key, fmt::format("expected {} columns like the first row, found {} in \"{}\"", out.columns,
                                   cells.size(), text));
    network::connector_desc::edge e{};
    const auto read_id = [&](std::string_view cell, const char* what, core::index_t size) {
      std::uint64_t id = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), id);
      if (ec != std::errc{} || end != cell.data() + cell.size() || cell.empty())
        fail(where, key, fmt::format("expected a {} id (an integer in [0, {}]), found \"{}\"", what, size - 1, cell));
      if (id >= size)
        fail(where, key, fmt::format("expected a {} id in [0, {}] (the population has {} neurons), found {}", what,
                                     size - 1, size, id));
      return static_cast<core::index_t>(id);
    };
    const auto read_number = [&](std::string_view cell, const char* what) {
      double v = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc{} || end != cell.data() + cell.size() || cell.empty() || !std::isfinite(v))
        fail(where, key, fmt::format("expected a {} (a finite number), found \"{}\"", what, cell));
      return v;
    };
    e.source = read_id(cells[0], "source", source_size);
    e.target = read_id(cells[1], "target", target_size);
    if (out.columns >= 3) e.weight = read_number(cells[2], "weight");
    if (out.columns >= 4) e.delay = read_number(cells[3], "delay");
    out.edges.push_back(e);
    out.lines.push_back(number);
  }
  if (in.bad()) open_error = "a read error";
  return out;
}

}  // namespace neurite::io::detail
