// Freeing after a grace period without allocating.
//
//   ObjBase<T, D>         a base class that embeds liburcu's rcu_head (and the deleter D):
//                         obj->retire<F>() frees the object with D after a grace period,
//                         one call_rcu, no allocation. RcuOld::defer() uses the embedded
//                         head too when the value's object has one (rcu::Arc does).
//   retire<F>(p, d)       kfree_rcu-style: the pointer joins this thread's retire block (a
//                         page of pointers); a full block goes to call_rcu as one callback,
//                         so a retire costs a store, and blocks are recycled, so it
//                         allocates nothing in steady state. RcuOld::retire() does the same
//                         for an unpublished value.
//   barrier<F>()          hands this thread's partly filled block to call_rcu, then waits
//                         until every deferred free of flavor F requested before it has run.
//
// The backlog is bounded: when kMaxBlocksInFlight blocks of a flavor wait for their grace
// period, the next full block is not queued; the thread that filled it waits for a grace
// period and frees it itself (liburcu's defer_rcu does the same when its queue is full).
// So retire() may wait: like defer_rcu, it must not be called inside a read-side critical
// section (checked builds and QSBR abort). A thread's partly filled block is handed on
// when its outermost RegisteredThread ends, or at the latest when the thread exits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

#include "rcu/detail/checks.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"

namespace rcu {

namespace detail {

// The embedded callback node of ObjBase. A standard-layout struct with the rcu_head first,
// so the rcu_head* liburcu hands back converts to it.
struct RcuHeadHolder {
  rcu_head rcu_head_;
  static RcuHeadHolder* of(rcu_head* head) noexcept {
    return reinterpret_cast<RcuHeadHolder*>(head);
  }
};
static_assert(std::is_standard_layout_v<RcuHeadHolder>);

// One retired pointer and how to free it.
struct Retired {
  void* object;
  void (*drop)(void*) noexcept;
};

inline constexpr std::size_t kRetireBlockBytes = 4096;

// A page of retired pointers; its rcu_head makes the whole block one call_rcu callback.
struct RetireBlock {
  rcu_head head;  // First member: the rcu_head* liburcu hands back converts to the block.
  RetireBlock* next_free = nullptr;
  std::uint32_t count = 0;
  static constexpr std::size_t kCapacity = (kRetireBlockBytes - 32) / sizeof(Retired);
  Retired entries[kCapacity];

  bool full() const noexcept { return count == kCapacity; }
  void drop_all() noexcept {
    for (std::uint32_t i = 0; i < count; ++i) entries[i].drop(entries[i].object);
    count = 0;
  }
};
static_assert(sizeof(RetireBlock) <= kRetireBlockBytes);
static_assert(std::is_standard_layout_v<RetireBlock>);

// At most this many full blocks per flavor wait for a grace period (the backlog bound).
inline constexpr long kMaxBlocksInFlight = 16;
// Freed blocks kept for reuse, per flavor.
inline constexpr int kPooledBlocks = kMaxBlocksInFlight + 16;

// Per flavor, shared by all threads.
template <class F>
struct RetireShared {
  static inline std::mutex pool_mutex;
  static inline RetireBlock* pool = nullptr;  // Guarded by pool_mutex.
  static inline int pooled = 0;               // Guarded by pool_mutex.
  static inline std::atomic<long> in_flight{0};
  static inline std::atomic<long> max_in_flight{0};
};

template <class F>
RetireBlock* take_block() noexcept {
  {
    std::lock_guard<std::mutex> lock(RetireShared<F>::pool_mutex);
    if (RetireBlock* block = RetireShared<F>::pool) {
      RetireShared<F>::pool = block->next_free;
      --RetireShared<F>::pooled;
      return block;
    }
  }
  return new (std::nothrow) RetireBlock;
}

template <class F>
void recycle_block(RetireBlock* block) noexcept {
  {
    std::lock_guard<std::mutex> lock(RetireShared<F>::pool_mutex);
    if (RetireShared<F>::pooled < kPooledBlocks) {
      block->next_free = RetireShared<F>::pool;
      RetireShared<F>::pool = block;
      ++RetireShared<F>::pooled;
      return;
    }
  }
  delete block;
}

// This thread's block being filled (trivially destructible, so the fast path reads it
// without a TLS guard).
template <class F>
struct ThreadRetire {
  static inline thread_local RetireBlock* block = nullptr;
};

// At thread exit, frees what is left in this thread's block after a grace period: the
// thread may no longer be registered, so no call_rcu. Armed when the thread first takes
// a block.
template <class F>
struct ThreadRetireExit {
  ~ThreadRetireExit() {
    RetireBlock* block = std::exchange(ThreadRetire<F>::block, nullptr);
    if (block == nullptr) return;
    if (block->count != 0) {
      F::synchronize();
      tsan_grace_period_end<F>();
      block->drop_all();
    }
    delete block;
  }
  static void arm() noexcept { thread_local ThreadRetireExit<F> at_exit; }
};

template <class F>
void flush_thread_batch() noexcept;

template <class F>
void run_retire_block(rcu_head* head) noexcept {
  CallbackScope<F> callback;
  auto* block = reinterpret_cast<RetireBlock*>(head);
  tsan_acquire(block);
  tsan_grace_period_end<F>();
  block->drop_all();
  recycle_block<F>(block);
  // Relaxed: a statistic and a bound, not a synchronisation: the block itself is handed
  // over through the pool's mutex.
  RetireShared<F>::in_flight.fetch_sub(1, std::memory_order_relaxed);
  flush_thread_batch<F>();  // Anything the drops retired on this (worker) thread.
  tsan_callback_done<F>();
}

// Queues a full (or, from flush, partly filled) block: one call_rcu for all its entries.
// Past the backlog bound, waits for a grace period and frees the block here instead.
template <class F>
void submit_block(RetireBlock* block) noexcept {
  // Relaxed: counts blocks for the bound; the callback's decrement is relaxed too.
  long in_flight = RetireShared<F>::in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
  if (in_flight > kMaxBlocksInFlight) {
    RetireShared<F>::in_flight.fetch_sub(1, std::memory_order_relaxed);  // As above.
    F::synchronize();
    tsan_grace_period_end<F>();
    block->drop_all();
    recycle_block<F>(block);
    return;
  }
  // Relaxed: a high-water mark read only for reports.
  long seen = RetireShared<F>::max_in_flight.load(std::memory_order_relaxed);
  while (in_flight > seen && !RetireShared<F>::max_in_flight.compare_exchange_weak(
                                 seen, in_flight, std::memory_order_relaxed)) {
  }
  tsan_release(block);
  F::call(&block->head, &run_retire_block<F>);
}

template <class F>
void flush_thread_batch() noexcept {
  RetireBlock*& block = ThreadRetire<F>::block;
  if (block == nullptr || block->count == 0) return;
  submit_block<F>(std::exchange(block, nullptr));
}

inline namespace RCU_MODE_NAMESPACE {

// Adds one retired pointer to this thread's block. If no block can be allocated, waits for
// a grace period and frees the object at once: never leaks, never frees early.
template <class F>
void retire_raw(void* object, void (*drop)(void*) noexcept) noexcept {
  check_outside_read_section<F>(
      "retire inside a read-side critical section: past the backlog bound it waits for a "
      "grace period");
  check_registered<F>(kDeferOnUnregisteredThread);
  RetireBlock*& block = ThreadRetire<F>::block;
  if (block == nullptr) {
    ThreadRetireExit<F>::arm();
    block = take_block<F>();
    if (block == nullptr) {
      F::synchronize();
      tsan_grace_period_end<F>();
      drop(object);
      return;
    }
  }
  block->entries[block->count++] = Retired{object, drop};
  if (block->full()) submit_block<F>(std::exchange(block, nullptr));
}

}  // namespace RCU_MODE_NAMESPACE
}  // namespace detail

inline namespace RCU_MODE_NAMESPACE {

// Derive T from ObjBase<T, D> to retire T objects without allocating: the callback node
// (liburcu's rcu_head, 16 bytes) and the deleter live in the object. As P2545's
// rcu_obj_base. An object is retired at most once.
template <class T, class D = std::default_delete<T>>
class ObjBase : public detail::RcuHeadHolder {
 public:
  // Frees this object with `deleter` after a grace period of flavor F, without waiting
  // (call_rcu; on a registered thread). Allowed inside a read-side critical section.
  template <Flavor F = Memb>
  void retire(D deleter = D()) noexcept {
    detail::check_registered<F>(detail::kDeferOnUnregisteredThread);
    deleter_ = std::move(deleter);
    detail::tsan_release(this);
    F::call(&rcu_head_, &run<F>);
  }

 protected:
  ObjBase() noexcept = default;
  // A copy is a new object: it gets its own node, not the original's.
  ObjBase(const ObjBase&) noexcept : RcuHeadHolder() {}
  ObjBase& operator=(const ObjBase&) noexcept { return *this; }
  ~ObjBase() = default;

 private:
  template <Flavor F>
  static void run(rcu_head* head) noexcept {
    detail::CallbackScope<F> callback;
    auto* self = static_cast<ObjBase*>(detail::RcuHeadHolder::of(head));
    detail::tsan_acquire(self);
    detail::tsan_grace_period_end<F>();
    D deleter = std::move(self->deleter_);
    deleter(static_cast<T*>(self));
    detail::tsan_callback_done<F>();
  }

  [[no_unique_address]] D deleter_{};
};

// Frees `object` with `deleter` after a grace period of flavor F, batched with this
// thread's other retired pointers (see the top of this file). D must be stateless.
// Not inside a read-side critical section; on a registered thread.
template <Flavor F = Memb, class T, class D = std::default_delete<T>>
  requires std::is_empty_v<D> && std::default_initializable<D>
void retire(T* object, D = D()) noexcept {
  if (object == nullptr) return;
  detail::retire_raw<F>(const_cast<std::remove_const_t<T>*>(object),
                        [](void* raw) noexcept { D()(static_cast<T*>(raw)); });
}

// Hands this thread's partly filled retire block to call_rcu, then waits until every
// deferred free (RcuOld::defer/retire, RetireBatch::defer, ObjBase::retire, retire) of
// flavor F requested before the call has run. Call it before the program (or a test)
// ends, and never inside a read-side critical section. Like liburcu's rcu_barrier, it
// does not wait for frees that those callbacks request in turn.
template <Flavor F = Memb>
inline void barrier() noexcept {
  detail::check_outside_read_section<F>("rcu::barrier inside a read-side critical section");
  detail::flush_thread_batch<F>();
  F::barrier();
  detail::tsan_barrier_end<F>();  // ThreadSanitizer only, as every tsan_* here: detail/tsan.h.
}

// What the batched retire path has done so far, per flavor: how many full blocks wait for
// their grace period now and at most so far (the backlog is at most that many blocks plus
// one partly filled block per retiring thread, kCapacity objects each).
struct RetireBacklog {
  long blocks_in_flight;
  long max_blocks_in_flight;
  std::size_t objects_per_block;
};
template <Flavor F = Memb>
RetireBacklog retire_backlog() noexcept {
  // Relaxed: statistics only.
  return {detail::RetireShared<F>::in_flight.load(std::memory_order_relaxed),
          detail::RetireShared<F>::max_in_flight.load(std::memory_order_relaxed),
          detail::RetireBlock::kCapacity};
}

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu
