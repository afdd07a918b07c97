// Rcu<P>: an RCU-protected pointer, after the Rust-for-Linux RFC "rust: sync: rcu: Add
// RCU protected pointer" (kernel::sync::rcu::Rcu), in C++20 on liburcu.
//
//   Rcu<P, F>       owns at most one P (a ForeignOwnable handle) in one atomic pointer.
//                   Readers: dereference(guard). The one updater: updater().
//   Guard<F>        a read-side critical section (guard.h).
//   RcuOld<P, F>    an unpublished value that readers may still see. Destroying it waits
//                   for a grace period (synchronize), then frees; defer() frees it after a
//                   grace period without waiting (call_rcu).
//   RetireBatch<F>  many retired values, one grace period (or one call_rcu) for all.
//   barrier<F>()    waits until every deferred free of flavor F has run.
//
// F is the liburcu flavor (flavor.h), Memb by default. See README.md beside this file.
#pragma once

#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "rcu/arc.h"
#include "rcu/detail/checks.h"
#include "rcu/detail/dependency.h"
#include "rcu/detail/tsan.h"
#include "rcu/flavor.h"
#include "rcu/flavor/memb.h"
#include "rcu/foreign_ownable.h"
#include "rcu/guard.h"
#include "rcu/thread.h"

namespace rcu {

template <Flavor F>
class RetireBatch;

// Waits until every deferred free (RcuOld::defer, RetireBatch::defer) of flavor F that was
// requested before the call has run. Call it before the program (or a test) ends, so no
// deferred free is left pending, and never inside a read-side critical section.
template <Flavor F = Memb>
inline void barrier() noexcept {
  detail::check_outside_read_section<F>("rcu::barrier inside a read-side critical section");
  F::barrier();
  detail::tsan_barrier_end<F>();  // ThreadSanitizer only, as every tsan_* below: detail/tsan.h.
}

// An unpublished value that a reader may still be using. Empty when there was no old
// value (the seed's Option<RcuOld> is None). Movable, not copyable.
template <ForeignOwnable P, Flavor F = Memb>
class [[nodiscard]] RcuOld {
  using Traits = ForeignOwnableTraits<P>;

 public:
  using Borrowed = typename Traits::Borrowed;

  constexpr RcuOld() noexcept = default;
  RcuOld(RcuOld&& other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
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
  Borrowed borrow() const noexcept { return Traits::borrow(raw_); }

  // Waits for a grace period, then frees: afterwards no reader can hold the object.
  void reset() noexcept {
    if (raw_ == nullptr) return;
    detail::check_outside_read_section<F>(
        "RcuOld freed inside a read-side critical section: the grace period would wait "
        "for this very thread");
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    (void)Traits::from_foreign(std::exchange(raw_, nullptr));
  }

  // Frees the object after a grace period, without waiting for it (call_rcu): for
  // updaters that cannot afford a synchronize per update. rcu::barrier<F>() waits for
  // every deferred free. If the bookkeeping node cannot be allocated, falls back to
  // reset() (waits, then frees): never leaks, never frees early. liburcu's call_rcu
  // wants a registered thread (hold an rcu::RegisteredThread<F>; under QSBR that thread
  // then reports quiescent states between updates).
  void defer() && noexcept {
    if (raw_ == nullptr) return;
    detail::check_registered<F>(detail::kDeferOnUnregisteredThread);
    auto* node = new (std::nothrow) DeferredFree{{}, raw_};
    if (node == nullptr) {
      reset();
      return;
    }
    raw_ = nullptr;
    detail::tsan_release(node);
    F::call(&node->head, &DeferredFree::run);
  }

 private:
  template <ForeignOwnable, Flavor>
  friend class Rcu;
  friend class RetireBatch<F>;

  explicit RcuOld(void* raw) noexcept : raw_(raw) {}
  void* release() noexcept { return std::exchange(raw_, nullptr); }

  static void drop_foreign(void* raw) noexcept { (void)Traits::from_foreign(raw); }

  struct DeferredFree {
    rcu_head head;  // First member: a DeferredFree* and its rcu_head* convert both ways.
    void* raw;
    static void run(rcu_head* head) noexcept {
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
  // (having reached it before this destructor began) finish first. No updater may run.
  ~Rcu() {
    // Relaxed: the destroying thread is the last user of this Rcu, ordered after the last
    // update by whatever handed it the Rcu to destroy (a join, a lock, a release/acquire).
    void* raw = ptr_.load(std::memory_order_relaxed);
    if (raw == nullptr) return;
    detail::check_outside_read_section<F>(
        "Rcu destroyed inside a read-side critical section: the grace period would wait "
        "for this very thread");
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    (void)Traits::from_foreign(raw);
  }

  // The current value, as a view valid while `guard` lives; empty if null.
  Borrowed dereference(const Guard<F>& guard) const noexcept {
    (void)guard;
    // Relaxed, ordered by the address dependency: every read through the returned view
    // depends on this load's value. Paired with the release store in
    // Updater::read_copy_update: whoever sees the new pointer sees the object it points
    // to initialised. Relaxed is enough on every supported CPU: x86-64 never reorders a
    // load with a later load; AArch64 and RISC-V (RVWMO) order a load before loads whose
    // address depends on it (only Alpha would need a barrier; liburcu's rcu_dereference is
    // the same relaxed load). The compiler gives relaxed loads no dependency ordering, so
    // the value goes through hide_from_optimizer: the optimizer cannot substitute an
    // equal pointer it knows, the one transformation that would break the dependency.
    // Keep the rest of the kernel's rcu_dereference rules: do not compare the view's
    // address with a known object and then use the known one. Under ThreadSanitizer the
    // load is acquire instead (kDereferenceOrder): TSan cannot model the dependency.
    return Traits::borrow(detail::hide_from_optimizer(ptr_.load(detail::kDereferenceOrder)));
  }

  // The only way to update: an Updater holds this Rcu's updater lock, so two threads
  // never read the same old value (and never free it twice). Blocks while another
  // Updater of this Rcu lives. A thread that is the only updater may keep one for as long
  // as it likes.
  [[nodiscard]] Updater updater() { return Updater(*this); }

  class [[nodiscard]] Updater {
   public:
    Updater(const Updater&) = delete;
    Updater& operator=(const Updater&) = delete;

    // The current value. Needs no Guard: only updaters free, and this is the only one.
    Borrowed current() const noexcept {
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
    explicit Updater(Rcu& rcu) : rcu_(rcu), lock_(rcu.updater_mutex_) {}
    Rcu& rcu_;
    std::unique_lock<std::mutex> lock_;
  };

 private:
  std::atomic<void*> ptr_{nullptr};
  std::mutex updater_mutex_;
};

// Retires many old values with one grace period between them and their frees: collect
// with add(), then synchronize_and_free() (one synchronize for all) or defer() (one
// call_rcu for all). The destructor does synchronize_and_free() for what is left.
template <Flavor F = Memb>
class RetireBatch {
 public:
  RetireBatch() = default;
  RetireBatch(const RetireBatch&) = delete;
  RetireBatch& operator=(const RetireBatch&) = delete;
  ~RetireBatch() { synchronize_and_free(); }

  template <ForeignOwnable P>
  void add(RcuOld<P, F>&& old) {
    if (!old) return;
    entries_.reserve(entries_.size() + 1);  // May throw; `old` keeps its value if so.
    entries_.push_back({old.release(), &RcuOld<P, F>::drop_foreign});
  }

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

  // One grace period, then every value is freed.
  void synchronize_and_free() noexcept {
    if (entries_.empty()) return;
    detail::check_outside_read_section<F>(
        "RetireBatch freed inside a read-side critical section: the grace period would "
        "wait for this very thread");
    F::synchronize();
    detail::tsan_grace_period_end<F>();
    drop_all(entries_);
    entries_.clear();
  }

  // One call_rcu for the whole batch; returns at once. Falls back to
  // synchronize_and_free() if the bookkeeping node cannot be allocated. Needs a
  // registered thread, as RcuOld::defer does.
  void defer() noexcept {
    if (entries_.empty()) return;
    detail::check_registered<F>(detail::kDeferOnUnregisteredThread);
    auto* node = new (std::nothrow) DeferredBatch{{}, {}};
    if (node == nullptr) {
      synchronize_and_free();
      return;
    }
    node->entries.swap(entries_);
    detail::tsan_release(node);
    F::call(&node->head, &DeferredBatch::run);
  }

 private:
  struct Entry {
    void* raw;
    void (*drop)(void*) noexcept;
  };
  static void drop_all(const std::vector<Entry>& entries) noexcept {
    for (const Entry& e : entries) e.drop(e.raw);
  }
  struct DeferredBatch {
    rcu_head head;  // First member, as in RcuOld::DeferredFree.
    std::vector<Entry> entries;
    static void run(rcu_head* head) noexcept {
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

}  // namespace rcu
