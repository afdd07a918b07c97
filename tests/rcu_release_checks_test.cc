// Builds with -DRCU_CHECKED=0 and without NDEBUG: the switch alone turns the checks off.
// Under QSBR the read-section checks stay on even so (there a grace period inside a
// Guard would silently free what the thread still reads). And a program that mixes
// checked and unchecked objects (rcu_mode_mix_checked.cc is built checked) links each
// mode's inline bodies apart: one does not replace the other.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <typeinfo>

#include "rcu/flavor/all.h"
#include "rcu/rcu.h"

#ifdef NDEBUG
#error "this test builds without NDEBUG, so that only RCU_CHECKED=0 turns the checks off"
#endif
static_assert(!rcu::detail::kChecked, "RCU_CHECKED=0 means off");

// From rcu_mode_mix_checked.cc, built checked.
std::string checked_guard_type_name();
int checked_read(int times);
int checked_read_depth();

namespace {

using QsbrRcu = rcu::Rcu<std::unique_ptr<int>, rcu::Qsbr>;

TEST(RcuQsbrAlwaysCheckedDeathTest, SynchronousFreeInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        QsbrRcu shared(std::make_unique<int>(1));
        auto old = shared.replace(std::make_unique<int>(2));
        rcu::Guard<rcu::Qsbr> guard;
        old.reset();
      },
      "grace period awaited inside a read-side critical section");
}

TEST(RcuQsbrAlwaysCheckedDeathTest, RcuDestroyedInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        rcu::Guard<rcu::Qsbr> guard;
        QsbrRcu shared(std::make_unique<int>(1));
      },
      "grace period awaited inside a read-side critical section");
}

TEST(RcuQsbrAlwaysCheckedDeathTest, QuiescentStateInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        rcu::Guard<rcu::Qsbr> guard;
        rcu::quiescent_state<rcu::Qsbr>();
      },
      "quiescent state reported inside a read-side critical section");
}

TEST(RcuQsbrAlwaysCheckedDeathTest, UnregisterInsideReadSection) {
  EXPECT_DEATH(
      {
        std::optional<rcu::RegisteredThread<rcu::Qsbr>> registered;
        registered.emplace();
        rcu::Guard<rcu::Qsbr> guard;
        registered.reset();
      },
      "thread unregistered inside a read-side critical section");
}

TEST(RcuQsbrAlwaysCheckedDeathTest, UpdaterInsideReadSection) {
  EXPECT_DEATH(
      {
        rcu::RegisteredThread<rcu::Qsbr> registered;
        QsbrRcu shared(std::make_unique<int>(1));
        rcu::Guard<rcu::Qsbr> guard;
        auto updater = shared.updater();
      },
      "Rcu::updater\\(\\) inside a read-side critical section");
}

// The other flavors are unchecked here: a memb Guard counts nothing.
TEST(RcuReleaseChecks, OtherFlavorsAreUnchecked) {
  rcu::RegisteredThread<> registered;
  int depth = rcu::detail::ThreadState<rcu::Memb>::read_depth;
  rcu::Guard<> guard;
  EXPECT_EQ(rcu::detail::ThreadState<rcu::Memb>::read_depth, depth);
}

TEST(RcuModes, CheckedAndUncheckedTypesAreDistinct) {
  std::string here = typeid(rcu::Guard<>).name();
  std::string there = checked_guard_type_name();
  EXPECT_NE(here, there);
  EXPECT_NE(here.find("unchecked"), std::string::npos) << here;
  EXPECT_NE(there.find("7checked"), std::string::npos) << there;
}

// Unchecked Guards here, checked ones there, on one thread: each keeps its own balance,
// so the checked code never sees a read-side section that is not there.
TEST(RcuModes, MixedModesKeepTheReadDepthBalanced) {
  rcu::RegisteredThread<> registered;
  for (int i = 0; i < 3; ++i) {
    rcu::Guard<> unchecked_guard;
    EXPECT_EQ(checked_read(2), 1) << "checked Guards see only themselves";
  }
  EXPECT_EQ(checked_read_depth(), 0);
  rcu::Rcu<std::unique_ptr<int>> shared(std::make_unique<int>(1));
  shared.replace(std::make_unique<int>(2)).reset();
}

}  // namespace
