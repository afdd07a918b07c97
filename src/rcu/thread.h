// Per-thread duties of RCU, as RAII so they cannot be forgotten or unbalanced.
//
//   RegisteredThread<F>  a thread that reads under F must be registered for its lifetime
//                        (QSBR: registered = online). Nested registrations are counted;
//                        the outermost one registers and unregisters, and first hands
//                        on this thread's partly filled retire blocks (retire.h; a
//                        thread that holds none, a reader, frees nothing of others').
//   quiescent_state<F>() QSBR: "I hold no RCU references now". A no-op for other flavors,
//                        so generic code can call it at its own cadence.
//   OfflineScope<F>      QSBR: the thread blocks (sleeps, waits) without holding references;
//                        grace periods need not wait for it meanwhile. No-op otherwise.
//   synchronize<F>()     waits for a grace period (outside every read-side section).
#pragma once

#include "rcu/detail/blocking.h"
#include "rcu/detail/checks.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"
#include "rcu/retire.h"

namespace rcu {
inline namespace RCU_MODE_NAMESPACE {

template <Flavor F = Memb>
class [[nodiscard]] RegisteredThread {
 public:
  RegisteredThread() noexcept {
    if (detail::ThreadState<F>::registrations++ == 0) F::register_thread();
  }
  ~RegisteredThread() {
    if (detail::ThreadState<F>::registrations == 1) {
      detail::check_outside_read_section<F>(
          "thread unregistered inside a read-side critical section");
      detail::flush_thread_batch<F>();  // call_rcu wants the thread still registered.
      F::unregister_thread();
    }
    --detail::ThreadState<F>::registrations;
  }
  RegisteredThread(const RegisteredThread&) = delete;
  RegisteredThread& operator=(const RegisteredThread&) = delete;
};

template <Flavor F = Memb>
inline void quiescent_state() noexcept {
  detail::check_outside_read_section<F>(
      "quiescent state reported inside a read-side critical section");
  detail::check_online<F>(
      "quiescent state reported inside an OfflineScope: it would bring the thread online "
      "unnoticed, and a thread that then blocks stalls every grace period");
  F::quiescent_state();
}

template <Flavor F = Memb>
class [[nodiscard]] OfflineScope {
 public:
  OfflineScope() noexcept {
    detail::check_outside_read_section<F>(
        "thread went offline inside a read-side critical section");
    if (detail::ThreadState<F>::offline++ == 0) F::thread_offline();
  }
  ~OfflineScope() {
    if (--detail::ThreadState<F>::offline == 0) F::thread_online();
  }
  OfflineScope(const OfflineScope&) = delete;
  OfflineScope& operator=(const OfflineScope&) = delete;
};

// Waits for a grace period of flavor F: every read-side critical section that began
// before the call has ended when it returns. Never inside a read-side critical section
// (checked builds abort: it would deadlock, or under QSBR end early and free what the
// thread still reads).
template <Flavor F = Memb>
inline void synchronize() noexcept {
  detail::check_outside_read_section<F>(
      "grace period awaited inside a read-side critical section: it would wait for this "
      "very thread");
  F::synchronize();
  detail::tsan_grace_period_end<F>();
}

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu
