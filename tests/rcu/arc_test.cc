// rcu::Arc<T>: the reference-counted ForeignOwnable, alone and inside an Rcu.
#include "rcu/arc.h"

#include <gtest/gtest.h>

#include <atomic>
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

// Readers take references (to_arc) inside their guards while an updater replaces the
// value and frees the old one after each grace period: every reference a reader took
// stays valid after its guard (the grace period waits for the guard, the reference for
// the reader), values only move forward, and when everyone is done every object is gone.
TEST(Arc, ToArcRacingReplaceKeepsEveryReferenceValid) {
  const long live = Tracked::live.load();
  constexpr int kReplaces = 2000;
  {
    rcu::RegisteredThread<> registered;
    rcu::Rcu<rcu::Arc<Tracked>> shared(rcu::Arc<Tracked>::make(0));
    std::atomic<bool> stop{false};
    std::atomic<long> references{0}, backwards{0}, wrong{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 2; ++r) {
      readers.emplace_back([&] {
        rcu::RegisteredThread<> registered;
        std::vector<rcu::Arc<Tracked>> kept;  // the last few, held past their guards
        int last = -1;
        while (!stop.load()) {
          rcu::Arc<Tracked> arc;
          {
            rcu::Guard<> guard;
            arc = shared.dereference(guard).to_arc();
          }
          if (arc->value < last) ++backwards;
          last = arc->value;
          ++references;
          kept.push_back(std::move(arc));
          if (kept.size() > 8) kept.erase(kept.begin());
          for (const auto& k : kept)
            if (k->value > last || k.use_count() == 0) ++wrong;
        }
      });
    }
    // Replaces race with readers: they start once readers read, and every 64 wait for a
    // reference to be taken.
    while (references.load() == 0) std::this_thread::yield();
    for (int i = 1; i <= kReplaces; ++i) {
      shared.replace(rcu::Arc<Tracked>::make(i)).reset();
      if (i % 64 == 0) {
        const long seen = references.load();
        while (references.load() == seen) std::this_thread::yield();
      }
    }
    stop.store(true);
    for (auto& t : readers) t.join();
    EXPECT_EQ(backwards.load(), 0);
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(Tracked::live.load(), live + 1);  // only the current value is left
  }
  EXPECT_EQ(Tracked::live.load(), live);
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
