// bare-update: the update-side floor, as bare is the read-side one (refscale's noop, for
// updates). An update builds the next object from the current one, puts it in place with
// a plain store and frees the old one at once: no lock, no atomic instruction, no grace
// period, no deferred free. Its updates/s are what a copy-update loop costs when keeping
// readers safe costs nothing.
//
// Freeing at once is safe only if no reader can be in the object, so readers never see
// the objects updates make as they go. They read a snapshot under a reader-writer lock,
// and the snapshot moves on when an updater's ThreadScope ends: a scope that updated
// publishes its last object then, and frees the snapshot it replaces with the lock held
// exclusively. The first update of a scope takes the updater role (a mutex held until the
// scope ends), so updaters take turns by whole scopes (a thread updates through one scope
// at a time), and a thread that updates reads its own last object. The workloads' threads
// hold one scope for the whole run, so during a run readers see the initial object and a
// second updater would wait for the run's end: the workloads run bare-update with exactly
// one updater (config.cc). Its reads are a shared lock's, not a floor: bare is that.
#pragma once

#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <utility>

#include "baselines/primitive.h"

namespace rcubench {

template <class T>
class BareUpdatePrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit BareUpdatePrimitive(T initial)
      : published_(new T(std::move(initial))), current_(published_) {}
  // No scope may remain, so the updater's last object has been published.
  ~BareUpdatePrimitive() { delete published_; }
  BareUpdatePrimitive(const BareUpdatePrimitive&) = delete;
  BareUpdatePrimitive& operator=(const BareUpdatePrimitive&) = delete;

  class ThreadScope {
   public:
    explicit ThreadScope(BareUpdatePrimitive& primitive) : primitive_(primitive) {}
    ~ThreadScope() {
      if (updating_) primitive_.end_updates();
    }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;
    void quiescent_state() {}

   private:
    friend class BareUpdatePrimitive;
    BareUpdatePrimitive& primitive_;
    bool updating_ = false;  // this scope holds the updater role
  };

  template <class Fn>
  auto read(ThreadScope& scope, Fn&& fn) const {
    if (scope.updating_) return fn(*current_);  // Only this thread changes it.
    std::shared_lock lock(published_mutex_);
    return fn(*published_);
  }

  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    if (!scope.updating_) [[unlikely]] {
      updater_mutex_.lock();  // Held until the scope ends (end_updates).
      scope.updating_ = true;
    }
    T* old = std::exchange(current_, new T(make_next(*current_)));
    // The published snapshot stays for readers until the scope ends; nobody else can
    // reach any other replaced object. (published_ is written only with updater_mutex_
    // held, which this thread holds.)
    if (old != published_) delete old;
    return 0;
  }

 private:
  void end_updates() {
    {
      std::unique_lock lock(published_mutex_);  // No reader is in the old snapshot.
      if (published_ != current_) delete std::exchange(published_, current_);
    }
    updater_mutex_.unlock();
  }

  mutable std::shared_mutex published_mutex_;
  // Readers' object. Written only by the updater-role holder with published_mutex_ held
  // exclusively; read under either mutex.
  T* published_;
  // The updater's object: published_, or a later one only the updater-role holder sees.
  // Touched only by that holder (and by construction and destruction).
  T* current_;
  std::mutex updater_mutex_;
};

struct BareUpdateDescriptor {
  static constexpr std::string_view name = "bare-update";
  static constexpr contract::Family family = contract::Family::reference;
  static constexpr std::string_view label = "bare-update (unsynchronised update floor)";
  static constexpr std::string_view description =
      "copy-update with no synchronisation, the old object freed at once; readers see a "
      "snapshot: the update-side floor";
  static constexpr std::string_view updaters =
      "one at a time, by whole thread scopes: the workloads run it with one updater";
  // The update-side floor: the workloads run it only with exactly one updater (config.cc).
  static constexpr bool update_floor = true;
  template <class T>
  using Impl = BareUpdatePrimitive<T>;
};

}  // namespace rcubench
