// ThreadSanitizer annotations: what RCU orders, told to TSan in the terms it understands.
//
// TSan sees happens-before only through instrumented atomics, mutexes and explicit
// annotations. liburcu is not instrumented, and its grace periods are built from
// membarrier(2), signals or per-thread counters TSan cannot interpret; the reader's load
// of a published pointer is ordered by its address dependency, which TSan does not model
// either. Without these annotations every correct free after a grace period would be
// reported as a race with the readers that used the object.
//
// The model (a happens-before edge TSan can check, standing for what RCU guarantees):
//   - the end of every read-side critical section releases the flavor's grace-period
//     token; whoever has waited for a grace period (synchronize, a call_rcu callback,
//     barrier) acquires it, so every reader's accesses happen before the free;
//   - a deferred free releases its bookkeeping node before handing it to call_rcu, and
//     the callback acquires it (liburcu's queue between them is invisible to TSan);
//   - every deferred callback releases the flavor's callback token when it finishes, and
//     barrier() acquires it.
// The token is coarser than RCU: a critical section that ended after the grace period
// began also appears ordered before the free. TSan can therefore miss a too-short grace
// period; it still checks publication, the updaters' own ordering and the code around
// both. The torture checker (src/torture) tests grace periods themselves.
//
// Everything here compiles to nothing unless built with -fsanitize=thread.
#pragma once

#include <atomic>

#if defined(__SANITIZE_THREAD__)
#define RCU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RCU_TSAN 1
#endif
#endif

#ifdef RCU_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace rcu::detail {

#ifdef RCU_TSAN
inline constexpr bool kTsan = true;
#else
inline constexpr bool kTsan = false;
#endif

// The order of a reader's load of a published pointer. On hardware, relaxed: the reads
// through the pointer carry an address dependency on the load, which orders them after it
// on every supported CPU (consume ordering). TSan cannot model consume, so under TSan the
// load is acquire; paired with the publishing release store either way.
inline constexpr std::memory_order kDereferenceOrder =
    kTsan ? std::memory_order_acquire : std::memory_order_relaxed;

// Per flavor: addresses that stand for "a read-side critical section ended" and "a deferred
// callback ran". Only their addresses matter.
template <class F>
struct TsanTokens {
  static inline char grace_period = 0;
  static inline char callbacks = 0;
};

inline void tsan_release(const void* address) noexcept {
#ifdef RCU_TSAN
  __tsan_release(const_cast<void*>(address));
#else
  (void)address;
#endif
}

inline void tsan_acquire(const void* address) noexcept {
#ifdef RCU_TSAN
  __tsan_acquire(const_cast<void*>(address));
#else
  (void)address;
#endif
}

// At the end of a read-side critical section, before the read unlock.
template <class F>
inline void tsan_read_section_end() noexcept {
  tsan_release(&TsanTokens<F>::grace_period);
}

// After a grace period (synchronize returned, or in a call_rcu callback), before freeing.
template <class F>
inline void tsan_grace_period_end() noexcept {
  tsan_acquire(&TsanTokens<F>::grace_period);
}

// At the end of a deferred callback.
template <class F>
inline void tsan_callback_done() noexcept {
  tsan_release(&TsanTokens<F>::callbacks);
}

// After barrier(): every callback requested before it has run.
template <class F>
inline void tsan_barrier_end() noexcept {
  tsan_acquire(&TsanTokens<F>::grace_period);
  tsan_acquire(&TsanTokens<F>::callbacks);
}

}  // namespace rcu::detail
