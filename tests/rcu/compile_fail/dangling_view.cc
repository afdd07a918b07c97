// Compile-failure cases for tests/CMakeLists.txt: each CASE must not compile (a view of a
// temporary read-side section would dangle at the end of the statement); CASE 0 is the
// same code done right, and must compile, so a failure is the one that was meant.
#include <memory>
#include <mutex>

#include "rcu/rcu.h"

int read_first(const rcu::Rcu<std::unique_ptr<int>>& shared) {
#if CASE == 0
  rcu::Guard<> guard;
  std::scoped_lock lock(rcu::domain());
  return *shared.dereference(guard) + *shared.dereference(lock);
#elif CASE == 1
  auto view = shared.dereference(rcu::Guard<>{});
  return *view;
#elif CASE == 2
  auto view = shared.dereference({});
  return *view;
#elif CASE == 3
  auto view = shared.dereference(std::scoped_lock<rcu::Domain<>>(rcu::domain()));
  return *view;
#endif
}
