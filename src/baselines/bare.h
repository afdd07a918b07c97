// bare: an unprotected pointer load and nothing else. Valid only when nothing updates
// (the object never changes), it is the physical floor every read-side plot is drawn
// against.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "baselines/primitive.h"

namespace rcubench {

#ifdef RCUBENCH_PLANTED_READ_ACQUIRE
// Test builds only (rcubench_planted): bare's relaxed load made an acquire, a change the
// counting mode's profile must find (acquires +1) on AArch64 and RISC-V, where it may not
// change the instruction count (`ldr` -> `ldar`).
inline constexpr std::memory_order kBareLoadOrder = std::memory_order_acquire;
#else
inline constexpr std::memory_order kBareLoadOrder = std::memory_order_relaxed;
#endif

template <class T>
class BarePrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kReadOnly;
  explicit BarePrimitive(T initial) : value_(std::move(initial)) {}

  class ThreadScope {
   public:
    explicit ThreadScope(BarePrimitive&) {}
    void quiescent_state() {}
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    // Relaxed: nothing is ever published after construction, which happens before the
    // threads that read start. The load is atomic only so it is a real load each time.
    return fn(*pointer_.load(kBareLoadOrder));
  }

  template <class Fn>
  unsigned update(ThreadScope&, Fn&&) {
    throw std::logic_error("bare is read-only: it has no way to update safely");
  }

 private:
  T value_;
  std::atomic<const T*> pointer_{&value_};
};

struct BareDescriptor {
  static constexpr std::string_view name = "bare";
  static constexpr contract::Family family = contract::Family::reference;
  static constexpr std::string_view label = "bare (unsynchronised floor)";
  static constexpr std::string_view description =
      "unprotected pointer load, read-only runs only: the physical floor";
  static constexpr std::string_view updaters = "none: read-only";
  template <class T>
  using Impl = BarePrimitive<T>;
};

}  // namespace rcubench
