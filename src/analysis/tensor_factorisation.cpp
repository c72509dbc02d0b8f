#include "analysis/tensor_factorisation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"

namespace neurite::analysis {
namespace {

// Gram matrix F^T F of an n x R factor.
std::vector<double> gram(const std::vector<double>& f, std::size_t n, std::size_t R) {
  std::vector<double> g(R * R, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = 0; s < R; ++s) g[r * R + s] += f[i * R + r] * f[i * R + s];
  return g;
}

// Matricised tensor times Khatri-Rao product for one mode: M[n, r] = sum over the two other
// indices of X times the two other factors' entries.
std::vector<double> mttkrp(const tensor3& x, const cp_model& m, int mode) {
  const std::size_t R = m.rank;
  const std::size_t n = mode == 0 ? x.I : mode == 1 ? x.J : x.K;
  std::vector<double> out(n * R, 0.0);
  for (std::size_t i = 0; i < x.I; ++i)
    for (std::size_t j = 0; j < x.J; ++j)
      for (std::size_t k = 0; k < x.K; ++k) {
        const double v = x.at(i, j, k);
        if (v == 0.0) continue;
        for (std::size_t r = 0; r < R; ++r) {
          if (mode == 0) out[i * R + r] += v * m.B[j * R + r] * m.C[k * R + r];
          else if (mode == 1) out[j * R + r] += v * m.A[i * R + r] * m.C[k * R + r];
          else out[k * R + r] += v * m.A[i * R + r] * m.B[j * R + r];
        }
      }
  return out;
}

// The HALS sweep over the columns of one factor f (n x R) given M = MTTKRP and G = Hadamard product
// of the other two Gram matrices: each column's exact non-negative least-squares update.
void hals_update(std::vector<double>& f, std::size_t n, std::size_t R, const std::vector<double>& M,
                 const std::vector<double>& G) {
  for (std::size_t r = 0; r < R; ++r) {
    const double grr = G[r * R + r];
    if (grr <= 1e-300) continue;  // the other factors' column is zero: any value is optimal
    for (std::size_t i = 0; i < n; ++i) {
      double fg = 0;
      for (std::size_t s = 0; s < R; ++s) fg += f[i * R + s] * G[s * R + r];
      f[i * R + r] = std::max(0.0, f[i * R + r] + (M[i * R + r] - fg) / grr);
    }
  }
}

double column_norm(const std::vector<double>& f, std::size_t n, std::size_t R, std::size_t r) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += f[i * R + r] * f[i * R + r];
  return std::sqrt(s);
}

// Unit-norm columns of A and B, the scale moved into C: the loss is unchanged, the factors stay balanced.
void normalise(cp_model& m, std::size_t I, std::size_t J, std::size_t K) {
  for (std::size_t r = 0; r < m.rank; ++r) {
    const double na = column_norm(m.A, I, m.rank, r), nb = column_norm(m.B, J, m.rank, r);
    if (na <= 0 || nb <= 0) continue;
    for (std::size_t i = 0; i < I; ++i) m.A[i * m.rank + r] /= na;
    for (std::size_t j = 0; j < J; ++j) m.B[j * m.rank + r] /= nb;
    for (std::size_t k = 0; k < K; ++k) m.C[k * m.rank + r] *= na * nb;
  }
}

double squared_norm(const std::vector<double>& v) {
  return std::inner_product(v.begin(), v.end(), v.begin(), 0.0);
}

double hadamard_sum(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

std::vector<double> hadamard(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) c[i] = a[i] * b[i];
  return c;
}

// Component scores S[r][s] between the components of a and b (see factor_match_score).
std::vector<std::vector<double>> component_scores(const cp_model& a, const cp_model& b, bool weights) {
  const std::size_t I = a.A.size() / std::max<std::size_t>(a.rank, 1), J = a.B.size() / std::max<std::size_t>(a.rank, 1),
                    K = a.C.size() / std::max<std::size_t>(a.rank, 1);
  if (b.A.size() != I * b.rank || b.B.size() != J * b.rank || b.C.size() != K * b.rank)
    throw std::invalid_argument("factor_match_score: the two CP models have different tensor shapes");
  std::vector<std::vector<double>> S(a.rank, std::vector<double>(b.rank, 0.0));
  for (std::size_t r = 0; r < a.rank; ++r)
    for (std::size_t s = 0; s < b.rank; ++s) {
      double score = 1, wa = 1, wb = 1;
      const std::vector<double>* fa[3] = {&a.A, &a.B, &a.C};
      const std::vector<double>* fb[3] = {&b.A, &b.B, &b.C};
      const std::size_t n[3] = {I, J, K};
      for (int mode = 0; mode < 3; ++mode) {
        double dot = 0;
        for (std::size_t i = 0; i < n[mode]; ++i) dot += (*fa[mode])[i * a.rank + r] * (*fb[mode])[i * b.rank + s];
        const double na = column_norm(*fa[mode], n[mode], a.rank, r), nb = column_norm(*fb[mode], n[mode], b.rank, s);
        score *= (na > 0 && nb > 0) ? std::abs(dot) / (na * nb) : 0.0;
        wa *= na, wb *= nb;
      }
      if (weights) score *= std::max(wa, wb) > 0 ? 1.0 - std::abs(wa - wb) / std::max(wa, wb) : 0.0;
      S[r][s] = score;
    }
  return S;
}

}  // namespace

tensor3 reconstruct(const cp_model& m, std::size_t I, std::size_t J, std::size_t K) {
  tensor3 x(I, J, K);
  const std::size_t R = m.rank;
  for (std::size_t i = 0; i < I; ++i)
    for (std::size_t j = 0; j < J; ++j)
      for (std::size_t k = 0; k < K; ++k) {
        double v = 0;
        for (std::size_t r = 0; r < R; ++r) v += m.A[i * R + r] * m.B[j * R + r] * m.C[k * R + r];
        x.at(i, j, k) = v;
      }
  return x;
}

double cp_fit_value(const tensor3& x, const cp_model& m) {
  const tensor3 y = reconstruct(m, x.I, x.J, x.K);
  double err = 0;
  for (std::size_t n = 0; n < x.data.size(); ++n) err += (x.data[n] - y.data[n]) * (x.data[n] - y.data[n]);
  const double norm = squared_norm(x.data);
  return norm > 0 ? 1.0 - std::sqrt(err / norm) : 0.0;
}

std::vector<double> hals_run(const tensor3& x, cp_model& m, int max_iterations, double tolerance) {
  const std::size_t R = m.rank;
  const double xx = squared_norm(x.data);
  std::vector<double> history;
  for (int it = 0; it < max_iterations; ++it) {
    auto G = hadamard(gram(m.B, x.J, R), gram(m.C, x.K, R));
    hals_update(m.A, x.I, R, mttkrp(x, m, 0), G);
    G = hadamard(gram(m.A, x.I, R), gram(m.C, x.K, R));
    hals_update(m.B, x.J, R, mttkrp(x, m, 1), G);
    G = hadamard(gram(m.A, x.I, R), gram(m.B, x.J, R));
    const auto Mc = mttkrp(x, m, 2);
    hals_update(m.C, x.K, R, Mc, G);
    // 0.5 ||X - Xhat||^2 = 0.5 ||X||^2 - <C, Mc> + 0.5 <C^T C, G>, exact for the current factors.
    const double loss = std::max(0.0, 0.5 * xx - hadamard_sum(m.C, Mc) + 0.5 * hadamard_sum(gram(m.C, x.K, R), G));
    normalise(m, x.I, x.J, x.K);
    const bool converged = !history.empty() && history.back() - loss <= tolerance * std::max(history.back(), 1e-300);
    history.push_back(loss);
    if (converged) break;
  }
  return history;
}

cp_fit nonnegative_cp(const tensor3& x, const hals_options& o, std::uint64_t seed, std::uint32_t purpose) {
  if (o.rank == 0 || x.I == 0 || x.J == 0 || x.K == 0 || x.data.size() != x.I * x.J * x.K)
    throw std::invalid_argument("nonnegative_cp: rank " + std::to_string(o.rank) + " on a " + std::to_string(x.I) +
                                " x " + std::to_string(x.J) + " x " + std::to_string(x.K) +
                                " tensor; expected rank >= 1 and a non-empty tensor");
  for (double v : x.data)
    if (!(v >= 0.0) || !std::isfinite(v))
      throw std::invalid_argument("nonnegative_cp: the tensor has a negative or non-finite entry");
  const double xnorm = std::sqrt(squared_norm(x.data));
  cp_fit best;
  best.fit = -1e300;
  for (int restart = 0; restart < std::max(1, o.restarts); ++restart) {
    core::random_stream rng(seed, purpose, static_cast<std::uint32_t>(restart));
    cp_model m;
    m.rank = o.rank;
    for (auto* f : {&m.A, &m.B, &m.C}) {
      const std::size_t n = f == &m.A ? x.I : f == &m.B ? x.J : x.K;
      f->resize(n * o.rank);
      for (auto& v : *f) v = rng.uniform();
    }
    // Scale the start to the data's norm: ||Xhat||^2 = sum of the Hadamard product of the three Grams.
    const double model_norm = std::sqrt(hadamard_sum(hadamard(gram(m.A, x.I, o.rank), gram(m.B, x.J, o.rank)), gram(m.C, x.K, o.rank)));
    if (model_norm > 0)
      for (auto& v : m.C) v *= xnorm / model_norm;
    auto history = hals_run(x, m, o.max_iterations, o.tolerance);
    const double fit = cp_fit_value(x, m);
    if (fit > best.fit) {
      best.fit = fit;
      best.iterations = static_cast<int>(history.size());
      best.loss_history = std::move(history);
      best.model = std::move(m);
    }
  }
  return best;
}

std::vector<std::size_t> factor_match(const cp_model& a, const cp_model& b, bool weights) {
  const auto S = component_scores(a, b, weights);
  const std::size_t n = std::max(a.rank, b.rank);
  auto score = [&](std::size_t r, std::size_t s) { return r < a.rank && s < b.rank ? S[r][s] : 0.0; };
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<std::size_t> best = perm;
  if (n <= 8) {
    double best_total = -1;
    do {
      double total = 0;
      for (std::size_t r = 0; r < n; ++r) total += score(r, perm[r]);
      if (total > best_total) best_total = total, best = perm;
    } while (std::next_permutation(perm.begin(), perm.end()));
  } else {
    // Greedy: the highest remaining score first.
    std::vector<bool> used_r(n, false), used_s(n, false);
    for (std::size_t step = 0; step < n; ++step) {
      double top = -1;
      std::size_t br = 0, bs = 0;
      for (std::size_t r = 0; r < n; ++r)
        for (std::size_t s = 0; s < n; ++s)
          if (!used_r[r] && !used_s[s] && score(r, s) > top) top = score(r, s), br = r, bs = s;
      used_r[br] = used_s[bs] = true;
      best[br] = bs;
    }
  }
  best.resize(a.rank);
  return best;
}

double factor_match_score(const cp_model& a, const cp_model& b, bool weights) {
  if (a.rank == 0) return 0.0;
  const auto S = component_scores(a, b, weights);
  const auto perm = factor_match(a, b, weights);
  double total = 0;
  for (std::size_t r = 0; r < a.rank; ++r)
    if (perm[r] < b.rank) total += S[r][perm[r]];
  return total / static_cast<double>(a.rank);
}

std::vector<rank_diagnostic_row> rank_diagnostic(const tensor3& x, const std::vector<std::size_t>& ranks,
                                                 const hals_options& o, std::uint64_t seed, std::uint32_t purpose) {
  std::vector<rank_diagnostic_row> rows;
  for (std::size_t rank : ranks) {
    std::vector<cp_fit> fits;
    for (int restart = 0; restart < std::max(2, o.restarts); ++restart) {
      hals_options one = o;
      one.rank = rank, one.restarts = 1;
      // Each restart its own stream id block: restart r of rank R uses id r (via seed offset by rank).
      fits.push_back(nonnegative_cp(x, one, seed + 1000003ull * rank + static_cast<std::uint64_t>(restart), purpose));
    }
    std::size_t best = 0;
    double mean_fit = 0;
    for (std::size_t f = 0; f < fits.size(); ++f) {
      mean_fit += fits[f].fit;
      if (fits[f].fit > fits[best].fit) best = f;
    }
    double stability = 0;
    for (std::size_t f = 0; f < fits.size(); ++f)
      if (f != best) stability += factor_match_score(fits[best].model, fits[f].model);
    rank_diagnostic_row row;
    row.rank = rank;
    row.best_fit = fits[best].fit;
    row.mean_fit = mean_fit / static_cast<double>(fits.size());
    row.stability = stability / static_cast<double>(fits.size() - 1);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace neurite::analysis
