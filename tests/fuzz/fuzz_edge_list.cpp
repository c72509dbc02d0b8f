// libFuzzer harness: the CSV file of an explicit connector (io::detail::read_edge_list). The
// first two bytes give the sizes of the source and target populations (1 to 256), the rest is
// the file; every problem must come out as an io::model_error or as open_error, and every
// edge read must lie within the populations.
#include <cmath>
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "io/edge_list.hpp"
#include "io/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static neurite::fuzz::temp_file file(".csv");
  if (size < 2) return 0;
  const neurite::core::index_t source_size = data[0] + 1u, target_size = data[1] + 1u;
  const std::string& path = file.write(data + 2, size - 2);
  try {
    std::string open_error;
    const auto list = neurite::io::detail::read_edge_list(path, "projections[0].connector.file", source_size,
                                                          target_size, open_error);
    neurite::fuzz::require(list.lines.size() == list.edges.size());
    neurite::fuzz::require(list.columns >= 2 && list.columns <= 4);
    for (const auto& e : list.edges) {
      neurite::fuzz::require(e.source < source_size && e.target < target_size);
      neurite::fuzz::require(!e.weight || std::isfinite(*e.weight));
      neurite::fuzz::require(!e.delay || std::isfinite(*e.delay));
    }
  } catch (const neurite::io::model_error&) {
  }
  return 0;
}
