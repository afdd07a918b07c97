// Every registered primitive keeps the promises of the one interface: readers see only
// fully constructed objects, no update is lost, everything is freed, and an in-place
// update makes no object.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include "baselines/registry.h"
#include "support/checked_object.h"

namespace {

using rcu_test::CheckedObject;
using rcubench::apply_update;
using rcubench::UpdatePolicy;
using rcubench::UpdatesInPlace;

template <class D>
class PrimitiveTest : public ::testing::Test {
 protected:
  using Impl = typename D::template Impl<CheckedObject>;
  void SetUp() override { live_at_start_ = CheckedObject::live.load(); }
  void TearDown() override {
    EXPECT_EQ(CheckedObject::live.load(), live_at_start_) << D::name << " leaked or double-freed";
  }
  long live_at_start_ = 0;
};

// Every registered primitive that can share a CheckedObject (all but seqlock, which
// takes trivially copyable objects only and has tests of its own).
template <class Tuple>
struct TypesOfTuple;
template <class... Ds>
struct TypesOfTuple<std::tuple<Ds...>> {
  using type = ::testing::Types<Ds...>;
};
template <class... Ds>
using Accepting = typename TypesOfTuple<decltype(std::tuple_cat(
    std::conditional_t<rcubench::descriptor_accepts<Ds, CheckedObject>(), std::tuple<Ds>,
                       std::tuple<>>{}...))>::type;
using AllDescriptors = rcubench::Registered::apply<Accepting>;

// Test names use '_' for the names' '-': gtest filters read '-' as "except".
struct DescriptorName {
  template <class D>
  static std::string GetName(int) {
    std::string name(D::name);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
  }
};
TYPED_TEST_SUITE(PrimitiveTest, AllDescriptors, DescriptorName);

// The update, both ways: a copy-update's make_next and an in-place update's mutate.
CheckedObject next_of(const CheckedObject& current) { return CheckedObject(current.counter() + 1); }
void advance(CheckedObject& current) { current.advance(); }

// Readers check every object they see while `updates` updates run on one updater, whose
// scope is the sole updater's if `sole`. Returns {reads, torn reads}.
template <class P>
std::pair<long, long> read_while_updating(P& primitive, int readers, int updates,
                                          bool sole = false) {
  std::atomic<bool> done{false};
  std::atomic<long> reads{0}, torn{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&] {
      typename P::ThreadScope scope(primitive);
      long my_reads = 0, my_torn = 0;
      do {  // At least one read, even if the updater is already done.
        if (!primitive.read(scope, [](const CheckedObject& o) { return o.intact(); })) ++my_torn;
        ++my_reads;
        scope.quiescent_state();
      } while (!done.load(std::memory_order_relaxed));       // A flag only; orders nothing.
      reads.fetch_add(my_reads, std::memory_order_relaxed);  // Summed after the joins.
      torn.fetch_add(my_torn, std::memory_order_relaxed);
    });
  }
  if constexpr (P::kUpdatePolicy != UpdatePolicy::kReadOnly) {
    std::optional<typename P::ThreadScope> scope_storage;
    typename P::ThreadScope& scope = rcubench::emplace_scope(scope_storage, primitive, sole);
    for (int i = 0; i < updates; ++i) {
      apply_update(primitive, scope, next_of, advance);
      scope.quiescent_state();
    }
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done.store(true, std::memory_order_relaxed);
  for (auto& t : threads) t.join();
  return {reads.load(), torn.load()};
}

TYPED_TEST(PrimitiveTest, ReadersSeeOnlyFullyConstructedObjects) {
  typename TestFixture::Impl primitive(CheckedObject(0));
  auto [reads, torn] = read_while_updating(primitive, 2, 200);
  EXPECT_GT(reads, 0);
  EXPECT_EQ(torn, 0) << TypeParam::name << ": readers saw torn or freed objects";
}

TYPED_TEST(PrimitiveTest, ReadersSeeOnlyFullyConstructedObjectsFromASoleUpdater) {
  if constexpr (!rcubench::TakesSoleUpdater<typename TestFixture::Impl>) {
    GTEST_SKIP() << "no sole updater's scope";
  } else {
    typename TestFixture::Impl primitive(CheckedObject(0));
    auto [reads, torn] = read_while_updating(primitive, 2, 200, /*sole=*/true);
    EXPECT_GT(reads, 0);
    EXPECT_EQ(torn, 0) << TypeParam::name << ": readers saw torn or freed objects";
  }
}

// A sole updater's scope holds the updater role until it ends: another thread's update,
// from a plain scope, waits for that. The sole updater makes no grace period while the
// other thread waits (under QSBR, that thread waits online).
TYPED_TEST(PrimitiveTest, ASoleUpdaterHoldsTheUpdaterRoleUntilItsScopeEnds) {
  using Impl = typename TestFixture::Impl;
  if constexpr (!rcubench::TakesSoleUpdater<Impl>) {
    GTEST_SKIP() << "no sole updater's scope";
  } else {
    constexpr int kSoleUpdates = 10;
    Impl primitive(CheckedObject(0));
    std::atomic<bool> other_started{false}, other_done{false};
    std::thread other;
    {
      std::optional<typename Impl::ThreadScope> sole_storage;
      typename Impl::ThreadScope& sole = rcubench::emplace_scope(sole_storage, primitive, true);
      for (int i = 0; i < kSoleUpdates; ++i) {
        apply_update(primitive, sole, next_of, advance);
        sole.quiescent_state();
      }
      other = std::thread([&] {
        typename Impl::ThreadScope scope(primitive);
        other_started = true;
        apply_update(primitive, scope, next_of, advance);
        other_done = true;
      });
      while (!other_started) std::this_thread::yield();
      // Time for the other update to end if nothing held it back: it can only be too
      // short to catch a scope that holds nothing, never fail one that holds the role.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      // Nothing published: under QSBR the other update's grace period would also wait for
      // this thread, so its end alone would not tell.
      EXPECT_EQ(primitive.read(sole, [](const CheckedObject& o) { return o.counter(); }),
                static_cast<std::uint64_t>(kSoleUpdates))
          << TypeParam::name << ": an update ran beside the sole updater";
      EXPECT_FALSE(other_done) << TypeParam::name << ": an update ran beside the sole updater";
    }
    other.join();
    EXPECT_TRUE(other_done);
    typename Impl::ThreadScope scope(primitive);
    EXPECT_EQ(primitive.read(scope, [](const CheckedObject& o) { return o.counter(); }),
              static_cast<std::uint64_t>(kSoleUpdates + 1));
  }
}

TYPED_TEST(PrimitiveTest, NoUpdateIsLost) {
  using Impl = typename TestFixture::Impl;
  Impl primitive(CheckedObject(0));
  if constexpr (Impl::kUpdatePolicy == UpdatePolicy::kReadOnly) {
    typename Impl::ThreadScope scope(primitive);
    EXPECT_THROW(apply_update(primitive, scope, next_of, advance), std::logic_error);
  } else {
    constexpr int kUpdaters = 3, kUpdatesEach = 200;
    std::vector<std::thread> updaters;
    for (int u = 0; u < kUpdaters; ++u) {
      updaters.emplace_back([&] {
        typename Impl::ThreadScope updater_scope(primitive);
        for (int i = 0; i < kUpdatesEach; ++i) {
          apply_update(primitive, updater_scope, next_of, advance);
          updater_scope.quiescent_state();
        }
      });
    }
    for (auto& t : updaters) t.join();
    // Registered only now: a QSBR thread that blocks in join while registered (online)
    // would stall the updaters' grace periods.
    typename Impl::ThreadScope scope(primitive);
    EXPECT_EQ(primitive.read(scope, [](const CheckedObject& o) { return o.counter(); }),
              static_cast<std::uint64_t>(kUpdaters * kUpdatesEach));
  }
}

TYPED_TEST(PrimitiveTest, DestructionFreesEverything) {
  {
    typename TestFixture::Impl primitive(CheckedObject(0));
    read_while_updating(primitive, 1, 50);
  }
  EXPECT_EQ(CheckedObject::live.load(), this->live_at_start_);
}

// An in-place update changes the object where it is: no object is constructed or
// assigned. A copy-update constructs the next object, once (the count sees it).
TYPED_TEST(PrimitiveTest, OnlyCopyUpdatesMakeObjects) {
  using Impl = typename TestFixture::Impl;
  if constexpr (Impl::kUpdatePolicy == UpdatePolicy::kReadOnly) {
    GTEST_SKIP() << "read-only";
  } else {
    constexpr long kUpdates = 100;
    Impl primitive(CheckedObject(0));
    typename Impl::ThreadScope scope(primitive);
    const long constructions = CheckedObject::constructions.load();
    const long assignments = CheckedObject::assignments.load();
    for (long i = 0; i < kUpdates; ++i) {
      apply_update(primitive, scope, next_of, advance);
      scope.quiescent_state();
    }
    const long made = CheckedObject::constructions.load() - constructions;
    if constexpr (UpdatesInPlace<Impl, CheckedObject>) {
      EXPECT_EQ(made, 0) << TypeParam::name << " constructed objects";
      EXPECT_EQ(CheckedObject::assignments.load(), assignments)
          << TypeParam::name << " assigned objects";
    } else {
      // Exactly one: a second would be a copy the suite makes, not the primitive (the next
      // object built, then moved into its node; node_allocator.h, FromResult).
      EXPECT_EQ(made, kUpdates) << TypeParam::name << ": a copy-update builds the next object once";
    }
    EXPECT_EQ(
        primitive.read(scope, [](const CheckedObject& o) { return o.intact() ? o.counter() : 0; }),
        static_cast<std::uint64_t>(kUpdates));
  }
}

TEST(PrimitiveRegistry, ListsEveryPrimitive) {
  std::set<std::string> listed;
  for (const auto& info : rcubench::primitive_list()) {
    EXPECT_TRUE(listed.insert(std::string(info.name)).second) << "duplicate " << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_FALSE(info.updaters.empty()) << info.name;
  }
  const std::set<std::string> expected = {"rcu-memb",
                                          "rcu-qsbr",
                                          "rcu-bp",
                                          "rcu-mb",
                                          "rcu-signal",
                                          "rcu-memb-defer",
                                          "rcu-qsbr-defer",
                                          "rcu-bp-defer",
                                          "rcu-mb-defer",
                                          "rcu-signal-defer",
                                          "rcu-memb-batch",
                                          "rcu-qsbr-batch",
                                          "rcu-bp-batch",
                                          "rcu-mb-batch",
                                          "rcu-signal-batch",
                                          "urcu-memb",
                                          "urcu-qsbr",
                                          "rwlock-pthread",
                                          "shared-mutex",
                                          "mutex",
                                          "perthread-lock",
                                          "arc-swap",
                                          "atomic-shared-ptr",
                                          "hazptr",
                                          "hazptr-symmetric",
                                          "seqlock",
                                          "left-right",
                                          "left-right-perthread",
                                          "bare",
                                          "bare-update",
                                          "timer"};
  EXPECT_EQ(listed, expected);
}

// seqlock takes trivially copyable objects only: the registry says so and never
// instantiates it for anything else.
TEST(PrimitiveRegistry, LeavesSeqlockOutForObjectsItCannotCopy) {
  EXPECT_FALSE(rcubench::accepts_payload<CheckedObject>("seqlock"));
  EXPECT_TRUE(rcubench::accepts_payload<CheckedObject>("left-right"));
  EXPECT_FALSE(rcubench::accepts_payload<CheckedObject>("no-such-primitive"));
  bool visited = false;
  auto visitor = [&]<class D, class Impl>() { visited = true; };
  EXPECT_FALSE(rcubench::visit_primitive<CheckedObject>("seqlock", visitor));
  EXPECT_FALSE(visited);
  for (const auto& info : rcubench::primitive_list()) {
    EXPECT_EQ(info.payload_requirement.empty(), info.name != "seqlock") << info.name;
  }
}

// The primitives that keep their object in place update it there; every other one
// copies (seqlock too: xenium's update works on a copy it stores back).
TEST(PrimitiveRegistry, SaysWhichPrimitivesUpdateInPlace) {
  std::set<std::string> in_place;
  for (const auto& info : rcubench::primitive_list()) {
    if (info.updates_in_place) in_place.insert(std::string(info.name));
  }
  EXPECT_EQ(in_place, (std::set<std::string>{"rwlock-pthread", "shared-mutex", "mutex",
                                             "perthread-lock", "left-right"}));
}

TEST(PrimitiveRegistry, VisitsByName) {
  std::string seen;
  auto visitor = [&]<class D, class Impl>() { seen = std::string(D::name); };
  EXPECT_TRUE(rcubench::visit_primitive<CheckedObject>("rwlock-pthread", visitor));
  EXPECT_EQ(seen, "rwlock-pthread");
  EXPECT_FALSE(rcubench::visit_primitive<CheckedObject>("no-such-primitive", visitor));
}

// bare-update, the update-side floor: an update frees what it replaced at once (no
// backlog), readers see the snapshot of the last updater scope that ended, and the
// updating thread reads its own last object.
TEST(BareUpdate, FreesAtOnceAndPublishesWhenTheUpdaterScopeEnds) {
  using Impl = rcubench::BareUpdateDescriptor::Impl<CheckedObject>;
  auto counter = [](const CheckedObject& o) { return o.intact() ? o.counter() : ~0ull; };
  const long live = CheckedObject::live.load();
  Impl primitive(CheckedObject(0));
  typename Impl::ThreadScope reader(primitive);
  {
    typename Impl::ThreadScope updater(primitive);
    for (int i = 0; i < 10; ++i) {
      apply_update(primitive, updater, next_of, advance);
      // The snapshot readers see and the updater's object: nothing else is alive.
      EXPECT_EQ(CheckedObject::live.load(), live + 2);
    }
    EXPECT_EQ(primitive.read(updater, counter), 10u);
    EXPECT_EQ(primitive.read(reader, counter), 0u);
  }
  EXPECT_EQ(primitive.read(reader, counter), 10u);
  EXPECT_EQ(CheckedObject::live.load(), live + 1);
}

// The workloads run it with exactly one updater: with readers, a second updater would
// wait for the first's whole run (bare_update.h).
TEST(BareUpdate, IsTheOnlyUpdateFloor) {
  std::set<std::string> floors;
  for (const auto& info : rcubench::primitive_list()) {
    if (info.update_floor) floors.insert(std::string(info.name));
  }
  EXPECT_EQ(floors, std::set<std::string>{"bare-update"});
}

// Negative controls for the torn-read check: an object updated with no protection, half
// of it first, the rest a millisecond later, by copy-update and in place. The check must
// see both.
template <bool kInPlace>
class TornWriterPrimitive {
 public:
  static constexpr UpdatePolicy kUpdatePolicy = UpdatePolicy::kSerialized;
  explicit TornWriterPrimitive(CheckedObject initial) : value_(initial) {}
  struct ThreadScope {
    explicit ThreadScope(TornWriterPrimitive&) {}
    void quiescent_state() {}
  };
  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    std::lock_guard<std::mutex> lock(field_mutex_);  // Each read is whole; updates are not.
    return fn(value_);
  }
  template <class Fn>
  unsigned update(ThreadScope&, Fn&& make_next) requires(!kInPlace) {
    write_in_halves([&] { return make_next(value_); });
    return 0;
  }
  // The next object is worked out on the side (with the field mutex held) so that it can
  // be written in two halves; a correct in-place primitive writes it where it is.
  template <class Fn>
  unsigned update_in_place(ThreadScope&, Fn&& mutate) requires kInPlace {
    write_in_halves([&] {
      CheckedObject next = value_;
      mutate(next);
      return next;
    });
    return 0;
  }

 private:
  template <class Make>
  void write_in_halves(Make make) {
    CheckedObject next = [&] {
      std::lock_guard<std::mutex> lock(field_mutex_);
      return make();
    }();
    {
      std::lock_guard<std::mutex> lock(field_mutex_);
      value_.assign_first_half(next);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(field_mutex_);
    value_ = next;
  }

  CheckedObject value_;
  mutable std::mutex field_mutex_;  // Keeps the test free of data races; not of torn objects.
};
static_assert(rcubench::PrimitiveFor<TornWriterPrimitive<false>, CheckedObject>);
static_assert(rcubench::PrimitiveFor<TornWriterPrimitive<true>, CheckedObject>);
static_assert(UpdatesInPlace<TornWriterPrimitive<true>, CheckedObject>);

TEST(PrimitiveNegativeControl, TornWritesAreCaught) {
  TornWriterPrimitive<false> primitive(CheckedObject(0));
  auto [reads, torn] = read_while_updating(primitive, 2, 20);
  EXPECT_GT(torn, 0) << "the check missed objects updated half-way, in " << reads << " reads";
}

TEST(PrimitiveNegativeControl, TornInPlaceWritesAreCaught) {
  TornWriterPrimitive<true> primitive(CheckedObject(0));
  auto [reads, torn] = read_while_updating(primitive, 2, 20);
  EXPECT_GT(torn, 0) << "the check missed objects changed half-way, in " << reads << " reads";
}

}  // namespace
