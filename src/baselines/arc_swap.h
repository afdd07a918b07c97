// ArcSwap<T>: an atomically swappable reference-counted pointer after the Rust crate
// arc-swap 1.9.1 and its default ("hybrid") strategy. Design: arc_swap.md.
//
// A reader does not touch the reference count: load() records a debt (the pointer) in one of
// its thread's slots, confirms that the storage still holds it, and reads. A writer that
// swaps the pointer out pays every debt on the old pointer (counts a reference for each
// reader and clears its slot) before it drops its own reference. When the fast slots fail,
// the reader falls back to a helping slot, where a writer that collides with it loads a
// pointer for it instead of waiting; readers and writers are lock-free.
//
//   ArcPtr<T>           owning handle (one reference) to an intrusively counted T
//   ArcSwapGuard<T>     what load() returns: a debt or a reference; pays it when destroyed
//   ArcSwap<T>          the storage: load, load_full, store, swap, compare_and_swap, rcu
//   ArcSwapThread<T>    a thread's debt node for ArcSwap<T>, for callers that pass it
//                       explicitly instead of using the thread_local one
//   ArcSwapPrimitive<T> the suite's primitive interface (primitive.h)
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "baselines/detail/arc_swap_debt.h"
#include "baselines/detail/arc_swap_list.h"
#include "baselines/node_allocator.h"
#include "baselines/primitive.h"

namespace rcubench {

namespace detail::arc_swap {

// The intrusive counted node: one allocation for the count and the value, from
// NodeAllocator<T> (node_allocator.h).
template <class T>
struct ArcNode {
  template <class... Args>
  explicit ArcNode(std::in_place_t, Args&&... args) : value(std::forward<Args>(args)...) {}
  // The value built in place from make()'s result (node_allocator.h, FromResult).
  template <class Make>
  explicit ArcNode(FromResult, Make&& make) : value(std::forward<Make>(make)()) {}

  void inc() noexcept {
    // Relaxed, pairs with nothing: a count is only added by a holder of a reference or of a
    // protecting debt, which keeps the object alive meanwhile. Handing a writer's count over
    // to a reader is ordered by the debt slot's CAS (debt.h).
    refs.fetch_add(1, std::memory_order_relaxed);
  }
  void dec() noexcept {
    // D: release, matched by the acquire load below in whichever owner drops the last
    // reference: this owner's uses of the value happen before the delete.
    if (refs.fetch_sub(1, std::memory_order_release) == 1) {
      // Acquire. Matches D: it reads the final decrement, which lies in the release sequence
      // of every earlier D. A load rather than an acquire fence (same effect here) because
      // ThreadSanitizer does not model fences.
      (void)refs.load(std::memory_order_acquire);
      delete_node<T>(this);
    }
  }

  std::atomic<std::size_t> refs{1};
  T value;
};

template <class T>
std::uintptr_t address(ArcNode<T>* node) noexcept {
  return reinterpret_cast<std::uintptr_t>(node);
}
template <class T>
ArcNode<T>* from_address(std::uintptr_t ptr) noexcept {
  return reinterpret_cast<ArcNode<T>*>(ptr);
}

// The debt nodes of readers of ArcSwap<T>, for every T its own list (see list.h).
template <class T>
inline NodeList g_node_list{nullptr};

}  // namespace detail::arc_swap

// A thread's debt node for every ArcSwap<T> of one T.
template <class T>
class ArcSwapThread : public detail::arc_swap::LocalNode {
 public:
  ArcSwapThread() noexcept : LocalNode(detail::arc_swap::g_node_list<T>) {}
};

namespace detail::arc_swap {

// This thread's ArcSwapThread<T> for callers that do not carry one. The flag is trivially
// destructible, so it can be read even while the thread's thread_locals are being
// destroyed; after that point there is no node to hand out and callers use a temporary one
// (as the crate does when its thread-local is gone).
template <class T>
inline thread_local constinit bool t_local_node_gone = false;

template <class T>
struct ThreadLocalNode {
  ArcSwapThread<T> local;
  ~ThreadLocalNode() { t_local_node_gone<T> = true; }
};

template <class T>
ArcSwapThread<T>* thread_local_node() noexcept {
  if (t_local_node_gone<T>) [[unlikely]] return nullptr;
  thread_local ThreadLocalNode<T> holder;
  return &holder.local;
}

}  // namespace detail::arc_swap

// kPaysDebts is false only in the torture checker's negative control: its writers skip
// the debt pay-off and free objects that readers still use.
template <class T, bool kPaysDebts = true>
class ArcSwap;
template <class T>
class ArcSwapGuard;

// An owning reference to an ArcNode<T>; null only when default-constructed or moved from.
template <class T>
class ArcPtr {
  using Node = detail::arc_swap::ArcNode<T>;

 public:
  constexpr ArcPtr() noexcept = default;
  template <class... Args>
  static ArcPtr make(Args&&... args) {
    return ArcPtr(new_node<T, Node>(std::in_place, std::forward<Args>(args)...));
  }
  // The value built in the node from make()'s result, with no copy (FromResult).
  template <class Make>
  static ArcPtr make_from(Make&& make) {
    return ArcPtr(new_node<T, Node>(FromResult{}, make));
  }

  ArcPtr(const ArcPtr& other) noexcept : node_(other.node_) {
    if (node_ != nullptr) node_->inc();
  }
  ArcPtr(ArcPtr&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  ArcPtr& operator=(ArcPtr other) noexcept {
    std::swap(node_, other.node_);
    return *this;
  }
  ~ArcPtr() {
    if (node_ != nullptr) node_->dec();
  }

  explicit operator bool() const noexcept { return node_ != nullptr; }
  const T& operator*() const noexcept { return node_->value; }
  const T* operator->() const noexcept { return &node_->value; }
  const T* get() const noexcept { return node_ != nullptr ? &node_->value : nullptr; }
  std::size_t use_count() const noexcept {
    // Relaxed, pairs with nothing: a snapshot for tests and diagnostics.
    return node_ != nullptr ? node_->refs.load(std::memory_order_relaxed) : 0;
  }

 private:
  template <class, bool>
  friend class ArcSwap;
  friend class ArcSwapGuard<T>;
  explicit ArcPtr(Node* node) noexcept : node_(node) {}
  Node* release() noexcept { return std::exchange(node_, nullptr); }

  Node* node_ = nullptr;
};

// A loaded pointer: either a debt in a slot (nothing counted) or a counted reference.
// Destroying it gives the debt back, or, if a writer paid the debt meanwhile, drops the
// reference the writer counted for it. May outlive the ArcSwap (its destructor pays all
// debts) and may be destroyed on another thread.
template <class T>
class ArcSwapGuard {
  using Node = detail::arc_swap::ArcNode<T>;
  using Debt = detail::arc_swap::Debt;

 public:
  ArcSwapGuard(ArcSwapGuard&& other) noexcept
      : node_(std::exchange(other.node_, nullptr)), debt_(std::exchange(other.debt_, nullptr)) {}
  ArcSwapGuard& operator=(ArcSwapGuard&& other) noexcept {
    if (this != &other) {
      reset();
      node_ = std::exchange(other.node_, nullptr);
      debt_ = std::exchange(other.debt_, nullptr);
    }
    return *this;
  }
  ~ArcSwapGuard() { reset(); }

  const T& operator*() const noexcept { return node_->value; }
  const T* operator->() const noexcept { return &node_->value; }
  const T* get() const noexcept { return node_ != nullptr ? &node_->value : nullptr; }

  // Whether this guard still has a debt in a slot (false: it holds a counted reference). A
  // snapshot: a writer may pay the debt at any moment; reading the slot, not this flag,
  // decides what the destructor does.
  bool has_debt() const noexcept { return debt_ != nullptr; }

  // A counted reference of its own, which outlives the guard.
  ArcPtr<T> to_arc() const noexcept {
    node_->inc();  // the guard protects the object while we count
    return ArcPtr<T>(node_);
  }
  // Turns the guard into a counted reference, freeing its slot (the crate's into_inner).
  ArcPtr<T> into_arc() && noexcept { return ArcPtr<T>(std::move(*this).into_node()); }

 private:
  template <class, bool>
  friend class ArcSwap;
  ArcSwapGuard(Node* node, Debt* debt) noexcept : node_(node), debt_(debt) {}

  Node* into_node() && noexcept {
    if (debt_ != nullptr) {
      node_->inc();
      // If a writer paid the debt first, we hold its count as well: drop one.
      if (!std::exchange(debt_, nullptr)->pay(detail::arc_swap::address(node_))) node_->dec();
    }
    return std::exchange(node_, nullptr);
  }

  void reset() noexcept {
    if (node_ == nullptr) return;
    Debt* debt = std::exchange(debt_, nullptr);
    Node* node = std::exchange(node_, nullptr);
    if (debt != nullptr && debt->pay(detail::arc_swap::address(node))) return;  // gave it back
    node->dec();  // a counted reference, or a debt a writer paid for us
  }

  Node* node_ = nullptr;
  Debt* debt_ = nullptr;
};

template <class T, bool kPaysDebts>
class ArcSwap {
  using Node = detail::arc_swap::ArcNode<T>;
  static_assert(alignof(Node) > detail::arc_swap::kNoDebt, "kNoDebt must not be an address");

 public:
  using Guard = ArcSwapGuard<T>;

  struct RcuResult {
    ArcPtr<T> previous;  // the value that was replaced
    unsigned retries;    // how many compare-and-swaps lost to another writer
  };

  explicit ArcSwap(ArcPtr<T> initial) noexcept : ptr_(initial.release()) {
    // Relaxed, pairs with nothing: reads our own initialisation.
    assert(ptr_.load(std::memory_order_relaxed) != nullptr);
  }
  template <class... Args>
  explicit ArcSwap(std::in_place_t, Args&&... args)
      : ArcSwap(ArcPtr<T>::make(std::forward<Args>(args)...)) {}
  ArcSwap(const ArcSwap&) = delete;
  ArcSwap& operator=(const ArcSwap&) = delete;

  ~ArcSwap() {
    // Relaxed, pairs with nothing: destruction has exclusive access, and whatever gave it
    // (a join, the end of the threads' use) already ordered every earlier store.
    Node* current = ptr_.load(std::memory_order_relaxed);
    // Guards may outlive us: pay their debts so they hold real references.
    with_local([&](ArcSwapThread<T>& local) {
      wait_for_readers(current, local);
      return 0;
    });
    current->dec();
  }

  Guard load() const {
    return with_local([&](ArcSwapThread<T>& local) { return load(local); });
  }
  Guard load(ArcSwapThread<T>& local) const {
    // seq_cst as in the crate (1.9): if the confirmation below fails but a writer already
    // paid the debt, we keep using this value, so this load takes part in S with the
    // writers' swaps rather than possibly returning an older pointer. On x86 a seq_cst load
    // is a plain load.
    Node* ptr = ptr_.load(std::memory_order_seq_cst);
    if (detail::arc_swap::Debt* debt = local.claim_fast(address(ptr))) [[likely]] {
      // seq_cst, store-buffering: we wrote the debt (fast.h), now read the storage; a writer
      // swaps the storage, then reads our slot (debt.h). Either we see its new pointer here,
      // or it sees our debt and pays it before dropping the old object.
      Node* confirm = ptr_.load(std::memory_order_seq_cst);
      if (confirm == ptr) [[likely]] return Guard(confirm, debt);
      // Lost a race with a writer: give the debt back and fall back. If a writer already
      // paid it, we own a counted reference to the object now at `ptr`: a T (only writers
      // of ArcSwap<T> walk our list), but not necessarily the one we loaded, since that may
      // have been freed and its address reused (by any ArcSwap<T>) before our debt was
      // written. Drop it instead of returning it, as the crate would.
      if (!debt->pay(address(ptr))) ptr->dec();
    }
    return fallback(local);
  }

  ArcPtr<T> load_full() const { return load().into_arc(); }
  ArcPtr<T> load_full(ArcSwapThread<T>& local) const { return load(local).into_arc(); }

  void store(ArcPtr<T> next) { swap(std::move(next)); }
  void store(ArcSwapThread<T>& local, ArcPtr<T> next) { swap(local, std::move(next)); }

  ArcPtr<T> swap(ArcPtr<T> next) {
    return with_local([&](ArcSwapThread<T>& local) { return swap(local, std::move(next)); });
  }
  ArcPtr<T> swap(ArcSwapThread<T>& local, ArcPtr<T> next) {
    assert(next);
    local.node();  // claim a node now: nothing may fail between the exchange and the walk
    // seq_cst, store-buffering: the write half on the writer's side (see load()); also
    // release for the new object's contents and acquire for the old one's.
    Node* old = ptr_.exchange(next.release(), std::memory_order_seq_cst);
    wait_for_readers(old, local);
    return ArcPtr<T>(old);  // the storage's reference to the old object is now the caller's
  }

  // Replaces the value with `next` if it is still `current` (compared by address). Returns
  // a guard on the value found: it equals `current` exactly when the swap happened.
  Guard compare_and_swap(const T* current, ArcPtr<T> next) {
    return with_local([&](ArcSwapThread<T>& local) {
      return compare_and_swap(local, current, std::move(next));
    });
  }
  Guard compare_and_swap(ArcSwapThread<T>& local, const T* current, ArcPtr<T> next) {
    assert(next);
    for (;;) {
      Guard old = load(local);
      if (old.get() != current) return old;
      Node* expected = old.node_;
      // seq_cst on success: this is the swap of the store-buffering pair, as in swap().
      // Relaxed on failure, pairs with nothing: the value read is discarded and the next
      // round's load() is the synchronizing read. Weak: a spurious failure just loops.
      if (ptr_.compare_exchange_weak(expected, next.node_, std::memory_order_seq_cst,
                                     std::memory_order_relaxed)) {
        next.release();  // its reference now belongs to the storage
        wait_for_readers(old.node_, local);
        // We got the storage's reference to the old object. `old` holds one too (a counted
        // reference, or a debt in our own node that the walk just paid): drop the storage's.
        old.node_->dec();
        return old;
      }
    }
  }

  // Read-copy-update: next = f(current), installed by compare_and_swap and retried from the
  // value found whenever another writer got in first. f returns an ArcPtr<T> or a T.
  template <class F>
  RcuResult rcu(F&& f) {
    return with_local([&](ArcSwapThread<T>& local) { return rcu(local, std::forward<F>(f)); });
  }
  template <class F>
  RcuResult rcu(ArcSwapThread<T>& local, F&& f) {
    unsigned retries = 0;
    Guard current = load(local);
    for (;;) {
      ArcPtr<T> next = make_next(f, *current);
      const T* expected = current.get();
      Guard found = compare_and_swap(local, expected, std::move(next));
      if (found.get() == expected) return {std::move(found).into_arc(), retries};
      current = std::move(found);
      ++retries;
    }
  }

 private:
  template <class F>
  static decltype(auto) with_local(F&& f) {
    if (ArcSwapThread<T>* local = detail::arc_swap::thread_local_node<T>()) [[likely]] {
      return f(*local);
    }
    ArcSwapThread<T> temporary;  // the thread_local is gone (thread exit): borrow a node
    return f(temporary);
  }

  template <class F>
  static ArcPtr<T> make_next(F& f, const T& current) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, const T&>>;
    if constexpr (std::is_same_v<R, ArcPtr<T>>) {
      return std::invoke(f, current);
    } else {
      return ArcPtr<T>::make_from([&] { return std::invoke(f, current); });
    }
  }

  static std::uintptr_t address(Node* node) noexcept { return detail::arc_swap::address(node); }
  std::uintptr_t storage_address() const noexcept {
    return reinterpret_cast<std::uintptr_t>(&ptr_);
  }

  // The helping fallback (helping.h): always succeeds, returns a counted reference.
  [[gnu::noinline]] Guard fallback(ArcSwapThread<T>& local) const {
    detail::arc_swap::HelpingSlots& helping = local.node().helping;
    auto transaction = local.begin_helping(storage_address());
    // seq_cst, store-buffering: we wrote our generation into `control`, now read the
    // storage; a writer swaps the storage, then reads `control` (help()). Either we load its
    // new pointer, or it sees our generation and answers, or (once we are idle) it finds
    // our debt. An older pointer, possibly already freed, is never protected.
    Node* candidate = ptr_.load(std::memory_order_seq_cst);
    std::uintptr_t replacement = 0;
    Node* result;
    if (helping.confirm(transaction.gen, address(candidate), replacement)) {
      // The debt on `candidate` stands; turn it into a counted reference right away, so the
      // helping slot is free again when load() returns (the crate does the same).
      candidate->inc();
      if (!helping.slot.pay(address(candidate))) candidate->dec();  // a writer paid too
      result = candidate;
    } else {
      // A writer answered with an already counted pointer. Our debt on `candidate` is
      // unused: give it back, or drop the count a writer paid into it.
      if (!helping.slot.pay(address(candidate))) candidate->dec();
      result = detail::arc_swap::from_address<T>(replacement);
    }
    // The generation wrapped around: retire the node through a cooldown; the next load
    // claims another. (2^62 fallbacks on 64-bit; here for completeness, as in the crate.)
    if (transaction.discard) [[unlikely]] local.release();
    return Guard(result, nullptr);
  }

  // Pays all debts on `old` after it left the storage; see detail::arc_swap::pay_all.
  // (The negative control skips it: readers' debts stay unpaid while `old` is freed.)
  void wait_for_readers([[maybe_unused]] Node* old,
                        [[maybe_unused]] ArcSwapThread<T>& local) const {
    if constexpr (kPaysDebts) {
      detail::arc_swap::pay_all(
          local, address(old), storage_address(),
          [](std::uintptr_t p) { detail::arc_swap::from_address<T>(p)->inc(); },
          [](std::uintptr_t p) { detail::arc_swap::from_address<T>(p)->dec(); },
          [this, &local] { return address(load(local).into_node()); });
    }
  }

  std::atomic<Node*> ptr_;
};

// The suite's primitive (primitive.h): reads under a load() guard, updates by rcu().
template <class T, bool kPaysDebts = true>
class ArcSwapPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kCompareAndSwap;

  // Claims the thread's debt node up front, so reads and updates need no thread_local
  // lookup; gives it back (into cooldown) on destruction.
  class ThreadScope {
   public:
    explicit ThreadScope(ArcSwapPrimitive&) { local_.node(); }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;
    ~ThreadScope() {
      // Every guard taken through this scope lived inside one read() or update(), so no
      // fast slot still holds a debt of ours. (Writers only ever clear slots.)
      for ([[maybe_unused]] auto& slot : local_.node().fast.slots) {
        // Relaxed, pairs with nothing: a check of our own earlier writes.
        assert(slot.value.load(std::memory_order_relaxed) == detail::arc_swap::kNoDebt);
      }
    }
    void quiescent_state() noexcept {}

   private:
    friend class ArcSwapPrimitive;
    ArcSwapThread<T> local_;
  };

  explicit ArcSwapPrimitive(T initial) : swap_(std::in_place, std::move(initial)) {}

  template <class Fn>
  auto read(ThreadScope& scope, Fn&& fn) const {
    auto guard = swap_.load(scope.local_);
    return std::invoke(std::forward<Fn>(fn), *guard);
  }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    return swap_.rcu(scope.local_, make_next).retries;
  }

 private:
  ArcSwap<T, kPaysDebts> swap_;
};

struct ArcSwapDescriptor {
  static constexpr std::string_view name = "arc-swap";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description =
      "arc-swap 1.9.1's hybrid strategy: readers record a debt in per-thread slots (helping "
      "slot as fallback), writers pay every debt on the old pointer";
  static constexpr std::string_view updaters =
      "concurrent: compare-and-swap retry loop (rcu), lock-free";
  template <class T>
  using Impl = ArcSwapPrimitive<T>;
};
static_assert(PrimitiveDescriptor<ArcSwapDescriptor>);
static_assert(PrimitiveFor<ArcSwapPrimitive<int>, int>);

}  // namespace rcubench
