// The primitives that keep the object in place: seqlock and left-right (xenium), and
// left-right-perthread. Which objects seqlock takes; that readers only ever see whole
// objects while updaters run; that a left-right writer waits for the readers of the old
// copy, and only for them.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "baselines/left_right.h"
#include "baselines/left_right_perthread.h"
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
// and left-right-perthread copy, left-right updates in place).
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
  // Reads overlap updates: updaters start once readers read, and every 64 updates wait
  // for a read to complete (a seqlock's writers could starve readers, and fast updates
  // could end before a reader ran).
  while (reads.load() == 0) std::this_thread::yield();
  for (int u = 0; u < 2; ++u) {
    updaters.emplace_back([&] {
      typename Primitive::ThreadScope scope(primitive);
      for (int i = 0; i < updates; ++i) {
        rcubench::apply_update(
            primitive, scope, [](const Words& w) { return Words::of(w.counter + 1); },
            [](Words& w) { w = Words::of(w.counter + 1); });
        if (i % 64 == 63) {
          const long seen = reads.load();
          while (reads.load() == seen) std::this_thread::yield();
        }
      }
    });
  }
  for (auto& t : updaters) t.join();
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
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

TEST(LeftRightPerThread, ReadersSeeOnlyWholeObjectsAndNoUpdateIsLost) {
  readers_see_whole_objects<rcubench::LeftRightPerThreadPrimitive<Words>>(2000);
}

// A reader that stays inside its section until finish(), which says whether the copy
// it was reading changed under it.
template <class Primitive>
class BlockedReader {
 public:
  explicit BlockedReader(Primitive& primitive) {
    thread_ = std::thread([this, &primitive] {
      typename Primitive::ThreadScope scope(primitive);
      primitive.read(scope, [this](const Words& w) {
        const Words before = w;
        inside_.store(true);
        while (!release_.load()) std::this_thread::yield();
        changed_.store(!(w == before));
        return 0;
      });
    });
    while (!inside_.load()) std::this_thread::yield();
  }
  ~BlockedReader() {
    if (thread_.joinable()) finish();
  }
  bool finish() {
    release_.store(true);
    thread_.join();
    return changed_.load();
  }

 private:
  std::atomic<bool> inside_{false}, release_{false}, changed_{false};
  std::thread thread_;
};

TEST(LeftRightPerThread, WriterWaitsForTheReadersOfTheOldCopyOnly) {
  using Primitive = rcubench::LeftRightPerThreadPrimitive<Words>;
  Primitive primitive(Words::of(0));
  std::atomic<bool> updated{false};
  BlockedReader<Primitive> reader(primitive);
  std::thread writer([&] {
    Primitive::ThreadScope scope(primitive);
    primitive.update(scope, [](const Words& w) { return Words::of(w.counter + 1); });
    updated.store(true);
  });
  // Readers that arrive after the flip read the new copy, whole, and do not wait.
  {
    Primitive::ThreadScope scope(primitive);
    while (primitive.read(scope, [](const Words& w) { return w.counter; }) == 0)
      std::this_thread::yield();
    for (int i = 0; i < 1000; ++i)
      EXPECT_TRUE(primitive.read(scope, [](const Words& w) { return w.intact(); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(updated.load()) << "the update finished while a reader of the old copy read it";
  EXPECT_FALSE(reader.finish()) << "the old copy changed under its reader";
  writer.join();
  EXPECT_TRUE(updated.load());
  Primitive::ThreadScope scope(primitive);
  EXPECT_EQ(primitive.read(scope, [](const Words& w) { return w.counter; }), 1u);
}

// The same check fails on a writer that does not wait: the test can fail.
TEST(LeftRightPerThread, AWriterThatDoesNotWaitRewritesTheCopyUnderItsReader) {
#ifdef __SANITIZE_THREAD__
  GTEST_SKIP() << "a deliberate data race on plain fields, which ThreadSanitizer reports";
#endif
  using Primitive = rcubench::LeftRightPerThreadPrimitive<Words, /*kWaits=*/false>;
  Primitive primitive(Words::of(0));
  BlockedReader<Primitive> reader(primitive);
  Primitive::ThreadScope scope(primitive);
  primitive.update(scope, [](const Words& w) { return Words::of(w.counter + 1); });
  EXPECT_TRUE(reader.finish());
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
