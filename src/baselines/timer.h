// timer: one read of the clock the engine times with (steady_clock) and nothing else, read
// only. Not a way to share anything: the row that says what one clock read costs on this
// machine, so that latencies near it are read with that floor in mind (refscale's
// "clock" scale type does the same).
#pragma once

#include <chrono>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "baselines/primitive.h"

namespace rcubench {

template <class T>
class TimerPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kReadOnly;
  explicit TimerPrimitive(T initial) : value_(std::move(initial)) {}

  class ThreadScope {
   public:
    explicit ThreadScope(TimerPrimitive&) {}
    void quiescent_state() {}
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    asm volatile("" : : "r"(ticks));  // The value is used: the clock read stays.
    return fn(value_);
  }

  template <class Fn>
  unsigned update(ThreadScope&, Fn&&) {
    throw std::logic_error("timer is read-only: it measures the clock, it shares nothing");
  }

 private:
  T value_;
};

struct TimerDescriptor {
  static constexpr std::string_view name = "timer";
  static constexpr contract::Family family = contract::Family::reference;
  static constexpr std::string_view label = "timer (one clock read)";
  static constexpr std::string_view description =
      "one steady_clock read per read, read-only runs only: what one clock read costs";
  static constexpr std::string_view updaters = "none: read-only";
  template <class T>
  using Impl = TimerPrimitive<T>;
};

}  // namespace rcubench
