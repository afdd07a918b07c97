// The memb flavor: membarrier-based readers; the default.
#pragma once

#include <urcu/urcu-memb.h>

#include "rcu/detail/call_rcu.h"
#include "rcu/flavor.h"

namespace rcu {

struct Memb {
  static constexpr std::string_view name = "memb";
  static constexpr bool needs_quiescent_states = false;

  static void read_lock() noexcept { urcu_memb_read_lock(); }
  static void read_unlock() noexcept { urcu_memb_read_unlock(); }
  static void register_thread() noexcept { urcu_memb_register_thread(); }
  static void unregister_thread() noexcept { urcu_memb_unregister_thread(); }
  static void quiescent_state() noexcept {}
  static void thread_offline() noexcept {}
  static void thread_online() noexcept {}
  static void synchronize() noexcept { urcu_memb_synchronize_rcu(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    urcu_memb_call_rcu(head, callback);
  }
  static void barrier() noexcept { urcu_memb_barrier(); }
};
static_assert(Flavor<Memb>);

}  // namespace rcu
