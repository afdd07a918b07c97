// Negative controls: primitives broken on purpose, one way each, that the checker must
// catch in every run. They live here, not in the registry: nothing measures them.
//
//   broken-no-grace-period      Rcu<P> over a flavor whose grace periods end at once:
//                               the old object is freed while readers still use it.
//   broken-publish-before-init  publishes a blank object, then initialises its fields
//                               (after a sleep, so readers see the blank one).
//   broken-arc-swap-no-pay      arc-swap whose writers skip the debt pay-off: they drop
//                               the old object while readers' debts still protect it.
//   broken-shared-ptr-no-ref    atomic-shared-ptr whose readers drop the reference they
//                               loaded before they read the object.
//   broken-hazptr-no-retire     hazptr whose updaters free the old object at once
//                               instead of retiring it (no scan of the hazards).
//   broken-in-place-unprotected the locks' in-place update (detail/in_place.h) with
//                               readers that skip the lock: updaters rewrite the object
//                               while readers read it (what the read lock, seqlock's
//                               sequence check and left-right's second copy prevent).
//   broken-left-right-no-wait   left-right-perthread whose writer rewrites the old copy
//                               without waiting for the readers still reading it.
//   broken-batch-early-callback rcu-memb-batch over a flavor whose call_rcu runs the
//                               callback at once: each retire block handed on is freed
//                               before its grace period (synchronize still waits).
//   broken-batch-overflow-no-wait
//                               rcu-memb-batch over a flavor whose call_rcu holds every
//                               callback until barrier() (late, never early), so the
//                               blocks in flight reach the bound and every later block
//                               takes the overflow path, whose synchronize returns at once.
//
// The arc-swap, shared-ptr and hazptr controls free through the primitive's own node (not a
// grace period): they show that those frees go through the checker's quarantine too and
// are reported, not crashed on. The in-place control frees nothing: the checksum and
// stability checks must catch it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "baselines/arc_swap.h"
#include "baselines/atomic_shared_ptr.h"
#include "baselines/detail/in_place.h"
#include "baselines/hazptr.h"
#include "baselines/left_right_perthread.h"
#include "baselines/primitive.h"
#include "baselines/rcu_pointer.h"
#include "baselines/registry.h"
#include "rcu/flavor/memb.h"
#include "rcu/rcu.h"

namespace rcubench::torture {

// The read side of the broken flavors below: memb's read lock and registration, and no
// quiescent states (memb needs none). Each flavor breaks only its grace periods.
struct MembReadSide {
  static constexpr bool needs_quiescent_states = false;
  static void read_lock() noexcept { rcu::Memb::read_lock(); }
  static void read_unlock() noexcept { rcu::Memb::read_unlock(); }
  static void register_thread() noexcept { rcu::Memb::register_thread(); }
  static void unregister_thread() noexcept { rcu::Memb::unregister_thread(); }
  static void quiescent_state() noexcept {}
  static void thread_offline() noexcept {}
  static void thread_online() noexcept {}
};

// Readers lock as memb does; synchronize() returns without waiting and call() runs the
// callback at once.
struct NoGracePeriodFlavor : MembReadSide {
  static constexpr std::string_view name = "broken";
  static void synchronize() noexcept {}
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept { callback(head); }
  static void barrier() noexcept {}
};
static_assert(rcu::Flavor<NoGracePeriodFlavor>);

// The registry's rcu-memb, except that its flavor's grace periods do not wait.
template <class T>
using BrokenNoGracePeriodPrimitive = RcuPrimitive<NoGracePeriodFlavor, FreeMode::kSynchronous, T>;

// memb, except that call() runs the callback at once: a retire block handed on is freed by
// the same thread right away (rcu/retire.h), while readers may still hold the objects it
// took last. synchronize() waits as memb's does.
struct EarlyCallbackFlavor : MembReadSide {
  static constexpr std::string_view name = "broken-early-callback";
  // Callbacks run before their grace period: a test shows the control went through call().
  static inline std::atomic<std::uint64_t> early_callbacks{0};
  static void synchronize() noexcept { rcu::Memb::synchronize(); }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    early_callbacks.fetch_add(1, std::memory_order_relaxed);  // A count, read after the run.
    callback(head);
  }
  static void barrier() noexcept {}  // No callback is ever pending.
};
static_assert(rcu::Flavor<EarlyCallbackFlavor>);

// memb, except that synchronize() returns at once and call() holds every callback until
// barrier(), which runs them after a real grace period: the callbacks are late, never early,
// so only the overflow path frees too early. Holding them keeps rcu/retire.h's
// kMaxBlocksInFlight blocks in flight from the first few handed on, so every later block goes
// to its thread's overflow list and is freed after a synchronize() that does not wait.
struct StalledCallbacksFlavor : MembReadSide {
  static constexpr std::string_view name = "broken-stalled-callbacks";
  // Callbacks held, and synchronize() calls (each a wait skipped): a test shows that the
  // bound was reached and that the overflow path ran.
  static inline std::atomic<std::uint64_t> calls{0};
  static inline std::atomic<std::uint64_t> skipped_waits{0};
  static void synchronize() noexcept {
    skipped_waits.fetch_add(1, std::memory_order_relaxed);  // A count, read after the run.
  }
  static void call(rcu_head* head, void (*callback)(rcu_head*)) noexcept {
    calls.fetch_add(1, std::memory_order_relaxed);  // A count, read after the run.
    // Chained through the head's own fields, as liburcu's queue would: no allocation here.
    std::lock_guard<std::mutex> lock(held_mutex_);
    head->func = callback;
    head->next.next = held_ == nullptr ? nullptr : &held_->next;
    held_ = head;
  }
  static void barrier() noexcept {
    rcu_head* head;
    {
      std::lock_guard<std::mutex> lock(held_mutex_);
      head = std::exchange(held_, nullptr);
    }
    if (head == nullptr) return;
    rcu::Memb::synchronize();  // Every held callback was requested before this grace period.
    while (head != nullptr) {
      rcu_head* next =
          head->next.next == nullptr ? nullptr : caa_container_of(head->next.next, rcu_head, next);
      head->func(head);
      head = next;
    }
  }

 private:
  static inline std::mutex held_mutex_;
  static inline rcu_head* held_ = nullptr;  // Newest first; guarded by held_mutex_.
};
static_assert(rcu::Flavor<StalledCallbacksFlavor>);

// The registry's rcu-memb-batch over those two flavors.
template <class T>
using BrokenBatchEarlyCallbackPrimitive = RcuPrimitive<EarlyCallbackFlavor, FreeMode::kBatched, T>;
template <class T>
using BrokenBatchOverflowNoWaitPrimitive =
    RcuPrimitive<StalledCallbacksFlavor, FreeMode::kBatched, T>;

// Objects the publish-before-init control can publish blank and fill in later.
template <class T>
concept InitialisableAfterPublication =
    std::constructible_from<T, typename T::Blank> && std::is_copy_assignable_v<T>;

// The registry's rcu-memb, except that the object it publishes is still blank: its fields
// are assigned after publication, a sleep later, under the updater lock.
template <class T>
class BrokenPublishBeforeInitPrimitive {
  using F = rcu::Memb;

 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;
  // Long enough for readers to find the blank object in every update.
  static constexpr std::chrono::microseconds kInitDelay{200};

  explicit BrokenPublishBeforeInitPrimitive(T initial)
      : rcu_(std::make_unique<T>(std::move(initial))) {}

  class ThreadScope {
   public:
    explicit ThreadScope(BrokenPublishBeforeInitPrimitive&) {}
    void quiescent_state() {}

   private:
    rcu::RegisteredThread<F> registered_;
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    rcu::Guard<F> guard;
    return fn(*rcu_.dereference(guard));
  }

  void grace_period() { F::synchronize(); }

  template <class Fn>
  unsigned update(ThreadScope&, Fn&& make_next) {
    static_assert(InitialisableAfterPublication<T>);
    typename rcu::Rcu<std::unique_ptr<T>, F>::Old old;
    {
      // The updater lock is held until the fields are in, so no other updater copies the
      // blank object.
      auto updater = rcu_.updater();
      T* published = nullptr;
      std::optional<T> next;
      old = updater.read_copy_update([&](auto current) {
        next.emplace(make_next(*current));
        auto blank = std::make_unique<T>(typename T::Blank{});
        published = blank.get();
        return blank;
      });
      std::this_thread::sleep_for(kInitDelay);
      *published = *next;  // The bug: initialised after publication.
    }
    old.reset();
    return 0;
  }

 private:
  rcu::Rcu<std::unique_ptr<T>, F> rcu_;
};

// A mutex for updaters that readers do not take.
struct UpdatersOnlyLock {
  std::mutex mutex;
  void read_lock() {}  // The bug: nothing keeps an update out while a reader reads.
  void read_unlock() {}
  void write_lock() { mutex.lock(); }
  void write_unlock() { mutex.unlock(); }
};

// The lock primitives' in-place update, with readers that skip the lock.
template <class T>
class BrokenInPlaceUnprotectedPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;
  explicit BrokenInPlaceUnprotectedPrimitive(T initial) : object_(std::move(initial)) {}

  class ThreadScope {
   public:
    explicit ThreadScope(BrokenInPlaceUnprotectedPrimitive&) {}
    void quiescent_state() {}
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    return object_.read(std::forward<Fn>(fn));
  }

  template <class Fn>
  unsigned update_in_place(ThreadScope&, Fn&& mutate) {
    object_.update(std::forward<Fn>(mutate));
    return 0;
  }

 private:
  detail::InPlace<T, UpdatersOnlyLock> object_;
};

struct BrokenNoGracePeriodDescriptor {
  static constexpr std::string_view name = "broken-no-grace-period";
  static constexpr std::string_view description =
      "negative control: Rcu<unique_ptr<T>> whose grace periods end at once (frees under "
      "readers)";
  static constexpr std::string_view updaters = "serialised by the Rcu's Updater lock";
  template <class T>
  using Impl = BrokenNoGracePeriodPrimitive<T>;
};

struct BrokenPublishBeforeInitDescriptor {
  static constexpr std::string_view name = "broken-publish-before-init";
  static constexpr std::string_view description =
      "negative control: publishes a blank object, initialises its fields 200 us later";
  static constexpr std::string_view updaters = "serialised by the Rcu's Updater lock";
  template <class T>
  using Impl = BrokenPublishBeforeInitPrimitive<T>;
};

struct BrokenArcSwapNoPayDescriptor {
  static constexpr std::string_view name = "broken-arc-swap-no-pay";
  static constexpr std::string_view description =
      "negative control: arc-swap whose writers skip the debt pay-off (frees under readers)";
  static constexpr std::string_view updaters = ArcSwapDescriptor::updaters;
  template <class T>
  using Impl = ArcSwapPrimitive<T, /*kPaysDebts=*/false>;
};

struct BrokenSharedPtrNoRefDescriptor {
  static constexpr std::string_view name = "broken-shared-ptr-no-ref";
  static constexpr std::string_view description =
      "negative control: atomic-shared-ptr whose readers drop their reference before reading";
  static constexpr std::string_view updaters = AtomicSharedPtrDescriptor::updaters;
  template <class T>
  using Impl = AtomicSharedPtrPrimitive<T, /*kHoldsReference=*/false>;
};

struct BrokenHazptrNoRetireDescriptor {
  static constexpr std::string_view name = "broken-hazptr-no-retire";
  static constexpr std::string_view description =
      "negative control: hazptr whose updaters free the old object without a hazard scan";
  static constexpr std::string_view updaters = HazptrDescriptor::updaters;
  template <class T>
  using Impl = HazptrPrimitive<T, hazptr::FenceMode::kAsymmetric, /*kRetires=*/false>;
};

struct BrokenInPlaceUnprotectedDescriptor {
  static constexpr std::string_view name = "broken-in-place-unprotected";
  static constexpr std::string_view description =
      "negative control: the locks' in-place update with readers that skip the lock "
      "(updaters rewrite the object under readers)";
  static constexpr std::string_view updaters = "serialised by a mutex";
  template <class T>
  using Impl = BrokenInPlaceUnprotectedPrimitive<T>;
};

struct BrokenLeftRightNoWaitDescriptor {
  static constexpr std::string_view name = "broken-left-right-no-wait";
  static constexpr std::string_view description =
      "negative control: left-right-perthread whose writer rewrites the old copy without "
      "waiting for its readers";
  static constexpr std::string_view updaters = LeftRightPerThreadDescriptor::updaters;
  template <class T>
  using Impl = LeftRightPerThreadPrimitive<T, /*kWaits=*/false>;
};

struct BrokenBatchEarlyCallbackDescriptor {
  static constexpr std::string_view name = "broken-batch-early-callback";
  static constexpr std::string_view description =
      "negative control: rcu-memb-batch whose call_rcu runs the callback at once (frees a "
      "retire block before its grace period)";
  static constexpr std::string_view updaters =
      RcuDescriptor<rcu::Memb, FreeMode::kBatched>::updaters;
  template <class T>
  using Impl = BrokenBatchEarlyCallbackPrimitive<T>;
};

struct BrokenBatchOverflowNoWaitDescriptor {
  static constexpr std::string_view name = "broken-batch-overflow-no-wait";
  static constexpr std::string_view description =
      "negative control: rcu-memb-batch whose call_rcu callbacks stall, so blocks overflow, "
      "and whose overflow frees skip the grace period";
  static constexpr std::string_view updaters =
      RcuDescriptor<rcu::Memb, FreeMode::kBatched>::updaters;
  template <class T>
  using Impl = BrokenBatchOverflowNoWaitPrimitive<T>;
};

using NegativeControls =
    DescriptorList<BrokenNoGracePeriodDescriptor, BrokenPublishBeforeInitDescriptor,
                   BrokenArcSwapNoPayDescriptor, BrokenSharedPtrNoRefDescriptor,
                   BrokenHazptrNoRetireDescriptor, BrokenInPlaceUnprotectedDescriptor,
                   BrokenLeftRightNoWaitDescriptor, BrokenBatchEarlyCallbackDescriptor,
                   BrokenBatchOverflowNoWaitDescriptor>;

}  // namespace rcubench::torture
