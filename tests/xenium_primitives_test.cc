// seqlock and left-right (xenium): which objects seqlock takes, and that readers of both
// only ever see whole objects while updaters run.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "baselines/left_right.h"
#include "baselines/seqlock.h"

namespace {

// Trivially copyable: eight words derived from a counter, and their checksum.
struct Words {
  std::array<std::uint64_t, 8> fields{};
  std::uint64_t counter = 0;
  std::uint64_t checksum = 0;

  static Words of(std::uint64_t counter) {
    Words w;
    w.counter = counter;
    w.checksum = counter;
    for (std::size_t i = 0; i < w.fields.size(); ++i) {
      w.fields[i] = (counter + 1) * 0x9e3779b97f4a7c15ULL ^ i;
      w.checksum = w.checksum * 31 + w.fields[i];
    }
    return w;
  }
  bool intact() const { return *this == of(counter); }
  bool operator==(const Words&) const = default;
};

struct OddSize {
  std::uint32_t words[5];  // 20 bytes: xenium would drop the last 4
};
struct Counted {
  Counted() = default;
  Counted(const Counted&) {}
  std::uint64_t a = 0, b = 0;
};

static_assert(rcubench::SeqlockStorable<Words>);
static_assert(!rcubench::SeqlockStorable<OddSize>, "xenium copies whole words only");
static_assert(!rcubench::SeqlockStorable<std::uint64_t>, "one word: use an atomic");
static_assert(!rcubench::SeqlockStorable<Counted>, "not trivially copyable");
static_assert(rcubench::SeqlockDescriptor::accepts<Words>);
static_assert(!rcubench::SeqlockDescriptor::accepts<Counted>);

// Two readers check every object while two updaters each apply `updates` updates (seqlock
// copies, left-right updates in place).
template <class Primitive>
void readers_see_whole_objects(int updates) {
  Primitive primitive(Words::of(0));
  std::atomic<bool> stop{false};
  std::atomic<long> torn{0}, reads{0};
  std::vector<std::thread> readers, updaters;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      typename Primitive::ThreadScope scope(primitive);
      while (!stop.load()) {
        if (!primitive.read(scope, [](const Words& w) { return w.intact(); })) ++torn;
        ++reads;
      }
    });
  }
  for (int u = 0; u < 2; ++u) {
    updaters.emplace_back([&] {
      typename Primitive::ThreadScope scope(primitive);
      for (int i = 0; i < updates; ++i) {
        rcubench::apply_update(
            primitive, scope, [](const Words& w) { return Words::of(w.counter + 1); },
            [](Words& w) { w = Words::of(w.counter + 1); });
      }
    });
  }
  for (auto& t : updaters) t.join();
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
  typename Primitive::ThreadScope scope(primitive);
  EXPECT_EQ(primitive.read(scope, [](const Words& w) { return w.counter; }),
            static_cast<std::uint64_t>(2 * updates));
}

TEST(Seqlock, ReadersSeeOnlyWholeObjectsAndNoUpdateIsLost) {
  readers_see_whole_objects<rcubench::SeqlockPrimitive<Words>>(20000);
}

TEST(LeftRight, ReadersSeeOnlyWholeObjectsAndNoUpdateIsLost) {
  readers_see_whole_objects<rcubench::LeftRightPrimitive<Words>>(2000);
}

static_assert(rcubench::CopyUpdates<rcubench::SeqlockPrimitive<Words>, Words>);
static_assert(rcubench::UpdatesInPlace<rcubench::LeftRightPrimitive<Words>, Words>);

// xenium applies the update to each copy in turn: mutate runs twice per update, and each
// update leaves both copies at the new counter (readers alternate between them).
TEST(LeftRight, MutatesEachCopyOncePerUpdate) {
  rcubench::LeftRightPrimitive<Words> primitive(Words::of(0));
  rcubench::LeftRightPrimitive<Words>::ThreadScope scope(primitive);
  int calls = 0;
  for (std::uint64_t i = 1; i <= 10; ++i) {
    primitive.update_in_place(scope, [&](Words& w) {
      ++calls;
      w = Words::of(w.counter + 1);
    });
    EXPECT_EQ(primitive.read(scope, [](const Words& w) { return w.counter; }), i);
  }
  EXPECT_EQ(calls, 20);
}

}  // namespace
