#include "learn/training_threads.hpp"

#include <ATen/Parallel.h>

namespace neurite::learn {

training_threads::training_threads(int size) : team_(size) { at::set_num_threads(1); }

void training_threads::run(const std::function<void(int)>& f) const {
  team_.run([&f](int w) {
    // A new thread starts with OpenMP's default thread count (all cores), which OpenBLAS would use:
    // this applies LibTorch's count of one to the worker's own OpenMP state.
    at::init_num_threads();
    f(w);
  });
}

}  // namespace neurite::learn
