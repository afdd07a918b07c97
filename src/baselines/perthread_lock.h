// perthread-lock: one cache-line-aligned mutex per reader thread; a reader takes only its
// own, an updater takes every thread's (liburcu's per-thread-lock baseline). Readers never
// share a cache line; updaters pay for every registered thread, and change the object in
// place while they hold every lock.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "baselines/primitive.h"

namespace rcubench {

template <class T>
class PerThreadLockPrimitive {
  struct alignas(64) Slot {
    std::mutex mutex;
  };

 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;
  explicit PerThreadLockPrimitive(T initial) : value_(std::move(initial)) {}

  // Registers the thread's slot for its lifetime.
  class ThreadScope {
   public:
    explicit ThreadScope(PerThreadLockPrimitive& owner)
        : owner_(owner), slot_(std::make_unique<Slot>()) {
      std::lock_guard<std::mutex> lock(owner_.registry_mutex_);
      owner_.slots_.push_back(slot_.get());
    }
    ~ThreadScope() {
      std::lock_guard<std::mutex> lock(owner_.registry_mutex_);
      auto& slots = owner_.slots_;
      slots.erase(std::find(slots.begin(), slots.end(), slot_.get()));
    }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;
    void quiescent_state() {}

   private:
    friend class PerThreadLockPrimitive;
    PerThreadLockPrimitive& owner_;
    std::unique_ptr<Slot> slot_;
  };

  template <class Fn>
  auto read(ThreadScope& scope, Fn&& fn) const {
    std::lock_guard<std::mutex> lock(scope.slot_->mutex);
    return fn(value_);
  }

  // In place, with every slot held. The registry mutex keeps threads from joining or
  // leaving, and other updaters out, while this one holds every slot.
  template <class Fn>
  unsigned update_in_place(ThreadScope&, Fn&& mutate) {
    std::lock_guard<std::mutex> registry(registry_mutex_);
    for (Slot* slot : slots_) slot->mutex.lock();
    mutate(value_);
    for (Slot* slot : slots_) slot->mutex.unlock();
    return 0;
  }

 private:
  T value_;
  std::mutex registry_mutex_;
  std::vector<Slot*> slots_;
};

struct PerThreadLockDescriptor {
  static constexpr std::string_view name = "perthread-lock";
  static constexpr contract::Family family = contract::Family::lock;
  static constexpr std::string_view description =
      "one cache-line-aligned mutex per thread; updaters take them all";
  static constexpr std::string_view updaters =
      "serialised by a registry mutex, then every thread's lock";
  template <class T>
  using Impl = PerThreadLockPrimitive<T>;
};

}  // namespace rcubench
