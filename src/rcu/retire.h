// Freeing after a grace period without allocating.
//
//   ObjBase<T, D>         a base class that embeds liburcu's rcu_head (and the deleter D):
//                         obj->retire<F>() frees the object with D after a grace period,
//                         one call_rcu, no allocation. RcuOld::defer() uses the embedded
//                         head too when the value's object has one (rcu::Arc does).
//   retire<F>(p, d)       kfree_rcu-style: the pointer joins this thread's retire block for
//                         its type (two pages of bare pointers, one drop function for all);
//                         a full block goes to call_rcu as one callback, so a retire costs
//                         a store, and blocks are recycled, so it allocates nothing in
//                         steady state. RcuOld::retire() does the same for an unpublished
//                         value. A block is freed by one typed loop: the deleter inlined,
//                         each object prefetched for writing a few objects ahead (free
//                         writes into it, and a reader's cache often holds its line).
//                         A thread keeps kOpenBlocks blocks open, one per type retired
//                         lately; a further type hands on the least recently used one
//                         partly filled. The callback only marks the block ready;
//                         the next thread that hands on a block (or barrier) frees the
//                         ready ones, so the objects' memory goes back to the allocator
//                         caches of the threads that retire, which are most likely the
//                         ones that allocate (the updaters), and the destructors run there,
//                         outside read-side critical sections.
//   barrier<F>()          hands this thread's partly filled blocks to call_rcu, waits until
//                         every deferred free of flavor F requested before it has run
//                         (also the frees another thread has taken on and is still
//                         running), and frees every ready block.
//
// Who runs the destructors of retired objects: a thread that hands on a block (any
// retiring thread, not only the one that retired the object: blocks become ready in any
// order), a thread in barrier(), a thread whose outermost RegisteredThread ends while it
// holds blocks of its own, a thread that exits, and liburcu's call_rcu thread for
// RcuOld::defer, RetireBatch::defer and ObjBase::retire. Never a thread that only reads.
// Destructors may retire in turn, on any of these threads: what they retire is handed on
// like any retire (a call_rcu callback hands on its thread's blocks before it returns,
// since that thread never ends and never calls barrier).
//
// The backlog is bounded: when kMaxBlocksInFlight blocks of a flavor are not yet freed
// (waiting for their grace period, or ready), the next full block is not queued; the
// thread that filled it keeps it, and after kOverflowBlocks such blocks waits for one
// grace period and frees them itself (liburcu's defer_rcu also synchronizes when its
// queue is full; test_urcu_gc does it for every batch). At most kMaxBlocksInFlight
// blocks per flavor, plus kOverflowBlocks + kOpenBlocks per retiring thread, are
// unreclaimed.
// So retire() may wait: like defer_rcu, it must not be called inside a read-side critical
// section (checked builds abort). A thread's partly filled blocks are handed on
// when its outermost RegisteredThread ends, or at the latest when the thread exits.
//
// Measured against liburcu's own batched reclaim (test_urcu_gc -b 4096, bench/
// rcu_pointer_benchmark; the figures are in src/rcu/README.md), each of these was worth
// a few percent of the updater's rate: the append inline, blocks of more than one page
// (less work per block for the same objects per grace period), bare 8-byte entries, and
// the prefetch for writing.
//
// The blocks are pages of their own (mmap, kSlabBlocks at a time), never memory from the
// allocator that the retired objects come from: a block is a large request there, and a
// large malloc makes glibc consolidate every small free chunk of the arena, which slowed
// the retiring thread's own allocations by up to 10 % (bench/rcu_pointer_benchmark).
// Blocks are kept for reuse and never unmapped: a flavor holds the high-water mark of
// blocks in use at once.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

#include <sys/mman.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define RCU_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define RCU_LSAN 1
#endif
#endif
#ifdef RCU_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#include "rcu/detail/blocking.h"
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

// One retired pointer and how to free it (RetireBatch's entries).
struct Retired {
  void* object;
  void (*drop)(void*) noexcept;
};

// Frees `count` objects of one type: the drop function of a retire block.
using DropEach = void (*)(void* const* objects, std::uint32_t count) noexcept;

// The DropEach for objects that Drop frees one at a time: a loop with Drop inlined, which
// prefetches each object for writing kPrefetchAhead objects before freeing it. The free
// writes into the object (the allocator's free-list links), and its line has most often
// been read since by a reader on another CPU: fetching it early, for writing, overlaps
// those misses instead of stalling on each (the allocator's atomic free-list push waits
// for them).
inline constexpr std::uint32_t kPrefetchAhead = 8;

template <void (*Drop)(void*) noexcept>
[[gnu::always_inline]] inline void drop_each_prefetching(void* const* objects,
                                                         std::uint32_t count) noexcept {
  for (std::uint32_t i = 0; i < count; ++i) {
    if (i + kPrefetchAhead < count) __builtin_prefetch(objects[i + kPrefetchAhead], 1);
    Drop(objects[i]);
  }
}

// x86-64's write prefetch (PREFETCHW) is not in the baseline instruction set, where
// __builtin_prefetch(p, 1) becomes a read prefetch: the line then arrives shared and the
// free still waits to own it. So the loop is built twice and picked by CPUID (any x86-64
// of the last decade has it). Worth 3 % of the updates/s in bench/rcu_pointer_benchmark.
#if defined(__x86_64__) && !defined(__PRFCHW__)
#define RCU_PREFETCHW_BY_CPUID 1
inline bool cpu_has_prefetchw() noexcept {
  static const bool has = [] {
    unsigned eax, ebx, ecx, edx;
    return __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_PRFCHW) != 0;
  }();
  return has;
}
template <void (*Drop)(void*) noexcept>
[[gnu::target("prfchw")]] void drop_each_prefetchw(void* const* objects,
                                                   std::uint32_t count) noexcept {
  drop_each_prefetching<Drop>(objects, count);
}
#endif

template <void (*Drop)(void*) noexcept>
void drop_each(void* const* objects, std::uint32_t count) noexcept {
#ifdef RCU_PREFETCHW_BY_CPUID
  if (cpu_has_prefetchw()) {
    drop_each_prefetchw<Drop>(objects, count);
    return;
  }
#endif
  drop_each_prefetching<Drop>(objects, count);
}

template <class T, class D>
void delete_with(void* object) noexcept {
  D()(static_cast<T*>(object));
}

inline constexpr std::size_t kRetireBlockBytes = 8192;

// Two pages of retired pointers of one type; its rcu_head makes the whole block one
// call_rcu callback.
struct RetireBlock {
  rcu_head head;  // First member: the rcu_head* liburcu hands back converts to the block.
  RetireBlock* next_free = nullptr;
  DropEach drop = nullptr;  // How to free every entry.
  std::uint32_t count = 0;
  static constexpr std::size_t kCapacity = (kRetireBlockBytes - 64) / sizeof(void*);
  void* entries[kCapacity];

  bool full() const noexcept { return count == kCapacity; }
  void drop_all() noexcept {
    drop(entries, count);
    count = 0;
  }
};
static_assert(sizeof(RetireBlock) <= kRetireBlockBytes);
static_assert(std::is_standard_layout_v<RetireBlock>);

// At most this many blocks per flavor are handed to call_rcu and not yet freed. Past
// that (liburcu's callback thread is behind), a thread keeps its full blocks and frees
// kOverflowBlocks of them after one grace period of its own, as liburcu's test_urcu_gc
// does with its batch (of 4096; 4 blocks hold 4064).
inline constexpr long kMaxBlocksInFlight = 4;
inline constexpr int kOverflowBlocks = 4;
// Blocks a thread fills at once, one per type (drop function) it retired lately.
inline constexpr int kOpenBlocks = 4;
// Blocks mapped at once when the pool is empty: 64 KiB.
inline constexpr int kSlabBlocks = 8;

// Per flavor, shared by all threads.
template <class F>
struct RetireShared {
  static inline std::mutex pool_mutex;
  static inline RetireBlock* pool = nullptr;  // Guarded by pool_mutex.
  static inline long pooled = 0;              // Guarded by pool_mutex.
  static inline std::atomic<long> mapped{0};  // Blocks mapped so far (all of them live).
  static inline std::atomic<RetireBlock*> ready{nullptr};  // Grace period over, not freed.
  // Held while freeing ready blocks: barrier takes it to wait for a thread that took
  // blocks off `ready` and is still freeing them.
  static inline std::mutex reclaim_mutex;
  static inline std::atomic<long> in_flight{0};  // Submitted, not yet freed.
  static inline std::atomic<long> max_in_flight{0};
};

// Maps kSlabBlocks blocks into the pool; false if the system has no memory for them.
template <class F>
bool map_slab_locked() noexcept {
  void* slab = mmap(nullptr, kSlabBlocks * kRetireBlockBytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (slab == MAP_FAILED) return false;
#ifdef RCU_LSAN
  // LeakSanitizer scans the heap, not mapped pages: without this, the objects that blocks
  // still hold at exit (waiting for their grace period) would be reported as leaked.
  __lsan_register_root_region(slab, kSlabBlocks * kRetireBlockBytes);
#endif
  for (int i = 0; i < kSlabBlocks; ++i) {
    auto* block = new (static_cast<char*>(slab) + i * kRetireBlockBytes) RetireBlock;
    block->next_free = RetireShared<F>::pool;
    RetireShared<F>::pool = block;
  }
  RetireShared<F>::pooled += kSlabBlocks;
  // Relaxed: statistics only; the blocks themselves travel under pool_mutex.
  RetireShared<F>::mapped.fetch_add(kSlabBlocks, std::memory_order_relaxed);
  return true;
}

template <class F>
RetireBlock* take_block() noexcept {
  std::lock_guard<std::mutex> lock(RetireShared<F>::pool_mutex);
  if (RetireShared<F>::pool == nullptr && !map_slab_locked<F>()) return nullptr;
  RetireBlock* block = RetireShared<F>::pool;
  RetireShared<F>::pool = block->next_free;
  --RetireShared<F>::pooled;
  return block;
}

template <class F>
void recycle_block(RetireBlock* block) noexcept {
  std::lock_guard<std::mutex> lock(RetireShared<F>::pool_mutex);
  block->next_free = RetireShared<F>::pool;
  RetireShared<F>::pool = block;
  ++RetireShared<F>::pooled;
}

// Frees every object of a list of blocks linked by next_free (their grace period is
// over), and returns the blocks to the pool.
template <class F>
void free_blocks(RetireBlock* block) noexcept {
  while (block != nullptr) {
    RetireBlock* next = block->next_free;
    block->drop_all();
    recycle_block<F>(block);
    block = next;
  }
}

// This thread's blocks being filled, most recently used first, each non-empty, nulls
// last (trivially destructible, so the fast path reads them without a TLS guard).
template <class F>
struct ThreadRetire {
  static inline thread_local RetireBlock* open[kOpenBlocks] = {};
  static inline thread_local RetireBlock* overflow = nullptr;  // Full, not handed on.
  static inline thread_local int overflow_blocks = 0;
  // Set at thread exit: no call_rcu from here on; every block stays on this thread.
  static inline thread_local bool exiting = false;
  // This thread holds reclaim_mutex (a destructor it runs retired).
  static inline thread_local bool reclaiming = false;
};

// Takes this thread's open blocks out, as a list linked by next_free; `open` is all nulls
// after it, whatever order the blocks were in.
template <class F>
RetireBlock* take_open_blocks() noexcept {
  RetireBlock* list = nullptr;
  for (RetireBlock*& slot : ThreadRetire<F>::open) {
    if (RetireBlock* block = std::exchange(slot, nullptr)) {
      block->next_free = list;
      list = block;
    }
  }
  return list;
}

// One grace period, then frees this thread's overflow blocks.
template <class F>
void free_overflow() noexcept {
  RetireBlock* block = std::exchange(ThreadRetire<F>::overflow, nullptr);
  if (block == nullptr) return;
  ThreadRetire<F>::overflow_blocks = 0;
  F::synchronize();
  tsan_grace_period_end<F>();
  free_blocks<F>(block);
}

// At thread exit, frees what is left in this thread's blocks after a grace period: the
// thread may no longer be registered, so no call_rcu. The destructors it runs may retire
// again (into any slot): submit_block keeps those blocks here too, and the loop goes on
// until none is left. Armed when the thread first takes a block.
template <class F>
struct ThreadRetireExit {
  ~ThreadRetireExit() {
    ThreadRetire<F>::exiting = true;
    for (;;) {
      RetireBlock* blocks = take_open_blocks<F>();
      RetireBlock* overflow = std::exchange(ThreadRetire<F>::overflow, nullptr);
      ThreadRetire<F>::overflow_blocks = 0;
      if (blocks == nullptr && overflow == nullptr) return;
      F::synchronize();
      tsan_grace_period_end<F>();
      free_blocks<F>(blocks);
      free_blocks<F>(overflow);
    }
  }
  static void arm() noexcept { thread_local ThreadRetireExit<F> at_exit; }
};

// The callback: the block's grace period is over. It only moves the block to the ready
// stack; the frees run on a thread that retires (or calls barrier), where the objects were
// most likely allocated: their memory goes back to that thread's allocator caches, and
// liburcu's callback thread stays cheap.
template <class F>
void run_retire_block(rcu_head* head) noexcept {
  CallbackScope<F> callback;
  auto* block = reinterpret_cast<RetireBlock*>(head);
  tsan_acquire(block);
  tsan_grace_period_end<F>();
  // Release: paired with the acquire exchange in reclaim_ready(), so the grace period
  // (and the block's entries) happen before the frees on the reclaiming thread.
  // Relaxed: only a first guess at the top for the CAS below; the CAS's release publishes.
  RetireBlock* top = RetireShared<F>::ready.load(std::memory_order_relaxed);
  do {
    block->next_free = top;
  } while (!RetireShared<F>::ready.compare_exchange_weak(top, block, std::memory_order_release,
                                                         std::memory_order_relaxed));
  tsan_callback_done<F>();
}

// How reclaim_ready treats another thread that is freeing ready blocks: leave the work to
// it, or wait until it has finished (barrier: what it took may still be freeing).
enum class OtherReclaimer { kLeaveItTheWork, kWaitForIt };

// Frees every block whose grace period is over, and returns the blocks to the pool. Any
// thread may call it (it takes the whole stack at once: no ABA); runs destructors, so
// never inside a read-side critical section. A destructor it runs that retires does not
// reclaim in turn: this loop takes what became ready meanwhile.
template <class F>
void reclaim_ready(OtherReclaimer other = OtherReclaimer::kLeaveItTheWork) noexcept {
  if (ThreadRetire<F>::reclaiming) return;
  std::unique_lock<std::mutex> lock(RetireShared<F>::reclaim_mutex, std::try_to_lock);
  if (!lock.owns_lock()) {
    if (other == OtherReclaimer::kLeaveItTheWork) return;
    // Offline meanwhile under QSBR: the destructors the holder runs may wait for a grace
    // period.
    blocking<F>([&lock] { lock.lock(); });
  }
  ThreadRetire<F>::reclaiming = true;
  // Acquire: paired with the release CAS in run_retire_block.
  while (RetireBlock* block = RetireShared<F>::ready.exchange(nullptr, std::memory_order_acquire)) {
    while (block != nullptr) {
      RetireBlock* next = block->next_free;
      block->drop_all();
      recycle_block<F>(block);
      // Relaxed: counts blocks for the bound, not a synchronisation (the blocks themselves
      // travel through the ready stack and the pool's mutex).
      RetireShared<F>::in_flight.fetch_sub(1, std::memory_order_relaxed);
      block = next;
    }
  }
  ThreadRetire<F>::reclaiming = false;
}

// Hands on a full (or, from flush, partly filled) block: one call_rcu for all its
// entries, then frees the blocks that are ready. Past the bound on blocks in flight, keeps
// it in this thread's overflow instead, freed kOverflowBlocks at a time. At thread exit,
// keeps it for ThreadRetireExit.
template <class F>
void submit_block(RetireBlock* block) noexcept {
  if (ThreadRetire<F>::exiting) {
    block->next_free = ThreadRetire<F>::overflow;
    ThreadRetire<F>::overflow = block;
    return;
  }
  // Relaxed: counts blocks for the bound; every other access to the count is relaxed too.
  long in_flight = RetireShared<F>::in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
  if (in_flight > kMaxBlocksInFlight) {
    RetireShared<F>::in_flight.fetch_sub(1, std::memory_order_relaxed);  // As above.
    block->next_free = ThreadRetire<F>::overflow;
    ThreadRetire<F>::overflow = block;
    if (++ThreadRetire<F>::overflow_blocks == kOverflowBlocks) {
      free_overflow<F>();
      reclaim_ready<F>();
    }
    return;
  }
  // Relaxed: a high-water mark read only for reports.
  long seen = RetireShared<F>::max_in_flight.load(std::memory_order_relaxed);
  while (in_flight > seen && !RetireShared<F>::max_in_flight.compare_exchange_weak(
                                 seen, in_flight, std::memory_order_relaxed)) {
  }
  tsan_release(block);
  F::call(&block->head, &run_retire_block<F>);
  reclaim_ready<F>();
}

// Hands on this thread's partly filled blocks and frees its overflow. Handing on frees the
// blocks that are ready, and freeing runs destructors, which may retire into blocks
// opened meanwhile (in any slot): it goes on until this thread holds no block. A thread
// that holds none (a reader) does nothing: it runs no one else's destructors.
template <class F>
void flush_thread_batch() noexcept {
  for (;;) {
    RetireBlock* block = take_open_blocks<F>();
    if (block == nullptr && ThreadRetire<F>::overflow == nullptr) return;
    while (block != nullptr) {
      RetireBlock* next = block->next_free;  // submit_block relinks the block.
      submit_block<F>(block);
      block = next;
    }
    free_overflow<F>();
  }
}

// What a deferred-free callback (RcuOld::defer, RetireBatch::defer, ObjBase::retire) holds
// while it runs destructors: it counts as a registration (CallbackScope), and afterwards
// hands on what those destructors retired. Callbacks run on liburcu's call_rcu thread,
// which never ends and never calls barrier: a block left open there would never be freed.
template <class F>
class CallbackFrees {
 public:
  CallbackFrees() noexcept = default;
  ~CallbackFrees() {
    if (ThreadRetire<F>::open[0] != nullptr || ThreadRetire<F>::overflow != nullptr) {
      flush_thread_batch<F>();
    }
  }
  CallbackFrees(const CallbackFrees&) = delete;
  CallbackFrees& operator=(const CallbackFrees&) = delete;

 private:
  CallbackScope<F> scope_;  // Ends after the flush: call_rcu wants a registered thread.
};

// retire_raw's slow path: this drop function's block is not the most recently used one,
// or is missing, or is about to be full. Finds its block among the open ones (or opens
// one, taking out the least recently used if all are in use), moves it to the front,
// appends, and takes the block out when full. The blocks taken out are handed on last,
// once `open` is consistent again: handing on may run destructors, which may retire.
template <class F>
[[gnu::noinline]] void retire_slow(void* object, DropEach drop) noexcept {
  RetireBlock** open = ThreadRetire<F>::open;
  int slot = 0;
  while (slot < kOpenBlocks && open[slot] != nullptr && open[slot]->drop != drop) ++slot;
  RetireBlock* evicted = nullptr;
  if (slot == kOpenBlocks) evicted = std::exchange(open[--slot], nullptr);
  std::rotate(open, open + slot, open + slot + 1);  // open[slot] to the front.
  RetireBlock* block = open[0];
  if (block == nullptr) {
    ThreadRetireExit<F>::arm();
    block = take_block<F>();
    if (block == nullptr) {
      std::rotate(open, open + 1, open + slot + 1);  // Nulls last again.
      if (evicted != nullptr) submit_block<F>(evicted);
      F::synchronize();
      tsan_grace_period_end<F>();
      drop(&object, 1);
      return;
    }
    block->drop = drop;
    open[0] = block;
  }
  block->entries[block->count++] = object;
  if (block->full()) {
    std::rotate(open, open + 1, open + kOpenBlocks);  // Nulls last again.
    open[kOpenBlocks - 1] = nullptr;
  } else {
    block = nullptr;
  }
  if (evicted != nullptr) submit_block<F>(evicted);
  if (block != nullptr) submit_block<F>(block);
}

inline namespace RCU_MODE_NAMESPACE {

// Adds one retired pointer to this thread's block for `drop`; inline, the common case
// (the same type as the last retire, room left) is a compare and a store. If no block can
// be mapped, waits for a grace period and frees the object at once: never leaks, never
// frees early.
template <class F>
inline void retire_raw(void* object, DropEach drop) noexcept {
  check_outside_read_section<F>(
      "retire inside a read-side critical section: past the backlog bound it waits for a "
      "grace period");
  // At thread exit the thread may be unregistered already; its retires then stay with it.
  if constexpr (kChecked) {
    if (!ThreadRetire<F>::exiting) check_registered<F>(kDeferOnUnregisteredThread);
  }
  RetireBlock* block = ThreadRetire<F>::open[0];
  if (block != nullptr && block->drop == drop && block->count + 1 < RetireBlock::kCapacity)
      [[likely]] {
    block->entries[block->count++] = object;
    return;
  }
  retire_slow<F>(object, drop);
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
    detail::CallbackFrees<F> callback;
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
                        &detail::drop_each<&detail::delete_with<T, D>>);
}

// Hands this thread's partly filled retire blocks to call_rcu, then waits until every
// deferred free (RcuOld::defer/retire, RetireBatch::defer, ObjBase::retire, retire) of
// flavor F requested before the call has run, on whichever thread runs it. Call it before
// the program (or a test) ends, and never inside a read-side critical section. Like
// liburcu's rcu_barrier, it does not wait for frees that those frees request in turn, and
// other threads' partly filled blocks are theirs until they hand them on.
template <Flavor F = Memb>
inline void barrier() noexcept {
  detail::check_outside_read_section<F>("rcu::barrier inside a read-side critical section");
  detail::flush_thread_batch<F>();
  F::barrier();
  detail::tsan_barrier_end<F>();  // ThreadSanitizer only, as every tsan_* here: detail/tsan.h.
  // Every block handed on before the call is ready now, or taken by a thread that is
  // still freeing it: wait for that thread, then free the rest.
  detail::reclaim_ready<F>(detail::OtherReclaimer::kWaitForIt);
}

// Maps blocks into flavor F's pool until it holds at least `blocks` free ones, so that the
// retires that follow map nothing, even while liburcu's callback thread is behind. Returns
// how many free blocks the pool holds.
template <Flavor F = Memb>
long reserve_retire_blocks(long blocks) noexcept {
  using Shared = detail::RetireShared<F>;
  std::lock_guard<std::mutex> lock(Shared::pool_mutex);
  while (Shared::pooled < blocks && detail::map_slab_locked<F>()) {
  }
  return Shared::pooled;
}

// What the batched retire path has done so far, per flavor: how many full blocks wait for
// their grace period now and at most so far (the backlog is at most that many blocks plus
// kOverflowBlocks + kOpenBlocks per retiring thread, kCapacity objects each), and how
// many blocks the flavor has mapped: its high-water mark, kRetireBlockBytes each.
struct RetireBacklog {
  long blocks_in_flight;
  long max_blocks_in_flight;
  std::size_t objects_per_block;
  long blocks_mapped;
};
template <Flavor F = Memb>
RetireBacklog retire_backlog() noexcept {
  // Relaxed: statistics only.
  return {detail::RetireShared<F>::in_flight.load(std::memory_order_relaxed),
          detail::RetireShared<F>::max_in_flight.load(std::memory_order_relaxed),
          detail::RetireBlock::kCapacity,
          detail::RetireShared<F>::mapped.load(std::memory_order_relaxed)};
}

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu
