// Rcu<P>: an RCU-protected pointer, after the Rust-for-Linux RFC "rust: sync: rcu: Add
// RCU protected pointer" (kernel::sync::rcu::Rcu), in C++20 on liburcu.
//
//   Rcu<P, F>       owns at most one P (a ForeignOwnable handle) in one atomic pointer.
//                   Readers: dereference(guard) or read(). Updaters: update(f) (the lock
//                   is released before the old value is freed), updater() (holds the
//                   lock), exchange(p) (lock-free, for exchange-only programs).
//   Guard<F>        a read-side critical section (guard.h).
//   RcuOld<P, F>    an unpublished value that readers may still see. Destroying it waits
//                   for a grace period (synchronize), then frees; defer() frees it after a
//                   grace period without waiting (call_rcu); retire() batches it with
//                   other retired pointers (retire.h).
//   RetireBatch<F>  many retired values, one grace period (or one call_rcu) for all.
//   barrier<F>()    waits until every deferred free of flavor F has run (retire.h).
//
// F is the liburcu flavor (flavor.h), Memb by default. See README.md beside this file.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "rcu/arc.h"
#include "rcu/detail/blocking.h"
#include "rcu/detail/checks.h"
#include "rcu/detail/dependency.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"
#include "rcu/foreign_ownable.h"
#include "rcu/guard.h"
#include "rcu/retire.h"
#include "rcu/thread.h"

namespace rcu {

namespace detail {

// Whether P's handle can lend its object's embedded rcu_head (ObjBase) to a deferred free.
template <class Traits>
concept LendsRcuHead = requires(void* raw, rcu_head* head) {
  { Traits::exclusive_rcu_head(raw) } noexcept -> std::same_as<rcu_head*>;
  { Traits::from_rcu_head(head) } noexcept -> std::same_as<void*>;
};

// Keeps words that different threads write apart.
inline constexpr std::size_t kCacheLineBytes = 64;

inline namespace RCU_MODE_NAMESPACE {
// How many Updaters of one Rcu live, for exchange()'s check: counted in checked builds,
// empty otherwise. Not a try_lock probe of the updater mutex: that fails spuriously, and
// two exchanges probing at once would each take the other's probe for an Updater.
// Relaxed throughout: a diagnostic. exchange() sees every Updater made before it began
// (the misuse); one racing with it may go unseen.
#if RCU_CHECKED_MODE
class LiveUpdaters {
 public:
  void add() noexcept { count_.fetch_add(1, std::memory_order_relaxed); }
  void remove() noexcept { count_.fetch_sub(1, std::memory_order_relaxed); }
  bool any() const noexcept { return count_.load(std::memory_order_relaxed) != 0; }

 private:
  std::atomic<int> count_{0};
};
#else
class LiveUpdaters {
 public:
  void add() noexcept {}
  void remove() noexcept {}
  bool any() const noexcept { return false; }
};
#endif
}  // namespace RCU_MODE_NAMESPACE

inline constexpr const char* kGracePeriodInsideReadSection =
    "grace period awaited inside a read-side critical section (freeing an RcuOld, "
    "destroying an Rcu or a RetireBatch): it would wait for this very thread, or under "
    "QSBR free what it still reads";

}  // namespace detail

inline namespace RCU_MODE_NAMESPACE {

template <Flavor F>
class RetireBatch;

// An unpublished value that a reader may still be using. Empty when there was no old
// value (the seed's Option<RcuOld> is None). Movable, not copyable. Three ways to free it:
// reset() (or the destructor) waits for a grace period; std::move(old).defer() hands it
// to call_rcu; std::move(old).retire() adds it to this thread's retire block (retire.h).
// Declare an RcuOld before any Guard in the same scope: destroyed in reverse order, the
// Guard then ends first.
template <ForeignOwnable P, Flavor F = Memb>
class [[nodiscard]] RcuOld {
  using Traits = ForeignOwnableTraits<P>;

 public:
  using Borrowed = typename Traits::Borrowed;

  constexpr RcuOld() noexcept = default;
  RcuOld(RcuOld&& other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
  // Frees the value held before (a grace period: not inside a read-side section).
  RcuOld& operator=(RcuOld&& other) noexcept {
    if (this != &other) {
      reset();
      raw_ = std::exchange(other.raw_, nullptr);
    }
    return *this;
  }
  RcuOld(const RcuOld&) = delete;
  RcuOld& operator=(const RcuOld&) = delete;
  ~RcuOld() { reset(); }

  explicit operator bool() const noexcept { return raw_ != nullptr; }

  // The old object, still alive until this RcuOld frees it.
  Borrowed borrow() const noexcept RCU_LIFETIMEBOUND { return Traits::borrow(raw_); }

  // Waits for a grace period, then frees: afterwards no reader can hold the object.
  void reset() noexcept {
    if (raw_ == nullptr) return;
    detail::check_outside_read_section<F>(detail::kGracePeriodInsideReadSection);
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    drop_foreign(std::exchange(raw_, nullptr));
  }

  // Frees the object after a grace period, without waiting for it (call_rcu): for
  // updaters that cannot afford a synchronize per update. rcu::barrier<F>() waits for
  // every deferred free. Allocates nothing when the object lends its rcu_head (it derives
  // from rcu::ObjBase, or is an rcu::Arc's with no other owner); otherwise allocates a
  // 24-byte node, and if that fails, falls back to reset() (waits, then frees): never
  // leaks, never frees early. liburcu's call_rcu wants a registered thread (hold an
  // rcu::RegisteredThread<F>; under QSBR that thread then reports quiescent states).
  void defer() && noexcept {
    if (raw_ == nullptr) return;
    detail::check_registered<F>(detail::kDeferOnUnregisteredThread);
    if constexpr (detail::LendsRcuHead<Traits>) {
      if (rcu_head* head = Traits::exclusive_rcu_head(raw_)) {
        raw_ = nullptr;
        detail::tsan_release(head);
        F::call(head, &run_intrusive);
        return;
      }
    }
    auto* node = new (std::nothrow) DeferredFree{{}, raw_};
    if (node == nullptr) {
      detail::check_outside_read_section<F>(
          "out of memory for a deferred free inside a read-side critical section: the "
          "fallback (wait for a grace period) would wait for this very thread");
      reset();
      return;
    }
    raw_ = nullptr;
    detail::tsan_release(node);
    F::call(&node->head, &DeferredFree::run);
  }

  // Frees the object after a grace period, batched with this thread's other retired
  // pointers: one call_rcu per page of them, no allocation in steady state (retire.h).
  // Not inside a read-side critical section; on a registered thread.
  void retire() && noexcept {
    if (raw_ == nullptr) return;
    detail::retire_raw<F>(std::exchange(raw_, nullptr), &detail::drop_each<&drop_foreign>);
  }

 private:
  template <ForeignOwnable, Flavor>
  friend class Rcu;
  friend class RetireBatch<F>;

  explicit RcuOld(void* raw) noexcept : raw_(raw) {}

  static void drop_foreign(void* raw) noexcept { (void)Traits::from_foreign(raw); }

  static void run_intrusive(rcu_head* head) noexcept {
    detail::CallbackFrees<F> callback;
    detail::tsan_acquire(head);
    detail::tsan_grace_period_end<F>();
    if constexpr (detail::LendsRcuHead<Traits>) drop_foreign(Traits::from_rcu_head(head));
    detail::tsan_callback_done<F>();
  }

  struct DeferredFree {
    rcu_head head;  // First member: a DeferredFree* and its rcu_head* convert both ways.
    void* raw;
    static void run(rcu_head* head) noexcept {
      detail::CallbackFrees<F> callback;
      auto* self = reinterpret_cast<DeferredFree*>(head);
      detail::tsan_acquire(self);
      detail::tsan_grace_period_end<F>();
      drop_foreign(self->raw);
      delete self;
      detail::tsan_callback_done<F>();
    }
  };
  static_assert(std::is_standard_layout_v<DeferredFree>);

  void* raw_ = nullptr;
};

// The current value of an Rcu together with the read-side critical section that keeps it
// alive: rcu.read(). Not copyable or movable (it holds a Guard); use it as a local or a
// temporary: `rcu.read()->field`.
template <ForeignOwnable P, Flavor F = Memb>
class [[nodiscard]] ReadView {
 public:
  using Borrowed = typename ForeignOwnableTraits<P>::Borrowed;

  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  explicit operator bool() const noexcept { return static_cast<bool>(view_); }
  decltype(auto) operator*() const noexcept RCU_LIFETIMEBOUND { return *view_; }
  auto operator->() const noexcept RCU_LIFETIMEBOUND { return view_.operator->(); }
  // The view itself; valid while this ReadView lives.
  const Borrowed& get() const noexcept RCU_LIFETIMEBOUND { return view_; }

 private:
  template <ForeignOwnable, Flavor>
  friend class Rcu;
  template <class R>
  explicit ReadView(const R& rcu) : view_(rcu.dereference(guard_)) {}

  Guard<F> guard_;  // Declared first: constructed before, destroyed after, the view.
  Borrowed view_;
};

template <ForeignOwnable P, Flavor F = Memb>
class Rcu {
  using Traits = ForeignOwnableTraits<P>;

 public:
  using Borrowed = typename Traits::Borrowed;
  using Old = RcuOld<P, F>;
  class Updater;

  // Empty (null) pointer.
  constexpr Rcu() noexcept = default;
  static Rcu null() noexcept { return Rcu(); }
  explicit Rcu(P p) noexcept : ptr_(Traits::into_foreign(std::move(p))) {}

  // Not copyable, not movable: the C++ form of the seed's pinning. Readers hold its
  // address; an Rcu is placed once and stays put.
  Rcu(const Rcu&) = delete;
  Rcu& operator=(const Rcu&) = delete;

  // Waits for a grace period, then frees the current value: readers that still use it
  // (having reached it before this destructor began) finish first. No updater may run,
  // and not inside a read-side critical section.
  ~Rcu() {
    // Relaxed: the destroying thread is the last user of this Rcu, ordered after the last
    // update by whatever handed it the Rcu to destroy (a join, a lock, a release/acquire).
    void* raw = ptr_.load(std::memory_order_relaxed);
    if (raw == nullptr) return;
    detail::check_outside_read_section<F>(detail::kGracePeriodInsideReadSection);
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    (void)Traits::from_foreign(raw);
  }

  // The current value, as a view valid while `guard` lives; empty if null. The guard must
  // be a named Guard live on this thread (a temporary does not compile; checked builds
  // abort when no read-side section is live on this thread).
  Borrowed dereference(const Guard<F>& guard RCU_LIFETIMEBOUND) const noexcept {
    (void)guard;
    return load_for_reader();
  }
  Borrowed dereference(const Guard<F>&&) const = delete;
  // The same under a std::scoped_lock of rcu::domain<F>().
  Borrowed dereference(const std::scoped_lock<Domain<F>>& lock RCU_LIFETIMEBOUND) const noexcept {
    (void)lock;
    return load_for_reader();
  }
  Borrowed dereference(const std::scoped_lock<Domain<F>>&&) const = delete;

  // A read-side section and the current value in one object: `rcu.read()->field`.
  ReadView<P, F> read() const { return ReadView<P, F>(*this); }

  // Whether the Rcu is null now, without a guard (liburcu's rcu_access_pointer): the
  // answer may be stale at once, and there is nothing to dereference.
  bool is_null() const noexcept {
    // Relaxed: only the pointer's value is used, never the object it points to.
    return ptr_.load(std::memory_order_relaxed) == nullptr;
  }

  // The Updater: holds this Rcu's updater lock, so two threads never read the same old
  // value (and never free it twice). Blocks while another Updater of this Rcu lives; a
  // QSBR thread is offline meanwhile, so the holder's grace periods do not wait for it.
  // Never inside a read-side critical section (the holder may be waiting for this
  // thread's grace period): checked builds abort. Do not wait for a grace period
  // while holding it if others may block on it: prefer update(), which frees the lock
  // before the caller frees the old value.
  [[nodiscard]] Updater updater() { return Updater(*this); }

  // Read, copy, update, with the updater lock held only while publishing: returns the old
  // value after releasing the lock, so `rcu.update(f).reset()` (or `.defer()`, `.retire()`)
  // frees it without holding anyone up. `make_next` as in Updater::read_copy_update.
  template <class MakeNext>
    requires std::is_invocable_r_v<P, MakeNext&, Borrowed>
  Old update(MakeNext&& make_next) {
    return updater().read_copy_update(make_next);
  }
  Old replace(P next) { return updater().replace(std::move(next)); }

  // Lock-free replace (liburcu's rcu_xchg_pointer), for programs whose only updates are
  // exchanges: never concurrently with an Updater of this Rcu (which could then free the
  // same old value twice; checked builds abort when an Updater is live).
  Old exchange(P next) noexcept {
    if (live_updaters_.any()) {
      detail::misuse(F::name.data(), "Rcu::exchange while an Updater of the same Rcu lives");
    }
    // Release: publishes the new object, paired with the address dependency of the load in
    // dereference() (as the store in read_copy_update). Acquire: paired with the release of
    // the exchange or store that published the old value, whose object this thread may
    // now free.
    return Old(ptr_.exchange(Traits::into_foreign(std::move(next)), std::memory_order_acq_rel));
  }

  class [[nodiscard]] Updater {
   public:
    Updater(const Updater&) = delete;
    Updater& operator=(const Updater&) = delete;
    ~Updater() { rcu_.live_updaters_.remove(); }  // Before lock_ releases the lock.

    // The current value. Needs no Guard: only updaters free, and this is the only one.
    // Valid while this Updater lives and has not replaced it.
    Borrowed current() const noexcept RCU_LIFETIMEBOUND {
      // Relaxed: only updaters store ptr_, and the updater lock orders this thread after
      // the last one (the lock's acquire pairs with the previous Updater's unlock).
      return Traits::borrow(rcu_.ptr_.load(std::memory_order_relaxed));
    }

    // Read, copy, update: `make_next` gets a view of the old value (empty if null) and
    // returns the next P (empty for null). The next value is published with a release
    // store; the old one comes back as an RcuOld (empty if it was null). If `make_next`
    // throws, nothing changes.
    template <class MakeNext>
      requires std::is_invocable_r_v<P, MakeNext&, Borrowed>
    Old read_copy_update(MakeNext&& make_next) {
      // Step 1, read. Relaxed: paired with the updater lock, as in current().
      void* old = rcu_.ptr_.load(std::memory_order_relaxed);
      // Step 2, copy: build the next value from the old one.
      P next = make_next(Traits::borrow(old));
      // Step 3, update.
      if (next) {
        // Release: paired with the address dependency of the relaxed load in
        // dereference(): the object's initialisation happens before its publication.
        rcu_.ptr_.store(Traits::into_foreign(std::move(next)), std::memory_order_release);
      } else {
        // Relaxed: null publishes no object, so there is nothing to order before it.
        rcu_.ptr_.store(nullptr, std::memory_order_relaxed);
      }
      return Old(old);
    }

    Old replace(P next) {
      return read_copy_update([&next](const Borrowed&) { return std::move(next); });
    }

   private:
    friend class Rcu;
    explicit Updater(Rcu& rcu) : rcu_(rcu), lock_(rcu.updater_mutex_, std::defer_lock) {
      detail::check_outside_read_section<F>(
          "Rcu::updater() inside a read-side critical section: the Updater's holder may be "
          "waiting for this thread's grace period");
      if (!lock_.try_lock()) detail::blocking<F>([this] { lock_.lock(); });
      rcu_.live_updaters_.add();
    }
    Rcu& rcu_;
    std::unique_lock<std::mutex> lock_;
  };

 private:
  Borrowed load_for_reader() const noexcept {
    detail::check_inside_read_section<F>(
        "Rcu::dereference with no read-side critical section live on this thread");
    // The read path's ordering, stated exactly: a relaxed load whose value every read
    // through the view depends on (address dependency), paired with the release store in
    // Updater::read_copy_update (and exchange), so whoever sees the new pointer sees the
    // object it points to initialised. ISO C++ gives a relaxed load no such ordering (its
    // consume ordering is unimplemented: compilers promote consume to acquire); this
    // relies on the hardware instead, as the Linux kernel's READ_ONCE-based
    // rcu_dereference does: x86-64 never reorders a load with a later load, and AArch64
    // and RISC-V (RVWMO) order a load before every load whose address depends on it (only
    // Alpha would need a barrier). liburcu 0.13's rcu_dereference, compiled as C++, is
    // a consume load (so an acquire: on AArch64 an ldar, on RISC-V a fence), i.e. stronger
    // and slower than this one; the raw-liburcu baseline in this project states which
    // form it measures. What keeps the compiler from breaking the dependency is
    // hide_from_optimizer: it cannot substitute an equal pointer it knows, the one
    // transformation that would turn the dependency into a control dependency. Keep the
    // rest of the kernel's rcu_dereference rules: do not compare the view's address with
    // a known object and then use the known one. Under ThreadSanitizer the load is
    // acquire instead (kDereferenceOrder): TSan cannot model the dependency.
    return Traits::borrow(detail::hide_from_optimizer(ptr_.load(detail::kDereferenceOrder)));
  }

  std::atomic<void*> ptr_{nullptr};
  // The updater lock on a cache line of its own: readers load ptr_'s line all the time,
  // and an updater that locked and unlocked a mutex on that line would take it from them
  // twice more per update (Rcu::replace + retire ran at about half the speed of exchange +
  // retire, bench/rcu_pointer_benchmark; 0.85x now: src/rcu/README.md).
  alignas(detail::kCacheLineBytes) std::mutex updater_mutex_;
  [[no_unique_address]] detail::LiveUpdaters live_updaters_;
};

// Retires many old values with one grace period between them and their frees: collect
// with add(), then synchronize_and_free() (one synchronize for all) or defer() (one
// call_rcu for all). The destructor does synchronize_and_free() for what is left, so a
// RetireBatch must not be destroyed inside a read-side critical section.
template <Flavor F = Memb>
class RetireBatch {
 public:
  RetireBatch() = default;
  RetireBatch(const RetireBatch&) = delete;
  RetireBatch& operator=(const RetireBatch&) = delete;
  ~RetireBatch() { synchronize_and_free(); }

  // Amortised O(1). If the vector cannot grow, throws and `old` keeps its value.
  template <ForeignOwnable P>
  void add(RcuOld<P, F>&& old) {
    if (!old) return;
    entries_.push_back({old.raw_, &RcuOld<P, F>::drop_foreign});
    old.raw_ = nullptr;  // Only now: push_back's strong guarantee left `old` whole on throw.
  }

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

  // One grace period, then every value is freed.
  void synchronize_and_free() noexcept {
    if (entries_.empty()) return;
    detail::check_outside_read_section<F>(detail::kGracePeriodInsideReadSection);
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    drop_all(entries_);
    entries_.clear();
  }

  // One call_rcu for the whole batch; returns at once. Allocates one node (and hands the
  // vector over); falls back to synchronize_and_free() if the node cannot be allocated.
  // Needs a registered thread, as RcuOld::defer does.
  void defer() noexcept {
    if (entries_.empty()) return;
    detail::check_registered<F>(detail::kDeferOnUnregisteredThread);
    auto* node = new (std::nothrow) DeferredBatch{{}, {}};
    if (node == nullptr) {
      detail::check_outside_read_section<F>(
          "out of memory for a deferred free inside a read-side critical section: the "
          "fallback (wait for a grace period) would wait for this very thread");
      synchronize_and_free();
      return;
    }
    node->entries.swap(entries_);
    detail::tsan_release(node);
    F::call(&node->head, &DeferredBatch::run);
  }

 private:
  using Entry = detail::Retired;
  static void drop_all(const std::vector<Entry>& entries) noexcept {
    for (const Entry& e : entries) e.drop(e.object);
  }
  struct DeferredBatch {
    rcu_head head;  // First member, as in RcuOld::DeferredFree.
    std::vector<Entry> entries;
    static void run(rcu_head* head) noexcept {
      detail::CallbackFrees<F> callback;
      auto* self = reinterpret_cast<DeferredBatch*>(head);
      detail::tsan_acquire(self);
      detail::tsan_grace_period_end<F>();
      drop_all(self->entries);
      delete self;
      detail::tsan_callback_done<F>();
    }
  };

  std::vector<Entry> entries_;
};

}  // namespace RCU_MODE_NAMESPACE
}  // namespace rcu
