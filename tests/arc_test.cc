// rcu::Arc<T>: the reference-counted ForeignOwnable, alone and inside an Rcu.
#include "rcu/arc.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "rcu/rcu.h"
#include "support/rcu_test_support.h"

namespace {

using rcu_test::Tracked;

TEST(Arc, CountsReferencesAndFreesWithTheLast) {
  long live = Tracked::live.load();
  {
    auto a = rcu::Arc<Tracked>::make(5);
    EXPECT_EQ(a.use_count(), 1u);
    {
      auto b = a;
      EXPECT_EQ(a.use_count(), 2u);
      EXPECT_EQ(b->value, 5);
    }
    EXPECT_EQ(a.use_count(), 1u);
    rcu::Arc<Tracked> moved = std::move(a);
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(moved.use_count(), 1u);
    EXPECT_EQ(Tracked::live.load(), live + 1);
  }
  EXPECT_EQ(Tracked::live.load(), live);
}

TEST(Arc, CountsFromManyThreads) {
  auto a = rcu::Arc<Tracked>::make(1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([a] {
      for (int i = 0; i < 10000; ++i) {
        auto copy = a;
        EXPECT_EQ(copy->value, 1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(a.use_count(), 1u);
}

TEST(Arc, BorrowTakesNoReferenceAndToArcKeepsTheObject) {
  rcu::RegisteredThread<> registered;
  long live = Tracked::live.load();
  rcu::Rcu<rcu::Arc<Tracked>> shared(rcu::Arc<Tracked>::make(1));
  rcu::Arc<Tracked> kept;
  {
    rcu::Guard<> guard;
    auto view = shared.dereference(guard);
    ASSERT_TRUE(view);
    kept = view.to_arc();  // A reference that outlives the guard.
    EXPECT_EQ(kept.use_count(), 2u);
  }
  // Replace and free the old value: the Rcu's reference goes, ours keeps the object.
  shared.updater().replace(rcu::Arc<Tracked>::make(2)).reset();
  EXPECT_EQ(kept.use_count(), 1u);
  EXPECT_EQ(kept->value, 1);
  EXPECT_EQ(Tracked::live.load(), live + 2);
  kept = {};
  EXPECT_EQ(Tracked::live.load(), live + 1);
}

TEST(Arc, EmptyViewForNullRcu) {
  rcu::RegisteredThread<> registered;
  rcu::Rcu<rcu::Arc<Tracked>> shared;
  rcu::Guard<> guard;
  auto view = shared.dereference(guard);
  EXPECT_FALSE(view);
  EXPECT_FALSE(view.to_arc());
}

}  // namespace
