#pragma once
// Reproductions of published results: each is registered by name and returns one row per
// quantity, the paper's value next to ours with a verdict. `neurite repro` lists and runs them;
// the validation tests run them at small size.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace neurite::repro {

enum class verdict { match, miss, not_applicable };
std::string_view verdict_name(verdict v);  // "match", "miss", "n/a"

struct row {
  std::string quantity, paper, neurite;
  verdict result = verdict::not_applicable;
};

struct options {
  bool full = false;   // the paper's sizes instead of a quick check
  std::string out;     // folder for CSV files; created by the reproduction
  std::uint64_t seed = 1;
  int threads = 0;     // training threads; 0: one per core. No result depends on it.
};

// The threads a reproduction uses: options.threads, or one per core when it is 0.
int training_threads(const options& o);

struct reproduction {
  std::string name, description, status;
  std::function<std::vector<row>(const options&)> run;
};

// Registration at static initialisation: `const bool registered = register_reproduction({...});`
bool register_reproduction(reproduction r);
const std::vector<reproduction>& reproductions();  // sorted by name
const reproduction* find_reproduction(std::string_view name);

bool passed(const std::vector<row>& rows);  // no row is a miss
nlohmann::json result_json(std::string_view name, const std::vector<row>& rows);
std::string format_table(const std::vector<row>& rows);  // quantity | paper | neurite | verdict

// A value printed with `digits` significant digits matches when ours rounds to it: within half a
// unit of the last digit (plus 1e-9 relative for the printed value's binary representation).
verdict compare_printed(double paper, int digits, double ours);
// Six significant digits: more than any value the papers print.
std::string show(double x);

}  // namespace neurite::repro
