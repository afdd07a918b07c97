// A store-load barrier split between a frequent side and a rare side. Both sides store
// one location and then load another (a reader: its announcement, then the shared
// pointer or switch; the rare side: the shared pointer or switch, then the
// announcements); a barrier on each side ensures one of them sees the other's store.
// Symmetric, each side issues a seq_cst fence. Asymmetric (folly's and liburcu memb's
// approach), the frequent side's barrier is a compiler barrier and the rare side's a
// membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes every running thread of the
// process execute a full barrier before it returns. Users: hazptr.h,
// left_right_perthread.h.
#pragma once

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

namespace rcubench::detail {

// Registers the process for MEMBARRIER_CMD_PRIVATE_EXPEDITED once. False if the kernel
// (or the emulator) does not offer it: asymmetric fences then fall back to symmetric.
inline bool private_expedited_membarrier() noexcept {
  static const bool available = [] {
    const long commands = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (commands < 0 || (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
    return syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
  }();
  return available;
}

enum class FenceMode {
  kAsymmetric,  // frequent side: compiler barrier; rare side: membarrier (if available)
  kSymmetric,   // both sides: a seq_cst fence
};

class AsymmetricFence {
 public:
  explicit AsymmetricFence(FenceMode mode) noexcept
      : asymmetric_(mode == FenceMode::kAsymmetric && private_expedited_membarrier()) {}

  // Whether the light side is a compiler barrier only (membarrier is in use).
  bool asymmetric() const noexcept { return asymmetric_; }

  // L: the frequent side, between its store and its load. Pairs with H.
  void light() const noexcept {
    if (asymmetric_) {
      // L (asymmetric): the membarrier() in H supplies the hardware barrier.
      std::atomic_signal_fence(std::memory_order_seq_cst);
    } else {
      // L (symmetric): pairs with H's seq_cst fence.
      std::atomic_thread_fence(std::memory_order_seq_cst);
    }
  }

  // H: the rare side, between its store and its loads. Pairs with L.
  void heavy() const noexcept {
    if (asymmetric_) {
      // H (asymmetric): every running thread of this process executes a full barrier
      // before this returns, so an L compiler barrier acts as a seq_cst fence against it.
      syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    } else {
      // H (symmetric): pairs with L's seq_cst fence.
      std::atomic_thread_fence(std::memory_order_seq_cst);
    }
  }

 private:
  const bool asymmetric_;
};

}  // namespace rcubench::detail
