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

std::string_view criterion_name(criterion c) { return c == criterion::paper ? "paper" : "ours"; }

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

tally count_rows(const std::vector<row>& rows) {
  tally t;
  for (const auto& r : rows) {
    if (r.result == verdict::not_applicable)
      ++t.not_applicable;
    else if (r.basis == criterion::paper)
      ++t.paper;
    else
      ++t.ours;
  }
  return t;
}

std::string describe(const tally& t) {
  return fmt::format("{} judged on the paper, {} on our criteria, {} n/a", t.paper, t.ours, t.not_applicable);
}

std::string failure_reason(const std::vector<row>& rows) {
  if (std::any_of(rows.begin(), rows.end(), [](const row& r) { return r.result == verdict::miss; }))
    return "a row is a miss";
  if (count_rows(rows).paper == 0) return "no row is judged on the paper's figures or claims";
  return {};
}

bool passed(const std::vector<row>& rows) { return failure_reason(rows).empty(); }

nlohmann::ordered_json result_json(std::string_view name, const std::vector<row>& rows) {
  const tally t = count_rows(rows);
  nlohmann::ordered_json j{{"name", name},
                           {"passed", passed(rows)},
                           {"rows_judged_on_paper", t.paper},
                           {"rows_judged_on_ours", t.ours},
                           {"rows_not_applicable", t.not_applicable},
                           {"rows", nlohmann::ordered_json::array()}};
  for (const auto& r : rows)
    j["rows"].push_back({{"quantity", r.quantity},
                         {"paper", r.paper},
                         {"neurite", r.neurite},
                         {"verdict", verdict_name(r.result)},
                         {"criterion", r.result == verdict::not_applicable ? "none" : criterion_name(r.basis)}});
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
  for (const auto& r : rows) {
    const bool ours = r.basis == criterion::ours && r.result != verdict::not_applicable;
    out += fmt::format("{:<{}} | {:<{}} | {:<{}} | {}{}\n", r.quantity, wq, r.paper, wp, r.neurite, wn,
                       verdict_name(r.result), ours ? " (ours)" : "");
  }
  return out;
}

verdict compare_printed(double paper, int digits, double ours) {
  const double unit = std::pow(10.0, std::floor(std::log10(std::fabs(paper))) - digits + 1);
  return std::fabs(ours - paper) <= 0.5 * unit + 1e-9 * std::fabs(paper) ? verdict::match : verdict::miss;
}

std::string show(double x) { return fmt::format("{:.6g}", x); }

}  // namespace neurite::repro
