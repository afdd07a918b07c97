// hazptr: hazard pointers after P2530 (C++26 std::hazard_pointer) and folly's hazptr,
// written for this suite. Design and every ordering: hazptr.md.
//
// A reader publishes the pointer it is about to use in a hazard slot of its own and
// re-reads the source until the two agree ("protect"); an updater that unlinks an object
// retires it, and once enough retirees pile up it scans every hazard slot and frees the
// retirees that no slot names. The store-then-reload of the reader and the
// unlink-then-scan of the updater need a store-load barrier on both sides; with
// asymmetric fences (folly's default) the reader's is a compiler barrier and the
// updater's a membarrier() that makes every running thread execute a full barrier.
//
//   hazptr::Domain          hazard records (one slot each) and the retired list
//   hazptr::HazardPointer   a thread's hazard slot: protect, try_protect,
//                           reset_protection (P2530's hazard_pointer)
//   HazptrPrimitive<T, M>   the suite's primitive interface (primitive.h)
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "baselines/detail/asymmetric_fence.h"
#include "baselines/detail/thread_records.h"
#include "baselines/detail/updater_role.h"
#include "baselines/node_allocator.h"
#include "baselines/primitive.h"

namespace rcubench {

namespace hazptr {

using detail::FenceMode;

// One hazard slot (detail/thread_records.h): records are never unlinked and are reused by
// later holders; the domain frees them when it dies.
using Record = detail::ThreadRecord<std::atomic<const void*>>;

class Domain {
 public:
  // Retirees the domain lets pile up before a scan (at least; see retire()).
  static constexpr std::size_t kMinRetiredBeforeScan = 64;

  explicit Domain(FenceMode mode) : fence_(mode) {}
  Domain(const Domain&) = delete;
  Domain& operator=(const Domain&) = delete;
  // No holder may remain. Frees every retiree (and, as records_ dies, every record).
  ~Domain() {
    for (const Retired& r : retired_) r.reclaim(r.object);
  }

  // Whether readers may use a compiler barrier (the reclaimer issues membarrier()).
  bool asymmetric() const noexcept { return fence_.asymmetric(); }
  // The store-load pair of protect (L) and scan (H).
  const detail::AsymmetricFence& fence() const noexcept { return fence_; }

  // A record for a new holder, its hazard empty: a released one if any, else a new one.
  Record* acquire_record() { return records_.acquire(); }

  // The holder cleared its hazard (reset_protection) before.
  void release_record(Record* r) noexcept { records_.release(r); }

  // Hands an unlinked object to the domain; `reclaim(object)` frees it once no hazard
  // names it. The caller must have unlinked it (a store the next readers see) before.
  // Scans when the retired list reaches max(kMinRetiredBeforeScan, 2 x records), so each
  // scan frees at least half of what it looks at, in the steady state (as folly).
  void retire(const void* object, void (*reclaim)(const void*)) {
    std::lock_guard<std::mutex> lock(retired_mutex_);
    retired_.push_back({object, reclaim});
    const std::size_t threshold = std::max(kMinRetiredBeforeScan, 2 * records_.size());
    if (retired_.size() >= threshold) scan_locked();
  }

  // Scans now: frees every retiree no hazard names. For tests and teardown.
  void scan() {
    std::lock_guard<std::mutex> lock(retired_mutex_);
    scan_locked();
  }

  std::size_t retired_count() const {
    std::lock_guard<std::mutex> lock(retired_mutex_);
    return retired_.size();
  }

 private:
  struct Retired {
    const void* object;
    void (*reclaim)(const void*);
  };

  void scan_locked() {
    // H: after the objects were unlinked (the updaters' stores to the source), before
    // the hazards are read. Pairs with L in HazardPointer::try_protect: either a reader's
    // re-read of the source sees the unlinking store, or this scan sees its hazard.
    fence_.heavy();
    std::vector<const void*> hazards;
    records_.for_each([&hazards](const std::atomic<const void*>& hazard) {
      // Acquire: paired with the release stores of the hazard (S and R in HazardPointer):
      // a reader's uses of an object it protected before happen before we free it.
      if (const void* h = hazard.load(std::memory_order_acquire)) hazards.push_back(h);
    });
    std::sort(hazards.begin(), hazards.end());
    auto protected_end =
        std::partition(retired_.begin(), retired_.end(), [&](const Retired& r) {
          return std::binary_search(hazards.begin(), hazards.end(), r.object);
        });
    for (auto it = protected_end; it != retired_.end(); ++it) it->reclaim(it->object);
    retired_.erase(protected_end, retired_.end());
  }

  const detail::AsymmetricFence fence_;
  detail::ThreadRecords<std::atomic<const void*>> records_;
  mutable std::mutex retired_mutex_;
  std::vector<Retired> retired_;
};

// One hazard slot held by one thread (P2530's hazard_pointer, bound to a domain).
class HazardPointer {
 public:
  explicit HazardPointer(Domain& domain)
      : domain_(domain), record_(domain.acquire_record()), fence_(domain.fence()) {}
  HazardPointer(const HazardPointer&) = delete;
  HazardPointer& operator=(const HazardPointer&) = delete;
  ~HazardPointer() {
    reset_protection();
    domain_.release_record(record_);
  }

  // Publishes `p` and checks that `src` still holds it. True: `p` stays safe to use until
  // the next protect or reset. False: `p` is updated to what `src` holds now.
  template <class T>
  bool try_protect(T*& p, const std::atomic<T*>& src) noexcept {
    T* const candidate = p;
    // S. Release: paired with the acquire hazard loads in Domain::scan_locked(), so any
    // object protected by this slot before is done with when a scan reads the new value.
    record_->slot.store(candidate, std::memory_order_release);
    // L: pairs with H in Domain::scan_locked(). Between the hazard store S and the
    // re-read of the source: either the re-read sees the updater's unlinking store, or
    // the updater's scan (after H) sees the hazard.
    fence_.light();
    // Acquire: paired with the release store that published the object (the updater's
    // store to `src`), so its contents are seen initialised.
    p = src.load(std::memory_order_acquire);
    return p == candidate;
  }

  // Protects what `src` holds and returns it (folly's protect: re-read until stable).
  template <class T>
  T* protect(const std::atomic<T*>& src) noexcept {
    // Relaxed: only a candidate; try_protect's acquire load is the one that is used.
    T* p = src.load(std::memory_order_relaxed);
    while (!try_protect(p, src)) {
    }
    return p;
  }

  void reset_protection() noexcept {
    // R. Release: paired with the acquire hazard loads in Domain::scan_locked(): our uses
    // of the protected object happen before a scan that sees the slot empty frees it.
    record_->slot.store(nullptr, std::memory_order_release);
  }

 private:
  Domain& domain_;
  Record* const record_;
  const detail::AsymmetricFence fence_;  // the domain's, copied: no load of the domain per read
};

}  // namespace hazptr

// The suite's primitive: readers protect the current object with their hazard pointer;
// updaters, serialised by a mutex, publish the next object and retire the old one.
// kRetires is false only in the torture checker's negative control, whose updaters free
// the old object at once instead of retiring it.
template <class T, hazptr::FenceMode kMode, bool kRetires = true>
class HazptrPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit HazptrPrimitive(T initial)
      : domain_(kMode), current_(new_node<T, T>(std::move(initial))) {}
  HazptrPrimitive(const HazptrPrimitive&) = delete;
  HazptrPrimitive& operator=(const HazptrPrimitive&) = delete;
  ~HazptrPrimitive() {
    // Relaxed, pairs with nothing: destruction has exclusive access. The domain frees
    // the retirees after this.
    delete_node<T>(current_.load(std::memory_order_relaxed));
  }

  class ThreadScope {
   public:
    explicit ThreadScope(HazptrPrimitive& primitive) : hazard_(primitive.domain_) {}
    // The run's only updater holds update_mutex_ for the scope (primitive.h).
    ThreadScope(HazptrPrimitive& primitive, SoleUpdater)
        : hazard_(primitive.domain_), role_(primitive.update_mutex_) {}
    void quiescent_state() noexcept {}

   private:
    friend class HazptrPrimitive;
    hazptr::HazardPointer hazard_;
    detail::UpdaterRole role_;
  };

  template <class Fn>
  auto read(ThreadScope& scope, Fn&& fn) const {
    struct Reset {
      hazptr::HazardPointer& hazard;
      ~Reset() { hazard.reset_protection(); }
    } reset{scope.hazard_};
    return fn(*scope.hazard_.protect(current_));
  }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    T* old;
    {
      auto lock = scope.role_.lock_for_update(update_mutex_);
      // Relaxed: only updaters store to current_, and they hold the mutex.
      old = current_.load(std::memory_order_relaxed);
      T* next = new_node_from<T>([&] { return make_next(std::as_const(*old)); });
      // Release: paired with the acquire re-read in HazardPointer::try_protect, so readers
      // see `next` initialised. It is also the unlinking store of `old` that the scan's
      // heavy barrier H orders before the hazard loads.
      current_.store(next, std::memory_order_release);
    }
    if constexpr (kRetires) {
      domain_.retire(old, [](const void* object) {
        delete_node<T>(const_cast<T*>(static_cast<const T*>(object)));
      });
    } else {
      delete_node<T>(old);  // the negative control's bug: readers may still hold it
    }
    return 0;
  }

  // For tests: the domain, to scan or count retirees.
  hazptr::Domain& domain() noexcept { return domain_; }

 private:
  hazptr::Domain domain_;  // declared first: destroyed last, after current_ is freed
  std::atomic<T*> current_;
  std::mutex update_mutex_;
};

struct HazptrDescriptor {
  static constexpr std::string_view name = "hazptr";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description =
      "hazard pointers (P2530/folly design), asymmetric fences: readers' barrier is a "
      "compiler barrier, scans issue membarrier (symmetric if the kernel lacks it)";
  static constexpr std::string_view updaters =
      "serialised by a mutex (held for the run by a sole updater); retirees scanned against "
      "the hazards every 2x records (>= 64)";
  template <class T>
  using Impl = HazptrPrimitive<T, hazptr::FenceMode::kAsymmetric>;
};

struct HazptrSymmetricDescriptor {
  static constexpr std::string_view name = "hazptr-symmetric";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description =
      "hazard pointers (P2530/folly design), symmetric fences: a seq_cst fence in every "
      "protect and every scan";
  static constexpr std::string_view updaters = HazptrDescriptor::updaters;
  template <class T>
  using Impl = HazptrPrimitive<T, hazptr::FenceMode::kSymmetric>;
};

static_assert(PrimitiveDescriptor<HazptrDescriptor>);
static_assert(PrimitiveFor<HazptrPrimitive<int, hazptr::FenceMode::kAsymmetric>, int>);

}  // namespace rcubench
