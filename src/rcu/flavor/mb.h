// The mb flavor: memory-barrier-based: a full fence in every read lock and unlock, no
// membarrier(2) or signals needed on the update side.
#pragma once

#include <urcu/urcu-mb.h>

#include "rcu/detail/call_rcu.h"
#include "rcu/flavor.h"

namespace rcu {

struct Mb {
  static constexpr std::string_view name = "mb";
  static constexpr bool needs_quiescent_states = false;

  static void read_lock() noexcept { urcu_mb_read_lock(); }
  static void read_unlock() noexcept { urcu_mb_read_unlock(); }
  static void register_thread() noexcept { urcu_mb_register_thread(); }
  static void unregister_thread() noexcept { urcu_mb_unregister_thread(); }
  static void quiescent_state() noexcept {}
  static void thread_offline() noexcept {}
  static void thread_online() noexcept {}
  static void synchronize() noexcept { urcu_mb_synchronize_rcu(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    urcu_mb_call_rcu(head, callback);
  }
  static void barrier() noexcept { urcu_mb_barrier(); }
};
static_assert(Flavor<Mb>);

}  // namespace rcu
