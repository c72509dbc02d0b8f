#pragma once
// A small deterministic optimiser for smooth objectives under lower bounds x >= lower:
// projected gradient descent with Barzilai-Borwein step lengths and an Armijo backtracking line
// search along the projected path. An objective may answer +infinity where x is not admissible
// (an unstable network): the line search then shortens the step. Plain C++, no allocation in
// the objective's interface beyond the gradient vector.
#include <functional>
#include <vector>

namespace neurite::analysis {

// Value at x; writes the gradient into grad (same size as x). +infinity: x not admissible.
using objective_fn = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;

struct projected_gradient_options {
  int max_iterations = 5000;
  // Stop when the projected gradient's largest entry is below tolerance * max(1, its first value).
  // Below about sqrt(machine epsilon) the Armijo test cannot see a decrease any more.
  double tolerance = 1e-7;
  double armijo = 1e-4;     // sufficient decrease constant
};

struct projected_gradient_result {
  std::vector<double> x;
  double value = 0;
  double projected_gradient = 0;  // largest |entry| at the end (0 where a bound holds and the gradient pushes into it)
  int iterations = 0;
  bool converged = false;
};

// Starts from x0 (projected onto the bounds first; x0 must give a finite value there).
projected_gradient_result minimise_projected(const objective_fn& f, std::vector<double> x0, const std::vector<double>& lower,
                                             const projected_gradient_options& o = {});

}  // namespace neurite::analysis
