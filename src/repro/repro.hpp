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

// What a verdict is judged on: the paper's own figure or claim, or a criterion we chose where the
// paper gives none (printed as "ours", so that a reader never takes it for the paper's).
enum class criterion { paper, ours };
std::string_view criterion_name(criterion c);  // "paper", "ours"

struct row {
  std::string quantity, paper, neurite;
  verdict result = verdict::not_applicable;
  criterion basis = criterion::paper;
};

// How many rows carry a verdict on the paper's claims, how many on ours, and how many none.
struct tally {
  int paper = 0, ours = 0, not_applicable = 0;
};
tally count_rows(const std::vector<row>& rows);
std::string describe(const tally& t);  // "3 judged on the paper, 1 on our criteria, 2 n/a"

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

// No row is a miss, and at least one is judged on the paper's figures or claims: rows that are
// all n/a or all our own criteria reproduce nothing.
bool passed(const std::vector<row>& rows);
// Why not passed: "a row is a miss" or "no row is judged on the paper's claims"; empty if passed.
std::string failure_reason(const std::vector<row>& rows);
nlohmann::ordered_json result_json(std::string_view name, const std::vector<row>& rows);
// quantity | paper | neurite | verdict, the verdict followed by "(ours)" for our own criteria.
std::string format_table(const std::vector<row>& rows);

// A value printed with `digits` significant digits matches when ours rounds to it: within half a
// unit of the last digit (plus 1e-9 relative for the printed value's binary representation).
verdict compare_printed(double paper, int digits, double ours);
// Six significant digits: more than any value the papers print.
std::string show(double x);

}  // namespace neurite::repro
