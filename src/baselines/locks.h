// The lock-based baselines: the object in place behind a lock (detail/in_place.h), updated
// in place under the write lock.
//
//   rwlock-pthread  pthread_rwlock_t (glibc's default, reader-preferring)
//   shared-mutex    std::shared_mutex
//   mutex           std::mutex for readers and updaters alike
#pragma once

#include <pthread.h>

#include <mutex>
#include <shared_mutex>
#include <string_view>

#include "baselines/detail/in_place.h"
#include "baselines/primitive.h"

namespace rcubench {

namespace detail {

struct PthreadRwlock {
  pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
  ~PthreadRwlock() { pthread_rwlock_destroy(&rwlock); }
  void read_lock() { pthread_rwlock_rdlock(&rwlock); }
  void read_unlock() { pthread_rwlock_unlock(&rwlock); }
  void write_lock() { pthread_rwlock_wrlock(&rwlock); }
  void write_unlock() { pthread_rwlock_unlock(&rwlock); }
};

struct StdSharedMutex {
  std::shared_mutex mutex;
  void read_lock() { mutex.lock_shared(); }
  void read_unlock() { mutex.unlock_shared(); }
  void write_lock() { mutex.lock(); }
  void write_unlock() { mutex.unlock(); }
};

struct StdMutex {
  std::mutex mutex;
  void read_lock() { mutex.lock(); }
  void read_unlock() { mutex.unlock(); }
  void write_lock() { mutex.lock(); }
  void write_unlock() { mutex.unlock(); }
};

// A primitive made of InPlace<T, Lock>: no per-thread state.
template <class Lock, class T>
class LockedPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;
  explicit LockedPrimitive(T initial) : object_(std::move(initial)) {}

  class ThreadScope {
   public:
    explicit ThreadScope(LockedPrimitive&) {}
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
  InPlace<T, Lock> object_;
};

}  // namespace detail

struct RwlockPthreadDescriptor {
  static constexpr std::string_view name = "rwlock-pthread";
  static constexpr contract::Family family = contract::Family::lock;
  static constexpr std::string_view description = "pthread_rwlock_t around the object";
  static constexpr std::string_view updaters = "serialised by the write lock";
  template <class T>
  using Impl = detail::LockedPrimitive<detail::PthreadRwlock, T>;
};

struct SharedMutexDescriptor {
  static constexpr std::string_view name = "shared-mutex";
  static constexpr contract::Family family = contract::Family::lock;
  static constexpr std::string_view description = "std::shared_mutex around the object";
  static constexpr std::string_view updaters = "serialised by the exclusive lock";
  template <class T>
  using Impl = detail::LockedPrimitive<detail::StdSharedMutex, T>;
};

struct MutexDescriptor {
  static constexpr std::string_view name = "mutex";
  static constexpr contract::Family family = contract::Family::lock;
  static constexpr std::string_view description = "std::mutex for readers and updaters alike";
  static constexpr std::string_view updaters = "serialised by the mutex";
  template <class T>
  using Impl = detail::LockedPrimitive<detail::StdMutex, T>;
};

}  // namespace rcubench
