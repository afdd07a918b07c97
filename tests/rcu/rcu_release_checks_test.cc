// Builds with -DRCU_CHECKED=0 and without NDEBUG: the switch alone turns the checks off,
// for every flavor. And a program that mixes checked and unchecked objects
// (rcu_mode_mix_checked.cc is built checked) links each mode's inline bodies apart: one
// does not replace the other.
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

// Every flavor is unchecked here, QSBR included: a Guard counts nothing (under QSBR the
// count alone made reads 2.5 times slower than raw liburcu's).
template <class F>
class RcuReleaseChecks : public ::testing::Test {};
using Flavors = ::testing::Types<rcu::Memb, rcu::Qsbr, rcu::Bp, rcu::Mb, rcu::Signal>;
TYPED_TEST_SUITE(RcuReleaseChecks, Flavors);

TYPED_TEST(RcuReleaseChecks, GuardsCountNothing) {
  using F = TypeParam;
  static_assert(!rcu::detail::kTracksReadDepth<F>);
  rcu::RegisteredThread<F> registered;
  int depth = rcu::detail::ThreadState<F>::read_depth;
  {
    rcu::Guard<F> guard;
    EXPECT_EQ(rcu::detail::ThreadState<F>::read_depth, depth);
  }
  rcu::quiescent_state<F>();
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
