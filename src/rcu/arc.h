// rcu::Arc<T>: an intrusive reference-counted owner, one pointer wide, for Rcu<Arc<T>>.
//
// The count lives with the object, so the handle is a single pointer (ForeignOwnable) and
// a reader's borrow (ArcBorrow) needs no count change: the Guard keeps the object alive.
// A reader that must keep the object after its Guard ends upgrades the borrow with
// to_arc(), which takes a reference. The object embeds an rcu_head (ObjBase), so an
// Rcu<Arc<T>>'s old value is deferred to call_rcu without allocating while its RcuOld is
// the only owner.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

#include "rcu/foreign_ownable.h"
#include "rcu/retire.h"

namespace rcu {
inline namespace RCU_MODE_NAMESPACE {

template <class T>
class ArcBorrow;

template <class T>
class Arc {
  struct Inner : ObjBase<Inner> {
    template <class... Args>
    explicit Inner(Args&&... args) : value(std::forward<Args>(args)...) {}
    std::atomic<std::size_t> refs{1};
    T value;
  };

 public:
  constexpr Arc() noexcept = default;
  template <class... Args>
  static Arc make(Args&&... args) {
    return Arc(new Inner(std::forward<Args>(args)...));
  }

  Arc(const Arc& other) noexcept : inner_(other.inner_) { acquire_ref(inner_); }
  Arc(Arc&& other) noexcept : inner_(std::exchange(other.inner_, nullptr)) {}
  Arc& operator=(Arc other) noexcept {
    std::swap(inner_, other.inner_);
    return *this;
  }
  ~Arc() { release_ref(inner_); }

  explicit operator bool() const noexcept { return inner_ != nullptr; }
  const T& operator*() const noexcept { return inner_->value; }
  const T* operator->() const noexcept { return &inner_->value; }
  const T* get() const noexcept { return inner_ ? &inner_->value : nullptr; }
  std::size_t use_count() const noexcept {
    return inner_ ? inner_->refs.load(std::memory_order_relaxed) : 0;  // A snapshot only.
  }

 private:
  friend class ArcBorrow<T>;
  friend struct ForeignOwnableTraits<Arc<T>>;
  explicit Arc(Inner* inner) noexcept : inner_(inner) {}

  static void acquire_ref(Inner* inner) noexcept {
    // Relaxed: a new reference is made from one the caller already holds, which keeps
    // the object alive; nothing is published by counting up.
    if (inner) inner->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release_ref(Inner* inner) noexcept {
    // Acq_rel. Release: this owner's uses of the object happen before the count drops.
    // Acquire: paired with every other owner's release decrement, so in whichever owner
    // drops the last reference all their uses happen before the delete. (An acquire
    // fence after a release decrement would do the same; ThreadSanitizer does not model
    // standalone fences and would report the delete as a race.)
    if (inner && inner->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete inner;
  }

  Inner* inner_ = nullptr;
};

// A view of an Arc-owned object taken without touching the count; valid while the Guard
// (or updater) it came from lives.
template <class T>
class RCU_GSL_POINTER(T) ArcBorrow {
  using Inner = typename Arc<T>::Inner;

 public:
  constexpr ArcBorrow() noexcept = default;
  explicit operator bool() const noexcept { return inner_ != nullptr; }
  const T& operator*() const noexcept { return inner_->value; }
  const T* operator->() const noexcept { return &inner_->value; }
  const T* get() const noexcept { return inner_ ? &inner_->value : nullptr; }

  // A reference of one's own, which outlives the Guard. Counting up from a borrow is
  // safe because the Guard keeps the count above zero: the Rcu (or an RcuOld waiting for
  // this reader's grace period) still holds its reference.
  Arc<T> to_arc() const noexcept {
    Arc<T>::acquire_ref(inner_);
    return Arc<T>(inner_);
  }

  friend bool operator==(const ArcBorrow& view, const T& value) {
    return view.inner_ != nullptr && view.inner_->value == value;
  }

 private:
  friend struct ForeignOwnableTraits<Arc<T>>;
  explicit ArcBorrow(Inner* inner) noexcept : inner_(inner) {}
  Inner* inner_ = nullptr;
};

}  // namespace RCU_MODE_NAMESPACE

template <class T>
struct ForeignOwnableTraits<Arc<T>> {
  using Borrowed = ArcBorrow<T>;

  static void* into_foreign(Arc<T>&& p) noexcept { return std::exchange(p.inner_, nullptr); }
  static Arc<T> from_foreign(void* raw) noexcept {
    return Arc<T>(static_cast<typename Arc<T>::Inner*>(raw));
  }
  static Borrowed borrow(void* raw) noexcept {
    return Borrowed(static_cast<typename Arc<T>::Inner*>(raw));
  }

  // The embedded rcu_head, for a deferred free, if this handle is the only owner: then no
  // other owner can be deferring the same object. Other references can appear meanwhile
  // (readers' to_arc), but another deferral of the object needs the count back at one,
  // i.e. this deferral's callback done with the head and its reference dropped.
  static rcu_head* exclusive_rcu_head(void* raw) noexcept {
    auto* inner = static_cast<typename Arc<T>::Inner*>(raw);
    // Acquire: paired with the release decrement in Arc::release_ref, so a previous
    // deferral's use of the head (its callback) happens before this one reuses it.
    if (inner->refs.load(std::memory_order_acquire) != 1) return nullptr;
    return &static_cast<detail::RcuHeadHolder*>(inner)->rcu_head_;
  }
  static void* from_rcu_head(rcu_head* head) noexcept {
    return static_cast<typename Arc<T>::Inner*>(detail::RcuHeadHolder::of(head));
  }
};

}  // namespace rcu
