#pragma once
// The barrier between min-delay intervals. It spins for a few microseconds before blocking in
// the kernel: with intervals of one step (0.1 ms) a futex sleep and wake-up per interval costs
// more than the interval's work, while a bounded spin cannot starve a thread that the machine
// has descheduled for long (unlike OpenMP's default spin of ~100 ms). A completion function
// runs on the last thread to arrive, before any thread is released.
#include <atomic>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace neurite::core {

template <class Completion>
class interval_barrier {
 public:
  interval_barrier(int parties, Completion completion) : parties_(parties), completion_(std::move(completion)) {}

  void arrive_and_wait() {
    const std::uint64_t phase = phase_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == parties_) {
      completion_();
      arrived_.store(0, std::memory_order_relaxed);
      phase_.store(phase + 1, std::memory_order_release);
      phase_.notify_all();
      return;
    }
    const auto give_up = std::chrono::steady_clock::now() + spin_time;
    while (phase_.load(std::memory_order_acquire) == phase) {
      for (int k = 0; k < 64; ++k) relax();
      if (std::chrono::steady_clock::now() > give_up) {
        while (phase_.load(std::memory_order_acquire) == phase) phase_.wait(phase, std::memory_order_acquire);
        return;
      }
    }
  }

 private:
  static constexpr std::chrono::microseconds spin_time{20};
  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }

  const int parties_;
  Completion completion_;
  std::atomic<int> arrived_{0};
  std::atomic<std::uint64_t> phase_{0};
};

}  // namespace neurite::core
