// Usage checks. Each thread keeps, per flavor, how often it is registered, how deep it is
// in read-side critical sections and how often it is offline; misuse aborts with a
// message instead of corrupting a grace period or deadlocking.
//
// Checked builds (RCU_CHECKED=1, or no NDEBUG and no RCU_CHECKED) check every flavor:
// reading or deferring a free on an unregistered thread, waiting for a grace period, taking
// the updater lock or unregistering inside a read-side critical section, dereferencing with
// no live Guard; under QSBR also a read-side section or a quiescent state on an offline
// thread. RCU_CHECKED=0 turns them off, for every flavor: the read-side depth is a
// load-modify-store of one thread-local word per Guard, carried from one read to the next,
// and under QSBR, whose read lock is empty, it alone made a read 2.5 times slower than raw
// liburcu's (src/rcu/README.md, "Checked builds").
//
// The two modes are ODR-safe: everything whose inline body depends on the mode lives in
// the inline namespace rcu::checked or rcu::unchecked (RCU_MODE_NAMESPACE), so objects
// built in Debug and Release link into one program without one body replacing the other.
// The per-thread state is shared by both modes (a registration is one registration).
#pragma once

#include <cstdio>
#include <cstdlib>

#if defined(RCU_CHECKED)
// -DRCU_CHECKED (empty, i.e. 1) or any non-zero value: on; -DRCU_CHECKED=0: off.
#if (0 - RCU_CHECKED - 1) == 1 || (RCU_CHECKED + 0) != 0
#define RCU_CHECKED_MODE 1
#else
#define RCU_CHECKED_MODE 0
#endif
#elif defined(NDEBUG)
#define RCU_CHECKED_MODE 0
#else
#define RCU_CHECKED_MODE 1
#endif

#if RCU_CHECKED_MODE
#define RCU_MODE_NAMESPACE checked
#else
#define RCU_MODE_NAMESPACE unchecked
#endif

// Views that must not outlive the guard they came from: compilers that understand
// lifetime annotations (clang) warn when one dangles.
#if defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define RCU_LIFETIMEBOUND [[clang::lifetimebound]]
#endif
#if __has_cpp_attribute(gsl::Pointer)
#define RCU_GSL_POINTER(T) [[gsl::Pointer(T)]]
#endif
#endif
#ifndef RCU_LIFETIMEBOUND
#define RCU_LIFETIMEBOUND
#endif
#ifndef RCU_GSL_POINTER
#define RCU_GSL_POINTER(T)
#endif

namespace rcu::detail {

// Per thread, per flavor, shared by both modes. Touched only by its own thread: no
// atomics needed.
template <class F>
struct ThreadState {
  static inline thread_local int registrations = 0;  // RegisteredThread nesting.
  static inline thread_local int read_depth = 0;     // Guard nesting (where tracked).
  static inline thread_local int offline = 0;        // OfflineScope nesting (QSBR).
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

// liburcu's call_rcu worker threads register themselves with liburcu, not through
// RegisteredThread. A callback counts as a registration while it runs, so what it does
// (a nested deferred free, a Guard) is not taken for misuse.
template <class F>
class CallbackScope {
 public:
  CallbackScope() noexcept { ++ThreadState<F>::registrations; }
  ~CallbackScope() { --ThreadState<F>::registrations; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
};

inline namespace RCU_MODE_NAMESPACE {

inline constexpr bool kChecked = RCU_CHECKED_MODE;

// Whether Guards of flavor F count their depth (and read-section misuse is checked).
template <class F>
inline constexpr bool kTracksReadDepth = kChecked;

// Read-side critical sections and call_rcu need a registered thread.
template <class F>
inline void check_registered(const char* what) {
  if constexpr (kChecked && !self_registering<F>()) {
    if (ThreadState<F>::registrations == 0) misuse(F::name.data(), what);
  }
}

template <class F>
inline void check_outside_read_section(const char* what) {
  if constexpr (kTracksReadDepth<F>) {
    if (ThreadState<F>::read_depth != 0) misuse(F::name.data(), what);
  }
}

// QSBR: grace periods do not wait for a thread inside an OfflineScope, so a read-side
// section there protects nothing, and liburcu's quiescent state would silently bring the
// thread online (a thread that then blocks stalls every grace period).
template <class F>
inline void check_online(const char* what) {
  if constexpr (kChecked && F::needs_quiescent_states) {
    if (ThreadState<F>::offline != 0) misuse(F::name.data(), what);
  }
}

// A view is taken under a Guard that is live on this thread.
template <class F>
inline void check_inside_read_section(const char* what) {
  if constexpr (kChecked) {
    if (ThreadState<F>::read_depth == 0) misuse(F::name.data(), what);
  }
}

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu::detail
