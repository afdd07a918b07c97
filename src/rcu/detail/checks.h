// Usage checks for checked builds (NDEBUG unset, or RCU_CHECKED defined): each thread
// keeps, per flavor, how often it is registered and how deep it is in read-side critical
// sections, and misuse aborts with a message instead of corrupting a grace period:
// reading or deferring a free on an unregistered thread, reporting a quiescent state or
// waiting for a grace period inside a read-side critical section. Release builds compile all of it away.
#pragma once

#include <cstdio>
#include <cstdlib>

#if !defined(NDEBUG) && !defined(RCU_CHECKED)
#define RCU_CHECKED 1
#endif

namespace rcu::detail {

#ifdef RCU_CHECKED
inline constexpr bool kChecked = true;
#else
inline constexpr bool kChecked = false;
#endif

// Per thread, per flavor. Touched only by its own thread: no atomics needed.
// registrations is kept in every build (RegisteredThread nests with it); read_depth only
// in checked builds.
template <class F>
struct ThreadState {
  static inline thread_local int registrations = 0;
  static inline thread_local int read_depth = 0;
};

[[noreturn]] inline void misuse(const char* flavor, const char* what) {
  std::fprintf(stderr, "rcu misuse (flavor %s): %s\n", flavor, what);
  std::abort();
}

// Flavors whose read lock registers the thread by itself (bp) set this.
template <class F>
constexpr bool self_registering() {
  if constexpr (requires { F::registers_on_first_read; }) {
    return F::registers_on_first_read;
  } else {
    return false;
  }
}

inline constexpr const char* kDeferOnUnregisteredThread =
    "deferred free (call_rcu) on a thread that is not registered (hold an "
    "rcu::RegisteredThread)";

// Read-side critical sections and call_rcu need a registered thread.
template <class F>
inline void check_registered(const char* what) {
  if constexpr (kChecked && !self_registering<F>()) {
    if (ThreadState<F>::registrations == 0) misuse(F::name.data(), what);
  }
}

template <class F>
inline void check_outside_read_section(const char* what) {
  if constexpr (kChecked) {
    if (ThreadState<F>::read_depth != 0) misuse(F::name.data(), what);
  }
}

}  // namespace rcu::detail
