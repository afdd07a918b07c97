// The signal flavor: signal-based: readers use only compiler barriers; a grace period
// sends SIGUSR1 to every registered reader to order its accesses. The program must leave
// SIGUSR1 to liburcu.
#pragma once

#include <urcu/urcu-signal.h>

#include "rcu/detail/call_rcu.h"
#include "rcu/flavor.h"

namespace rcu {

struct Signal {
  static constexpr std::string_view name = "signal";
  static constexpr bool needs_quiescent_states = false;

  static void read_lock() noexcept { urcu_signal_read_lock(); }
  static void read_unlock() noexcept { urcu_signal_read_unlock(); }
  static void register_thread() noexcept { urcu_signal_register_thread(); }
  static void unregister_thread() noexcept { urcu_signal_unregister_thread(); }
  static void quiescent_state() noexcept {}
  static void thread_offline() noexcept {}
  static void thread_online() noexcept {}
  static void synchronize() noexcept { urcu_signal_synchronize_rcu(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    urcu_signal_call_rcu(head, callback);
  }
  static void barrier() noexcept { urcu_signal_barrier(); }
};
static_assert(Flavor<Signal>);

}  // namespace rcu
