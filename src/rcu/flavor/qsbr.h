// The qsbr flavor: quiescent-state-based reclamation. Read locks cost nothing; each registered
// thread must report quiescent states (outside every read-side critical section) or be
// offline, or grace periods never end.
#pragma once

#include <urcu/urcu-qsbr.h>

#include "rcu/detail/call_rcu.h"
#include "rcu/flavor.h"

namespace rcu {

struct Qsbr {
  static constexpr std::string_view name = "qsbr";
  static constexpr bool needs_quiescent_states = true;

  static void read_lock() noexcept { urcu_qsbr_read_lock(); }
  static void read_unlock() noexcept { urcu_qsbr_read_unlock(); }
  static void register_thread() noexcept { urcu_qsbr_register_thread(); }
  static void unregister_thread() noexcept { urcu_qsbr_unregister_thread(); }
  static void quiescent_state() noexcept { urcu_qsbr_quiescent_state(); }
  static void thread_offline() noexcept { urcu_qsbr_thread_offline(); }
  static void thread_online() noexcept { urcu_qsbr_thread_online(); }
  static void synchronize() noexcept { urcu_qsbr_synchronize_rcu(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    urcu_qsbr_call_rcu(head, callback);
  }
  static void barrier() noexcept { urcu_qsbr_barrier(); }
};
static_assert(Flavor<Qsbr>);

}  // namespace rcu
