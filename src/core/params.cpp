#include "core/params.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace neurite::core {

std::string param_spec::range_text(bool with_units) const {
  const auto bound = [&](double v) { return with_units ? format_quantity(v, dim) : fmt::format("{:.15g}", v); };
  if (!choices.empty()) return fmt::format("\"{}\"", fmt::join(choices, "\" | \""));
  if (is_flag()) return "true | false";
  const bool low = std::isfinite(min), high = std::isfinite(max);
  const std::string whole = integer ? ", whole" : "";
  if (low && high) return fmt::format("{}{}, {}]{}", min_exclusive ? "(" : "[", bound(min), bound(max), whole);
  if (low) return fmt::format("{} {}{}", min_exclusive ? ">" : ">=", bound(min), whole);
  if (high) return fmt::format("<= {}{}", bound(max), whole);
  return "any" + whole;
}

std::string param_spec::check(double value) const {
  if (!std::isfinite(value)) return fmt::format("expected a finite value, found {}", value);
  const bool below = min_exclusive ? value <= min : value < min;
  if (below || value > max)
    return fmt::format("expected a value {}{}, found {}", std::isfinite(min) && std::isfinite(max) ? "in " : "",
                       range_text(), format_quantity(value, dim));
  if (integer && value != std::floor(value)) return fmt::format("expected a whole number, found {}", value);
  return {};
}

const param_spec* find_param(const param_table& table, std::string_view name) {
  for (const auto& p : table)
    if (p.name == name) return &p;
  return nullptr;
}

param_set::param_set(const param_table& table) : table_(&table) {
  values_.reserve(table.size());
  for (const auto& p : table) values_.push_back(p.default_value);
}

double param_set::operator[](std::string_view name) const {
  for (std::size_t i = 0; i < table_->size(); ++i)
    if ((*table_)[i].name == name) return values_[i];
  throw std::out_of_range(fmt::format("no parameter named '{}'", name));
}

void param_set::set(std::string_view name, double value) {
  for (std::size_t i = 0; i < table_->size(); ++i)
    if ((*table_)[i].name == name) {
      values_[i] = value;
      return;
    }
  throw std::out_of_range(fmt::format("no parameter named '{}'", name));
}

std::string expect_less(const param_set& p, std::string_view lower, std::string_view upper) {
  if (p[lower] < p[upper]) return {};
  const auto show = [&](std::string_view name) {
    return format_quantity(p[name], find_param(p.table(), name)->dim);
  };
  return fmt::format("expected {0} < {1}, found {0} = {2} and {1} = {3}", lower, upper, show(lower), show(upper));
}

}  // namespace neurite::core
