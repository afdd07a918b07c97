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
//                                             whether update() may run on several
//                                             threads at once, and how it is serialised
//   R read(ThreadScope&, Fn fn) const         runs fn(const T&) on the current object in
//                                             one read-side critical section; returns
//                                             what fn returns
//   unsigned update(ThreadScope&, Fn make_next)
//                                             copy-update: make_next(const T& current)
//                                             returns the next object, which replaces the
//                                             current one; returns how often the update
//                                             was retried (compare-and-swap primitives)
//
// and a descriptor type (registry.h) that gives it a stable name, a one-line description
// and one line on how updaters are serialised.
#pragma once

#include <concepts>
#include <string_view>

namespace rcubench {

enum class UpdatePolicy {
  kSerialized,      // update() is safe from many threads: the primitive serialises updaters.
  kCompareAndSwap,  // update() is safe from many threads: compare-and-swap, retried on conflict.
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

template <class P, class T>
concept PrimitiveFor = std::constructible_from<P, T> &&
    std::constructible_from<typename P::ThreadScope, P&> &&
    requires(P& p, const P& cp, typename P::ThreadScope& scope) {
  { P::kUpdatePolicy } -> std::convertible_to<UpdatePolicy>;
  scope.quiescent_state();
  {
    cp.read(scope, [](const T&) { return 0; })
    } -> std::same_as<int>;
  {
    p.update(scope, [](const T& current) { return T(current); })
    } -> std::same_as<unsigned>;
};

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
