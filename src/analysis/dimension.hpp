#pragma once
// How many dimensions population activity spans: the participation ratio of the covariance
// eigenvalues, PR = (sum_i lambda_i)^2 / sum_i lambda_i^2 = tr(C)^2 / tr(C^2), which needs no
// eigendecomposition. N for N independent units of equal variance, 1 for one shared signal.
#include <vector>

namespace neurite::analysis {

// x[unit][sample] (e.g. spike counts in bins); units of zero variance add nothing. 0 for no variance.
double participation_ratio(const std::vector<std::vector<double>>& x);

}  // namespace neurite::analysis
