// Rcu<P>, RcuOld<P>, Guard, RetireBatch: the seed's semantics and what goes past them,
// for every flavor.
#include "rcu/rcu.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/rcu_test_support.h"

namespace {

using rcu_test::Signal;
using rcu_test::Tracked;
using namespace std::chrono_literals;

template <class F>
using RcuTest = rcu_test::NothingLeaksTest<F>;
TYPED_TEST_SUITE(RcuTest, rcu_test::AllFlavors, rcu_test::FlavorName);

template <class F, class T = Tracked>
using TrackedRcu = rcu::Rcu<std::unique_ptr<T>, F>;

// A Tracked that lends its own rcu_head to deferred frees (no bookkeeping node).
struct IntrusiveTracked : Tracked, rcu::ObjBase<IntrusiveTracked> {
  using Tracked::Tracked;
};

// What retiring an old value means in each check: a synchronous drop, a deferred free
// followed by the barrier that waits for it, or a batch.
template <class F, class T = Tracked>
using Retire = std::function<void(rcu::RcuOld<std::unique_ptr<T>, F>)>;

template <class F, class T = Tracked>
Retire<F, T> retire_synchronously() {
  return [](auto old) { old.reset(); };
}
template <class F, class T = Tracked>
Retire<F, T> retire_deferred() {
  return [](auto old) {
    std::move(old).defer();
    rcu::barrier<F>();
  };
}
template <class F, class T = Tracked>
Retire<F, T> retire_in_batch_synchronously() {
  return [](auto old) {
    rcu::RetireBatch<F> batch;
    batch.add(std::move(old));
    batch.synchronize_and_free();
  };
}
template <class F, class T = Tracked>
Retire<F, T> retire_in_batch_deferred() {
  return [](auto old) {
    rcu::RetireBatch<F> batch;
    batch.add(std::move(old));
    batch.defer();
    rcu::barrier<F>();
  };
}
// This thread's retire block (a page of pointers, one call_rcu), flushed by the barrier.
template <class F, class T = Tracked>
Retire<F, T> retire_in_thread_block() {
  return [](auto old) {
    std::move(old).retire();
    rcu::barrier<F>();
  };
}

// The grace-period check. A reader takes a Guard and a view of the current object; then
// another thread replaces the object and retires the old one with `retire`. The reader
// keeps its Guard until the retiring thread has finished, or for `hold` if it does not
// finish (a correct retire cannot finish while the Guard is held). Returns whether the
// old object was destroyed while the reader still held its Guard. Either way, once the
// Guard is gone the retire must complete and free the object.
// With `nested`, the reader takes its view under an inner Guard and ends that Guard
// before the retire starts: the outer one alone must keep the object.
template <class F, class T = Tracked>
bool freed_under_guard(const Retire<F, T>& retire, bool nested = false,
                       std::chrono::milliseconds hold = 300ms) {
  std::atomic<bool> old_destroyed{false};
  TrackedRcu<F, T> shared(std::make_unique<T>(1, &old_destroyed));
  Signal reader_has_view, retire_started, retire_finished;
  bool destroyed_under_guard = false;
  int value_seen = 0;

  std::thread reader([&] {
    rcu::RegisteredThread<F> registered;
    {
      rcu::Guard<F> guard;
      auto view = shared.dereference(guard);
      if (nested) {
        rcu::Guard<F> inner;
        view = shared.dereference(inner);
      }
      reader_has_view.notify();
      retire_started.wait();
      retire_finished.wait_for(hold);
      destroyed_under_guard =
          old_destroyed.load(std::memory_order_acquire);  // Paired with ~Tracked.
      if (!destroyed_under_guard) value_seen = view->value;
    }
  });
  std::thread retirer([&] {
    // Registered for call_rcu; offline under QSBR, so its waits do not stall the grace
    // period it waits for (liburcu's synchronize and barrier handle that themselves).
    rcu::RegisteredThread<F> registered;
    reader_has_view.wait();
    auto old = shared.replace(std::make_unique<T>(2));
    EXPECT_TRUE(old);
    retire_started.notify();
    retire(std::move(old));
    retire_finished.notify();
  });
  reader.join();
  retirer.join();
  EXPECT_TRUE(old_destroyed.load(std::memory_order_acquire)) << "retire finished, object not freed";
  if (!destroyed_under_guard) {
    EXPECT_EQ(value_seen, 1);
  }
  return destroyed_under_guard;
}

TYPED_TEST(RcuTest, GuardBlocksSynchronousFreeUntilItEnds) {
  EXPECT_FALSE(freed_under_guard<TypeParam>(retire_synchronously<TypeParam>()));
}

TYPED_TEST(RcuTest, DeferredFreeWaitsForReaders) {
  EXPECT_FALSE(freed_under_guard<TypeParam>(retire_deferred<TypeParam>()));
}

TYPED_TEST(RcuTest, BatchFreeWaitsForReaders) {
  EXPECT_FALSE(freed_under_guard<TypeParam>(retire_in_batch_synchronously<TypeParam>()));
  EXPECT_FALSE(freed_under_guard<TypeParam>(retire_in_batch_deferred<TypeParam>()));
}

TYPED_TEST(RcuTest, ThreadBlockRetireWaitsForReaders) {
  EXPECT_FALSE(freed_under_guard<TypeParam>(retire_in_thread_block<TypeParam>()));
}

TYPED_TEST(RcuTest, IntrusiveDeferredFreeWaitsForReaders) {
  using F = TypeParam;
  EXPECT_FALSE(freed_under_guard<F>(retire_deferred<F, IntrusiveTracked>()));
}

// The outer Guard alone keeps the object once the inner one (that took the view) ended.
TYPED_TEST(RcuTest, GuardsNest) {
  using F = TypeParam;
  EXPECT_FALSE(freed_under_guard<F>(retire_synchronously<F>(), /*nested=*/true));
  EXPECT_FALSE(freed_under_guard<F>(retire_deferred<F>(), /*nested=*/true));
}

// Negative control: the same checks catch a flavor whose grace periods do not wait.
TEST(RcuNegativeControl, CheckCatchesFreeWithoutGracePeriod) {
  using Broken = rcu_test::BrokenNoGracePeriod;
  EXPECT_TRUE(freed_under_guard<Broken>(retire_synchronously<Broken>()));
  EXPECT_TRUE(freed_under_guard<Broken>(retire_deferred<Broken>()));
  EXPECT_TRUE(freed_under_guard<Broken>(retire_in_batch_synchronously<Broken>()));
  EXPECT_TRUE(freed_under_guard<Broken>(retire_in_batch_deferred<Broken>()));
  EXPECT_TRUE(freed_under_guard<Broken>(retire_in_thread_block<Broken>()));
  EXPECT_TRUE(freed_under_guard<Broken>(retire_deferred<Broken, IntrusiveTracked>()));
}

// Negative control for GuardsNest: an inner unlock that ends the whole section is caught.
TEST(RcuNegativeControl, CheckCatchesNestingThatDoesNotNest) {
  using Broken = rcu_test::BrokenNestingFlavor;
  EXPECT_TRUE(freed_under_guard<Broken>(retire_synchronously<Broken>(), /*nested=*/true));
  EXPECT_FALSE(freed_under_guard<Broken>(retire_synchronously<Broken>(), /*nested=*/false));
}

TYPED_TEST(RcuTest, ReadCopyUpdateFromNullToNull) {
  rcu::RegisteredThread<TypeParam> registered;
  TrackedRcu<TypeParam> shared;  // Starts null.
  {
    rcu::Guard<TypeParam> guard;
    EXPECT_FALSE(shared.dereference(guard));
  }
  auto updater = shared.updater();
  // From null: the function sees an empty view; there is no old value.
  bool saw_empty = false;
  auto none = updater.read_copy_update([&](auto old) {
    saw_empty = !old;
    return std::make_unique<Tracked>(7);
  });
  EXPECT_TRUE(saw_empty);
  EXPECT_FALSE(none);
  {
    rcu::Guard<TypeParam> guard;
    EXPECT_EQ(shared.dereference(guard), Tracked(7));
  }
  // To null: readers see nothing; the old value comes back to be freed.
  auto old = updater.read_copy_update([](auto old_view) {
    EXPECT_EQ(old_view->value, 7);
    return std::unique_ptr<Tracked>();
  });
  ASSERT_TRUE(old);
  EXPECT_EQ(old.borrow()->value, 7);
  {
    rcu::Guard<TypeParam> guard;
    EXPECT_FALSE(shared.dereference(guard));
  }
  EXPECT_FALSE(updater.current());
}

TYPED_TEST(RcuTest, NullFactoryIsEmpty) {
  rcu::RegisteredThread<TypeParam> registered;
  auto shared = TrackedRcu<TypeParam>::null();
  rcu::Guard<TypeParam> guard;
  EXPECT_FALSE(shared.dereference(guard));
}

TYPED_TEST(RcuTest, ThrowingUpdateChangesNothing) {
  rcu::RegisteredThread<TypeParam> registered;
  TrackedRcu<TypeParam> shared(std::make_unique<Tracked>(4));
  auto updater = shared.updater();
  auto throwing = [](auto) -> std::unique_ptr<Tracked> { throw std::runtime_error("no"); };
  EXPECT_THROW((void)updater.read_copy_update(throwing), std::runtime_error);
  rcu::Guard<TypeParam> guard;
  EXPECT_EQ(shared.dereference(guard), Tracked(4));
}

// Updaters on several threads go through the updater lock: every copy-update builds on
// the previous one (no update lost) and each old value is freed exactly once (ASan and
// the live count would see a double free or a leak). Readers run alongside and check
// that the counter never goes backwards.
TYPED_TEST(RcuTest, ConcurrentUpdatersLoseNothingAndFreeOnce) {
  using F = TypeParam;
  constexpr int kUpdaters = 4;
  constexpr int kUpdatesEach = 300;
  TrackedRcu<F> shared(std::make_unique<Tracked>(0));
  std::atomic<bool> stop{false};
  std::atomic<int> went_backwards{0};

  std::thread reader([&] {
    rcu::RegisteredThread<F> registered;
    int last = 0;
    while (!stop.load(std::memory_order_relaxed)) {  // A flag only; orders nothing.
      {
        rcu::Guard<F> guard;
        int now = shared.dereference(guard)->value;
        if (now < last) went_backwards.fetch_add(1, std::memory_order_relaxed);
        last = now;
      }
      rcu::quiescent_state<F>();
    }
  });
  std::vector<std::thread> updaters;
  for (int u = 0; u < kUpdaters; ++u) {
    updaters.emplace_back([&, u] {
      rcu::RegisteredThread<F> registered;  // call_rcu wants registered threads.
      for (int i = 0; i < kUpdatesEach; ++i) {
        auto old = shared.update(
            [](auto current) { return std::make_unique<Tracked>(current->value + 1); });
        // Half the updaters free synchronously, half defer: both paths race.
        if (u % 2 == 0) {
          old.reset();
        } else {
          std::move(old).defer();
        }
        rcu::quiescent_state<F>();
      }
    });
  }
  for (auto& t : updaters) t.join();
  stop.store(true, std::memory_order_relaxed);
  reader.join();
  rcu::barrier<F>();
  EXPECT_EQ(went_backwards.load(), 0);
  EXPECT_EQ(shared.updater().current()->value, kUpdaters * kUpdatesEach);
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);  // Only the current value.
}

TYPED_TEST(RcuTest, RetireBatchFreesAllAfterOneGracePeriod) {
  using F = rcu_test::Counting<TypeParam>;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(0));
  rcu::RetireBatch<F> batch;
  for (int i = 1; i <= 10; ++i) batch.add(shared.replace(std::make_unique<Tracked>(i)));
  EXPECT_EQ(batch.size(), 10u);
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 11);
  long synchronizes = F::synchronizes.load();
  batch.synchronize_and_free();
  EXPECT_EQ(F::synchronizes.load() - synchronizes, 1) << "one grace period for the batch";
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);

  for (int i = 11; i <= 20; ++i) batch.add(shared.replace(std::make_unique<Tracked>(i)));
  long calls = F::calls.load();
  batch.defer();
  EXPECT_EQ(F::calls.load() - calls, 1) << "one call_rcu for the batch";
  EXPECT_TRUE(batch.empty());
  rcu::barrier<F>();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);
}

// The thread's retire block: one call_rcu per page of retired pointers, none per object.
TYPED_TEST(RcuTest, ThreadBlockRetireMakesOneCallPerBlock) {
  using F = rcu_test::Counting<TypeParam>;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  constexpr long kRetires = 3 * kPerBlock + 5;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(0));
  rcu::barrier<F>();  // Nothing of an earlier test left in this thread's block.
  long calls = F::calls.load();
  long synchronizes = F::synchronizes.load();
  for (long i = 1; i <= kRetires; ++i) {
    std::move(shared.replace(std::make_unique<Tracked>(static_cast<int>(i)))).retire();
  }
  EXPECT_EQ(F::calls.load() - calls, 3) << "one call_rcu per full block";
  EXPECT_EQ(F::synchronizes.load() - synchronizes, 0) << "under the backlog bound";
  EXPECT_GE(Tracked::live.load(), this->live_at_start_ + 1 + 5)
      << "the partly filled block waits for the barrier";
  rcu::barrier<F>();
  EXPECT_EQ(F::calls.load() - calls, 4) << "the barrier hands on the partly filled block";
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);
}

// Trackeds of distinct types, so that each has its own drop function (and retire block).
template <int N>
struct TrackedKind : Tracked {
  using Tracked::Tracked;
};

// Each type retired lately has a block of its own: two types retired in turn fill one block
// each, and a block goes to call_rcu only when full, not each time the type changes.
TYPED_TEST(RcuTest, ThreadBlockRetireKeepsABlockPerType) {
  using F = rcu_test::Counting<TypeParam>;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(0));
  rcu::barrier<F>();  // Nothing of an earlier test left in this thread's blocks.
  long calls = F::calls.load();
  for (long i = 1; i <= kPerBlock; ++i) {
    std::move(shared.replace(std::make_unique<Tracked>(static_cast<int>(i)))).retire();
    rcu::retire<F>(new TrackedKind<1>(static_cast<int>(i)));
  }
  EXPECT_EQ(F::calls.load() - calls, 2) << "one call_rcu per full block, one block per type";
  rcu::barrier<F>();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);
}

// One type more than a thread keeps open: the least recently used block is handed on
// partly filled, the others stay open until the barrier.
TYPED_TEST(RcuTest, ThreadBlockRetireHandsOnTheLeastRecentlyUsedType) {
  using F = rcu_test::Counting<TypeParam>;
  static_assert(rcu::detail::kOpenBlocks == 4, "one type per open block below, and one more");
  rcu::RegisteredThread<F> registered;
  rcu::barrier<F>();
  long calls = F::calls.load();
  auto retire_one_of_each = [] {
    rcu::retire<F>(new TrackedKind<1>(1));
    rcu::retire<F>(new TrackedKind<2>(2));
    rcu::retire<F>(new TrackedKind<3>(3));
    rcu::retire<F>(new TrackedKind<4>(4));
  };
  retire_one_of_each();
  retire_one_of_each();  // The same four: their blocks are open.
  EXPECT_EQ(F::calls.load() - calls, 0);
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 8);
  rcu::retire<F>(new TrackedKind<5>(5));  // Kind 1 is the least recently used.
  EXPECT_EQ(F::calls.load() - calls, 1) << "kind 1's block handed on for a fifth kind";
  rcu::retire<F>(new TrackedKind<4>(4));  // Still open.
  EXPECT_EQ(F::calls.load() - calls, 1);
  rcu::barrier<F>();  // Hands on the four open blocks and waits for all five.
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

// A destructor that retires: the frees a retire runs (of blocks whose grace period is over,
// or of its overflow) may retire into the very block type being filled.
struct RetiresOnDestruction : Tracked {
  using Tracked::Tracked;
  ~RetiresOnDestruction();
};
template <class F>
void retire_chain(int depth) {
  rcu::retire<F>(new RetiresOnDestruction(depth));
}
thread_local void (*retire_child)(int) = nullptr;
RetiresOnDestruction::~RetiresOnDestruction() {
  if (value > 0) retire_child(value - 1);
}

TYPED_TEST(RcuTest, ThreadBlockRetireFromADestructorItRuns) {
  using F = TypeParam;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  constexpr long kObjects = (rcu::detail::kMaxBlocksInFlight + rcu::detail::kOverflowBlocks + 2) *
                            kPerBlock;  // Past the bound: the overflow frees inside retire.
  rcu::RegisteredThread<F> registered;
  retire_child = &retire_chain<F>;
  for (long i = 0; i < kObjects; ++i) retire_chain<F>(1);
  // Each barrier waits for the frees requested before it; those retire the children.
  rcu::barrier<F>();
  rcu::barrier<F>();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

// Destructors that the hand-on of a block runs retire a type of their own, while other
// types' blocks are open: a block opened meanwhile may land in any slot, and every open
// block is still handed on, on this thread and on one that then ends.
template <class F>
void retire_chains_then_three_kinds(std::atomic<bool>& kind_2_destroyed) {
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  retire_child = &retire_chain<F>;
  // One full block, handed on; one object of it retires a child when freed (a full block
  // of children would be handed on at once, and leave the open blocks as they were).
  for (long i = 0; i < kPerBlock; ++i) retire_chain<F>(i == 0 ? 1 : 0);
  F::barrier();  // Its grace period is over: the next hand-on frees it.
  rcu::retire<F>(new TrackedKind<1>(1));
  rcu::retire<F>(new TrackedKind<2>(2, &kind_2_destroyed));
  rcu::retire<F>(new TrackedKind<3>(3));
}

TYPED_TEST(RcuTest, BarrierHandsOnBlocksOpenedByTheDestructorsItRuns) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  rcu::barrier<F>();
  std::atomic<bool> kind_2_destroyed{false};
  retire_chains_then_three_kinds<F>(kind_2_destroyed);
  rcu::barrier<F>();
  EXPECT_TRUE(kind_2_destroyed.load()) << "an open block was not handed on";
}

TYPED_TEST(RcuTest, EndingThreadHandsOnBlocksOpenedByTheDestructorsItRuns) {
  using F = TypeParam;
  std::atomic<bool> kind_2_destroyed{false};
  std::thread([&] {
    rcu::RegisteredThread<F> registered;
    retire_chains_then_three_kinds<F>(kind_2_destroyed);
  }).join();
  rcu::RegisteredThread<F> registered;
  retire_child = &retire_chain<F>;
  rcu::barrier<F>();
  rcu::barrier<F>();  // The children that the first one's frees retired.
  EXPECT_TRUE(kind_2_destroyed.load()) << "an open block was not handed on";
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

// Destructors run as a thread ends retire in turn, two generations deep: nothing of them
// is left behind.
TYPED_TEST(RcuTest, RetiresFromDestructorsRunAsAThreadEndsAreFreed) {
  using F = TypeParam;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  std::thread([] {
    rcu::RegisteredThread<F> registered;
    retire_child = &retire_chain<F>;
    // One full block, handed on; one object of it has two generations to retire.
    for (long i = 0; i < kPerBlock; ++i) retire_chain<F>(i == 0 ? 2 : 0);
    F::barrier();  // Its grace period is over: whoever hands on a block next frees it.
  }).join();
  rcu::RegisteredThread<F> registered;
  retire_child = &retire_chain<F>;
  for (int i = 0; i < 3; ++i) rcu::barrier<F>();  // One per generation.
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

// A bp thread registers itself on its first read and may retire with no RegisteredThread:
// its blocks are freed as it exits, by a loop that also frees what their destructors
// retire meanwhile (here two generations).
TEST(RcuBp, RetiresLeftAtThreadExitAreFreedWithTheirChildren) {
  using F = rcu::Bp;
  long live = Tracked::live.load();
  std::thread([] {
    retire_child = &retire_chain<F>;
    for (int i = 0; i < 10; ++i) retire_chain<F>(2);
  }).join();
  EXPECT_EQ(Tracked::live.load(), live);
}

// A Tracked whose destructor takes a while, and records the thread that ran it.
struct SlowToDestroy : Tracked {
  static inline std::atomic<bool> any_destroyed{false};
  static inline std::atomic<std::thread::id> destroyed_on{};
  using Tracked::Tracked;
  ~SlowToDestroy() {
    // Relaxed: read after the release store below has been seen.
    destroyed_on.store(std::this_thread::get_id(), std::memory_order_relaxed);
    any_destroyed.store(true, std::memory_order_release);  // Paired with the test's load.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
};

// barrier() returns only once every free requested before it has run, also those that
// another thread took on and is still running.
TYPED_TEST(RcuTest, BarrierWaitsForFreesThatAnotherThreadIsRunning) {
  using F = TypeParam;
  constexpr long kPerBlock = rcu::detail::RetireBlock::kCapacity;
  rcu::RegisteredThread<F> registered;
  rcu::barrier<F>();
  SlowToDestroy::any_destroyed.store(false, std::memory_order_relaxed);  // Before the thread.
  // Handing the full block on frees what is ready: were its own grace period over by then
  // (liburcu's callback thread can be that quick), this thread would free the block itself
  // and the other thread would have nothing to run. Marked as reclaiming, it frees nothing.
  rcu::detail::ThreadRetire<F>::reclaiming = true;
  for (long i = 0; i < kPerBlock; ++i) rcu::retire<F>(new SlowToDestroy(1));
  F::barrier();  // The block is ready: whoever hands on a block next frees it.
  rcu::detail::ThreadRetire<F>::reclaiming = false;
  std::thread other([] {
    rcu::RegisteredThread<F> registered;
    rcu::retire<F>(new Tracked(2));  // Handed on as the registration ends.
  });
  // Paired with ~SlowToDestroy: the other thread is freeing the block.
  while (!SlowToDestroy::any_destroyed.load(std::memory_order_acquire)) std::this_thread::yield();
  EXPECT_NE(SlowToDestroy::destroyed_on.load(std::memory_order_relaxed), std::this_thread::get_id())
      << "the block was freed here, not on the other thread";
  rcu::barrier<F>();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_)
      << "barrier returned while another thread still ran frees requested before it";
  other.join();
}

// Parents whose destructors retire a child, freed by each kind of deferred-free callback:
// the children, retired on liburcu's callback thread, are freed too.
template <class F>
struct RetiresAChild : Tracked {
  using Tracked::Tracked;
  ~RetiresAChild() { rcu::retire<F>(new Tracked(value)); }
};
template <class F>
struct IntrusiveRetiresAChild : RetiresAChild<F>, rcu::ObjBase<IntrusiveRetiresAChild<F>> {
  using RetiresAChild<F>::RetiresAChild;
};

TYPED_TEST(RcuTest, RetiresFromDeferredFreeCallbacksAreFreed) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  rcu::Rcu<std::unique_ptr<RetiresAChild<F>>, F> plain(std::make_unique<RetiresAChild<F>>(1));
  rcu::Rcu<std::unique_ptr<IntrusiveRetiresAChild<F>>, F> intrusive(
      std::make_unique<IntrusiveRetiresAChild<F>>(2));
  std::move(plain.replace(std::make_unique<RetiresAChild<F>>(3))).defer();  // A node.
  std::move(intrusive.replace(nullptr)).defer();                              // Its rcu_head.
  (new IntrusiveRetiresAChild<F>(4))->template retire<F>();                   // ObjBase.
  rcu::RetireBatch<F> batch;
  batch.add(plain.replace(nullptr));
  batch.defer();
  rcu::barrier<F>();  // Runs the callbacks: each parent retires a child.
  rcu::barrier<F>();  // Frees the children.
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

TYPED_TEST(RcuTest, DestructorsFreeEverything) {
  using F = TypeParam;
  {
    TrackedRcu<F> shared(std::make_unique<Tracked>(1));
    auto old = shared.updater().replace(std::make_unique<Tracked>(2));
    rcu::RcuOld<std::unique_ptr<Tracked>, F> moved = std::move(old);
    EXPECT_FALSE(old);  // NOLINT(bugprone-use-after-move): a moved-from RcuOld is empty.
    EXPECT_TRUE(moved);
  }
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
}

TEST(RcuFlavors, SeveralFlavorsInOneProgram) {
  rcu::RegisteredThread<rcu::Memb> memb;
  rcu::RegisteredThread<rcu::Qsbr> qsbr;
  rcu::RegisteredThread<rcu::Mb> mb;
  rcu::Rcu<std::unique_ptr<int>, rcu::Memb> a(std::make_unique<int>(1));
  rcu::Rcu<std::unique_ptr<int>, rcu::Qsbr> b(std::make_unique<int>(2));
  rcu::Rcu<std::unique_ptr<int>, rcu::Mb> c(std::make_unique<int>(3));
  rcu::Rcu<std::unique_ptr<int>, rcu::Bp> d(std::make_unique<int>(4));
  {
    rcu::Guard<rcu::Memb> ga;
    rcu::Guard<rcu::Qsbr> gb;
    rcu::Guard<rcu::Mb> gc;
    rcu::Guard<rcu::Bp> gd;
    EXPECT_EQ(*a.dereference(ga) + *b.dereference(gb) + *c.dereference(gc) + *d.dereference(gd),
              10);
  }
  // A QSBR thread that blocks in synchronize goes offline meanwhile (liburcu does it).
  b.updater().replace(std::make_unique<int>(5)).reset();
  rcu::quiescent_state<rcu::Qsbr>();
}


// update() releases the updater lock before handing back the old value: the same thread
// can take the Updater again while it still holds the old value (a held lock would hang).
TYPED_TEST(RcuTest, UpdateReleasesTheLockBeforeTheOldValueIsFreed) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(1));
  auto old = shared.update([](auto current) { return std::make_unique<Tracked>(current->value + 1); });
  ASSERT_TRUE(old);
  EXPECT_EQ(old.borrow()->value, 1);
  EXPECT_EQ(shared.updater().current()->value, 2);
  old.reset();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);
}

// Under QSBR, a registered thread blocked on the updater lock is offline: the lock's
// holder can wait for a grace period (and this test would hang if it could not).
TEST(RcuQsbr, ThreadBlockedOnUpdaterLockDoesNotStallGracePeriods) {
  using F = rcu::Qsbr;
  TrackedRcu<F> shared(std::make_unique<Tracked>(0));
  Signal holder_has_lock, waiter_blocking;
  std::thread holder([&] {
    rcu::RegisteredThread<F> registered;
    auto updater = shared.updater();
    holder_has_lock.notify();
    waiter_blocking.wait();
    auto old = updater.replace(std::make_unique<Tracked>(1));
    old.reset();  // A grace period while the waiter is registered and blocked.
  });
  std::thread waiter([&] {
    rcu::RegisteredThread<F> registered;
    holder_has_lock.wait();
    waiter_blocking.notify();
    auto old = shared.replace(std::make_unique<Tracked>(2));
    EXPECT_EQ(old.borrow()->value, 1);
  });
  holder.join();
  waiter.join();
  rcu::RegisteredThread<F> registered;
  rcu::Guard<F> guard;
  EXPECT_EQ(shared.dereference(guard)->value, 2);
}

TYPED_TEST(RcuTest, ExchangeReturnsTheOldValueAndPublishesTheNew) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared;
  EXPECT_TRUE(shared.is_null());
  EXPECT_FALSE(shared.exchange(std::make_unique<Tracked>(1)));
  EXPECT_FALSE(shared.is_null());
  auto old = shared.exchange(std::make_unique<Tracked>(2));
  ASSERT_TRUE(old);
  EXPECT_EQ(old.borrow()->value, 1);
  {
    rcu::Guard<F> guard;
    EXPECT_EQ(shared.dereference(guard)->value, 2);
  }
  old.reset();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_ + 1);
}

// read() holds a read-side section for as long as its result lives.
TYPED_TEST(RcuTest, ReadOwnsItsGuardAndView) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(3));
  EXPECT_EQ(shared.read()->value, 3);
  int depth_before = rcu::detail::ThreadState<F>::read_depth;
  {
    auto view = shared.read();
    ASSERT_TRUE(view);
    EXPECT_EQ((*view).value, 3);
    if constexpr (rcu::detail::kTracksReadDepth<F>) {
      EXPECT_EQ(rcu::detail::ThreadState<F>::read_depth, depth_before + 1);
    }
  }
  EXPECT_EQ(rcu::detail::ThreadState<F>::read_depth, depth_before);
  TrackedRcu<F> empty;
  EXPECT_FALSE(empty.read());
}

// The domain is a Lockable: std::scoped_lock enters a read-side section.
TYPED_TEST(RcuTest, ScopedLockOfTheDomainIsAReadSection) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  TrackedRcu<F> shared(std::make_unique<Tracked>(4));
  int depth_before = rcu::detail::ThreadState<F>::read_depth;
  {
    std::scoped_lock lock(rcu::domain<F>());
    EXPECT_EQ(shared.dereference(lock)->value, 4);
    if constexpr (rcu::detail::kTracksReadDepth<F>) {
      EXPECT_EQ(rcu::detail::ThreadState<F>::read_depth, depth_before + 1);
    }
  }
  EXPECT_EQ(rcu::detail::ThreadState<F>::read_depth, depth_before);
  EXPECT_TRUE(rcu::domain<F>().try_lock());
  rcu::domain<F>().unlock();
}

// rcu::retire (a raw pointer into this thread's block) and ObjBase::retire (the object's
// own rcu_head) free after a grace period; the barrier waits for both.
TYPED_TEST(RcuTest, RetireRawPointersAndObjBase) {
  using F = TypeParam;
  rcu::RegisteredThread<F> registered;
  rcu::retire<F>(new Tracked(1));
  auto* intrusive = new IntrusiveTracked(2);
  intrusive->template retire<F>();
  rcu::retire<F>(static_cast<Tracked*>(nullptr));  // Nothing to free.
  EXPECT_GE(Tracked::live.load(), this->live_at_start_ + 1);  // The raw one waits for its block.
  rcu::barrier<F>();
  EXPECT_EQ(Tracked::live.load(), this->live_at_start_);
  rcu::synchronize<F>();
}

}  // namespace
