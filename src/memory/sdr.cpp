#include "memory/sdr.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace neurite::memory {
namespace {

// k distinct values out of [0, m), in the order drawn. Floyd's algorithm marks chosen values in
// a bitmask, which costs m/8 bytes but keeps every draw O(1) even for dense codes.
std::vector<cell_t> distinct_below(cell_t m, cell_t k, core::random_stream& rng) {
  if (k > m) throw std::invalid_argument("cannot choose " + std::to_string(k) + " of " + std::to_string(m));
  std::vector<std::uint64_t> taken((m + 63) / 64, 0);
  auto take = [&](cell_t v) {
    const bool was = (taken[v >> 6] >> (v & 63u)) & 1u;
    taken[v >> 6] |= std::uint64_t{1} << (v & 63u);
    return !was;
  };
  std::vector<cell_t> out;
  out.reserve(k);
  for (cell_t j = m - k; j < m; ++j) {
    const cell_t t = rng.below(j + 1);
    out.push_back(take(t) ? t : j);
    if (out.back() == j) take(j);
  }
  return out;
}

}  // namespace

sdr make_sdr(cell_t n, std::vector<cell_t> indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  if (!indices.empty() && indices.back() >= n)
    throw std::invalid_argument("cell " + std::to_string(indices.back()) + " is outside an SDR of " +
                                std::to_string(n) + " cells");
  return {n, std::move(indices)};
}

sdr_bits::sdr_bits(const sdr& x) : n_(x.n), words_((x.n + 63) / 64, 0) {
  for (const cell_t i : x.active) words_[i >> 6] |= std::uint64_t{1} << (i & 63u);
}

std::size_t sdr_bits::count() const {
  std::size_t c = 0;
  for (const auto w : words_) c += static_cast<std::size_t>(std::popcount(w));
  return c;
}

// A merge of the two sorted lists without data-dependent branches (they mispredict about every
// other element on random SDRs): each step advances the smaller side, or both on a match.
std::size_t overlap(const sdr& x, const sdr& y) {
  const cell_t *a = x.active.data(), *b = y.active.data();
  const std::size_t na = x.active.size(), nb = y.active.size();
  std::size_t c = 0, i = 0, j = 0;
  while (i < na && j < nb) {
    const cell_t u = a[i], v = b[j];
    c += u == v;
    i += u <= v;
    j += v <= u;
  }
  return c;
}

std::size_t overlap(const sdr_bits& x, const sdr_bits& y) {
  const std::size_t words = std::min(x.words().size(), y.words().size());
  std::size_t c = 0;
  for (std::size_t w = 0; w < words; ++w) c += static_cast<std::size_t>(std::popcount(x.words()[w] & y.words()[w]));
  return c;
}

std::size_t overlap(const sdr_bits& x, const sdr& y) {
  std::size_t c = 0;
  for (const cell_t i : y.active) c += i < x.n() && x.test(i);
  return c;
}

sdr union_of(std::span<const sdr> xs) {
  sdr u{xs.empty() ? 0 : xs.front().n, {}};
  for (const auto& x : xs) {
    std::vector<cell_t> merged;
    merged.reserve(u.active.size() + x.active.size());
    std::set_union(u.active.begin(), u.active.end(), x.active.begin(), x.active.end(), std::back_inserter(merged));
    u.active = std::move(merged);
  }
  return u;
}

sdr random_sdr(cell_t n, cell_t a, core::random_stream& rng) {
  auto cells = distinct_below(n, a, rng);
  std::sort(cells.begin(), cells.end());
  return {n, std::move(cells)};
}

sdr subsample(const sdr& x, cell_t s, core::random_stream& rng) {
  auto picks = distinct_below(static_cast<cell_t>(x.active.size()), s, rng);
  for (auto& p : picks) p = x.active[p];
  std::sort(picks.begin(), picks.end());
  return {x.n, std::move(picks)};
}

sdr add_noise(const sdr& x, cell_t k, core::random_stream& rng) {
  const auto a = static_cast<cell_t>(x.active.size());
  // Rank r among the inactive cells is cell r + (number of active cells at or below it).
  auto fresh = distinct_below(x.n - a, k, rng);
  std::sort(fresh.begin(), fresh.end());
  std::size_t passed = 0;
  for (auto& r : fresh) {
    while (passed < a && x.active[passed] <= r + passed) ++passed;
    r += static_cast<cell_t>(passed);
  }
  const auto dropped = distinct_below(a, k, rng);
  std::vector<bool> drop(a, false);
  for (const cell_t d : dropped) drop[d] = true;
  std::vector<cell_t> cells(fresh.begin(), fresh.end());
  for (cell_t i = 0; i < a; ++i)
    if (!drop[i]) cells.push_back(x.active[i]);
  std::sort(cells.begin(), cells.end());
  return {x.n, std::move(cells)};
}

bool dendritic_neuron::active(const sdr_bits& input) const {
  return std::any_of(segments_.begin(), segments_.end(), [&](const auto& s) { return s.active(input); });
}

}  // namespace neurite::memory
