// Per-thread duties of RCU, as RAII so they cannot be forgotten or unbalanced.
//
//   RegisteredThread<F>  a thread that reads under F must be registered for its lifetime
//                        (QSBR: registered = online). Nested registrations are counted;
//                        the outermost one registers and unregisters.
//   quiescent_state<F>() QSBR: "I hold no RCU references now". A no-op for other flavors,
//                        so generic code can call it at its own cadence.
//   OfflineScope<F>      QSBR: the thread blocks (sleeps, waits) without holding references;
//                        grace periods need not wait for it meanwhile. No-op otherwise.
#pragma once

#include "rcu/detail/checks.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"

namespace rcu {

template <Flavor F = Memb>
class [[nodiscard]] RegisteredThread {
 public:
  RegisteredThread() noexcept {
    if (detail::ThreadState<F>::registrations++ == 0) F::register_thread();
  }
  ~RegisteredThread() {
    if (--detail::ThreadState<F>::registrations == 0) F::unregister_thread();
  }
  RegisteredThread(const RegisteredThread&) = delete;
  RegisteredThread& operator=(const RegisteredThread&) = delete;
};

template <Flavor F = Memb>
inline void quiescent_state() noexcept {
  detail::check_outside_read_section<F>("quiescent state reported inside a read-side critical section");
  F::quiescent_state();
}

template <Flavor F = Memb>
class [[nodiscard]] OfflineScope {
 public:
  OfflineScope() noexcept {
    detail::check_outside_read_section<F>("thread went offline inside a read-side critical section");
    F::thread_offline();
  }
  ~OfflineScope() { F::thread_online(); }
  OfflineScope(const OfflineScope&) = delete;
  OfflineScope& operator=(const OfflineScope&) = delete;
};

}  // namespace rcu
