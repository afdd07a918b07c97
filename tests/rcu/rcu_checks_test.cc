// Misuse that checked builds turn into an abort with a message instead of a silent
// grace-period failure or a deadlock. This file always builds with the checks on
// (RCU_CHECKED=1).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "rcu/flavor/all.h"
#include "rcu/rcu.h"
#include "support/rcu_test_support.h"

static_assert(rcu::detail::kChecked, "this test builds with RCU_CHECKED");

namespace {

using rcu_test::Signal;
using rcu_test::Tracked;

TEST(RcuChecksDeathTest, ReadOnUnregisteredThread) {
  EXPECT_DEATH({ rcu::Guard<rcu::Memb> guard; }, "not registered");
}

TEST(RcuChecksDeathTest, SynchronousFreeInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        auto old = shared.replace(std::make_unique<int>(2));
        rcu::Guard<> guard;
        old.reset();
      },
      "grace period awaited inside a read-side critical section");
}

TEST(RcuChecksDeathTest, BarrierInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Guard<> guard;
        rcu::barrier();
      },
      "barrier inside a read-side critical section");
}

TEST(RcuChecksDeathTest, SynchronizeInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Guard<> guard;
        rcu::synchronize();
      },
      "grace period awaited inside a read-side critical section");
}

TEST(RcuChecksDeathTest, DeferredFreeOnUnregisteredThread) {
  EXPECT_DEATH(
      {
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        std::move(shared.replace(std::make_unique<int>(2))).defer();
      },
      "deferred free \\(call_rcu\\) on a thread that is not registered");
}

TEST(RcuChecksDeathTest, QuiescentStateInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        rcu::Guard<rcu::Qsbr> guard;
        rcu::quiescent_state<rcu::Qsbr>();
      },
      "quiescent state reported inside a read-side critical section");
}

// The Updater's holder may be waiting for a grace period that waits for this Guard.
TEST(RcuChecksDeathTest, UpdaterInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        rcu::Guard<> guard;
        auto updater = shared.updater();
      },
      "Rcu::updater\\(\\) inside a read-side critical section");
}

TEST(RcuChecksDeathTest, DereferenceWithoutLiveGuard) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        std::optional<rcu::Guard<>> guard;
        guard.emplace();
        const rcu::Guard<>& ended = *guard;
        guard.reset();
        (void)shared.dereference(ended);
      },
      "dereference with no read-side critical section live on this thread");
}

TEST(RcuChecksDeathTest, RcuOldMoveAssignmentInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        auto old = shared.replace(std::make_unique<int>(2));
        auto older = shared.replace(std::make_unique<int>(3));
        rcu::Guard<> guard;
        old = std::move(older);  // Frees what `old` held: a grace period.
      },
      "grace period awaited inside a read-side critical section");
}

TEST(RcuChecksDeathTest, RetireInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Guard<> guard;
        rcu::retire(new int(1));
      },
      "retire inside a read-side critical section");
}

TEST(RcuChecksDeathTest, ExchangeWhileUpdaterLives) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        auto updater = shared.updater();
        (void)shared.exchange(std::make_unique<int>(2));
      },
      "exchange while an Updater of the same Rcu lives");
}

// Exchanges on several threads at once are the lock-free path, not misuse.
TEST(RcuChecks, ConcurrentExchangesAreNotMisuse) {
  rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(0));
  auto exchange_and_retire = [&shared] {
    rcu::RegisteredThread<> registered;
    for (int i = 0; i < 20000; ++i) std::move(shared.exchange(std::make_unique<int>(i))).retire();
  };
  std::thread other(exchange_and_retire);
  exchange_and_retire();
  other.join();
  rcu::RegisteredThread<> registered;
  rcu::barrier();
}

// Under QSBR an offline thread is not waited for: a Guard there protects nothing, and a
// quiescent state would bring the thread online behind the OfflineScope's back.
TEST(RcuChecksDeathTest, QsbrGuardInsideOfflineScope) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        rcu::OfflineScope<rcu::Qsbr> offline;
        rcu::Guard<rcu::Qsbr> guard;
      },
      "read-side critical section inside an OfflineScope");
}

TEST(RcuChecksDeathTest, QsbrQuiescentStateInsideOfflineScope) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        rcu::OfflineScope<rcu::Qsbr> offline;
        rcu::quiescent_state<rcu::Qsbr>();
      },
      "quiescent state reported inside an OfflineScope");
}

// A thread blocked on the updater lock goes offline and back: that is not misuse.
TEST(RcuChecks, QsbrReadsAfterBlockingOnTheUpdaterLock) {
  rcu::RegisteredThread<rcu::Qsbr> registered;
  rcu::Rcu<std::unique_ptr<int>, rcu::Qsbr> shared(std::make_unique<int>(1));
  Signal holding, waiting;
  std::thread holder([&] {
    rcu::RegisteredThread<rcu::Qsbr> registered_too;
    auto updater = shared.updater();
    holding.notify();
    waiting.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // Let the other block.
  });
  holding.wait();
  waiting.notify();
  shared.replace(std::make_unique<int>(2)).reset();
  holder.join();
  rcu::Guard<rcu::Qsbr> guard;
  EXPECT_EQ(*shared.dereference(guard), 2);
}

// The same misuse, caught for every flavor in checked builds.
template <class F>
class RcuChecksFlavorDeathTest : public ::testing::Test {};
TYPED_TEST_SUITE(RcuChecksFlavorDeathTest, rcu_test::AllFlavors, rcu_test::FlavorName);

TYPED_TEST(RcuChecksFlavorDeathTest, RcuDestroyedInsideReadSection) {
  using F = TypeParam;
  using IntRcu = rcu::Rcu<std::unique_ptr<int>, F>;
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<F> registered;
        rcu::Guard<F> guard;
        IntRcu shared(std::make_unique<int>(1));
      },
      "grace period awaited inside a read-side critical section");
}

TYPED_TEST(RcuChecksFlavorDeathTest, RetireBatchDestroyedInsideReadSection) {
  using F = TypeParam;
  using IntRcu = rcu::Rcu<std::unique_ptr<int>, F>;
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<F> registered;
        IntRcu shared(std::make_unique<int>(1));
        rcu::RetireBatch<F> batch;
        batch.add(shared.replace(std::make_unique<int>(2)));
        rcu::Guard<F> guard;
        batch.synchronize_and_free();
      },
      "grace period awaited inside a read-side critical section");
}

TYPED_TEST(RcuChecksFlavorDeathTest, OfflineScopeInsideReadSection) {
  using F = TypeParam;
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<F> registered;
        rcu::Guard<F> guard;
        rcu::OfflineScope<F> offline;
      },
      "thread went offline inside a read-side critical section");
}

TYPED_TEST(RcuChecksFlavorDeathTest, UnregisterInsideReadSection) {
  using F = TypeParam;
  EXPECT_DEATH(
      {
        std::optional<rcu::RegisteredThread<F>> registered;
        registered.emplace();
        rcu::Guard<F> guard;
        registered.reset();
      },
      "thread unregistered inside a read-side critical section");
}

// What a deferred free's callback does runs on liburcu's call_rcu thread, which liburcu
// registered itself: a Guard or a further deferred free there is not misuse.
template <class F>
struct DefersInItsDestructor {
  rcu::RcuOld<std::unique_ptr<Tracked>, F> inner;
  rcu::Rcu<std::unique_ptr<Tracked>, F>* source;
  ~DefersInItsDestructor() {
    {
      rcu::Guard<F> guard;
      EXPECT_TRUE(source->dereference(guard));
    }
    std::move(inner).defer();
  }
};

TYPED_TEST(RcuChecksFlavorDeathTest, CallbacksOnLiburcuThreadsAreNotMisuse) {
  using F = TypeParam;
  long live = Tracked::live.load();
  {
    rcu::RegisteredThread<F> registered;
    rcu::Rcu<std::unique_ptr<Tracked>, F> source(std::make_unique<Tracked>(1));
    rcu::Rcu<std::unique_ptr<DefersInItsDestructor<F>>, F> outer(
        std::make_unique<DefersInItsDestructor<F>>(source.replace(std::make_unique<Tracked>(2)),
                                                   &source));
    std::move(outer.replace(nullptr)).defer();
    rcu::barrier<F>();  // Ran the outer callback, which deferred the inner free.
    rcu::barrier<F>();  // Ran the inner one.
    EXPECT_EQ(Tracked::live.load(), live + 1);
    rcu::quiescent_state<F>();
  }
  EXPECT_EQ(Tracked::live.load(), live);
}

TEST(RcuChecks, CorrectUseDoesNotAbort) {
  rcu::RegisteredThread<rcu::Qsbr> registered;
  rcu::Rcu<std::unique_ptr<int>, rcu::Qsbr> shared(std::make_unique<int>(1));
  {
    rcu::Guard<rcu::Qsbr> guard;
    EXPECT_EQ(shared.dereference(guard), 1);
  }
  rcu::quiescent_state<rcu::Qsbr>();
  shared.replace(std::make_unique<int>(2)).reset();
  {
    rcu::OfflineScope<rcu::Qsbr> offline;  // Blocking while offline is allowed.
  }
}

}  // namespace
