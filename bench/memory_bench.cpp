// Throughput of the memory module's inner operations, as JSON on stdout, for
// bench/memory_vs_numpy.py to set against NumPy:
//
//   neurite_memory_bench sdr N A S THETA TRIALS   overlaps and dendritic-segment matches per second
//   neurite_memory_bench hebbian N K P SWEEPS     heat-bath sweeps per second of a dense Hebbian net
//
// Setting up the data is not timed. Each timed loop repeats until it has run for kMinSeconds, so
// that small sizes still give stable rates, and folds its results into a checksum that is
// printed, so that the compiler cannot drop the work.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/rng.hpp"
#include "memory/dense_hebbian.hpp"
#include "memory/sdr.hpp"

namespace {

using namespace neurite;
using clock_type = std::chrono::steady_clock;

constexpr double kMinSeconds = 0.3;
constexpr std::uint64_t kSeed = 20261128;
// Hebbian network: the dataset and temperature do not change the cost of a sweep (every spin
// is visited and draws its own uniform), so they are fixed at a retrieving, noisy point.
constexpr std::uint32_t kExamples = 11;
constexpr double kQuality = 0.5;
constexpr double kBeta = 10.0;
constexpr double kCostConstant = 0.5;

struct timing {
  double ops_per_s;
  std::uint64_t checksum;
};

// Runs pass() (which does ops_per_pass operations and returns a checksum) until kMinSeconds
// have passed.
template <class Pass>
timing time_passes(std::uint64_t ops_per_pass, Pass pass) {
  std::uint64_t passes = 0, checksum = 0;
  const auto start = clock_type::now();
  double elapsed = 0;
  do {
    checksum += pass();
    ++passes;
    elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
  } while (elapsed < kMinSeconds);
  return {static_cast<double>(passes * ops_per_pass) / elapsed, checksum};
}

std::uint32_t arg_u32(const char* text) {
  char* end = nullptr;
  const unsigned long value = std::strtoul(text, &end, 10);
  if (end == text || *end != '\0' || value > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument(std::string("not a count: ") + text);
  return static_cast<std::uint32_t>(value);
}

nlohmann::json sdr_bench(memory::cell_t n, memory::cell_t a, memory::cell_t s, memory::cell_t theta,
                         std::uint32_t trials) {
  core::random_stream rng(kSeed, static_cast<std::uint32_t>(core::purpose::test), 0);
  const memory::sdr reference = memory::random_sdr(n, a, rng);
  const memory::sdr_bits reference_bits(reference);
  std::vector<memory::sdr> batch;
  std::vector<memory::sdr_bits> batch_bits;
  std::vector<memory::dendritic_segment> segments;
  for (std::uint32_t t = 0; t < trials; ++t) {
    batch.push_back(memory::random_sdr(n, a, rng));
    batch_bits.emplace_back(batch.back());
    // Half the segments learned the reference, so that both outcomes of the threshold occur.
    const memory::sdr& learned = t % 2 == 0 ? reference : batch.back();
    segments.emplace_back(memory::subsample(learned, s, rng), theta);
  }

  const auto sorted = time_passes(trials, [&] {
    std::uint64_t c = 0;
    for (const auto& x : batch) c += memory::overlap(x, reference);
    return c;
  });
  const auto bits = time_passes(trials, [&] {
    std::uint64_t c = 0;
    for (const auto& x : batch_bits) c += memory::overlap(x, reference_bits);
    return c;
  });
  const auto matches = time_passes(trials, [&] {
    std::uint64_t c = 0;
    for (const auto& segment : segments) c += segment.active(reference_bits);
    return c;
  });
  return {{"mode", "sdr"}, {"n", n}, {"a", a}, {"s", s}, {"theta", theta}, {"trials", trials},
          {"overlap_sorted_per_s", sorted.ops_per_s}, {"overlap_bits_per_s", bits.ops_per_s},
          {"segment_matches_per_s", matches.ops_per_s},
          {"checksum", sorted.checksum + bits.checksum + matches.checksum}};
}

nlohmann::json hebbian_bench(std::uint32_t n, std::uint32_t k, unsigned p, std::uint32_t sweeps) {
  const auto d = memory::make_dataset({.n = n, .k = k, .m = kExamples, .r = kQuality, .seed = kSeed});
  // Start from an example of archetype 0: the network retrieves it, as in the paper's runs.
  memory::dense_hebbian_net net(memory::supervised_couplings(d, p, kCostConstant), d.example(0, 0));
  std::uint64_t sweep_index = 0;
  const auto run = time_passes(sweeps, [&] {
    std::uint64_t flips = 0;
    for (std::uint32_t s = 0; s < sweeps; ++s) flips += net.sweep(kBeta, kSeed, sweep_index++);
    return flips;
  });
  return {{"mode", "hebbian"}, {"n", n}, {"k", k}, {"p", p}, {"m", kExamples}, {"r", kQuality},
          {"beta", kBeta}, {"sweeps", sweep_index}, {"sweeps_per_s", run.ops_per_s},
          {"spin_updates_per_s", run.ops_per_s * n}, {"flips", run.checksum},
          {"mattis_0", memory::mattis_overlap(d.archetype(0), net.spins())}};
}

int usage() {
  std::cerr << "usage: neurite_memory_bench sdr N A S THETA TRIALS\n"
               "       neurite_memory_bench hebbian N K P SWEEPS\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char*> args(argv, static_cast<std::size_t>(argc));
  try {
    if (args.size() == 7 && std::string(args[1]) == "sdr") {
      std::cout << sdr_bench(arg_u32(args[2]), arg_u32(args[3]), arg_u32(args[4]), arg_u32(args[5]), arg_u32(args[6]))
                << '\n';
    } else if (args.size() == 6 && std::string(args[1]) == "hebbian") {
      std::cout << hebbian_bench(arg_u32(args[2]), arg_u32(args[3]), arg_u32(args[4]), arg_u32(args[5])) << '\n';
    } else {
      return usage();
    }
  } catch (const std::exception& e) {
    std::cerr << "neurite_memory_bench: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
