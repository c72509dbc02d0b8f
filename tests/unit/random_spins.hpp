#pragma once
// Random +-1 states for the dense Hebbian tests, from the test purpose of the counter-based RNG.
#include <cstdint>
#include <vector>

#include "core/rng.hpp"

namespace neurite::testing {

inline std::vector<std::int8_t> random_spins(std::uint32_t n, std::uint64_t seed) {
  core::random_stream s(seed, static_cast<std::uint32_t>(core::purpose::test), 0);
  std::vector<std::int8_t> spins(n);
  for (auto& x : spins) x = (s.next_u32() >> 31) ? 1 : -1;
  return spins;
}

}  // namespace neurite::testing
