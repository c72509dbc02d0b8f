#include "memory/dense_hebbian_tensor.hpp"

#include <cmath>
#include <vector>

namespace neurite::memory {

namespace {

// Calls f(indices) for every P-tuple of indices in [0, n), as an odometer.
template <class F>
void for_each_tuple(std::uint32_t n, unsigned p, F f) {
  std::vector<std::uint32_t> idx(p, 0);
  while (true) {
    f(idx);
    unsigned k = 0;
    while (k < p && ++idx[k] == n) idx[k++] = 0;
    if (k == p) return;
  }
}

double tensor_entry(const dense_couplings& c, const std::vector<std::uint32_t>& idx) {
  double sum = 0;
  for (std::uint32_t row = 0; row < c.rows; ++row) {
    double product = c.weight[row];
    for (const std::uint32_t i : idx) product *= c.pattern(row, i);
    sum += product;
  }
  return c.c_p * std::pow(static_cast<double>(c.n), 1.0 - c.p) * sum;
}

}  // namespace

double brute_force_energy(const dense_couplings& c, std::span<const std::int8_t> sigma) {
  double e = 0;
  for_each_tuple(c.n, c.p, [&](const std::vector<std::uint32_t>& idx) {
    double product = tensor_entry(c, idx);
    for (const std::uint32_t i : idx) product *= sigma[i];
    e -= product;
  });
  return e;
}

double brute_force_field(const dense_couplings& c, std::span<const std::int8_t> sigma, std::uint32_t i) {
  std::vector<std::int8_t> s(sigma.begin(), sigma.end());
  s[i] = -1;
  const double down = brute_force_energy(c, s);
  s[i] = 1;
  return 0.5 * (down - brute_force_energy(c, s));
}

double brute_force_gradient_field(const dense_couplings& c, std::span<const std::int8_t> sigma, std::uint32_t i) {
  double h = 0;
  for_each_tuple(c.n, c.p - 1, [&](const std::vector<std::uint32_t>& rest) {
    std::vector<std::uint32_t> idx{i};
    idx.insert(idx.end(), rest.begin(), rest.end());
    double product = tensor_entry(c, idx);
    for (const std::uint32_t j : rest) product *= sigma[j];
    h += product;
  });
  return c.p * h;
}

}  // namespace neurite::memory
