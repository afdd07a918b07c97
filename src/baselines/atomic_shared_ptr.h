// atomic-shared-ptr: std::atomic<std::shared_ptr<const T>>, what a C++20 user reaches for
// first. Readers take a reference (a count increment and decrement per read); updaters
// compare-and-swap. The object and its control block are one allocation from
// NodeAllocator<T> (node_allocator.h).
#pragma once

#include <atomic>
#include <memory>
#include <string_view>
#include <utility>

#include "baselines/node_allocator.h"
#include "baselines/primitive.h"

namespace rcubench {

// kHoldsReference is false only in the torture checker's negative control: its readers
// drop their reference before they read the object.
template <class T, bool kHoldsReference = true>
class AtomicSharedPtrPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kCompareAndSwap;
  explicit AtomicSharedPtrPrimitive(T initial)
      : current_(make_from([&] { return std::move(initial); })) {}

  class ThreadScope {
   public:
    explicit ThreadScope(AtomicSharedPtrPrimitive&) {}
    void quiescent_state() {}
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    if constexpr (kHoldsReference) {
      // Acquire: paired with the release of the successful compare-exchange in update().
      std::shared_ptr<const T> object = current_.load(std::memory_order_acquire);
      return fn(*object);
    } else {
      // The negative control's bug: the loaded reference dies at the semicolon. Acquire:
      // paired as above.
      const T* object = current_.load(std::memory_order_acquire).get();
      return fn(*object);
    }
  }

  template <class Fn>
  unsigned update(ThreadScope&, Fn&& make_next) {
    unsigned retries = 0;
    // Acquire: paired with the release of the compare-exchange that published it.
    std::shared_ptr<const T> expected = current_.load(std::memory_order_acquire);
    for (;;) {
      auto next = make_from([&] { return make_next(*expected); });
      // Success acq_rel: release pairs with the acquire loads in read() and here, so
      // `next` is seen initialised; acquire orders us after the update we replace.
      // Failure acquire: `expected` is reloaded, paired with its publisher's release. Strong:
      // a spurious failure would build the next object again and count a retry that no
      // other updater caused.
      if (current_.compare_exchange_strong(expected, std::move(next), std::memory_order_acq_rel,
                                           std::memory_order_acquire)) {
        return retries;
      }
      ++retries;
    }
  }

 private:
  // The object inside its control block's allocation, built there from make()'s result
  // (node_allocator.h, FromResult): allocate_shared<const T>(alloc, make()) would build it
  // first and move it in.
  struct Holder {
    template <class Make>
    explicit Holder(FromResult, Make&& make) : value(std::forward<Make>(make)()) {}
    const T value;
  };
  template <class Make>
  static std::shared_ptr<const T> make_from(Make&& make) {
    auto holder = std::allocate_shared<Holder>(NodeAllocatorFor<T, Holder>(), FromResult{}, make);
    const T* value = &holder->value;
    return std::shared_ptr<const T>(std::move(holder), value);  // Aliasing: holder's count.
  }

  std::atomic<std::shared_ptr<const T>> current_;
};

struct AtomicSharedPtrDescriptor {
  static constexpr std::string_view name = "atomic-shared-ptr";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description = "std::atomic<std::shared_ptr<const T>>";
  static constexpr std::string_view updaters = "concurrent: compare-and-swap retry loop";
  template <class T>
  using Impl = AtomicSharedPtrPrimitive<T>;
};

}  // namespace rcubench
