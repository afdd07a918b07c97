// The checker's pieces: the torture object's checksum and classification, the quarantine,
// the pipeline histogram.
#include "torture/object.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "baselines/arc_swap.h"
#include "baselines/node_allocator.h"
#include "torture/pipe_histogram.h"
#include "torture/quarantine.h"

namespace {

using rcubench::torture::kPipeLength;
using rcubench::torture::kPoisonWord;
using rcubench::torture::kStageCurrent;
using rcubench::torture::kStageFreed;
using rcubench::torture::kStageReplaced;
using rcubench::torture::PipeHistogram;
using rcubench::torture::Quarantine;
using rcubench::torture::ReaderPin;
using rcubench::torture::TortureObject;

TEST(TortureObject, FreshObjectIsLiveAndCurrent) {
  TortureObject object(42);
  const auto s = object.sample();
  EXPECT_TRUE(s.live());
  EXPECT_TRUE(s.consistent);
  EXPECT_FALSE(s.poisoned);
  EXPECT_EQ(s.magic, TortureObject::kLiveMagic);
  EXPECT_EQ(s.generation, 42u);
  EXPECT_EQ(s.stage, kStageCurrent);
}

TEST(TortureObject, ChecksumCatchesEveryCorruptedWord) {
  for (std::size_t word = TortureObject::kMagicWord; word < TortureObject::kWords; ++word) {
    TortureObject object(7);
    const auto* raw = reinterpret_cast<const std::uint64_t*>(&object);
    object.set_word(word, rcubench::torture::load_word(raw[word]) ^ 1);  // One bit flipped.
    EXPECT_FALSE(object.sample().live()) << "word " << word;
  }
}

TEST(TortureObject, StageIsNotCoveredByTheChecksum) {
  TortureObject object(3);
  object.mark_replaced();
  const auto s = object.sample();
  EXPECT_EQ(s.stage, kStageReplaced);
  EXPECT_TRUE(s.live());
}

TEST(TortureObject, MarkReplacedNeverLowersAStage) {
  TortureObject object(3);
  object.set_word(TortureObject::kStageWord, 5);
  object.mark_replaced();
  EXPECT_EQ(object.stage(), 5u);
}

TEST(TortureObject, BlankObjectIsUninitialisedNotPoisoned) {
  TortureObject blank(TortureObject::Blank{});
  const auto s = blank.sample();
  EXPECT_FALSE(s.live());
  EXPECT_FALSE(s.poisoned);
  EXPECT_NE(s.magic, TortureObject::kLiveMagic);
  blank.initialise(9);
  EXPECT_TRUE(blank.sample().live());
  EXPECT_EQ(blank.generation(), 9u);
}

TEST(TortureObject, DifferentGenerationsHaveDifferentPayloads) {
  std::set<std::uint64_t> seen;
  for (std::uint64_t g = 0; g < 100; ++g) {
    for (std::size_t i = 0; i < 4; ++i) seen.insert(TortureObject::payload_word(g, i));
  }
  EXPECT_EQ(seen.size(), 400u);
}

TEST(TortureObject, CopyKeepsWordsButStartsCurrent) {
  TortureObject a(11);
  a.mark_replaced();
  TortureObject b(a);
  EXPECT_EQ(b.generation(), 11u);
  EXPECT_EQ(b.stage(), kStageCurrent);
  EXPECT_TRUE(b.sample().live());
  // A torn source stays torn in the copy: copies never repair what a reader should see.
  a.set_word(TortureObject::kPayloadBegin, 0);
  TortureObject c(a);
  EXPECT_FALSE(c.sample().live());
}

TEST(TortureObject, HeapObjectsArePoisonedIntoTheQuarantineAndCounted) {
  const long live_before = TortureObject::live.load();
  const auto retired_before = TortureObject::quarantine().stats().retired;
  auto* object = new TortureObject(5);
  EXPECT_EQ(TortureObject::live.load(), live_before + 1);
  // The address goes through a volatile: the compiler may not assume the memory is gone.
  volatile std::uintptr_t address = reinterpret_cast<std::uintptr_t>(object);
  delete object;
  const auto* raw = reinterpret_cast<const std::uint64_t*>(address);
  EXPECT_EQ(TortureObject::live.load(), live_before);
  EXPECT_EQ(TortureObject::quarantine().stats().retired, retired_before + 1);
  // The memory is still there, poisoned, at stage >= 2 (reading it is what a broken
  // primitive's reader would do; the quarantine keeps it mapped).
  EXPECT_TRUE(Quarantine::poisoned(raw, TortureObject::kWords));
  EXPECT_GE(rcubench::torture::load_word(raw[0]), kStageFreed);
}

// Primitives' nodes that hold a torture object (NodeAllocator) come from, and go back to,
// the quarantine for their size, not to malloc.
TEST(TortureObject, NodesOfEveryPrimitiveAreFreedIntoTheQuarantine) {
  const auto before = Quarantine::totals();
  {
    auto shared = std::allocate_shared<const TortureObject>(
        rcubench::NodeAllocatorFor<TortureObject, TortureObject>(), 3);
    auto arc = rcubench::ArcPtr<TortureObject>::make(4);
    EXPECT_TRUE(arc->sample().live());
    EXPECT_TRUE(shared->sample().live());
    EXPECT_EQ(Quarantine::totals().retired, before.retired);
  }
  const auto after = Quarantine::totals();
  EXPECT_EQ(after.retired, before.retired + 2);
  EXPECT_EQ(after.fresh + after.recycled, before.fresh + before.recycled + 2);
}

TEST(TortureObject, ANodeFreedEarlyReadsAsPoison) {
  using Node = rcubench::detail::arc_swap::ArcNode<TortureObject>;
  Node* node = rcubench::new_node<TortureObject, Node>(std::in_place, 9);
  volatile std::uintptr_t address = reinterpret_cast<std::uintptr_t>(&node->value);
  rcubench::delete_node<TortureObject>(node);
  // What a reader that still held the object would see.
  const auto* object = reinterpret_cast<const TortureObject*>(address);
  const auto sample = object->sample();
  EXPECT_TRUE(sample.poisoned);
  EXPECT_FALSE(sample.live());
  EXPECT_GE(sample.stage, kStageFreed);
}

// A reader that holds an object stalls while the object is freed and the quarantine's whole
// window passes (min_depth later frees, min_age), and while enough objects are allocated to
// empty the queue down to min_depth; then it looks. It must find the freed object, poisoned,
// not a new object built in the same memory: that one would read as live, at stage 0, and
// pass every check the reader makes.
TEST(TortureObject, AReaderStalledPastTheQuarantineWindowFindsPoisonNotANewObject) {
  Quarantine& quarantine = TortureObject::quarantine();
  const Quarantine::Limits limits = quarantine.limits();
  auto* object = new TortureObject(1);
  // The address goes through a volatile: the compiler may not assume the memory is gone.
  volatile std::uintptr_t address = reinterpret_cast<std::uintptr_t>(object);
  std::promise<void> pinned, window_passed;
  rcubench::torture::Sample seen;
  std::thread reader([&] {
    ReaderPin pin;  // As the checker's readers do before the primitive hands them a pointer.
    const auto* held = reinterpret_cast<const TortureObject*>(address);
    pinned.set_value();
    window_passed.get_future().wait();  // Stalled inside the critical section.
    seen = held->sample();
  });
  pinned.get_future().wait();
  delete object;  // Freed under the reader.
  std::vector<TortureObject*> objects;
  for (std::size_t i = 0; i < limits.min_depth; ++i) objects.push_back(new TortureObject(2));
  for (TortureObject* o : objects) delete o;
  objects.clear();
  std::this_thread::sleep_for(limits.min_age + std::chrono::milliseconds(10));
  // Every queued block is old enough now; these take all but min_depth of them (the freed
  // object's among them) unless something holds them back.
  const std::uint64_t depth = quarantine.stats().depth;
  bool recycled = false;
  for (std::uint64_t i = 0; i + limits.min_depth < depth; ++i) {
    objects.push_back(new TortureObject(3));
    recycled = recycled || reinterpret_cast<std::uintptr_t>(objects.back()) == address;
  }
  window_passed.set_value();
  reader.join();
  for (TortureObject* o : objects) delete o;
  EXPECT_FALSE(recycled) << "the freed object's memory was reused while a reader held it";
  EXPECT_TRUE(seen.poisoned);
  EXPECT_FALSE(seen.live());
  EXPECT_GE(seen.stage, kStageFreed);
}

TEST(TortureObject, InPlaceDestructionPoisons) {
  alignas(TortureObject) unsigned char storage[sizeof(TortureObject)];
  auto* object = ::new (storage) TortureObject(8);
  object->~TortureObject();
  const auto* raw = reinterpret_cast<const std::uint64_t*>(storage);
  EXPECT_TRUE(Quarantine::poisoned(raw, TortureObject::kWords));
  EXPECT_EQ(rcubench::torture::load_word(raw[0]), kStageFreed);
}

TEST(TortureObject, SecondDestructionIsCounted) {
  const long twice_before = TortureObject::destroyed_twice.load();
  const long live_before = TortureObject::live.load();
  alignas(TortureObject) unsigned char storage[sizeof(TortureObject)];
  auto* object = ::new (storage) TortureObject(8);
  object->~TortureObject();
  object->~TortureObject();  // What a double free does to the object.
  EXPECT_EQ(TortureObject::destroyed_twice.load(), twice_before + 1);
  EXPECT_EQ(TortureObject::live.load(), live_before - 1);
  TortureObject::live.fetch_add(1);  // Undo the second count for the tests after this one.
}

Quarantine::Limits small_limits(std::size_t min_depth,
                                std::chrono::nanoseconds min_age = std::chrono::nanoseconds(0),
                                std::size_t max_depth = 1000) {
  return Quarantine::Limits{8, min_depth, min_age, max_depth};
}

TEST(Quarantine, RetirePoisonsAndStartsAtStageFreed) {
  Quarantine q(small_limits(4));
  std::uint64_t* block = q.allocate();
  for (std::size_t i = 0; i < 8; ++i) block[i] = i;
  q.retire(block);
  EXPECT_TRUE(Quarantine::poisoned(block, 8));
  EXPECT_EQ(block[0], kStageFreed);
  EXPECT_EQ(q.stats().depth, 1u);
}

TEST(Quarantine, LaterFreesAgeEarlierBlocksUpToThePipeLength) {
  Quarantine q(small_limits(100));
  std::vector<std::uint64_t*> blocks;
  for (int i = 0; i < 15; ++i) blocks.push_back(q.allocate());
  for (std::uint64_t* b : blocks) q.retire(b);
  // The k-th block from the end has seen k later frees.
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const std::uint64_t expected = std::min<std::uint64_t>(kStageFreed + k, kPipeLength);
    EXPECT_EQ(blocks[blocks.size() - 1 - k][0], expected) << "k=" << k;
  }
}

TEST(Quarantine, RecyclesFirstInFirstOutOnlyBeyondTheMinimumDepth) {
  Quarantine q(small_limits(3));
  std::vector<std::uint64_t*> blocks;
  for (int i = 0; i < 5; ++i) blocks.push_back(q.allocate());
  EXPECT_EQ(q.stats().fresh, 5u);
  for (std::uint64_t* b : blocks) q.retire(b);
  // 5 waiting, 3 must stay: the two oldest come back, oldest first.
  EXPECT_EQ(q.allocate(), blocks[0]);
  EXPECT_EQ(q.allocate(), blocks[1]);
  std::uint64_t* fresh = q.allocate();
  EXPECT_NE(fresh, blocks[2]);
  EXPECT_EQ(q.stats().recycled, 2u);
  EXPECT_EQ(q.stats().fresh, 6u);
  q.retire(blocks[0]);
  q.retire(blocks[1]);
  q.retire(fresh);
}

TEST(Quarantine, RecyclesOnlyBlocksOldEnough) {
  Quarantine q(small_limits(0, std::chrono::milliseconds(30)));
  std::uint64_t* block = q.allocate();
  q.retire(block);
  std::uint64_t* other = q.allocate();
  EXPECT_NE(other, block) << "recycled a block retired just now";
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  std::uint64_t* again = q.allocate();
  EXPECT_EQ(again, block);
  q.retire(other);
  q.retire(again);
}

TEST(Quarantine, MaxDepthRecyclesRegardlessOfAge) {
  Quarantine q(small_limits(0, std::chrono::hours(1), 2));
  std::uint64_t* a = q.allocate();
  std::uint64_t* b = q.allocate();
  std::uint64_t* c = q.allocate();
  q.retire(a);
  q.retire(b);
  q.retire(c);
  EXPECT_EQ(q.allocate(), a);
  q.retire(a);
}

// What is freed while a pin is open stays queued, poisoned, until the pin closes, past every
// limit (max_depth 0 would recycle anything at once); what was freed before it opened is
// recycled as before.
TEST(Quarantine, KeepsWhatIsFreedUnderAnOpenReaderPin) {
  Quarantine q(small_limits(0, std::chrono::nanoseconds(0), 0));
  std::uint64_t* before = q.allocate();
  std::uint64_t* under = q.allocate();
  q.retire(before);
  std::uint64_t* first = nullptr;
  std::uint64_t* second = nullptr;
  {
    ReaderPin pin;
    q.retire(under);
    first = q.allocate();
    second = q.allocate();
    EXPECT_TRUE(Quarantine::poisoned(under, 8));
    EXPECT_GE(under[0], kStageFreed);
  }
  std::uint64_t* after = q.allocate();
  EXPECT_EQ(first, before);
  EXPECT_NE(second, under) << "recycled under the reader that may still hold it";
  EXPECT_EQ(after, under) << "not recycled once the pin closed";
  q.retire(first);
  q.retire(second);
  q.retire(after);
}

TEST(Quarantine, NestedPinsCountAsOne) {
  Quarantine q(small_limits(0));
  std::uint64_t* block = q.allocate();
  std::uint64_t* other = nullptr;
  {
    ReaderPin outer;
    {
      ReaderPin inner;
      q.retire(block);
    }
    other = q.allocate();
  }
  EXPECT_NE(other, block) << "the inner pin's close released the outer one";
  EXPECT_EQ(q.allocate(), block);
  q.retire(other);
  q.retire(block);
}

TEST(Quarantine, BlocksAreAlignedForTheObject) {
  Quarantine q(small_limits(0));
  std::uint64_t* block = q.allocate();
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % alignof(TortureObject), 0u);
  q.retire(block);
}

TEST(PipeHistogram, CountsStagesAndClampsTheLastBin) {
  PipeHistogram h;
  h.add(0, 5);
  h.add(1, 2);
  h.add(kStageFreed);
  h.add(kPipeLength + 7);
  h.add(kPoisonWord);
  EXPECT_EQ(h.total(), 10u);
  EXPECT_EQ(h.bins()[0], 5u);
  EXPECT_EQ(h.bins()[1], 2u);
  EXPECT_EQ(h.bins()[kStageFreed], 1u);
  EXPECT_EQ(h.bins()[kPipeLength], 2u);
  EXPECT_EQ(h.past_grace_period(), 3u);
}

TEST(PipeHistogram, PrintsLikeRcutorture) {
  PipeHistogram h;
  h.add(0, 123);
  h.add(1, 4);
  EXPECT_EQ(h.format(), "Reader Pipe: 123 4 0 0 0 0 0 0 0 0 0");
  EXPECT_EQ(h.json(), "[123,4,0,0,0,0,0,0,0,0,0]");
  EXPECT_EQ(h.past_grace_period(), 0u);
}

TEST(PipeHistogram, MergeAddsBinByBin) {
  PipeHistogram a, b;
  a.add(0, 1);
  a.add(3, 2);
  b.add(3, 5);
  b.add(9);
  a.merge(b);
  EXPECT_EQ(a.bins()[0], 1u);
  EXPECT_EQ(a.bins()[3], 7u);
  EXPECT_EQ(a.bins()[9], 1u);
  EXPECT_EQ(a.total(), 9u);
}

}  // namespace
