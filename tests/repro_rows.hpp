#pragma once
// What the reproduction tests read back: a written file whole or as CSV records, and a row by the
// start of its quantity (rows are named by text, and their figures follow the name).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::test_files {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lines of a CSV file after its header, split at commas.
inline std::vector<std::vector<std::string>> csv_records(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> out;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string cell;
    auto& record = out.emplace_back();
    while (std::getline(s, cell, ',')) record.push_back(cell);
  }
  return out;
}

inline const repro::row& find_row(const std::vector<repro::row>& rows, const std::string& quantity) {
  for (const auto& r : rows)
    if (r.quantity.rfind(quantity, 0) == 0) return r;
  throw std::runtime_error("no row " + quantity);
}

}  // namespace neurite::test_files
