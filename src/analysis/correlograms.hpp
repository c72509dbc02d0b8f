#pragma once
// Cross-correlograms of spike trains: how often a spike of b follows (or precedes) one of a by
// each lag. Times in ms.
#include <vector>

#include "analysis/spike_stats.hpp"

namespace neurite::analysis {

struct correlogram {
  std::vector<double> lag_ms;  // bin centres, -max_lag .. +max_lag, 0 in the middle
  std::vector<double> count;   // pairs (t_a, t_b) with t_b - t_a in the bin
};

// Bins of width `bin` centred on the lags k * bin, |k| <= round(max_lag / bin). For an
// autocorrelogram pass the same train twice: the zero-lag self pairs are left out (exclude_self).
correlogram cross_correlogram(const spike_train& a, const spike_train& b, double bin, double max_lag,
                              bool exclude_self = false);

}  // namespace neurite::analysis
