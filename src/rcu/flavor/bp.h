// The bp flavor: bulletproof: a thread registers itself on its first read lock, so code
// that does not own its threads (a library) can read; every read lock checks for that.
#pragma once

#include <urcu/urcu-bp.h>

#include "rcu/detail/call_rcu.h"
#include "rcu/flavor.h"

namespace rcu {

struct Bp {
  static constexpr std::string_view name = "bp";
  static constexpr bool needs_quiescent_states = false;
  static constexpr bool registers_on_first_read = true;

  static void read_lock() noexcept { urcu_bp_read_lock(); }
  static void read_unlock() noexcept { urcu_bp_read_unlock(); }
  static void register_thread() noexcept { urcu_bp_register_thread(); }
  static void unregister_thread() noexcept { urcu_bp_unregister_thread(); }
  static void quiescent_state() noexcept {}
  static void thread_offline() noexcept {}
  static void thread_online() noexcept {}
  static void synchronize() noexcept { urcu_bp_synchronize_rcu(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    urcu_bp_call_rcu(head, callback);
  }
  static void barrier() noexcept { urcu_bp_barrier(); }
};
static_assert(Flavor<Bp>);

}  // namespace rcu
