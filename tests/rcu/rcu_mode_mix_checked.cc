// The checked half of rcu_release_checks_test: built with RCU_CHECKED=1.
#include <memory>
#include <string>
#include <typeinfo>

#include "rcu/rcu.h"

static_assert(rcu::detail::kChecked);

std::string checked_guard_type_name() { return typeid(rcu::Guard<>).name(); }

// Nested checked Guards: returns the depth seen inside the outermost one.
int checked_read(int times) {
  if (times == 0) return 0;
  rcu::Guard<> guard;
  int depth = rcu::detail::ThreadState<rcu::Memb>::read_depth;
  checked_read(times - 1);
  return depth;
}

int checked_read_depth() { return rcu::detail::ThreadState<rcu::Memb>::read_depth; }
