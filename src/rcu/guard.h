// Guard: one read-side critical section (RAII), the C++ form of the seed's rcu::Guard.
//
// While a Guard lives, no grace period of its flavor that started after it can end, so
// every object reached through Rcu::dereference(guard) stays valid. Guards nest. A Guard
// is tied to its thread: not copyable, not movable.
#pragma once

#include "rcu/detail/checks.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"

namespace rcu {

template <Flavor F = Memb>
class [[nodiscard]] Guard {
 public:
  Guard() noexcept {
    detail::check_registered<F>(
        "read-side critical section on a thread that is not registered (hold an "
        "rcu::RegisteredThread)");
    F::read_lock();
    if constexpr (detail::kChecked) ++detail::ThreadState<F>::read_depth;
  }
  ~Guard() {
    if constexpr (detail::kChecked) --detail::ThreadState<F>::read_depth;
    detail::tsan_read_section_end<F>();  // ThreadSanitizer only: see detail/tsan.h.
    F::read_unlock();
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
};

}  // namespace rcu
