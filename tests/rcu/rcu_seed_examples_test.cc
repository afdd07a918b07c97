// The examples in the doc comments of the seed patch (rust/kernel/sync/rcu.rs), in C++.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <memory>
#include <thread>

#include "rcu/rcu.h"
#include "support/rcu_test_support.h"

namespace {

using namespace std::chrono_literals;

// Rcu::dereference: `let x = Rcu::new(KBox::new(100i32)); ... assert_eq!(v, Some(&100i32))`.
TEST(RcuSeedExamples, DereferenceUnderReadLock) {
  rcu::RegisteredThread<> registered;
  rcu::Rcu<std::unique_ptr<int>> x(std::make_unique<int>(100));

  rcu::Guard<> g;
  // Read in under RCU read lock protection.
  auto v = x.dereference(g);

  EXPECT_EQ(v, 100);
}

// Rcu::dereference, second example: the main thread owns `shared`; a work item reaches it
// through `cloned`, drops `cloned`, signals with FLAG, and goes on using the object it
// dereferenced: the read lock, not `cloned`, keeps that object alive while the main
// thread drops `shared` (whose destructor waits for the grace period). Instead of the
// seed's sleep, the work item holds its read lock until the drop has returned, or at most
// `hold` (a correct drop cannot return first); returns whether the object was destroyed
// while the work item still used it.
template <class F>
bool work_item_saw_its_object_destroyed(std::chrono::milliseconds hold = 300ms) {
  struct Config {
    int a, b, c;
    std::atomic<bool>* destroyed;
    ~Config() {
      destroyed->store(true, std::memory_order_release);
    }  // Paired with the loads below.
  };
  std::atomic<bool> config_destroyed{false};
  auto config = std::make_unique<Config>(1, 2, 3, &config_destroyed);

  auto shared = rcu::Arc<rcu::Rcu<std::unique_ptr<Config>, F>>::make(std::move(config));
  auto cloned = shared;

  // Use an atomic to simulate a special refcounting.
  std::atomic<int> flag{0};
  rcu_test::Signal drop_returned;
  bool destroyed_while_reading = false;
  int a_seen = 0;

  std::thread work_item([&, cloned = std::move(cloned)]() mutable {
    rcu::RegisteredThread<F> registered;
    rcu::Guard<F> g;
    auto v = cloned->dereference(g);
    ASSERT_TRUE(v);
    cloned = {};                               // Release the reference to `shared`.
    flag.store(1, std::memory_order_release);  // Paired with the acquire load in the main thread.

    // But still need to access `v`, while the main thread drops `shared`.
    drop_returned.wait_for(hold);
    destroyed_while_reading = config_destroyed.load(std::memory_order_acquire);
    if (!destroyed_while_reading) a_seen = v->a;
  });

  // Wait until `cloned` dropped.
  while (flag.load(std::memory_order_acquire) == 0) {
    std::this_thread::yield();  // Paired with the store above.
  }
  EXPECT_EQ(shared.use_count(), 1u);

  shared = {};  // The last reference: ~Rcu waits for the work item's read lock, then frees.
  drop_returned.notify();
  EXPECT_TRUE(config_destroyed.load(std::memory_order_acquire));
  work_item.join();
  if (!destroyed_while_reading) {
    EXPECT_EQ(a_seen, 1);
  }
  return destroyed_while_reading;
}

TEST(RcuSeedExamples, WorkItemOutlivesItsReference) {
  EXPECT_FALSE(work_item_saw_its_object_destroyed<rcu::Memb>());
}

// Negative control: with grace periods that do not wait, the work item sees its object
// destroyed.
TEST(RcuSeedExamples, WorkItemCheckCatchesFreeWithoutGracePeriod) {
  EXPECT_TRUE(work_item_saw_its_object_destroyed<rcu_test::BrokenNoGracePeriod>());
}

// Rcu::replace: an existing reader still sees the old value, new readers see the new one,
// and the old one can be freed once the read-side critical section ends. Beyond the seed:
// another thread frees the old value while the reader still holds its guard, and must not
// finish before the guard ends. Returns whether the old value was destroyed under the
// guard.
template <class F>
bool replace_freed_old_value_under_guard(std::chrono::milliseconds hold = 300ms) {
  rcu::RegisteredThread<F> registered;
  std::atomic<bool> old_destroyed{false};
  rcu::Rcu<std::unique_ptr<rcu_test::Tracked>, F> x(
      std::make_unique<rcu_test::Tracked>(100, &old_destroyed));
  auto q = std::make_unique<rcu_test::Tracked>(101);

  // Read in under RCU read lock protection.
  auto g = std::make_optional<rcu::Guard<F>>();
  auto v = x.dereference(*g);

  // Replace with a new object.
  auto old = x.replace(std::move(q));

  EXPECT_TRUE(old);

  // `v` should still read the old value.
  EXPECT_EQ(v->value, 100);

  // New readers should get the new value.
  EXPECT_EQ(x.dereference(*g)->value, 101);

  // Another thread frees the old value: it must wait for this guard.
  rcu_test::Signal freed;
  std::thread freer([&] {
    rcu::RegisteredThread<F> freer_registered;
    old.reset();
    freed.notify();
  });
  freed.wait_for(hold);
  // Acquire: paired with ~Tracked's release store.
  bool destroyed_under_guard = old_destroyed.load(std::memory_order_acquire);
  if (!destroyed_under_guard) {
    EXPECT_EQ(v->value, 100);
  }

  g.reset();
  freer.join();
  EXPECT_FALSE(old);
  EXPECT_TRUE(old_destroyed.load(std::memory_order_acquire));  // Paired with ~Tracked.
  return destroyed_under_guard;
}

TEST(RcuSeedExamples, ReplaceKeepsOldValueForExistingReaders) {
  EXPECT_FALSE(replace_freed_old_value_under_guard<rcu::Memb>());
}

TEST(RcuSeedExamples, ReplaceCheckCatchesFreeWithoutGracePeriod) {
  EXPECT_TRUE(replace_freed_old_value_under_guard<rcu_test::BrokenNoGracePeriod>());
}

}  // namespace
