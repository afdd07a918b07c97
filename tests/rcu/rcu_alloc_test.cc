// Heap allocations on the free paths, counted by replacing operator new for this program
// (support/counting_new.h): retiring allocates nothing beyond the objects themselves (the
// thread's retire block, ObjBase's embedded rcu_head, an Arc with no other owner), and
// when an allocation the path needs fails it still frees, after a grace period, never
// early.
#include <gtest/gtest.h>

#include <memory>

#include "rcu/rcu.h"
#include "support/counting_new.h"
#include "support/rcu_test_support.h"

namespace {

using rcu_test::allocations;
using rcu_test::counting;
using rcu_test::fail_nothrow;
using rcu_test::Tracked;

struct IntrusiveTracked : Tracked, rcu::ObjBase<IntrusiveTracked> {
  using Tracked::Tracked;
};

// Allocations `retire_one` makes, over `n` calls, counted around the call alone (the
// objects it retires are made outside the count).
template <class Make, class RetireOne>
long allocations_per(long n, Make make, RetireOne retire_one) {
  long total = 0;
  for (long i = 0; i < n; ++i) {
    auto object = make();
    allocations = 0;
    counting = true;
    retire_one(std::move(object));
    counting = false;
    total += allocations;
  }
  return total;
}

template <class F>
using RcuAllocTest = rcu_test::NothingLeaksTest<F>;
TYPED_TEST_SUITE(RcuAllocTest, rcu_test::AllFlavors, rcu_test::FlavorName);

// The blocks come from the pool and go back to it after their grace period: with the
// pool reserved, however far behind liburcu's callback thread is, nothing is allocated
// and no block is mapped.
TYPED_TEST(RcuAllocTest, ThreadBlockRetireAllocatesNothing) {
  using F = TypeParam;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  rcu::RegisteredThread<F> registered;
  rcu::Rcu<std::unique_ptr<Tracked>, F> shared(std::make_unique<Tracked>(0));
  auto make = [&] { return shared.replace(std::make_unique<Tracked>(1)); };
  auto retire = [](auto old) { std::move(old).retire(); };
  // Warm-up: liburcu makes its call_rcu thread and per-thread data.
  allocations_per(2 * kPerBlock, make, retire);
  rcu::barrier<F>();
  ASSERT_GE(rcu::reserve_retire_blocks<F>(8), 8);
  const long mapped = rcu::retire_backlog<F>().blocks_mapped;
  EXPECT_EQ(allocations_per(4 * kPerBlock, make, retire), 0);
  // Raw pointers through rcu::retire, likewise.
  auto make_raw = [] { return new Tracked(2); };
  auto retire_raw = [](Tracked* p) { rcu::retire<F>(p); };
  EXPECT_EQ(allocations_per(4 * kPerBlock, make_raw, retire_raw), 0);
  EXPECT_EQ(rcu::retire_backlog<F>().blocks_mapped, mapped);
  rcu::quiescent_state<F>();
}

TYPED_TEST(RcuAllocTest, IntrusiveDeferAllocatesNothing) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  rcu::Rcu<std::unique_ptr<IntrusiveTracked>, F> intrusive(std::make_unique<IntrusiveTracked>(0));
  rcu::Rcu<rcu::Arc<Tracked>, F> arc(rcu::Arc<Tracked>::make(0));
  rcu::Rcu<std::unique_ptr<Tracked>, F> plain(std::make_unique<Tracked>(0));
  auto defer = [](auto old) { std::move(old).defer(); };
  allocations_per(
      16, [&] { return plain.replace(std::make_unique<Tracked>(1)); }, defer);  // Warm-up.
  rcu::barrier<F>();
  EXPECT_EQ(allocations_per(
                100, [&] { return intrusive.replace(std::make_unique<IntrusiveTracked>(1)); },
                defer),
            0);
  EXPECT_EQ(allocations_per(100, [&] { return arc.replace(rcu::Arc<Tracked>::make(1)); }, defer),
            0);
  // ObjBase::retire, directly.
  EXPECT_EQ(allocations_per(
                100, [] { return new IntrusiveTracked(2); },
                [](IntrusiveTracked* p) { p->template retire<F>(); }),
            0);
  // The control: a plain object needs its bookkeeping node, one per defer, and the
  // count sees it.
  EXPECT_EQ(allocations_per(
                100, [&] { return plain.replace(std::make_unique<Tracked>(1)); }, defer),
            100);
  rcu::quiescent_state<F>();
}

// An Arc with another owner cannot lend its rcu_head (the other owner may defer it too):
// it takes a node, and the object lives on with its other owner.
TEST(RcuAlloc, SharedArcDefersThroughANode) {
  rcu::RegisteredThread<> registered;
  long live = Tracked::live.load();
  auto kept = rcu::Arc<Tracked>::make(1);
  {
    rcu::Rcu<rcu::Arc<Tracked>> shared(kept);
    auto old = shared.replace(rcu::Arc<Tracked>::make(2));
    allocations = 0;
    counting = true;
    std::move(old).defer();
    counting = false;
    EXPECT_EQ(allocations, 1);
    rcu::barrier();
  }
  EXPECT_EQ(kept.use_count(), 1u);
  EXPECT_EQ(kept->value, 1);
  kept = {};
  EXPECT_EQ(Tracked::live.load(), live);
}

// RetireBatch::add grows its vector geometrically.
TEST(RcuAlloc, RetireBatchAddIsAmortised) {
  rcu::RegisteredThread<> registered;
  rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(0));
  rcu::RetireBatch<> batch;
  long growths = allocations_per(
      10000, [&] { return shared.replace(std::make_unique<int>(1)); },
      [&](auto old) { batch.add(std::move(old)); });
  EXPECT_LE(growths, 20) << "one reallocation per add would be 10000";
  EXPECT_EQ(batch.size(), 10000u);
}

// Out of memory for the bookkeeping node: the value is freed after a grace period at
// once (not leaked, not freed early).
TEST(RcuAlloc, DeferWithoutMemoryFreesAfterAGracePeriod) {
  rcu::RegisteredThread<> registered;
  long live = Tracked::live.load();
  rcu::Rcu<std::unique_ptr<Tracked>> shared(std::make_unique<Tracked>(0));
  auto old = shared.replace(std::make_unique<Tracked>(1));
  fail_nothrow = true;
  std::move(old).defer();
  fail_nothrow = false;
  EXPECT_EQ(Tracked::live.load(), live + 1) << "freed before defer() returned";
  rcu::RetireBatch<> batch;
  batch.add(shared.replace(std::make_unique<Tracked>(2)));
  fail_nothrow = true;
  batch.defer();
  fail_nothrow = false;
  EXPECT_EQ(Tracked::live.load(), live + 1);
}

// ...which must not happen inside a read-side section: that grace period would wait for
// this very thread. Checked builds (this one) abort with a message saying why.
TEST(RcuAllocDeathTest, DeferWithoutMemoryInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(0));
        auto old = shared.replace(std::make_unique<int>(1));
        rcu::Guard<> guard;
        fail_nothrow = true;
        std::move(old).defer();
      },
      "out of memory for a deferred free inside a read-side critical section");
}

}  // namespace
