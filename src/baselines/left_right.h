// left-right: xenium's left_right (Debian's libxenium-dev 0.0.2), the algorithm of
// Ramalhete and Correia: two copies of the object; readers announce themselves on a
// read indicator and read the copy the left/right switch names, wait-free; a writer
// (mutex) updates the copy readers are not using, flips the switch, waits for the
// readers of the old copy to drain and updates that one too. Notes:
// seqlock_left_right.md.
#pragma once

#include <string_view>
#include <utility>

#include "baselines/primitive.h"

#include <xenium/left_right.hpp>

namespace rcubench {

template <class T>
class LeftRightPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;

  explicit LeftRightPrimitive(T initial) : instances_(std::move(initial)) {}

  class ThreadScope {
   public:
    explicit ThreadScope(LeftRightPrimitive&) {}
    void quiescent_state() noexcept {}
  };

  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    return instances_.read(std::forward<Fn>(fn));
  }

  // In place, as the algorithm is meant: xenium applies mutate to each copy in turn,
  // first the one readers are not using, then, once its readers have drained, the other.
  template <class Fn>
  unsigned update_in_place(ThreadScope&, Fn&& mutate) {
    instances_.update([&](T& instance) { mutate(instance); });
    return 0;
  }

 private:
  xenium::left_right<T> instances_;
};

struct LeftRightDescriptor {
  static constexpr std::string_view name = "left-right";
  static constexpr contract::Family family = contract::Family::other;
  static constexpr std::string_view description =
      "xenium's left_right: two copies, wait-free readers on a read indicator, the writer "
      "updates the idle copy, flips, waits for readers to drain, updates the other";
  static constexpr std::string_view updaters = "serialised by xenium's writer mutex";
  template <class T>
  using Impl = LeftRightPrimitive<T>;
};

static_assert(PrimitiveDescriptor<LeftRightDescriptor>);
static_assert(PrimitiveFor<LeftRightPrimitive<int>, int>);

}  // namespace rcubench
