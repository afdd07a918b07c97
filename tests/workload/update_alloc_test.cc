// Heap allocations on the workloads' update path, counted by replacing operator new for
// this program (support/counting_new.h): an in-place update (update_payload on a primitive
// that keeps its object in place) allocates nothing, so it copies no payload either (a
// copy allocates the payload's words); a copy-update allocates the next payload, and the
// count sees it.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "baselines/registry.h"
#include "support/counting_new.h"
#include "workload/payload.h"

namespace {

using rcu_test::allocated_bytes;
using rcu_test::allocations;
using rcu_test::counting;
using rcubench::Payload;

constexpr std::size_t kPayloadBytes = 65536;
constexpr int kUpdates = 100;

struct Counted {
  long allocations = 0;
  std::size_t bytes = 0;
  long payloads_made = 0;  // Payloads alive after the updates, less before
  std::uint64_t generation = 0;
  bool intact = false;
};

// kUpdates workload updates of primitive P on a kPayloadBytes payload, after one update
// of warm-up (first-use work of the primitive and its thread).
template <class P>
Counted count_updates() {
  Counted c;
  P primitive(Payload(kPayloadBytes, 0));
  {
    typename P::ThreadScope scope(primitive);
    rcubench::update_payload(primitive, scope);
    scope.quiescent_state();
    const long live = Payload::live_objects();
    allocations = 0;
    allocated_bytes = 0;
    counting = true;
    for (int i = 0; i < kUpdates; ++i) {
      rcubench::update_payload(primitive, scope);
      scope.quiescent_state();
    }
    counting = false;
    c.allocations = allocations;
    c.bytes = allocated_bytes;
    c.payloads_made = Payload::live_objects() - live;
    primitive.read(scope, [&](const Payload& current) {
      c.generation = current.generation();
      c.intact = current.intact();
      return 0;
    });
  }
  return c;
}

template <class... Ds>
std::set<std::string> check_in_place_primitives(rcubench::DescriptorList<Ds...>) {
  std::set<std::string> checked;
  auto check = [&]<class D>() {
    if constexpr (rcubench::descriptor_accepts<D, Payload>()) {
      using Impl = typename D::template Impl<Payload>;
      if constexpr (rcubench::UpdatesInPlace<Impl, Payload>) {
        const Counted c = count_updates<Impl>();
        EXPECT_EQ(c.allocations, 0) << D::name << ": " << c.bytes << " bytes";
        EXPECT_EQ(c.payloads_made, 0) << D::name;
        EXPECT_EQ(c.generation, kUpdates + 1u) << D::name;
        EXPECT_TRUE(c.intact) << D::name;
        checked.emplace(D::name);
      }
    }
  };
  (check.template operator()<Ds>(), ...);
  return checked;
}

TEST(UpdateAllocations, InPlaceUpdatesAllocateAndCopyNothing) {
  EXPECT_EQ(check_in_place_primitives(rcubench::Registered{}),
            (std::set<std::string>{"rwlock-pthread", "shared-mutex", "mutex", "perthread-lock",
                                   "left-right"}));
}

// The control: a copy-update allocates the next payload (its words, at least) every time,
// and only once.
TEST(UpdateAllocations, CopyUpdatesAllocateThePayloadAndTheCountSeesIt) {
  using Impl = rcubench::RcuDescriptor<rcu::Memb, rcubench::FreeMode::kSynchronous>::Impl<Payload>;
  static_assert(!rcubench::UpdatesInPlace<Impl, Payload>);
  const Counted c = count_updates<Impl>();
  EXPECT_GE(c.allocations, kUpdates);
  EXPECT_GE(c.bytes, kUpdates * kPayloadBytes);
  // Once: the next payload is built in its heap node, not copied a second time.
  EXPECT_LT(c.bytes, 2 * kUpdates * kPayloadBytes);
  EXPECT_EQ(c.payloads_made, 0);  // Each old payload is freed after its grace period.
  EXPECT_EQ(c.generation, kUpdates + 1u);
  EXPECT_TRUE(c.intact);
}

}  // namespace
