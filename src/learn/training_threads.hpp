#pragma once
// The one owner of a training run's threads. Work is split over the workers of a core::thread_team,
// which block rather than spin while they wait (a spinning OpenMP pool ran 20-30x slower on this
// shared 2-core machine). LibTorch's intra-op pool is held at one thread, in every worker too, and
// BLAS follows that count: so there is never a pool inside a pool.
#include <functional>

#include "core/thread_team.hpp"

namespace neurite::learn {

class training_threads {
 public:
  explicit training_threads(int size);
  int size() const { return team_.size(); }
  // Runs f(w) for w = 0 .. size-1 concurrently, each with LibTorch (and BLAS) single-threaded.
  void run(const std::function<void(int)>& f) const;

 private:
  core::thread_team team_;
};

}  // namespace neurite::learn
