// The project's Rcu<P> behind the primitive interface: rcu-<flavor> frees each old value
// synchronously (the seed's RcuOld drop), rcu-<flavor>-defer hands it to call_rcu,
// rcu-<flavor>-batch adds it to the updater thread's retire block (one call_rcu per page
// of old values; rcu/retire.h).
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "baselines/detail/fixed_string.h"
#include "baselines/primitive.h"
#include "rcu/flavor/all.h"
#include "rcu/rcu.h"

namespace rcubench {

enum class FreeMode { kSynchronous, kDeferred, kBatched };

template <rcu::Flavor F, FreeMode M, class T>
class RcuPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit RcuPrimitive(T initial) : rcu_(std::make_unique<T>(std::move(initial))) {}
  // Deferred frees still pending run before the primitive is gone.
  ~RcuPrimitive() {
    if constexpr (M != FreeMode::kSynchronous) rcu::barrier<F>();
  }

  class ThreadScope {
   public:
    explicit ThreadScope(RcuPrimitive&) {}
    // The run's only updater holds an Updater for the scope (primitive.h): its updates
    // are the seed's read_copy_update, a relaxed load and a release store, with no lock.
    ThreadScope(RcuPrimitive& primitive, SoleUpdater) { updater_.emplace(primitive.rcu_); }
    void quiescent_state() { rcu::quiescent_state<F>(); }

   private:
    friend class RcuPrimitive;
    using Rcu = rcu::Rcu<std::unique_ptr<T>, F>;
    // An Updater can only be returned by Rcu::updater(), so the optional holds it in this.
    struct HeldUpdater {
      explicit HeldUpdater(Rcu& rcu) : updater(rcu.updater()) {}
      typename Rcu::Updater updater;
    };
    rcu::RegisteredThread<F> registered_;
    std::optional<HeldUpdater> updater_;  // After registered_: ends before it.
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    rcu::Guard<F> guard;
    return fn(*rcu_.dereference(guard));
  }

  // One grace period, for the grace-period latency benchmarks.
  void grace_period() { F::synchronize(); }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    auto copy = [&](auto current) {
      // new T(prvalue): the next object is built in its heap node (guaranteed elision);
      // make_unique<T>(make_next(...)) would build it on the stack and move it there, a
      // second copy of its words that the raw liburcu and bare-update loops do not make.
      return std::unique_ptr<T>(new T(make_next(*current)));
    };
    // update() releases the updater lock before the old value is freed, so other updaters
    // do not wait for this one's grace period; a sole updater waits for no one.
    auto old = scope.updater_ ? scope.updater_->updater.read_copy_update(copy) : rcu_.update(copy);
    if constexpr (M == FreeMode::kDeferred) {
      std::move(old).defer();
    } else if constexpr (M == FreeMode::kBatched) {
      std::move(old).retire();
    } else {
      old.reset();
    }
    return 0;
  }

 private:
  rcu::Rcu<std::unique_ptr<T>, F> rcu_;
};

template <rcu::Flavor F, FreeMode M>
struct RcuDescriptor {
  static constexpr auto kName = detail::concat(
      "rcu-", F::name,
      M == FreeMode::kDeferred ? "-defer" : (M == FreeMode::kBatched ? "-batch" : ""));
  static constexpr auto kDescription = detail::concat(
      "Rcu<unique_ptr<T>>, liburcu ", F::name, " flavor, ",
      M == FreeMode::kDeferred
          ? "deferred free (call_rcu) per update"
          : (M == FreeMode::kBatched ? "per-thread retire blocks, one call_rcu per page"
                                     : "synchronous RcuOld drop per update"));
  static constexpr std::string_view name = kName.view();
  static constexpr std::string_view description = kDescription.view();
  static constexpr std::string_view updaters =
      "serialised by the Rcu's Updater lock, held for the run by a sole updater";
  static constexpr contract::Family family = M == FreeMode::kDeferred ? contract::Family::rcu_defer
                                             : M == FreeMode::kBatched ? contract::Family::rcu_batch
                                                                       : contract::Family::rcu;
  static constexpr std::string_view flavor = F::name;
  template <class T>
  using Impl = RcuPrimitive<F, M, T>;
};

}  // namespace rcubench
