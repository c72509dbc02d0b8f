#include "memory/dense_hebbian_sweep.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "memory/dense_hebbian.hpp"

namespace neurite::memory {

namespace {

std::uint32_t odd_examples_for(double r, double rho) {
  if (!(r > 0 && r <= 1 && rho > 0)) throw std::invalid_argument("rho sweep: need 0 < r <= 1 and rho > 0");
  const auto m = static_cast<std::uint32_t>(std::lround((1 - r * r) / (rho * r * r)));
  return m % 2 == 0 ? m + 1 : m;
}

// The T = 0 fixed point reached from each archetype, its Mattis overlap averaged over them.
double relaxed_overlap(const hebbian_dataset& d, unsigned p, std::uint64_t seed) {
  const auto c = supervised_couplings(d, p, 0.5);  // c_P does not change T = 0 dynamics
  double m = 0;
  for (std::uint32_t mu = 0; mu < d.params.k; ++mu) {
    dense_hebbian_net net(c, d.archetype(mu));
    relax_zero_temperature(net, seed, 100);
    m += mattis_overlap(d.archetype(mu), net.spins());
  }
  return m / d.params.k;
}

}  // namespace

std::vector<rho_sweep_row> zero_temperature_rho_sweep(const rho_sweep_params& p) {
  std::vector<rho_sweep_row> rows;
  for (const double rho : p.rho) {
    const std::uint32_t m = odd_examples_for(p.r, rho);
    const auto d = make_dataset({.n = p.n, .k = p.k, .m = m, .r = p.r, .seed = p.seed});
    const double used = dataset_entropy(p.r, m);
    rows.push_back({fmt::format("m(T=0), rho={:.3g}, r={}, M={}", used, p.r, m), used,
                    std::erf(1 / std::sqrt(2 * rho)), majority_vote_overlap(p.r, m), relaxed_overlap(d, p.p, p.seed)});
  }
  return rows;
}

}  // namespace neurite::memory
