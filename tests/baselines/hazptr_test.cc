// hazptr: protection, retirement and scans, record reuse, both fence modes.
#include "baselines/hazptr.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace {

using rcubench::HazptrPrimitive;
using rcubench::hazptr::Domain;
using rcubench::hazptr::FenceMode;
using rcubench::hazptr::HazardPointer;

// Counts its destructions; `alive` is false once destroyed.
struct Tracked {
  static inline std::atomic<int> destroyed{0};
  explicit Tracked(int v) : value(v) {}
  ~Tracked() {
    alive.store(false);
    ++destroyed;
  }
  int value;
  std::atomic<bool> alive{true};
};

void reclaim_tracked(const void* p) { delete static_cast<const Tracked*>(p); }

class HazptrTest : public ::testing::TestWithParam<FenceMode> {};

TEST_P(HazptrTest, ProtectedRetireeSurvivesScansUntilReset) {
  Domain domain(GetParam());
  auto* first = new Tracked(1);
  std::atomic<Tracked*> src{first};
  HazardPointer hazard(domain);
  Tracked* p = hazard.protect(src);
  ASSERT_EQ(p, first);

  src.store(new Tracked(2));
  const int destroyed_before = Tracked::destroyed.load();
  domain.retire(first, reclaim_tracked);
  domain.scan();
  EXPECT_EQ(Tracked::destroyed.load(), destroyed_before) << "freed under a hazard";
  EXPECT_TRUE(p->alive.load());
  EXPECT_EQ(domain.retired_count(), 1u);

  hazard.reset_protection();
  domain.scan();
  EXPECT_EQ(Tracked::destroyed.load(), destroyed_before + 1);
  EXPECT_EQ(domain.retired_count(), 0u);
  delete src.load();
}

TEST_P(HazptrTest, TryProtectFailsAndReloadsWhenTheSourceMoved) {
  Domain domain(GetParam());
  Tracked a(1), b(2);
  std::atomic<Tracked*> src{&b};
  HazardPointer hazard(domain);
  Tracked* p = &a;  // a stale read
  EXPECT_FALSE(hazard.try_protect(p, src));
  EXPECT_EQ(p, &b);
  EXPECT_TRUE(hazard.try_protect(p, src));
  EXPECT_EQ(p, &b);
}

TEST_P(HazptrTest, RetireScansOnceThePileReachesTheThreshold) {
  Domain domain(GetParam());
  HazardPointer idle(domain);  // a record with no hazard
  const int destroyed_before = Tracked::destroyed.load();
  for (std::size_t i = 0; i + 1 < Domain::kMinRetiredBeforeScan; ++i) {
    domain.retire(new Tracked(static_cast<int>(i)), reclaim_tracked);
  }
  EXPECT_EQ(domain.retired_count(), Domain::kMinRetiredBeforeScan - 1);
  EXPECT_EQ(Tracked::destroyed.load(), destroyed_before);
  domain.retire(new Tracked(-1), reclaim_tracked);
  EXPECT_EQ(domain.retired_count(), 0u);
  EXPECT_EQ(Tracked::destroyed.load(),
            destroyed_before + static_cast<int>(Domain::kMinRetiredBeforeScan));
}

TEST_P(HazptrTest, ReleasedRecordsAreReused) {
  Domain domain(GetParam());
  rcubench::hazptr::Record* first = domain.acquire_record();
  rcubench::hazptr::Record* second = domain.acquire_record();
  EXPECT_NE(first, second);
  domain.release_record(first);
  EXPECT_EQ(domain.acquire_record(), first);
  domain.release_record(first);
  domain.release_record(second);
}

TEST_P(HazptrTest, DomainDestructionFreesTheRetirees) {
  const int destroyed_before = Tracked::destroyed.load();
  {
    Domain domain(GetParam());
    domain.retire(new Tracked(1), reclaim_tracked);
    domain.retire(new Tracked(2), reclaim_tracked);
  }
  EXPECT_EQ(Tracked::destroyed.load(), destroyed_before + 2);
}

// Destruction is visible: `alive` turns false (a reader that sees it read a freed object).
struct Value {
  explicit Value(long v) : v(v) {}
  Value(const Value& o) : v(o.v) {}
  ~Value() { alive.store(false, std::memory_order_relaxed); }  // Relaxed: a test flag.
  long v;
  std::atomic<bool> alive{true};
};

// Two readers check every object they read is alive while two updaters replace it.
template <class Primitive>
void readers_never_see_a_freed_object() {
  Primitive primitive(Value(0));
  constexpr int kUpdatesEach = 20000;
  std::atomic<bool> stop{false};
  std::atomic<long> dead_reads{0}, reads{0};
  std::vector<std::thread> readers, updaters;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      typename Primitive::ThreadScope scope(primitive);
      while (!stop.load()) {
        const bool alive = primitive.read(scope, [](const Value& value) {
          return value.alive.load(std::memory_order_relaxed);  // Relaxed: a test flag.
        });
        if (!alive) ++dead_reads;
        ++reads;
      }
    });
  }
  for (int u = 0; u < 2; ++u) {
    updaters.emplace_back([&] {
      typename Primitive::ThreadScope scope(primitive);
      for (int i = 0; i < kUpdatesEach; ++i) {
        primitive.update(scope, [](const Value& value) { return Value(value.v + 1); });
      }
    });
  }
  for (auto& t : updaters) t.join();
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(dead_reads.load(), 0);
  EXPECT_GT(reads.load(), 0);
  typename Primitive::ThreadScope scope(primitive);
  EXPECT_EQ(primitive.read(scope, [](const Value& value) { return value.v; }), 2 * kUpdatesEach);
}

TEST_P(HazptrTest, ReadersNeverSeeAFreedObjectUnderUpdates) {
  if (GetParam() == FenceMode::kSymmetric) {
    readers_never_see_a_freed_object<HazptrPrimitive<Value, FenceMode::kSymmetric>>();
  } else {
    readers_never_see_a_freed_object<HazptrPrimitive<Value, FenceMode::kAsymmetric>>();
  }
}

INSTANTIATE_TEST_SUITE_P(FenceModes, HazptrTest,
                         ::testing::Values(FenceMode::kAsymmetric, FenceMode::kSymmetric),
                         [](const auto& info) {
                           return info.param == FenceMode::kAsymmetric ? "Asymmetric"
                                                                       : "Symmetric";
                         });

// The asymmetric mode uses membarrier where the kernel offers it (also under qemu-user,
// which passes it to the host kernel), and never where it does not.
TEST(HazptrFences, AsymmetricExactlyWhenMembarrierIsAvailable) {
  Domain asymmetric(FenceMode::kAsymmetric);
  Domain symmetric(FenceMode::kSymmetric);
  EXPECT_EQ(asymmetric.asymmetric(), rcubench::detail::private_expedited_membarrier());
  EXPECT_FALSE(symmetric.asymmetric());
  EXPECT_TRUE(rcubench::detail::private_expedited_membarrier())
      << "this kernel lacks MEMBARRIER_CMD_PRIVATE_EXPEDITED: hazptr runs symmetric";
}

}  // namespace
