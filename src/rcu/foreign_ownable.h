// ForeignOwnable: an owning handle whose ownership fits in one pointer, so an Rcu<P> can
// keep it in a single atomic word (the seed's kernel::types::ForeignOwnable).
//
// A type P is ForeignOwnable when ForeignOwnableTraits<P> provides:
//   void*    into_foreign(P&& p)        give up ownership as a raw pointer (null if p is empty)
//   P        from_foreign(void* raw)    take ownership back (raw from into_foreign, not null)
//   Borrowed borrow(void* raw)          a view of the object with no change of ownership
//                                       (and no reference-count change); raw may be null,
//                                       giving an empty view
// and optionally, for deferred frees without allocation (the object embeds an rcu_head,
// i.e. derives from rcu::ObjBase):
//   rcu_head* exclusive_rcu_head(void* raw)  the object's rcu_head if this handle is its
//                                       only owner (so no one else can be deferring it),
//                                       else null
//   void*    from_rcu_head(rcu_head*)   the raw pointer back
// and P itself tells empty from non-empty with explicit operator bool.
//
// Provided here: std::unique_ptr<T, D> with a stateless deleter (a unique owner). arc.h
// provides rcu::Arc<T> (reference-counted; its borrow takes no count).
//
// Why not std::shared_ptr<T>: it is two words (object pointer + control block), and a
// shared_ptr cannot be rebuilt from a raw object pointer without the control block, so it
// has no one-word foreign form. Wrapping it in a heap-allocated shared_ptr would give one,
// at the cost of an allocation per update and a second dependent load on every read: an
// indirection this type exists to avoid. std::atomic<std::shared_ptr<T>> is measured as a
// baseline instead. For shared ownership, use rcu::Arc<T>.
#pragma once

#include <concepts>
#include <memory>
#include <type_traits>

#include "rcu/detail/checks.h"
#include "rcu/retire.h"

namespace rcu {

// A nullable, read-only view of a T owned elsewhere: what readers get from
// Rcu::dereference and updaters from the old value in read_copy_update. It must not
// outlive the Guard (or updater) it was obtained under.
template <class T>
class RCU_GSL_POINTER(T) Borrow {
 public:
  constexpr Borrow() noexcept = default;
  constexpr explicit Borrow(const T* object) noexcept : object_(object) {}

  constexpr explicit operator bool() const noexcept { return object_ != nullptr; }
  constexpr const T& operator*() const noexcept { return *object_; }
  constexpr const T* operator->() const noexcept { return object_; }
  constexpr const T* get() const noexcept { return object_; }

  // A view equals a value when it is not empty and its object compares equal.
  friend constexpr bool operator==(const Borrow& view, const T& value) {
    return view.object_ != nullptr && *view.object_ == value;
  }

 private:
  const T* object_ = nullptr;
};

template <class P>
struct ForeignOwnableTraits;  // Specialised per handle type.

template <class P>
concept ForeignOwnable =
    std::movable<P> && requires(P p, void* raw) {
      typename ForeignOwnableTraits<P>::Borrowed;
      { ForeignOwnableTraits<P>::into_foreign(std::move(p)) } noexcept -> std::same_as<void*>;
      { ForeignOwnableTraits<P>::from_foreign(raw) } noexcept -> std::same_as<P>;
      { ForeignOwnableTraits<P>::borrow(raw) } noexcept
          -> std::same_as<typename ForeignOwnableTraits<P>::Borrowed>;
      static_cast<bool>(p);
    };

// The unique owner. The deleter must be stateless: a foreign pointer has no room for it,
// and from_foreign makes a fresh one.
template <class T, class D>
  requires std::is_empty_v<D> && std::default_initializable<D>
struct ForeignOwnableTraits<std::unique_ptr<T, D>> {
  using Borrowed = Borrow<T>;

  static void* into_foreign(std::unique_ptr<T, D>&& p) noexcept {
    return const_cast<std::remove_const_t<T>*>(p.release());
  }
  static std::unique_ptr<T, D> from_foreign(void* raw) noexcept {
    return std::unique_ptr<T, D>(static_cast<T*>(raw));
  }
  static Borrowed borrow(void* raw) noexcept { return Borrowed(static_cast<const T*>(raw)); }

  // A unique owner is always the only one.
  static rcu_head* exclusive_rcu_head(void* raw) noexcept
    requires std::is_base_of_v<detail::RcuHeadHolder, T>
  {
    return &static_cast<detail::RcuHeadHolder*>(static_cast<T*>(raw))->rcu_head_;
  }
  static void* from_rcu_head(rcu_head* head) noexcept
    requires std::is_base_of_v<detail::RcuHeadHolder, T>
  {
    return const_cast<std::remove_const_t<T>*>(static_cast<T*>(detail::RcuHeadHolder::of(head)));
  }
};

}  // namespace rcu
