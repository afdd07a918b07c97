// Misuse that checked builds turn into an abort with a message instead of a silent
// grace-period failure. This file always builds with the checks on (RCU_CHECKED).
#include <gtest/gtest.h>

#include <memory>

#include "rcu/flavor/qsbr.h"
#include "rcu/rcu.h"

static_assert(rcu::detail::kChecked, "this test builds with RCU_CHECKED");

namespace {

TEST(RcuChecksDeathTest, ReadOnUnregisteredThread) {
  EXPECT_DEATH({ rcu::Guard<rcu::Memb> guard; }, "not registered");
}

TEST(RcuChecksDeathTest, SynchronousFreeInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<> registered;
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        rcu::Guard<> guard;
        shared.updater().replace(std::make_unique<int>(2)).reset();
      },
      "RcuOld freed inside a read-side critical section");
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

TEST(RcuChecksDeathTest, DeferredFreeOnUnregisteredThread) {
  EXPECT_DEATH(
      {
        rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
        std::move(shared.updater().replace(std::make_unique<int>(2))).defer();
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

TEST(RcuChecks, CorrectUseDoesNotAbort) {
  rcu::RegisteredThread<rcu::Qsbr> registered;
  rcu::Rcu<std::unique_ptr<int>, rcu::Qsbr> shared(std::make_unique<int>(1));
  {
    rcu::Guard<rcu::Qsbr> guard;
    EXPECT_EQ(shared.dereference(guard), 1);
  }
  rcu::quiescent_state<rcu::Qsbr>();
  shared.updater().replace(std::make_unique<int>(2)).reset();
  {
    rcu::OfflineScope<rcu::Qsbr> offline;  // Blocking while offline is allowed.
  }
}

}  // namespace
