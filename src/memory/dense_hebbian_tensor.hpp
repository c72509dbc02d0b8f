#pragma once
// Reference cost and fields of a dense Hebbian network from its explicit synaptic tensor
// J_{i1..iP} = c_P N^{1-P} sum_rows w v_{i1}...v_{iP}, so that H = -sum J sigma_{i1}...sigma_{iP}.
// O(N^P) memory and time: it exists to check the overlap-based network for tiny N.
#include <cstdint>
#include <span>

#include "memory/dense_hebbian.hpp"

namespace neurite::memory {

double brute_force_energy(const dense_couplings& c, std::span<const std::int8_t> sigma);
// (H(sigma_i = -1) - H(sigma_i = +1)) / 2, both energies summed over the tensor.
double brute_force_field(const dense_couplings& c, std::span<const std::int8_t> sigma, std::uint32_t i);
// -dH/dsigma_i = P sum_{i2..iP} J_{i i2..iP} sigma_{i2}...sigma_{iP} (J is symmetric).
double brute_force_gradient_field(const dense_couplings& c, std::span<const std::int8_t> sigma, std::uint32_t i);

}  // namespace neurite::memory
