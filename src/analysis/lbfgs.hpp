#pragma once
// A small limited-memory BFGS minimiser (Nocedal & Wright, algorithm 7.4 with the two-loop
// recursion) with a backtracking Armijo line search. Deterministic: the same start gives the
// same bits. A cap on the step (max_step, infinity norm) keeps objectives that are unbounded in
// some direction, such as the Concrete prior of the one-hot GLM at the simplex's corners, from
// being driven to infinity within one call: each iteration moves a parameter by at most max_step.
#include <cstddef>
#include <functional>
#include <vector>

namespace neurite::analysis {

struct lbfgs_options {
  int max_iterations = 20;
  std::size_t memory = 8;
  double max_step = 1.0;        // largest change of any parameter per iteration
  double gradient_tolerance = 1e-8;  // stop when max |grad| falls below it
};

struct lbfgs_result {
  double value = 0;
  int iterations = 0, evaluations = 0;
};

// Minimises f over x (changed in place). f(x, grad) returns the value and writes the gradient.
lbfgs_result minimise_lbfgs(const std::function<double(const std::vector<double>&, std::vector<double>&)>& f,
                            std::vector<double>& x, const lbfgs_options& options = {});

}  // namespace neurite::analysis
