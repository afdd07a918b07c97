// One interface for every primitive the suite measures and checks.
//
// A primitive shares one object of type T between reader and updater threads. It is a
// class template Impl<T> with:
//
//   explicit Impl(T initial)                  starts with `initial` as the current object
//   class ThreadScope                         per-thread hooks, constructed as
//                                             ThreadScope(Impl&) by every thread that
//                                             reads or updates, before it does, and
//                                             destroyed after (liburcu registration, a
//                                             per-thread lock slot, debt slots, ...)
//     void quiescent_state()                  "this thread holds no reference now";
//                                             needed by QSBR, a no-op elsewhere
//   static constexpr UpdatePolicy kUpdatePolicy
//                                             whether updates may run on several
//                                             threads at once, and how they are
//                                             serialised
//   ThreadScope(Impl&, SoleUpdater)           optional: the scope of a run's only
//                                             updater thread (below)
//   R read(ThreadScope&, Fn fn) const         runs fn(const T&) on the current object in
//                                             one read-side critical section; returns
//                                             what fn returns
//
// and exactly one of the two ways to update, whichever fits how it keeps the object:
//
//   unsigned update(ThreadScope&, Fn make_next)
//                                             copy-update: make_next(const T& current)
//                                             returns the next object, which replaces the
//                                             current one; returns how often the update
//                                             was retried (compare-and-swap primitives)
//   unsigned update_in_place(ThreadScope&, Fn mutate)
//                                             in-place update, for primitives that keep
//                                             the object in place (the locks,
//                                             left-right): mutate(T& current) turns the
//                                             object into the next one while the
//                                             primitive keeps readers out of it; nothing
//                                             is allocated or copied. mutate may run more
//                                             than once per update, on equal objects
//                                             (left-right keeps two copies and changes
//                                             each), so it must depend on the object
//                                             alone. Returns 0.
//
// Callers update through apply_update() below, with both a make_next and a mutate that
// make the same next object: the primitive takes the one it has. A copy-update costs
// what the copy costs; an in-place update does not copy, and that difference is what the
// suite measures between the two kinds.
//
// A descriptor type (registry.h) gives each primitive a stable name, a one-line
// description, one line on how updaters are serialised, and its `family`
// (contract/primitive_meta.h: how reports group, draw and compare it), optionally a `label`
// for legends (default: the name) and, for liburcu-based ones, its `flavor`.
#pragma once

#include <concepts>
#include <optional>
#include <string_view>
#include <utility>

#include "contract/primitive_meta.h"

namespace rcubench {

enum class UpdatePolicy {
  kSerialized,      // updates are safe from many threads: the primitive serialises updaters.
  kCompareAndSwap,  // updates are safe from many threads: compare-and-swap, retried on conflict.
  kReadOnly,        // no updates at all (the unprotected floor); update() throws.
};

constexpr std::string_view to_string(UpdatePolicy policy) {
  switch (policy) {
    case UpdatePolicy::kSerialized:
      return "serialized";
    case UpdatePolicy::kCompareAndSwap:
      return "compare-and-swap";
    case UpdatePolicy::kReadOnly:
      return "read-only";
  }
  return "?";
}

// The ThreadScope of a thread that is, for the scope's whole life, the only one to update
// the primitive: the engine builds the updater's scope as ThreadScope(Impl&, SoleUpdater)
// in a run with one updater, where the primitive takes it (every other scope, and every
// updater of a run with more, is a plain one). A primitive whose updaters are serialised
// by a lock of their own, which readers never take, holds that lock for the scope
// instead of once per update: what a program with one writer thread does, and what the
// seed's Rcu asks for (read_copy_update takes Pin<&mut Rcu>, exclusive access that the
// caller already has, and updates with a relaxed load and a release store). A plain scope
// of another thread that updates meanwhile waits until the sole updater's scope ends.
struct SoleUpdater {
  explicit SoleUpdater() = default;
};

template <class P>
concept TakesSoleUpdater = std::constructible_from<typename P::ThreadScope, P&, SoleUpdater>;

// Builds a thread's scope in `scope`: the sole updater's if `sole_updater` and P takes it,
// a plain one otherwise. Returns it.
template <class P>
typename P::ThreadScope& emplace_scope(std::optional<typename P::ThreadScope>& scope,
                                       P& primitive, bool sole_updater) {
  if constexpr (TakesSoleUpdater<P>) {
    if (sole_updater) return scope.emplace(primitive, SoleUpdater{});
  }
  return scope.emplace(primitive);
}

// Copy-update and in-place update (see above): a primitive has exactly one of them.
template <class P, class T>
concept CopyUpdates = requires(P& p, typename P::ThreadScope& scope) {
  {
    p.update(scope, [](const T& current) { return T(current); })
    } -> std::same_as<unsigned>;
};
template <class P, class T>
concept UpdatesInPlace = requires(P& p, typename P::ThreadScope& scope) {
  {
    p.update_in_place(scope, [](T&) {})
    } -> std::same_as<unsigned>;
};
template <class P, class T>
concept UpdatesOneWay = (CopyUpdates<P, T> != UpdatesInPlace<P, T>);

template <class P, class T>
concept PrimitiveFor = std::constructible_from<P, T> &&
    std::constructible_from<typename P::ThreadScope, P&> &&
    requires(P& p, const P& cp, typename P::ThreadScope& scope) {
  { P::kUpdatePolicy } -> std::convertible_to<UpdatePolicy>;
  scope.quiescent_state();
  {
    cp.read(scope, [](const T&) { return 0; })
    } -> std::same_as<int>;
} && UpdatesOneWay<P, T>;

// The one way to update any primitive: in place, by mutate(T&), where the primitive keeps
// its object in place; by copy, with make_next(const T&), everywhere else. Both must make
// the same next object. Returns the update's retries.
template <class P, class MakeNext, class Mutate>
unsigned apply_update(P& primitive, typename P::ThreadScope& scope, MakeNext&& make_next,
                      Mutate&& mutate) {
  if constexpr (requires { primitive.update_in_place(scope, mutate); }) {
    return primitive.update_in_place(scope, std::forward<Mutate>(mutate));
  } else {
    return primitive.update(scope, std::forward<MakeNext>(make_next));
  }
}

// Primitives that can wait for a grace period on their own (the RCU ones), for the
// grace-period latency benchmarks: void grace_period().
template <class P>
concept HasGracePeriod = requires(P& p) {
  p.grace_period();
};

// What registry.h keeps per primitive. Impl is the primitive's class template.
template <class D>
concept PrimitiveDescriptor = requires {
  { D::name } -> std::convertible_to<std::string_view>;
  { D::description } -> std::convertible_to<std::string_view>;
  { D::updaters } -> std::convertible_to<std::string_view>;
};

}  // namespace rcubench
