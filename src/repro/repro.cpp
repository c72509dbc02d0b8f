#include "repro/repro.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include <fmt/format.h>

namespace neurite::repro {
namespace {

std::vector<reproduction>& registry() {
  static std::vector<reproduction> all;  // a function-local static: safe during static initialisation
  return all;
}

}  // namespace

std::string_view verdict_name(verdict v) {
  switch (v) {
    case verdict::match:
      return "match";
    case verdict::miss:
      return "miss";
    case verdict::not_applicable:
      break;
  }
  return "n/a";
}

bool register_reproduction(reproduction r) {
  auto& all = registry();
  all.push_back(std::move(r));
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
  return true;
}

const std::vector<reproduction>& reproductions() { return registry(); }

const reproduction* find_reproduction(std::string_view name) {
  for (const auto& r : registry())
    if (r.name == name) return &r;
  return nullptr;
}

int training_threads(const options& o) {
  return o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

bool passed(const std::vector<row>& rows) {
  return std::none_of(rows.begin(), rows.end(), [](const row& r) { return r.result == verdict::miss; });
}

nlohmann::json result_json(std::string_view name, const std::vector<row>& rows) {
  nlohmann::json j{{"name", name}, {"passed", passed(rows)}, {"rows", nlohmann::json::array()}};
  for (const auto& r : rows)
    j["rows"].push_back(
        {{"quantity", r.quantity}, {"paper", r.paper}, {"neurite", r.neurite}, {"verdict", verdict_name(r.result)}});
  return j;
}

std::string format_table(const std::vector<row>& rows) {
  std::size_t wq = 8, wp = 5, wn = 7;
  for (const auto& r : rows) {
    wq = std::max(wq, r.quantity.size());
    wp = std::max(wp, r.paper.size());
    wn = std::max(wn, r.neurite.size());
  }
  std::string out = fmt::format("{:<{}} | {:<{}} | {:<{}} | verdict\n", "quantity", wq, "paper", wp, "neurite", wn);
  out += fmt::format("{:-<{}}-+-{:-<{}}-+-{:-<{}}-+--------\n", "", wq, "", wp, "", wn);
  for (const auto& r : rows)
    out += fmt::format("{:<{}} | {:<{}} | {:<{}} | {}\n", r.quantity, wq, r.paper, wp, r.neurite, wn,
                       verdict_name(r.result));
  return out;
}

verdict compare_printed(double paper, int digits, double ours) {
  const double unit = std::pow(10.0, std::floor(std::log10(std::fabs(paper))) - digits + 1);
  return std::fabs(ours - paper) <= 0.5 * unit + 1e-9 * std::fabs(paper) ? verdict::match : verdict::miss;
}

std::string show(double x) { return fmt::format("{:.6g}", x); }

}  // namespace neurite::repro
