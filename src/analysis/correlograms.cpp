#include "analysis/correlograms.hpp"

#include <algorithm>
#include <cmath>

namespace neurite::analysis {

correlogram cross_correlogram(const spike_train& a, const spike_train& b, double bin, double max_lag, bool exclude_self) {
  const auto half = static_cast<long>(std::lround(max_lag / bin));
  correlogram c;
  for (long k = -half; k <= half; ++k) c.lag_ms.push_back(static_cast<double>(k) * bin);
  c.count.assign(c.lag_ms.size(), 0.0);
  const double reach = (static_cast<double>(half) + 0.5) * bin;
  // Both trains ascend: the window of b around each spike of a only moves forward.
  std::size_t first = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    while (first < b.size() && b[first] < a[i] - reach) ++first;
    for (std::size_t j = first; j < b.size() && b[j] < a[i] + reach; ++j) {
      if (exclude_self && i == j) continue;
      const long k = std::lround((b[j] - a[i]) / bin);
      if (k >= -half && k <= half) c.count[static_cast<std::size_t>(k + half)] += 1;
    }
  }
  return c;
}

}  // namespace neurite::analysis
