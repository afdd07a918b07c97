// left-right-perthread: the left-right algorithm (Ramalhete and Correia) on per-thread
// read indicators with asymmetric fences, written for this suite. Two copies of the
// object and a switch naming the one readers use; a reader announces itself on its own
// cache line, reads the copy the switch names and leaves; a writer (mutex) writes the
// copy no reader uses, flips the switch, waits until every reader that was inside has
// left, and writes the other copy. Algorithm and every ordering: seqlock_left_right.md.
//
// xenium's left_right (left_right.h) counts readers on a counter shared by all of them,
// two read-modify-writes per read; here a read is two plain stores and a load, so the
// indicator's cost is what this primitive shows against that one.
#pragma once

#include <urcu/arch.h>  // caa_cpu_relax

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include "baselines/detail/asymmetric_fence.h"
#include "baselines/detail/thread_records.h"
#include "baselines/detail/updater_role.h"
#include "baselines/primitive.h"

namespace rcubench {

// kWaits is false only in the torture checker's negative control, whose writer rewrites
// the old copy without waiting for its readers.
template <class T, bool kWaits = true>
class LeftRightPerThreadPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit LeftRightPerThreadPrimitive(T initial)
      : fence_(detail::FenceMode::kAsymmetric), copies_{initial, std::move(initial)} {}
  LeftRightPerThreadPrimitive(const LeftRightPerThreadPrimitive&) = delete;
  LeftRightPerThreadPrimitive& operator=(const LeftRightPerThreadPrimitive&) = delete;

  // A thread's read indicator: a sequence number, odd while the thread reads.
  class ThreadScope {
   public:
    explicit ThreadScope(LeftRightPerThreadPrimitive& primitive)
        : primitive_(primitive), record_(primitive.readers_.acquire()) {}
    // The run's only updater holds writer_mutex_ for the scope (primitive.h).
    ThreadScope(LeftRightPerThreadPrimitive& primitive, SoleUpdater)
        : primitive_(primitive),
          record_(primitive.readers_.acquire()),
          role_(primitive.writer_mutex_) {}
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;
    ~ThreadScope() { primitive_.readers_.release(record_); }  // even: writers ignore it
    void quiescent_state() noexcept {}

   private:
    friend class LeftRightPerThreadPrimitive;
    LeftRightPerThreadPrimitive& primitive_;
    typename detail::ThreadRecords<std::atomic<std::uint64_t>>::Record* const record_;
    detail::UpdaterRole role_;
  };

  template <class Fn>
  auto read(ThreadScope& scope, Fn&& fn) const {
    std::atomic<std::uint64_t>& indicator = scope.record_->slot;
    // Relaxed: only this thread stores its indicator.
    const std::uint64_t sequence = indicator.load(std::memory_order_relaxed);
    // A (arrive): made visible to the writer's scan by the pair L/H below. Release,
    // paired with the writer's acquire loads in wait_for_readers(): a writer that waits
    // for the last section to end may see this arrival instead of that section's D (a
    // plain store continues no release sequence), and must still find the last
    // section's reads of the old copy done.
    indicator.store(sequence + 1, std::memory_order_release);
    // L. Pairs with H in wait_for_readers(): either the writer's scan sees this arrival
    // (and waits for the departure), or the switch load below sees the writer's flip.
    fence_.light();
    struct Depart {
      std::atomic<std::uint64_t>& indicator;
      std::uint64_t sequence;
      // D. Release: paired with the writer's acquire loads in wait_for_readers(): this
      // read of the copy happens before the writer rewrites it.
      ~Depart() { indicator.store(sequence + 2, std::memory_order_release); }
    } depart{indicator, sequence};
    // Acquire: paired with the writer's release store F, so the copy it names is seen
    // as the writer finished it.
    return fn(copies_[side_.load(std::memory_order_acquire)]);
  }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    auto lock = scope.role_.lock_for_update(writer_mutex_);
    // Relaxed: only writers store the switch, and they hold the mutex.
    const unsigned current = side_.load(std::memory_order_relaxed);
    const unsigned idle = 1 - current;
    // No reader uses the idle copy: the last update waited for its readers after the
    // flip that retired it, and later readers take the switch's side.
    copies_[idle] = make_next(std::as_const(copies_[current]));
    // F. Release: paired with the readers' acquire switch load: they see the copy whole.
    side_.store(idle, std::memory_order_release);
    if constexpr (kWaits) wait_for_readers();
    copies_[current] = copies_[idle];
    return 0;
  }

 private:
  // Waits until every reader that may have read the old switch has left: each indicator
  // that is odd now (a reader inside) must change. A reader that arrives later sees the
  // flip (the pair L/H), so the wait ends however many readers keep arriving.
  void wait_for_readers() {
    // H. Pairs with L in read(): after the flip F, before the indicators are read.
    fence_.heavy();
    readers_.for_each([](const std::atomic<std::uint64_t>& indicator) {
      // Acquire: paired with D and A (release), so the departed reader's use of the old
      // copy happens before the writer rewrites it.
      const std::uint64_t seen = indicator.load(std::memory_order_acquire);
      if (seen % 2 == 0) return;
      // A read-side section is short: spin on it a while before yielding the CPU, which
      // would leave this writer off it for a time slice per reader (liburcu's
      // synchronize spins the same way before it sleeps). Acquire: as above.
      for (unsigned spins = 0; indicator.load(std::memory_order_acquire) == seen; ++spins) {
        if (spins < kSpinsBeforeYield)
          caa_cpu_relax();
        else
          std::this_thread::yield();
      }
    });
  }

  static constexpr unsigned kSpinsBeforeYield = 1000;

  const detail::AsymmetricFence fence_;
  detail::ThreadRecords<std::atomic<std::uint64_t>> readers_;
  T copies_[2];
  std::atomic<unsigned> side_{0};  // the copy readers use
  std::mutex writer_mutex_;
};

struct LeftRightPerThreadDescriptor {
  static constexpr std::string_view name = "left-right-perthread";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description =
      "left-right on per-thread read indicators with asymmetric fences (written for this "
      "suite): a read is two stores, a compiler barrier and a load; the writer flips, "
      "issues membarrier and waits for the readers inside";
  static constexpr std::string_view updaters =
      "serialised by a writer mutex (held for the run by a sole updater); each update "
      "waits for the readers of the old copy";
  template <class T>
  using Impl = LeftRightPerThreadPrimitive<T>;
};

static_assert(PrimitiveDescriptor<LeftRightPerThreadDescriptor>);
static_assert(PrimitiveFor<LeftRightPerThreadPrimitive<int>, int>);

}  // namespace rcubench
