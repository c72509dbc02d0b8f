#include "analysis/dimension.hpp"

#include <algorithm>

namespace neurite::analysis {

double participation_ratio(const std::vector<std::vector<double>>& x) {
  const std::size_t n = x.size(), t = n ? x.front().size() : 0;
  if (n == 0 || t < 2) return 0;
  std::vector<std::vector<double>> centred(n, std::vector<double>(t));
  for (std::size_t i = 0; i < n; ++i) {
    double mean = 0;
    for (std::size_t s = 0; s < t; ++s) mean += x[i][s] / static_cast<double>(t);
    for (std::size_t s = 0; s < t; ++s) centred[i][s] = x[i][s] - mean;
  }
  // tr(C^2) = ||X X^T||_F^2 / T^2 = ||X^T X||_F^2 / T^2: the smaller Gram matrix of the two.
  double trace = 0, frobenius = 0;
  for (const auto& row : centred)
    for (const double v : row) trace += v * v;
  if (n <= t) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j) {
        double dot = 0;
        for (std::size_t s = 0; s < t; ++s) dot += centred[i][s] * centred[j][s];
        frobenius += (i == j ? 1.0 : 2.0) * dot * dot;
      }
  } else {
    for (std::size_t s = 0; s < t; ++s)
      for (std::size_t r = s; r < t; ++r) {
        double dot = 0;
        for (std::size_t i = 0; i < n; ++i) dot += centred[i][s] * centred[i][r];
        frobenius += (s == r ? 1.0 : 2.0) * dot * dot;
      }
  }
  return frobenius > 0 ? trace * trace / frobenius : 0.0;  // the 1/T factors cancel
}

}  // namespace neurite::analysis
