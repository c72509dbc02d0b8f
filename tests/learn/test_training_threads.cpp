// The thread owner: every worker runs, and in each of them LibTorch and OpenMP (hence OpenBLAS)
// are single-threaded, so no pool runs inside the team.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include <ATen/Parallel.h>
#include <omp.h>

#include "learn/training_threads.hpp"

using namespace neurite::learn;

TEST(training_threads, workers_run_with_single_threaded_torch_and_blas) {
  const training_threads threads(3);
  EXPECT_EQ(at::get_num_threads(), 1);
  std::vector<int> runs(3, 0), openmp_threads(3, 0);
  threads.run([&](int w) {
    ++runs[static_cast<std::size_t>(w)];
    openmp_threads[static_cast<std::size_t>(w)] = omp_get_max_threads();
  });
  EXPECT_EQ(runs, std::vector<int>(3, 1));
  EXPECT_EQ(openmp_threads, std::vector<int>(3, 1));
}
