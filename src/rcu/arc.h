// rcu::Arc<T>: an intrusive reference-counted owner, one pointer wide, for Rcu<Arc<T>>.
//
// The count lives with the object, so the handle is a single pointer (ForeignOwnable) and
// a reader's borrow (ArcBorrow) needs no count change: the Guard keeps the object alive.
// A reader that must keep the object after its Guard ends upgrades the borrow with
// to_arc(), which takes a reference.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

#include "rcu/foreign_ownable.h"

namespace rcu {

template <class T>
class ArcBorrow;

template <class T>
class Arc {
  struct Inner {
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
    // Release: this owner's uses of the object happen before the count drops.
    // Paired with the acquire fence below in whichever owner drops the last reference.
    if (inner && inner->refs.fetch_sub(1, std::memory_order_release) == 1) {
      // Acquire: matches every other owner's release decrement, so their uses of the
      // object happen before the delete.
      std::atomic_thread_fence(std::memory_order_acquire);
      delete inner;
    }
  }

  Inner* inner_ = nullptr;
};

// A view of an Arc-owned object taken without touching the count; valid while the Guard
// (or updater) it came from lives.
template <class T>
class ArcBorrow {
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
};

}  // namespace rcu
