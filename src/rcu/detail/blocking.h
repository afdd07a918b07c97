// Waiting without stalling grace periods.
#pragma once

#include "rcu/detail/checks.h"
#include "rcu/flavor.h"

namespace rcu::detail {

// Runs `block` (which may wait on another thread) so that it cannot stall a grace period:
// a registered, online QSBR thread goes offline meanwhile (the thread it waits for may
// itself be waiting for a grace period). A plain call for the other flavors. Not inside a
// read-side critical section (the callers check).
template <Flavor F, class Block>
inline void blocking(Block&& block) {
  if constexpr (F::needs_quiescent_states) {
    if (ThreadState<F>::registrations != 0 && ThreadState<F>::offline == 0) {
      ++ThreadState<F>::offline;
      F::thread_offline();
      block();
      F::thread_online();
      --ThreadState<F>::offline;
      return;
    }
  }
  block();
}

}  // namespace rcu::detail
