// The shape the lock-based primitives share: the object lives in place, readers run under
// a read lock, an update changes the object where it is under the write lock (no
// allocation, no copy). Lock supplies read_lock/read_unlock/write_lock/write_unlock.
#pragma once

#include <utility>

namespace rcubench::detail {

template <class T, class Lock>
class InPlace {
 public:
  explicit InPlace(T initial) : value_(std::move(initial)) {}

  template <class Fn>
  auto read(Fn&& fn) const {
    lock_.read_lock();
    auto result = fn(value_);
    lock_.read_unlock();
    return result;
  }

  template <class Fn>
  void update(Fn&& mutate) {
    lock_.write_lock();
    mutate(value_);
    lock_.write_unlock();
  }

 private:
  T value_;
  mutable Lock lock_;
};

}  // namespace rcubench::detail
