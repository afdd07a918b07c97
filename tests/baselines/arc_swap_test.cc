// ArcSwap<T> and ArcSwapPrimitive<T>: semantics, the fast and the helping path, concurrent
// readers and writers, lost-update freedom of rcu(), and object lifetimes.
#include "baselines/arc_swap.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

using rcubench::ArcPtr;
using rcubench::ArcSwap;
using rcubench::ArcSwapPrimitive;
template <class T>
using ArcSwapThread = rcubench::ArcSwapThread<T>;
using rcubench::detail::arc_swap::kFastSlots;

// A value that counts its live instances and carries a checksum over its fields, so a reader
// can tell a whole object from a half-built or destroyed one.
struct Payload {
  static inline std::atomic<long> live{0};

  explicit Payload(std::uint64_t seed) {
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = seed * 0x9E3779B97F4A7C15ull + i;
    check = checksum();
    live.fetch_add(1, std::memory_order_relaxed);  // Counted, not ordered: read after joins.
  }
  Payload(const Payload& other) : Payload(other.seed()) {}
  ~Payload() {
    // Poison through volatile so the stores are not dropped as dead: a reader of a freed
    // object then fails valid() even without a sanitizer.
    volatile std::uint64_t* w = words.data();
    for (std::size_t i = 0; i < words.size(); ++i) w[i] = 0xDEADBEEFDEADBEEFull;
    live.fetch_sub(1, std::memory_order_relaxed);  // Read after joins.
  }

  std::uint64_t checksum() const {
    std::uint64_t sum = 0;
    for (std::uint64_t w : words) sum = (sum ^ w) * 0x100000001B3ull;
    return sum;
  }
  bool valid() const { return checksum() == check && words[1] == words[0] + 1; }
  std::uint64_t seed() const { return (words[0]) * 0xF1DE83E19937733Dull; }  // inverse mult.

  std::array<std::uint64_t, 8> words{};
  std::uint64_t check = 0;
};

static_assert(0x9E3779B97F4A7C15ull * 0xF1DE83E19937733Dull == 1, "modular inverse");

// The invariant asserts of the port are part of what these tests check.
#ifdef NDEBUG
#error "arc_swap_test must be built with assertions on (tests/CMakeLists.txt)"
#endif

namespace detail = rcubench::detail::arc_swap;

// Debt nodes in the list of ArcSwap<T>'s readers.
template <class T>
std::size_t node_count() {
  std::size_t n = 0;
  for (auto* node = detail::first_node(detail::g_node_list<T>); node != nullptr;
       node = node->next) {
    ++n;
  }
  return n;
}

// Runs `body(stop)` on `threads` threads for about `duration`.
template <class Body>
void run_for(int threads, std::chrono::milliseconds duration, Body body) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { body(t, stop); });
  std::this_thread::sleep_for(duration);
  stop.store(true, std::memory_order_relaxed);  // Only ends loops; joins order the rest.
  for (auto& th : pool) th.join();
}

TEST(ArcSwap, LoadStoreSwap) {
  ArcSwap<int> s(ArcPtr<int>::make(1));
  {
    auto g = s.load();
    EXPECT_EQ(*g, 1);
    EXPECT_TRUE(g.has_debt());  // fast path: nothing counted
  }
  s.store(ArcPtr<int>::make(2));
  EXPECT_EQ(*s.load(), 2);

  ArcPtr<int> old = s.swap(ArcPtr<int>::make(3));
  EXPECT_EQ(*old, 2);
  EXPECT_EQ(old.use_count(), 1u);
  EXPECT_EQ(*s.load(), 3);

  ArcPtr<int> full = s.load_full();
  EXPECT_EQ(*full, 3);
  EXPECT_EQ(full.use_count(), 2u);  // the storage's and ours
}

TEST(ArcSwap, GuardKeepsTheOldValueAcrossAStore) {
  long live = Payload::live.load();
  {
    ArcSwap<Payload> s(std::in_place, 7u);
    auto g = s.load();
    EXPECT_TRUE(g.has_debt());
    s.store(ArcPtr<Payload>::make(8u));
    // The writer paid our debt: the old object is alive and counted for us.
    EXPECT_EQ(Payload::live.load(), live + 2);
    EXPECT_TRUE(g->valid());
    EXPECT_EQ(g->seed(), 7u);
    auto h = s.load();
    EXPECT_EQ(h->seed(), 8u);
  }
  EXPECT_EQ(Payload::live.load(), live);
}

TEST(ArcSwap, CompareAndSwap) {
  ArcSwap<int> s(ArcPtr<int>::make(1));
  auto current = s.load();
  ArcPtr<int> other = ArcPtr<int>::make(1);  // equal value, different object

  auto found = s.compare_and_swap(other.get(), ArcPtr<int>::make(5));
  EXPECT_EQ(found.get(), current.get());  // not swapped: compared by address
  EXPECT_EQ(*s.load(), 1);

  found = s.compare_and_swap(current.get(), ArcPtr<int>::make(5));
  EXPECT_EQ(found.get(), current.get());  // swapped
  EXPECT_EQ(*s.load(), 5);
  EXPECT_EQ(*current, 1);  // still protected

  found = s.compare_and_swap(current.get(), ArcPtr<int>::make(6));
  EXPECT_NE(found.get(), current.get());
  EXPECT_EQ(*found, 5);
  EXPECT_EQ(*s.load(), 5);
}

TEST(ArcSwap, RcuSingleThread) {
  ArcSwap<int> s(ArcPtr<int>::make(10));
  auto r = s.rcu([](const int& v) { return v + 1; });
  EXPECT_EQ(*r.previous, 10);
  EXPECT_EQ(r.retries, 0u);
  EXPECT_EQ(*s.load(), 11);
  auto r2 = s.rcu([](const int& v) { return ArcPtr<int>::make(v * 2); });
  EXPECT_EQ(*r2.previous, 11);
  EXPECT_EQ(*s.load(), 22);
}

TEST(ArcSwap, GuardOutlivesStorageAndMovesThreads) {
  long live = Payload::live.load();
  {
    std::vector<ArcSwap<Payload>::Guard> guards;
    {
      ArcSwap<Payload> s(std::in_place, 1u);
      guards.push_back(s.load());
      guards.push_back(s.load());
      EXPECT_TRUE(guards[0].has_debt());
    }  // the destructor pays the debts
    EXPECT_EQ(Payload::live.load(), live + 1);
    EXPECT_TRUE(guards[0]->valid());
    std::thread([g = std::move(guards[1])]() { EXPECT_TRUE(g->valid()); }).join();
    EXPECT_EQ(Payload::live.load(), live + 1);
  }
  EXPECT_EQ(Payload::live.load(), live);
}

// All fast slots held: the next load goes through the helping slot and returns a counted
// reference. A store pays the held debts (freeing their slots) and the guards stay valid.
TEST(ArcSwap, FallbackWhenFastSlotsAreFull) {
  long live = Payload::live.load();
  {
    ArcSwap<Payload> s(std::in_place, 1u);
    std::vector<ArcSwap<Payload>::Guard> held;
    for (std::size_t i = 0; i < kFastSlots; ++i) {
      held.push_back(s.load());
      EXPECT_TRUE(held.back().has_debt());
    }
    auto extra = s.load();
    EXPECT_FALSE(extra.has_debt());  // helping path: a counted reference
    EXPECT_EQ(extra->seed(), 1u);
    EXPECT_EQ(ArcPtr<Payload>(extra.to_arc()).use_count(), 3u);  // storage, extra, the copy

    s.store(ArcPtr<Payload>::make(2u));  // pays the 8 debts: the slots are free again
    std::vector<ArcSwap<Payload>::Guard> more;
    for (std::size_t i = 0; i < kFastSlots; ++i) {
      more.push_back(s.load());
      EXPECT_TRUE(more.back().has_debt());
      EXPECT_EQ(more.back()->seed(), 2u);
    }
    more.push_back(s.load());
    EXPECT_FALSE(more.back().has_debt());
    EXPECT_EQ(more.back()->seed(), 2u);

    for (auto& g : held) EXPECT_TRUE(g->valid() && g->seed() == 1u);
    EXPECT_TRUE(extra->valid());
    EXPECT_EQ(Payload::live.load(), live + 2);
    held.clear();  // the writer's counts are dropped; `extra` still holds object 1
    EXPECT_EQ(Payload::live.load(), live + 2);
    more.clear();
    extra = s.load();  // drops the last reference to object 1
    EXPECT_EQ(Payload::live.load(), live + 1);
    EXPECT_TRUE(extra.has_debt());  // fast slots are free again
  }
  EXPECT_EQ(Payload::live.load(), live);
}

TEST(ArcSwap, ConcurrentReadersAndWriters) {
  long live = Payload::live.load();
  {
    ArcSwap<Payload> s(std::in_place, 0u);
    std::atomic<std::uint64_t> next_seed{1};
    std::atomic<long> bad{0}, reads{0};
    // Threads 0-1 read (thread 1 sometimes with all fast slots held, forcing the helping
    // path while writers run), 2 stores, 3 runs rcu.
    run_for(4, std::chrono::milliseconds(800), [&](int t, std::atomic<bool>& stop) {
      ArcSwapThread<Payload> local;
      long n = 0;
      while (!stop.load(std::memory_order_relaxed)) {  // Relaxed: a stop flag only.
        if (t <= 1) {
          if (t == 1 && n % 64 == 0) {
            std::vector<ArcSwap<Payload>::Guard> held;
            for (std::size_t i = 0; i < kFastSlots + 4; ++i) held.push_back(s.load(local));
            for (auto& g : held) bad += !g->valid();
          } else {
            auto g = s.load(local);
            bad += !g->valid();
          }
          ++n;
        } else if (t == 2) {
          s.store(local, ArcPtr<Payload>::make(next_seed.fetch_add(1)));
        } else {
          s.rcu(local, [&](const Payload& p) {
            bad += !p.valid();
            return Payload(p.seed() + 1000000);
          });
        }
      }
      reads += n;
    });
    EXPECT_EQ(bad.load(), 0);
    EXPECT_GT(reads.load(), 0);
    EXPECT_TRUE(s.load()->valid());
  }
  EXPECT_EQ(Payload::live.load(), live);
}

// Readers that keep every fast slot busy, so each round ends on the helping path, while a
// writer swaps: exercises the writer's answers (handover) as well as the fast slots. One
// reader loads from another storage, which the writer must leave alone.
TEST(ArcSwap, HelpingPathUnderWriters) {
  long live = Payload::live.load();
  {
    ArcSwap<Payload> s(std::in_place, 0u);
    ArcSwap<Payload> other(std::in_place, 0u);
    std::atomic<long> bad{0}, fallbacks{0};
    std::atomic<std::uint64_t> seed{1};
    run_for(4, std::chrono::milliseconds(500), [&](int t, std::atomic<bool>& stop) {
      if (t == 0) {
        while (!stop.load(std::memory_order_relaxed)) s.store(ArcPtr<Payload>::make(seed++));
        return;
      }
      ArcSwap<Payload>& from = t == 3 ? other : s;
      std::vector<ArcSwap<Payload>::Guard> held;
      long mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {  // Relaxed: a stop flag only.
        held.clear();
        // Load until a load comes back counted: the fast slots were all busy (or a race
        // with the writer sent it down the helping path).
        for (std::size_t i = 0; i <= kFastSlots; ++i) {
          held.push_back(from.load());
          if (!held.back().has_debt()) {
            ++mine;
            break;
          }
        }
        for (auto& g : held) bad += !g->valid();
      }
      fallbacks += mine;
    });
    EXPECT_EQ(bad.load(), 0);
    EXPECT_GT(fallbacks.load(), 0);
  }
  EXPECT_EQ(Payload::live.load(), live);
}

// A stale debt (the reader's object freed and its address reused before the reader's
// confirmation fails) may be paid by whichever writer retires the object now at that
// address. Debts live in one list per value type, so that writer is never a writer of
// another type: here a reader of ArcSwap<int> holds a debt on the address of a node of
// ArcSwap<long>, whose writer swaps that node out and must leave the debt alone.
TEST(ArcSwap, WritersOfAnotherTypeNeverPayOurDebts) {
  ArcSwap<long> foreign(ArcPtr<long>::make(7));
  auto foreign_node = reinterpret_cast<std::uintptr_t>(foreign.load_full().get()) -
                      offsetof(detail::ArcNode<long>, value);
  ArcSwapThread<int> reader;
  detail::Debt* debt = reader.claim_fast(foreign_node);
  ASSERT_NE(debt, nullptr);

  ArcPtr<long> old = foreign.swap(ArcPtr<long>::make(8));
  EXPECT_EQ(debt->value.load(), foreign_node) << "a writer of ArcSwap<long> paid a debt of a "
                                                 "reader of ArcSwap<int>";
  EXPECT_EQ(old.use_count(), 1u) << "a count was paid into the foreign node";
  EXPECT_TRUE(debt->pay(foreign_node));  // give it back

  // The same debt in a reader of ArcSwap<long> is paid: the writer walks its own list.
  ArcSwapThread<long> same_type_reader;
  auto current = reinterpret_cast<std::uintptr_t>(foreign.load_full().get()) -
                 offsetof(detail::ArcNode<long>, value);
  detail::Debt* paid = same_type_reader.claim_fast(current);
  ASSERT_NE(paid, nullptr);
  ArcPtr<long> previous = foreign.swap(ArcPtr<long>::make(9));
  EXPECT_EQ(paid->value.load(), detail::kNoDebt);
  EXPECT_EQ(previous.use_count(), 2u) << "the writer counted a reference for the reader";
  detail::from_address<long>(current)->dec();  // the reader drops what it was paid
}

// The helping handover, step by step through the detail API: a writer answers a reader's
// transaction only if the reader loads from the storage the writer just wrote, and the
// answer is that storage's object.
TEST(ArcSwap, HelpingHandoverAnswersOnlyTheStorageItWrote) {
  std::atomic<std::uintptr_t> storage{0}, other{0};
  const auto storage_addr = reinterpret_cast<std::uintptr_t>(&storage);
  const auto other_addr = reinterpret_cast<std::uintptr_t>(&other);
  constexpr std::uintptr_t kOtherObject = 0x1000, kStorageObject = 0x2000;
  constexpr std::uintptr_t kCandidate = 0x3000;  // what the reader loaded itself
  storage.store(kStorageObject);
  other.store(kOtherObject);

  detail::HelpingSlots reader, writer;
  std::uintptr_t generation = 0;
  int loads = 0, releases = 0;
  auto load_full_of = [&](std::atomic<std::uintptr_t>& s) {
    return [&] {
      ++loads;
      return s.load();
    };
  };
  auto release = [&](std::uintptr_t) { ++releases; };

  // The reader loads `other`; a writer of `storage` must not answer it.
  auto t1 = reader.begin(other_addr, generation);
  writer.help(reader, storage_addr, load_full_of(storage), release);
  EXPECT_EQ(loads, 0);
  std::uintptr_t replacement = 0;
  EXPECT_TRUE(reader.confirm(t1.gen, kCandidate, replacement)) << "answered for the wrong storage";
  EXPECT_TRUE(reader.slot.pay(kCandidate));  // the debt stood: give it back

  // A writer of `other` answers it with `other`'s object, which the reader then uses.
  auto t2 = reader.begin(other_addr, generation);
  writer.help(reader, other_addr, load_full_of(other), release);
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(releases, 0);
  EXPECT_FALSE(reader.confirm(t2.gen, kCandidate, replacement));
  EXPECT_EQ(replacement, kOtherObject);
  EXPECT_TRUE(reader.slot.pay(kCandidate));  // the unused debt on the candidate
  // The envelopes were traded: the reader now offers the writer's, and vice versa.
  EXPECT_EQ(reader.space_offer.load(), &writer.handover);
  EXPECT_EQ(writer.space_offer.load(), &reader.handover);

  // A writer that finds the reader idle (or already answered) does nothing.
  writer.help(reader, other_addr, load_full_of(other), release);
  EXPECT_EQ(loads, 1);
}

TEST(ArcSwap, RcuLosesNoUpdateAndCountsRetries) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 5000;
  ArcSwap<long> s(ArcPtr<long>::make(0));
  std::atomic<unsigned long> retries{0}, calls{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto r = s.rcu([&](const long& v) {
          calls.fetch_add(1, std::memory_order_relaxed);  // Read after joins.
          return v + 1;
        });
        retries.fetch_add(r.retries, std::memory_order_relaxed);  // Read after joins.
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(*s.load(), long{kThreads} * kIncrements);
  // Every call of f beyond the successful one per update was a reported retry.
  EXPECT_EQ(calls.load(), static_cast<unsigned long>(kThreads) * kIncrements + retries.load());
  std::printf("rcu: %lu retries over %d updates\n", retries.load(), kThreads * kIncrements);
}

TEST(ArcSwap, ThreadNodesAreReused) {
  ArcSwap<int> s(ArcPtr<int>::make(1));
  std::thread([&] { (void)*s.load(); }).join();
  std::size_t before = node_count<int>();
  for (int i = 0; i < 50; ++i) {
    std::thread([&] {
      auto g = s.load();
      EXPECT_EQ(*g, 1);
    }).join();
  }
  EXPECT_LE(node_count<int>(), before + 1);
}

TEST(ArcSwapPrimitive, ReadAndUpdate) {
  static_assert(rcubench::PrimitiveFor<ArcSwapPrimitive<Payload>, Payload>);
  static_assert(ArcSwapPrimitive<int>::kUpdatePolicy == rcubench::UpdatePolicy::kCompareAndSwap);
  long live = Payload::live.load();
  {
    ArcSwapPrimitive<Payload> p(Payload(5));
    ArcSwapPrimitive<Payload>::ThreadScope scope(p);
    EXPECT_EQ(p.read(scope, [](const Payload& v) { return v.seed(); }), 5u);
    unsigned retries = p.update(scope, [](const Payload& v) { return Payload(v.seed() + 1); });
    EXPECT_EQ(retries, 0u);
    EXPECT_EQ(p.read(scope, [](const Payload& v) { return v.seed(); }), 6u);
    scope.quiescent_state();
  }
  EXPECT_EQ(Payload::live.load(), live);
}

TEST(ArcSwapPrimitive, ConcurrentUpdatesAndReads) {
  constexpr int kUpdates = 3000;
  long live = Payload::live.load();
  {
    ArcSwapPrimitive<Payload> p(Payload(0));
    std::atomic<long> bad{0};
    std::atomic<bool> writers_done{false};
    std::atomic<int> writers_left{2};
    std::vector<std::thread> pool;
    for (int t = 0; t < 2; ++t) {
      pool.emplace_back([&] {
        ArcSwapPrimitive<Payload>::ThreadScope scope(p);
        for (int i = 0; i < kUpdates; ++i) {
          p.update(scope, [&](const Payload& v) {
            bad += !v.valid();
            return Payload(v.seed() + 1);
          });
        }
        // Release: paired with the reader's acquire load of writers_done.
        if (--writers_left == 0) writers_done.store(true, std::memory_order_release);
      });
    }
    pool.emplace_back([&] {
      ArcSwapPrimitive<Payload>::ThreadScope scope(p);
      std::uint64_t last = 0;
      // Acquire: paired with the last writer's release store.
      while (!writers_done.load(std::memory_order_acquire)) {
        std::uint64_t seen = p.read(scope, [&](const Payload& v) {
          bad += !v.valid();
          return v.seed();
        });
        bad += seen < last;  // updates are ordered: a reader never goes back
        last = seen;
      }
    });
    for (auto& th : pool) th.join();
    ArcSwapPrimitive<Payload>::ThreadScope scope(p);
    EXPECT_EQ(p.read(scope, [](const Payload& v) { return v.seed(); }), 2u * kUpdates);
    EXPECT_EQ(bad.load(), 0);
  }
  EXPECT_EQ(Payload::live.load(), live);
}

}  // namespace
