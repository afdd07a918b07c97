// The examples in the doc comments of the seed patch (rust/kernel/sync/rcu.rs), in C++.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "rcu/rcu.h"

namespace {

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
// thread drops `shared` (whose destructor waits for the grace period).
TEST(RcuSeedExamples, WorkItemOutlivesItsReference) {
  struct Config {
    int a, b, c;
    std::atomic<bool>* destroyed;
    ~Config() {
      destroyed->store(true, std::memory_order_release);
    }  // Paired with the loads below.
  };
  std::atomic<bool> config_destroyed{false};
  auto config = std::make_unique<Config>(1, 2, 3, &config_destroyed);

  auto shared = rcu::Arc<rcu::Rcu<std::unique_ptr<Config>>>::make(std::move(config));
  auto cloned = shared;

  // Use an atomic to simulate a special refcounting.
  std::atomic<int> flag{0};
  bool destroyed_while_reading = true;
  int a_seen = 0;

  std::thread work_item([&, cloned = std::move(cloned)]() mutable {
    rcu::RegisteredThread<> registered;
    rcu::Guard<> g;
    auto v = cloned->dereference(g);
    ASSERT_TRUE(v);
    cloned = {};                               // Release the reference to `shared`.
    flag.store(1, std::memory_order_release);  // Paired with the acquire load in the main thread.

    // But still need to access `v`, while the main thread drops `shared`.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    a_seen = v->a;
    destroyed_while_reading = config_destroyed.load(std::memory_order_acquire);
  });

  // Wait until `cloned` dropped.
  while (flag.load(std::memory_order_acquire) == 0)
    std::this_thread::yield();  // Paired with the store above.
  EXPECT_EQ(shared.use_count(), 1u);

  shared = {};  // The last reference: ~Rcu waits for the work item's read lock, then frees.
  EXPECT_TRUE(config_destroyed.load(std::memory_order_acquire));
  work_item.join();
  EXPECT_EQ(a_seen, 1);
  EXPECT_FALSE(destroyed_while_reading);
}

// Rcu::replace: an existing reader still sees the old value, new readers see the new one,
// and the old one can be freed once the read-side critical section ends.
TEST(RcuSeedExamples, ReplaceKeepsOldValueForExistingReaders) {
  rcu::RegisteredThread<> registered;
  rcu::Rcu<std::unique_ptr<int>> x(std::make_unique<int>(100));
  auto q = std::make_unique<int>(101);

  // Read in under RCU read lock protection.
  auto g = std::make_optional<rcu::Guard<>>();
  auto v = x.dereference(*g);

  // Replace with a new object.
  auto old = x.updater().replace(std::move(q));

  EXPECT_TRUE(old);

  // `v` should still read the old value.
  EXPECT_EQ(v, 100);

  // New readers should get the new value.
  EXPECT_EQ(x.dereference(*g), 101);

  g.reset();

  // Can free the object outside the read-side critical section.
  old.reset();
  EXPECT_FALSE(old);
}

}  // namespace
