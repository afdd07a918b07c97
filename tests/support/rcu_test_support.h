// Test support for the Rcu<P> tests: the flavors to run typed tests over, objects that
// count their lives, a thread-to-thread signal, and the negative-control flavor.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string_view>
#include <thread>
#include <utility>

#include "rcu/flavor/all.h"
#include "rcu/rcu.h"
#include "torture/negative_controls.h"

namespace rcu_test {

using AllFlavors = ::testing::Types<rcu::Memb, rcu::Qsbr, rcu::Bp, rcu::Mb, rcu::Signal>;

struct FlavorName {
  template <class F>
  static std::string GetName(int) {
    return std::string(F::name);
  }
};

// Negative control: a flavor whose grace periods end at once (readers lock like memb;
// synchronize() does not wait and call() runs the callback immediately), so an object is
// freed while readers still use it. Checkers must catch it.
using BrokenNoGracePeriod = rcubench::torture::NoGracePeriodFlavor;

// Negative control for nesting: an inner read unlock ends the whole read-side critical
// section (the outer Guard then protects nothing).
struct BrokenNestingFlavor : rcubench::torture::MembReadSide {
  static constexpr std::string_view name = "broken-nesting";
  static inline thread_local bool locked = false;
  static void read_lock() noexcept {
    if (!std::exchange(locked, true)) rcu::Memb::read_lock();
  }
  static void read_unlock() noexcept {
    if (std::exchange(locked, false)) rcu::Memb::read_unlock();
  }
  static void synchronize() noexcept { rcu::Memb::synchronize(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    rcu::Memb::call(head, callback);
  }
  static void barrier() noexcept { rcu::Memb::barrier(); }
};
static_assert(rcu::Flavor<BrokenNestingFlavor>);

// Flavor F, counting its grace periods (synchronize) and call_rcu calls on every thread.
// A distinct flavor as far as registration goes: register with RegisteredThread<Counting<F>>,
// not with RegisteredThread<F> as well.
template <class F>
struct Counting {
  static constexpr std::string_view name = F::name;
  static constexpr bool needs_quiescent_states = F::needs_quiescent_states;
  static constexpr bool registers_on_first_read = rcu::detail::self_registering<F>();
  static inline std::atomic<long> synchronizes{0};
  static inline std::atomic<long> calls{0};
  static void read_lock() noexcept { F::read_lock(); }
  static void read_unlock() noexcept { F::read_unlock(); }
  static void register_thread() noexcept { F::register_thread(); }
  static void unregister_thread() noexcept { F::unregister_thread(); }
  static void quiescent_state() noexcept { F::quiescent_state(); }
  static void thread_offline() noexcept { F::thread_offline(); }
  static void thread_online() noexcept { F::thread_online(); }
  static void synchronize() noexcept {
    synchronizes.fetch_add(1, std::memory_order_relaxed);  // Read after the calls return.
    F::synchronize();
  }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    calls.fetch_add(1, std::memory_order_relaxed);  // Read after the calls return.
    F::call(head, callback);
  }
  static void barrier() noexcept { F::barrier(); }
};

// A value that counts how many of its kind are alive and reports its own destruction.
struct Tracked {
  static inline std::atomic<long> live{0};

  explicit Tracked(int v, std::atomic<bool>* destroyed_flag = nullptr)
      : value(v), destroyed(destroyed_flag) {
    live.fetch_add(1, std::memory_order_relaxed);  // Counted, not ordered: read after joins.
  }
  Tracked(const Tracked& other) : Tracked(other.value) {}
  ~Tracked() {
    // Release: paired with the acquire loads of the flag by the thread that checks it.
    if (destroyed) destroyed->store(true, std::memory_order_release);
    live.fetch_sub(1, std::memory_order_relaxed);  // Read after joins and barriers.
  }
  bool operator==(const Tracked& other) const { return value == other.value; }

  int value;
  std::atomic<bool>* destroyed;
};

// A typed-test fixture over flavors: every Tracked made during a test is gone after it
// (the barrier lets deferred frees run first).
template <class F>
class NothingLeaksTest : public ::testing::Test {
 protected:
  void SetUp() override { live_at_start_ = Tracked::live.load(); }
  void TearDown() override {
    rcu::barrier<F>();
    EXPECT_EQ(Tracked::live.load(), live_at_start_) << "objects leaked or freed twice";
  }
  long live_at_start_ = 0;
};

// A one-shot signal between threads.
class Signal {
 public:
  void notify() { flag_.store(true, std::memory_order_release); }        // Paired with wait().
  bool is_set() const { return flag_.load(std::memory_order_acquire); }  // Paired with notify().
  void wait() const {
    while (!is_set()) std::this_thread::yield();
  }
  // Waits until set or `timeout` passed; returns whether it was set.
  bool wait_for(std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!is_set()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
  }

 private:
  std::atomic<bool> flag_{false};
};

}  // namespace rcu_test
