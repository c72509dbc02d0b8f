#pragma once
// The one object that owns threads. Model and network code never start threads or use
// pragmas; they are handed a worker index by thread_team::run. Workers block in the kernel
// (futex-based std::barrier) rather than spinning, which matters on small shared machines.
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace neurite::core {

class thread_team {
 public:
  explicit thread_team(int size) : size_(size < 1 ? 1 : size) {}
  int size() const { return size_; }

  // Runs f(w) for w = 0 .. size-1 concurrently (w = 0 on the calling thread) and waits for all.
  // The first exception thrown by any worker is rethrown here.
  void run(const std::function<void(int)>& f) const {
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(size_));
    auto guarded = [&](int w) {
      try {
        f(w);
      } catch (...) {
        errors[static_cast<std::size_t>(w)] = std::current_exception();
      }
    };
    std::vector<std::jthread> threads;
    for (int w = 1; w < size_; ++w) threads.emplace_back(guarded, w);
    guarded(0);
    threads.clear();  // joins
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

 private:
  int size_;
};

}  // namespace neurite::core
