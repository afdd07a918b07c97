// Read-side critical sections: Domain<F> (a Lockable, as C++26's std::rcu_domain) and
// Guard<F> (RAII), the C++ form of the seed's rcu::Guard.
//
// While a Guard (or a lock of the Domain) lives, no grace period of its flavor that
// started after it can end, so every object reached through Rcu::dereference stays valid.
// Read-side sections nest. A Guard is tied to its thread: not copyable, not movable. Make
// it a named variable: views taken from a temporary Guard would dangle, so
// Rcu::dereference rejects one at compile time.
//
//   rcu::Guard<> guard;                                    // or, the Lockable form:
//   std::scoped_lock lock(rcu::domain());                  // (lock/try_lock/unlock)
#pragma once

#include "rcu/detail/checks.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"

namespace rcu {
inline namespace RCU_MODE_NAMESPACE {

// The read side of flavor F as a Lockable: lock() enters a read-side critical section,
// unlock() leaves it, try_lock() always succeeds (readers never wait). Stateless: every
// Domain<F> is the same domain; rcu::domain<F>() names one.
template <Flavor F = Memb>
class Domain {
 public:
  static void lock() noexcept {
    detail::check_registered<F>(
        "read-side critical section on a thread that is not registered (hold an "
        "rcu::RegisteredThread)");
    detail::check_online<F>(
        "read-side critical section inside an OfflineScope: grace periods do not wait for "
        "an offline thread, so it would protect nothing");
    F::read_lock();
    if constexpr (detail::kTracksReadDepth<F>) ++detail::ThreadState<F>::read_depth;
  }
  static bool try_lock() noexcept {
    lock();
    return true;
  }
  static void unlock() noexcept {
    if constexpr (detail::kTracksReadDepth<F>) --detail::ThreadState<F>::read_depth;
    detail::tsan_read_section_end<F>();  // ThreadSanitizer only: see detail/tsan.h.
    F::read_unlock();
  }
};

template <Flavor F = Memb>
inline Domain<F>& domain() noexcept {
  static Domain<F> the_domain;
  return the_domain;
}

template <Flavor F = Memb>
class [[nodiscard]] Guard {
 public:
  Guard() noexcept { Domain<F>::lock(); }
  ~Guard() { Domain<F>::unlock(); }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
};

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu
