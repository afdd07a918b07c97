// Flavors: which liburcu implementation an Rcu<P>, Guard or thread registration uses.
//
// A flavor is a policy type with static functions, chosen at compile time; the read-side
// fast paths are liburcu's inline functions (_LGPL_SOURCE), so a Guard costs what
// liburcu's read lock costs. Several flavors can be used in one program: each flavor
// header calls liburcu's prefixed names (urcu_memb_read_lock, ...), never the unprefixed
// macros (rcu_read_lock, ...) that liburcu maps to one flavor per translation unit.
//
//   Memb    (default) membarrier-based: cheap readers, grace periods via membarrier(2).
//   Qsbr    quiescent-state-based: free readers; each registered thread must report
//           quiescent states (rcu::quiescent_state) or go offline when it blocks.
//   Bp      "bulletproof": threads register themselves on first read; dearest readers.
//   Mb      memory-barrier-based: a full fence on each read lock and unlock.
//   Signal  signal-based: the updater sends SIGUSR1 to readers to order them.
#pragma once

#include <concepts>
#include <string_view>

// liburcu's callback header. Declared, not included: urcu/call-rcu.h must be first seen
// through a flavor header, which maps its names to that flavor's (urcu_memb_call_rcu, ...).
struct rcu_head;

namespace rcu {

template <class F>
concept Flavor = requires(rcu_head* head, void (*callback)(rcu_head*)) {
  { F::name } -> std::convertible_to<std::string_view>;
  { F::needs_quiescent_states } -> std::convertible_to<bool>;
  F::read_lock();
  F::read_unlock();
  F::register_thread();
  F::unregister_thread();
  F::quiescent_state();
  F::thread_offline();
  F::thread_online();
  F::synchronize();
  F::call(head, callback);
  F::barrier();
};

}  // namespace rcu
