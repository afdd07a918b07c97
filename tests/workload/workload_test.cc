// The workload engine's pieces: the latency histogram against exact percentiles, the
// payload's updates (copy and in place) and checksum, and short engine runs.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "baselines/registry.h"
#include "workload/config.h"
#include "workload/engine.h"
#include "workload/histogram.h"
#include "workload/payload.h"
#include "workload/run_context.h"

namespace {

using rcubench::Histogram;
using rcubench::Payload;

TEST(Histogram, BucketsAreExactBelowSixteenAndContiguousAbove) {
  for (std::uint64_t v = 0; v < 16; ++v)
    EXPECT_EQ(Histogram::upper_edge(Histogram::bucket_of(v)), v);
  // Every value lies in a bucket whose upper edge is at or above it and within 1/16.
  for (std::uint64_t v : {16ull, 17ull, 31ull, 32ull, 1000ull, 123456789ull, (1ull << 40) + 7}) {
    std::uint64_t edge = Histogram::upper_edge(Histogram::bucket_of(v));
    EXPECT_GE(edge, v);
    EXPECT_LE(static_cast<double>(edge - v), static_cast<double>(v) / 16.0) << v;
  }
  EXPECT_LT(Histogram::bucket_of(~0ull), Histogram::kBuckets);
}

TEST(Histogram, PercentilesMatchExactOnesWithinBucketError) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(5.0, 1.5);
  std::vector<std::uint64_t> values;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    auto v = static_cast<std::uint64_t>(latency(rng));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double f : {0.5, 0.9, 0.99, 0.999}) {
    double exact =
        static_cast<double>(values[static_cast<std::size_t>(std::ceil(f * values.size())) - 1]);
    EXPECT_GE(h.percentile(f), exact) << f;
    EXPECT_LE(h.percentile(f), exact * (1 + 1.0 / 16) + 1) << f;
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.count(), values.size());
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  a.record(10);
  b.record(1000);
  b.record(2000);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 2000u);
  EXPECT_EQ(a.percentile(0.3), 10.0);
}

TEST(Payload, NextCopiesBumpsAndStaysIntact) {
  long live = Payload::live_objects();
  {
    Payload p(100, 7);
    EXPECT_EQ(p.bytes(), 96u);  // Whole 64-bit words.
    EXPECT_TRUE(p.intact());
    Payload q = p.next();
    EXPECT_EQ(q.generation(), 8u);
    EXPECT_TRUE(q.intact());
    EXPECT_EQ(Payload::live_objects(), live + 2);
  }
  EXPECT_EQ(Payload::live_objects(), live);
}

// Objects made on one thread and destroyed on another (an updater and liburcu's call_rcu
// worker) are counted by each thread apart; the sum is exact once the threads are joined,
// also after they exit and later threads reuse their counts.
TEST(Payload, LiveObjectsCountsAcrossThreadsThatComeAndGo) {
  const long live = Payload::live_objects();
  for (int round = 0; round < 4; ++round) {
    std::vector<std::unique_ptr<Payload>> made;
    std::thread maker([&] {
      for (int i = 0; i < 100; ++i) made.push_back(std::make_unique<Payload>(8, i));
    });
    maker.join();
    EXPECT_EQ(Payload::live_objects(), live + 100);
    std::thread destroyer([&] { made.resize(30); });
    destroyer.join();
    EXPECT_EQ(Payload::live_objects(), live + 30);
    std::thread([&] { made.clear(); }).join();
    EXPECT_EQ(Payload::live_objects(), live);
  }
  // A moved-from object is still one until it is destroyed.
  Payload a(64, 1);
  Payload b(std::move(a));
  EXPECT_EQ(Payload::live_objects(), live + 2);
  EXPECT_TRUE(b.intact());
  EXPECT_EQ(b.generation(), 1u);
}

TEST(Payload, AdvanceInPlaceMakesWhatNextCopies) {
  long live = Payload::live_objects();
  {
    Payload p(4096, 7);
    const Payload q = p.next();
    p.advance();
    EXPECT_EQ(p, q);
    EXPECT_EQ(p.generation(), 8u);
    EXPECT_TRUE(p.intact());
    EXPECT_NE(p, Payload(4096, 7));
    EXPECT_EQ(Payload::live_objects(), live + 2);
  }
  EXPECT_EQ(Payload::live_objects(), live);
}

// Small objects keep their words inside, larger ones in an array: copies, moves and
// assignments between the two kinds keep every word, and a moved-from array is taken,
// not shared.
TEST(Payload, InlineAndArrayWordsCopyMoveAndAssign) {
  constexpr std::size_t kInline = Payload::kInlineWords * sizeof(std::uint64_t);
  for (std::size_t bytes : {std::size_t{8}, kInline, kInline + 8, std::size_t{4096}}) {
    SCOPED_TRACE(bytes);
    const Payload original = Payload(bytes, 3).next();
    Payload copy(original);
    EXPECT_EQ(copy, original);
    Payload moved(std::move(copy));
    EXPECT_EQ(moved, original);
    EXPECT_TRUE(moved.intact());
    moved.advance();  // Its words are its own: the original keeps its generation.
    EXPECT_NE(moved, original);
    EXPECT_TRUE(original.intact());
    for (std::size_t other : {std::size_t{8}, std::size_t{4096}}) {
      Payload assigned(other, 9);
      assigned = original;
      EXPECT_EQ(assigned, original);
      EXPECT_EQ(assigned.bytes(), original.bytes());
      EXPECT_TRUE(assigned.intact());
    }
  }
}

template <class Impl>
rcubench::WorkloadResult short_run(int readers, int updaters,
                                   rcubench::Measure measure = rcubench::Measure::kUpdates) {
  rcubench::WorkloadParams params;
  params.readers = readers;
  params.updaters = updaters;
  params.duration_s = 0.05;
  params.verify = true;
  params.sample_every = 16;
  params.measure = measure;
  return rcubench::run_workload<Impl>(params);
}

// Whether `timed` of `updates` flat-out updates is about one in kUpdateSampleEvery: within
// a factor of two once there are enough for the mean to show (a binomial count of
// hundreds of samples is that far off with a negligible probability).
void expect_sampled(std::uint64_t timed, std::uint64_t updates) {
  EXPECT_GE(timed, 1u);  // The first update is always timed.
  EXPECT_LE(timed, updates);
  const double expected = static_cast<double>(updates) / rcubench::kUpdateSampleEvery;
  if (expected >= 200) {
    EXPECT_GT(static_cast<double>(timed), expected / 2) << updates << " updates";
    EXPECT_LT(static_cast<double>(timed), expected * 2) << updates << " updates";
  }
}

TEST(Engine, CountsReadsUpdatesAndSamples) {
  auto r = short_run<rcubench::MutexDescriptor::Impl<Payload>>(1, 1);
  EXPECT_GT(r.reads, 0u);
  EXPECT_GT(r.updates, 0u);
  EXPECT_EQ(r.verify_errors, 0u);
  EXPECT_GT(r.read_latency.count(), 0u);
  expect_sampled(r.update_latency.count(), r.updates);
  EXPECT_GE(r.elapsed_s, 0.05);
  EXPECT_EQ(Payload::live_objects(), 0);  // The primitive freed everything.
}

// The gaps between samples: one in `every` sampled on average, none longer than
// 2 * every - 2, and every gap length in that range drawn.
TEST(Engine, SampleGapsAverageOneInEvery) {
  for (std::uint32_t every : {1u, 2u, 16u, 1024u}) {
    int seed = 0;
    rcubench::detail::SampleGaps gaps(every, &seed);
    constexpr int kDraws = 200000;
    double sum = 0;
    std::uint32_t longest = 0;
    std::set<std::uint32_t> seen;
    for (int i = 0; i < kDraws; ++i) {
      const std::uint32_t gap = gaps.next();
      sum += gap;
      longest = std::max(longest, gap);
      if (every <= 16) seen.insert(gap);
    }
    // Operations per sample: the sampled one and the gap before the next.
    EXPECT_NEAR(1 + sum / kDraws, every, 0.02 * every) << every;
    EXPECT_EQ(longest, 2 * every - 2) << every;
    if (every <= 16) {
      EXPECT_EQ(seen.size(), 2 * every - 1) << every;
    }
  }
}

// A paced updater's every update is timed, from its slot.
TEST(Engine, TimesEveryPacedUpdate) {
  rcubench::WorkloadParams params;
  params.readers = 1;
  params.updaters = 1;
  params.duration_s = 0.05;
  params.updater_delay_us = 100;
  auto r = rcubench::run_workload<rcubench::MutexDescriptor::Impl<Payload>>(params);
  EXPECT_GT(r.updates, 0u);
  EXPECT_EQ(r.update_latency.count(), r.updates);
}

// An in-place update (mutex) and a copy-update (rcu-memb) are counted and timed alike;
// readers that verify every object see no torn one under either.
TEST(Engine, ReportsInPlaceAndCopyUpdatesAlike) {
  using InPlace = rcubench::MutexDescriptor::Impl<Payload>;
  using Copying =
      rcubench::RcuDescriptor<rcu::Memb, rcubench::FreeMode::kSynchronous>::Impl<Payload>;
  static_assert(rcubench::UpdatesInPlace<InPlace, Payload>);
  static_assert(!rcubench::UpdatesInPlace<Copying, Payload>);
  const rcubench::WorkloadResult results[] = {short_run<InPlace>(1, 1), short_run<Copying>(1, 1)};
  for (const auto& r : results) {
    EXPECT_GT(r.updates, 0u);
    expect_sampled(r.update_latency.count(), r.updates);
    EXPECT_GT(r.update_latency.percentile(0.5), 0.0);
    EXPECT_GT(r.updater_min_per_s, 0.0);
    EXPECT_EQ(r.update_retries, 0u);
    EXPECT_GT(r.reads, 0u);
    EXPECT_EQ(r.verify_errors, 0u);
  }
  EXPECT_EQ(results[0].backlog_peak_objects, 0);  // In place: no object but the current one.
  EXPECT_EQ(Payload::live_objects(), 0);
}

TEST(Engine, MeasuresGracePeriods) {
  using Impl = rcubench::RcuDescriptor<rcu::Memb, rcubench::FreeMode::kSynchronous>::Impl<Payload>;
  auto r = short_run<Impl>(1, 1, rcubench::Measure::kGracePeriods);
  EXPECT_GT(r.grace_period_latency.count(), 0u);
  EXPECT_EQ(r.grace_period_latency.count(), r.updates);
  EXPECT_GT(r.grace_period_latency.percentile(0.5), 0.0);
}

TEST(Engine, DeferredFreeLeavesNothingAfterDestruction) {
  using Impl = rcubench::RcuDescriptor<rcu::Memb, rcubench::FreeMode::kDeferred>::Impl<Payload>;
  auto r = short_run<Impl>(1, 1);
  EXPECT_GT(r.updates, 0u);
  EXPECT_GE(r.backlog_peak_objects, 0);
  EXPECT_EQ(Payload::live_objects(), 0);
}

// A copy-update primitive that keeps the last kKept objects it replaced and frees the
// oldest on each update: a backlog of exactly kKept objects once it has made them, which
// the engine must report from its samples, flat out and paced.
template <class T>
class DelayLinePrimitive {
 public:
  static constexpr std::size_t kKept = 5;
  static constexpr rcubench::UpdatePolicy kUpdatePolicy = rcubench::UpdatePolicy::kSerialized;
  explicit DelayLinePrimitive(T initial) : current_(std::make_unique<T>(std::move(initial))) {}
  struct ThreadScope {
    explicit ThreadScope(DelayLinePrimitive&) {}
    void quiescent_state() {}
  };
  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fn(*current_);
  }
  template <class Fn>
  unsigned update(ThreadScope&, Fn&& make_next) {
    auto next = std::make_unique<T>(make_next(*current_));
    std::lock_guard<std::mutex> lock(mutex_);
    kept_.push_back(std::exchange(current_, std::move(next)));
    if (kept_.size() > kKept) kept_.erase(kept_.begin());
    return 0;
  }

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<T> current_;
  std::vector<std::unique_ptr<T>> kept_;
};
static_assert(rcubench::PrimitiveFor<DelayLinePrimitive<Payload>, Payload>);

TEST(Engine, ReportsTheBacklogItSamples) {
  using Impl = DelayLinePrimitive<Payload>;
  constexpr long kKept = static_cast<long>(Impl::kKept);
  for (double delay_us : {0.0, 200.0}) {
    rcubench::WorkloadParams params;
    params.readers = 1;
    params.updaters = 1;
    params.duration_s = 0.05;
    params.updater_delay_us = delay_us;
    auto r = rcubench::run_workload<Impl>(params);
    ASSERT_GT(r.updates, static_cast<std::uint64_t>(kKept) * rcubench::kUpdateSampleEvery)
        << delay_us;
    EXPECT_EQ(r.backlog_peak_objects, kKept) << delay_us;
    EXPECT_EQ(r.backlog_end_objects, kKept) << delay_us;
    EXPECT_EQ(Payload::live_objects(), 0);
  }
}

// A copy-update primitive that records how the engine made its scopes and where it placed
// it: each scope counts itself as the sole updater's or a plain one, and an update from a
// plain scope counts too.
template <class T>
class ScopeProbePrimitive {
 public:
  static constexpr rcubench::UpdatePolicy kUpdatePolicy = rcubench::UpdatePolicy::kSerialized;
  static inline std::atomic<int> sole_scopes{0}, plain_scopes{0}, plain_updates{0};
  static inline std::atomic<std::uintptr_t> address{0};
  explicit ScopeProbePrimitive(T initial) : current_(std::make_unique<T>(std::move(initial))) {
    address = reinterpret_cast<std::uintptr_t>(this);
  }
  struct ThreadScope {
    explicit ThreadScope(ScopeProbePrimitive&) { ++plain_scopes; }
    ThreadScope(ScopeProbePrimitive&, rcubench::SoleUpdater) : sole(true) { ++sole_scopes; }
    void quiescent_state() {}
    bool sole = false;
  };
  template <class Fn>
  auto read(ThreadScope&, Fn&& fn) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fn(*current_);
  }
  template <class Fn>
  unsigned update(ThreadScope& scope, Fn&& make_next) {
    if (!scope.sole) ++plain_updates;
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = std::make_unique<T>(make_next(*current_));
    return 0;
  }

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<T> current_;
};
static_assert(rcubench::TakesSoleUpdater<ScopeProbePrimitive<Payload>>);
static_assert(!rcubench::TakesSoleUpdater<rcubench::MutexDescriptor::Impl<Payload>>);

TEST(Engine, GivesTheSoleUpdaterScopeOnlyToARunsOnlyUpdater) {
  using Impl = ScopeProbePrimitive<Payload>;
  for (int updaters : {1, 2}) {
    Impl::sole_scopes = Impl::plain_scopes = Impl::plain_updates = 0;
    auto r = short_run<Impl>(2, updaters);
    EXPECT_GT(r.updates, 0u);
    if (updaters == 1) {
      EXPECT_EQ(Impl::sole_scopes.load(), 1);
      EXPECT_EQ(Impl::plain_scopes.load(), 2);  // the readers'
      EXPECT_EQ(Impl::plain_updates.load(), 0);
    } else {
      EXPECT_EQ(Impl::sole_scopes.load(), 0);
      EXPECT_EQ(Impl::plain_scopes.load(), 4);
      EXPECT_EQ(Impl::plain_updates.load(), static_cast<int>(r.updates));
    }
  }
}

// The primitive starts a 128-byte pair of cache lines (OwnLines), in every run: with
// make_unique's 16-byte alignment, one run in 8 would start one by chance.
TEST(Engine, PlacesThePrimitiveAtTheStartOfAPairOfCacheLines) {
  using Impl = ScopeProbePrimitive<Payload>;
  static_assert(alignof(Impl) < 128);
  static_assert(sizeof(rcubench::detail::OwnLines<Impl>) % 128 == 0);
  for (int run = 0; run < 6; ++run) {
    short_run<Impl>(1, 1);
    EXPECT_EQ(Impl::address.load() % 128, 0u) << "run " << run;
  }
}

// A stalls run of the primitive named `name`: one reader (reader 0, which stalls), one
// flat-out updater, 0.1 s, a stall of `stall_us` every 40 ms (at 20 and 60 ms).
rcubench::WorkloadResult stalls_run(const std::string& name, double stall_us) {
  rcubench::WorkloadParams params;
  params.readers = 1;
  params.updaters = 1;
  params.duration_s = 0.1;
  params.stall_every_us = 40'000;
  params.stall_us = stall_us;
  rcubench::WorkloadResult r;
  const bool found = rcubench::visit_primitive<Payload>(
      name, [&]<class D, class Impl>() { r = rcubench::run_workload<Impl>(params); });
  EXPECT_TRUE(found) << name;
  return r;
}

// Every sample of a stalls run: one a millisecond from the start to the stop, in time order,
// with the updates and reads done so far never going back and never past the run's totals.
void expect_samples_every_millisecond(const rcubench::WorkloadResult& r) {
  ASSERT_EQ(r.memory.size(), 100u);  // One per period strictly before the 0.1 s stop.
  for (std::size_t i = 0; i < r.memory.size(); ++i) {
    EXPECT_GE(r.memory[i].t_s, 0.001 * static_cast<double>(i)) << i;
    if (i > 0) {
      EXPECT_GE(r.memory[i].t_s, r.memory[i - 1].t_s) << i;
      EXPECT_GE(r.memory[i].updates, r.memory[i - 1].updates) << i;
      EXPECT_GE(r.memory[i].reads, r.memory[i - 1].reads) << i;
    }
  }
  EXPECT_GT(r.memory.back().updates, 0u);
  EXPECT_GT(r.memory.back().reads, 0u);
  EXPECT_LE(r.memory.back().updates, r.updates);
  EXPECT_LE(r.memory.back().reads, r.reads);
}

// The samples inside reader 0's stalls, but the first two and the last of each (the stall
// flag is set a moment before the section is entered, when an update may be in flight,
// and cleared a moment after it is left): pairs of (first, last) sample index.
std::vector<std::pair<std::size_t, std::size_t>> stall_interiors(const rcubench::WorkloadResult& r) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (std::size_t i = 0; i < r.memory.size(); ++i) {
    if (!r.memory[i].stalled) continue;
    std::size_t last = i;
    while (last + 1 < r.memory.size() && r.memory[last + 1].stalled) ++last;
    if (last >= i + 4) spans.push_back({i + 2, last - 1});
    i = last;
  }
  return spans;
}

// A stalls run ends after reader 0's first stall, however late that comes: a smoke run of
// 25 ms whose reader the scheduler kept off its CPU once ended without one, and measured
// no stall. Here the schedule puts the first stall past the duration; it goes on, sampled
// every millisecond, until the stall is made, and for kStallGrace at most.
TEST(Engine, AStallsRunGoesOnUntilReaderZeroHasStalled) {
  auto run = [](double duration_s, double every_us, double stall_us) {
    rcubench::WorkloadParams params;
    params.readers = 1;
    params.updaters = 1;
    params.duration_s = duration_s;
    params.stall_every_us = every_us;
    params.stall_us = stall_us;
    rcubench::WorkloadResult r;
    rcubench::visit_primitive<Payload>(
        "rcu-memb", [&]<class D, class Impl>() { r = rcubench::run_workload<Impl>(params); });
    return r;
  };
  // The first stall at 20 ms (half a period) of a 10 ms run, 2 ms long.
  const auto late = run(0.01, 40'000, 2'000);
  EXPECT_EQ(late.stalls, 1u);
  EXPECT_GE(late.elapsed_s, 0.022);
  EXPECT_GE(late.memory.size(), 20u);  // sampled on through the extension
  EXPECT_TRUE(std::any_of(late.memory.begin(), late.memory.end(),
                          [](const rcubench::MemorySample& m) { return m.stalled; }));
  // The control of the same schedule (stall 0) has nothing to wait for: 10 samples, 1 a ms.
  const auto calm = run(0.01, 40'000, 0);
  EXPECT_EQ(calm.stalls, 0u);
  EXPECT_EQ(calm.memory.size(), 10u);
  // A first stall past the grace (at 5 s) is not waited for.
  const auto never = run(0.01, 10'000'000, 2'000);
  EXPECT_EQ(never.stalls, 0u);
  EXPECT_GE(never.elapsed_s, 0.01 + 0.9 * static_cast<double>(rcubench::kStallGrace.count()));
  EXPECT_LT(never.elapsed_s, 4.0);
  EXPECT_EQ(Payload::live_objects(), 0);
}

TEST(Engine, AStalledReaderHoldsBackDeferredFrees) {
  // call_rcu's frees wait for the stalled reader's grace period: 20 ms of flat-out updates
  // pile up (thousands natively, hundreds under qemu).
  auto r = stalls_run("rcu-memb-defer", 20'000);
  expect_samples_every_millisecond(r);
  EXPECT_GE(r.stalls, 1u);
  EXPECT_LE(r.stalls, 3u);
  EXPECT_GE(r.stalled_s, 0.020 * static_cast<double>(r.stalls));  // A sleep never ends early.
  long peak = 0;
  for (const auto& m : r.memory) peak = std::max(peak, m.objects);
  EXPECT_GE(peak, 50) << r.updates << " updates";
  // Its updater goes on while reader 0 stalls (the sleeping reader even leaves it a CPU):
  // about as fast as outside; a bound far below that, as a CPU shared with other machines'
  // work may take the updater's for a while, and far above a lock's none.
  const std::optional<double> in_stall = rcubench::stall_updates_ratio(r.memory);
  ASSERT_TRUE(in_stall);
  EXPECT_GT(*in_stall, 0.1);
  // Its updater goes on through the stalls, and the only reader, inside one, finishes no
  // timed batch there: the worst read of each of those samples is none (the sampler takes
  // each reader's worst and starts it again).
  const auto interiors = stall_interiors(r);
  ASSERT_FALSE(interiors.empty());
  std::uint64_t inside = 0;
  for (auto [first, last] : interiors) {
    inside += r.memory[last].updates - r.memory[first].updates;
    for (std::size_t i = first; i <= last; ++i)
      EXPECT_FALSE(r.memory[i].read_worst_ns) << r.memory[i].t_s;
  }
  EXPECT_GT(inside, 0u);
  // Between stalls the reader times a batch every few microseconds natively (slower under
  // qemu or a sanitizer): many samples have a worst read, and it is a time.
  std::size_t unstalled = 0, timed = 0;
  for (const auto& m : r.memory) {
    if (m.stalled) continue;
    ++unstalled;
    if (m.read_worst_ns) {
      ++timed;
      EXPECT_GT(*m.read_worst_ns, 0) << m.t_s;
    }
  }
  EXPECT_GE(4 * timed, unstalled);
  // The control: the same schedule and samples, no stall, nothing like that pile.
  auto calm = stalls_run("rcu-memb-defer", 0);
  expect_samples_every_millisecond(calm);
  EXPECT_EQ(calm.stalls, 0u);
  EXPECT_EQ(Payload::live_objects(), 0);
}

TEST(Engine, AStalledReaderStopsALocksUpdaterAndItHoldsNothing) {
  // rwlock-pthread updates in place: nothing is retired, and the updater waits out each
  // stall behind the reader's lock.
  auto r = stalls_run("rwlock-pthread", 20'000);
  expect_samples_every_millisecond(r);
  EXPECT_GE(r.stalls, 1u);
  EXPECT_GE(r.stalled_s, 0.020 * static_cast<double>(r.stalls));
  for (const auto& m : r.memory) EXPECT_EQ(m.objects, 0) << m.t_s;
  EXPECT_GT(r.updates, 0u);
  // The updates done so far stand still inside each stall: the updater waits for the lock.
  const auto interiors = stall_interiors(r);
  ASSERT_FALSE(interiors.empty());
  for (auto [first, last] : interiors)
    EXPECT_EQ(r.memory[last].updates, r.memory[first].updates) << r.memory[first].t_s;
  const std::optional<double> in_stall = rcubench::stall_updates_ratio(r.memory);
  ASSERT_TRUE(in_stall);
  EXPECT_LT(*in_stall, 0.25);  // the edges of a stall may see an update finish
  EXPECT_EQ(Payload::live_objects(), 0);
}

// The negative control of the memory samples: a primitive that always keeps kKept old
// objects must be seen holding that many once it has made them, and never more than an
// update in flight adds (the next object and the temporary it is moved from, before the
// oldest is freed).
// The updates/s inside the stalls against outside, from the samples alone: intervals with
// a stalled sample at one end only count for neither side.
TEST(Engine, StallUpdatesRatioComparesTheRatesInsideAndOutsideTheStalls) {
  using rcubench::MemorySample;
  auto samples = [](std::vector<std::uint64_t> updates, std::vector<bool> stalled) {
    std::vector<MemorySample> out;
    for (std::size_t i = 0; i < updates.size(); ++i)
      out.push_back({0.001 * static_cast<double>(i), 0, stalled[i], updates[i], 0, {}});
    return out;
  };
  // 10 a millisecond outside; none from 2 to 4 ms (the edges 1->2 and 4->5 not counted).
  EXPECT_EQ(rcubench::stall_updates_ratio(samples({0, 10, 20, 20, 20, 100, 110},
                                                  {0, 0, 1, 1, 1, 0, 0})),
            0.0);
  // 5 a millisecond inside.
  EXPECT_DOUBLE_EQ(*rcubench::stall_updates_ratio(samples({0, 10, 20, 25, 30, 100, 110},
                                                          {0, 0, 1, 1, 1, 0, 0})),
                   0.5);
  // No interval inside a stall, or none outside with updates: no ratio.
  EXPECT_FALSE(rcubench::stall_updates_ratio(samples({0, 10, 20, 30}, {0, 1, 0, 0})));
  EXPECT_FALSE(rcubench::stall_updates_ratio(samples({0, 0, 5, 5}, {0, 0, 1, 1})));
}

TEST(Engine, TheMemorySamplesSeeWhatAPrimitiveHoldsBack) {
  using Impl = DelayLinePrimitive<Payload>;
  rcubench::WorkloadParams params;
  params.readers = 1;
  params.updaters = 1;
  params.duration_s = 0.05;
  params.stall_every_us = 20'000;
  params.stall_us = 1'000;
  auto r = rcubench::run_workload<Impl>(params);
  ASSERT_EQ(r.memory.size(), 50u);
  ASSERT_GT(r.updates, Impl::kKept);
  const long kept = static_cast<long>(Impl::kKept);
  for (std::size_t i = 0; i < r.memory.size(); ++i) {
    EXPECT_LE(r.memory[i].objects, kept + 2) << r.memory[i].t_s;
    if (i >= 25) {
      EXPECT_GE(r.memory[i].objects, kept) << r.memory[i].t_s;
    }
  }
  // Without a stalls schedule there are no samples and no stalls.
  params.stall_every_us = 0;
  auto plain = rcubench::run_workload<Impl>(params);
  EXPECT_TRUE(plain.memory.empty());
  EXPECT_EQ(plain.stalls, 0u);
}

TEST(Engine, HandBareYardstickReads) {
  rcubench::WorkloadParams params;
  params.duration_s = 0.02;
  auto r = rcubench::run_hand_bare(params);
  EXPECT_GT(r.reads, 0u);
}

TEST(Engine, PinsWithinTheAffinityMaskUnlessOversubscribed) {
  const int cpus = static_cast<int>(rcubench::allowed_cpus().size());
  ASSERT_GE(cpus, 1);
  rcubench::WorkloadParams params;
  params.duration_s = 0.02;
  params.readers = cpus;
  auto fits = rcubench::run_workload<rcubench::BareDescriptor::Impl<Payload>>(params);
  EXPECT_FALSE(fits.oversubscribed);
  EXPECT_TRUE(fits.pinned);  // Every thread got its own CPU of the mask.
  params.readers = cpus + 1;
  auto over = rcubench::run_workload<rcubench::BareDescriptor::Impl<Payload>>(params);
  EXPECT_TRUE(over.oversubscribed);
  EXPECT_FALSE(over.pinned);
  params.pin = false;
  params.readers = 1;
  EXPECT_FALSE(rcubench::run_workload<rcubench::BareDescriptor::Impl<Payload>>(params).pinned);
}

TEST(RunContext, CpuListsAreRanges) {
  EXPECT_EQ(rcubench::cpu_list({0}), "0");
  EXPECT_EQ(rcubench::cpu_list({0, 1, 2, 3}), "0-3");
  EXPECT_EQ(rcubench::cpu_list({0, 1, 2, 5, 7, 8}), "0-2,5,7-8");
  EXPECT_EQ(rcubench::cpu_list({}), "");
}

// What a board's run records about the machine (docs/boards.md): every key, never empty,
// and the board named only where RCUBENCH_HOST names it.
TEST(RunContext, RecordsTheMachineFacts) {
  auto context = [] {
    std::map<std::string, std::string> m;
    for (auto& [k, v] : rcubench::run_context()) m[k] = v;
    return m;
  };
  unsetenv("RCUBENCH_HOST");
  auto here = context();
  for (const char* key : {"rcubench_cpu_id", "rcubench_affinity", "rcubench_governor",
                          "rcubench_isolated_cpus", "rcubench_host", "rcubench_cpu_model"}) {
    ASSERT_TRUE(here.contains(key)) << key;
    EXPECT_FALSE(here[key].empty()) << key;
  }
  EXPECT_EQ(here["rcubench_host"], "-");
  EXPECT_EQ(here["rcubench_affinity"], rcubench::cpu_list(rcubench::allowed_cpus()));
  if (here["rcubench_cpu_id"] != "-") {
    EXPECT_NE(here["rcubench_cpu_model"].find("[" + here["rcubench_cpu_id"] + "]"),
              std::string::npos);
  }
  setenv("RCUBENCH_HOST", "pi5", 1);
  EXPECT_EQ(context()["rcubench_host"], "pi5");
  unsetenv("RCUBENCH_HOST");
}

TEST(Config, ThreadCountsResolveAgainstTheCpus) {
  using rcubench::resolve_thread_counts;
  using V = std::vector<int>;
  // The default configs' expressions on 1, 2, 3, 64 and 256 CPUs.
  EXPECT_EQ(resolve_thread_counts("1..cpus", 1, 1), V({1}));
  EXPECT_EQ(resolve_thread_counts("1..cpus", 2, 1), V({1, 2}));
  EXPECT_EQ(resolve_thread_counts("1..cpus", 3, 1), V({1, 2, 3}));
  EXPECT_EQ(resolve_thread_counts("1..cpus", 64, 1), V({1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(resolve_thread_counts("1..cpus", 256, 1), V({1, 2, 4, 8, 16, 32, 64, 128, 256}));
  EXPECT_EQ(resolve_thread_counts("cpus-1", 1, 1), V({1}));  // never below the minimum
  EXPECT_EQ(resolve_thread_counts("cpus-1", 2, 1), V({1}));
  EXPECT_EQ(resolve_thread_counts("cpus-1", 3, 1), V({2}));
  EXPECT_EQ(resolve_thread_counts("cpus-1", 64, 1), V({63}));
  EXPECT_EQ(resolve_thread_counts("cpus-1", 256, 1), V({255}));
  EXPECT_EQ(resolve_thread_counts("cpus/2", 1, 1), V({1}));
  EXPECT_EQ(resolve_thread_counts("cpus/2", 3, 1), V({1}));
  EXPECT_EQ(resolve_thread_counts("cpus/2", 256, 1), V({128}));
  EXPECT_EQ(resolve_thread_counts("cpus", 64, 1), V({64}));
  EXPECT_EQ(resolve_thread_counts("cpus*2", 3, 1), V({6}));
  EXPECT_EQ(resolve_thread_counts("cpus + 1", 3, 1), V({4}));
  EXPECT_EQ(resolve_thread_counts("cpus-1", 1, 0), V({0}));  // updaters may be 0
  // An upper end from the CPUs stays at the lower end: 1..cpus-1 updaters on one CPU.
  EXPECT_EQ(resolve_thread_counts("1..cpus-1", 1, 0), V({1}));
  EXPECT_EQ(resolve_thread_counts("2..cpus/2", 2, 1), V({2}));
  EXPECT_EQ(resolve_thread_counts("3", 64, 1), V({3}));
  EXPECT_EQ(resolve_thread_counts("2..cpus/2", 64, 1), V({2, 4, 8, 16, 32}));
  EXPECT_EQ(resolve_thread_counts("3..20", 2, 1), V({3, 6, 12, 20}));
  for (const char* bad : {"", "cpu", "cpus-", "cpus%2", "cpus/0", "two", "-1", "4..2",
                          "1..cpus..2", "cpus-x"}) {
    EXPECT_THROW(resolve_thread_counts(bad, 4, 1), rcubench::ConfigError) << bad;
  }
  EXPECT_THROW(resolve_thread_counts("0", 4, 1), rcubench::ConfigError);  // literal below min
}

// Loads `text` as a configuration file on 2 CPUs; every test writes its own file.
std::vector<rcubench::PlannedRun> load_text(const std::string& text, const std::string& name) {
  const std::string path = ::testing::TempDir() + "rcubench_" + name + ".toml";
  std::ofstream(path) << text;
  return rcubench::load_config(path, std::nullopt, rcubench::primitive_list(), 2);
}

// The error load_text(text) throws, or "" if it loads.
std::string load_error(const std::string& text, const std::string& name) {
  try {
    load_text(text, name);
  } catch (const rcubench::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, ASweptParameterRunsOncePerValueInAscendingOrder) {
  auto runs = load_text(R"([scenario.a]
primitives = ["rcu-memb", "mutex"]
readers = [1, 2]
updaters = 1
updater_delay_us = [100, 1, 10, 10, 2.5]
)",
                        "swept_delay");
  // Readers outside, then the swept values (duplicates once), primitives inside.
  std::vector<std::string> got;
  for (const auto& run : runs) {
    EXPECT_EQ(run.swept, "updater_delay_us");
    got.push_back(fmt::format("{}/{}/{}", run.params.readers,
                              rcubench::sweep_value(run.params, "updater_delay_us"),
                              run.primitive));
  }
  std::vector<std::string> want;
  for (int r : {1, 2})
    for (const char* d : {"1", "2.5", "10", "100"})
      for (const char* p : {"rcu-memb", "mutex"}) want.push_back(fmt::format("{}/{}/{}", r, d, p));
  EXPECT_EQ(got, want);
}

TEST(Config, EachSweepableParameterTakesAListInGlobalOrScenario) {
  auto runs = load_text(R"([global]
read_work = [0, 64]
primitives = ["bare"]

[scenario.work]

[scenario.bytes]
read_work = 8
payload_bytes = [4096, 64]

[scenario.single]
payload_bytes = [128]
)",
                        "swept_each");
  std::vector<std::string> got;
  for (const auto& run : runs) {
    got.push_back(fmt::format("{} {} {} {} [{}]", run.workload, run.params.read_work,
                              run.params.payload_bytes, run.params.updater_delay_us, run.swept));
  }
  // A list of one value is a value, not a second sweep beside the global one.
  EXPECT_EQ(got, std::vector<std::string>(
                     {"work 0 64 0 [read_work]", "work 64 64 0 [read_work]",
                      "bytes 8 64 0 [payload_bytes]", "bytes 8 4096 0 [payload_bytes]",
                      "single 0 128 0 [read_work]", "single 64 128 0 [read_work]"}));
}

TEST(Config, BadSweepsAreOneErrorNamingFileLineAndKey) {
  struct Case {
    const char* name;
    const char* text;
    const char* error;  // what the message must contain after the file name
  };
  const Case cases[] = {
      {"empty", "[scenario.a]\nupdater_delay_us = []\n",
       ":2:20: [scenario.a] updater_delay_us: empty list"},
      {"negative_delay", "[scenario.a]\nupdater_delay_us = [1, -10]\n",
       ":2:24: [scenario.a] updater_delay_us: -10 is negative"},
      {"text_delay", "[scenario.a]\nupdater_delay_us = [1, \"10\"]\n",
       ":2:24: [scenario.a] updater_delay_us: expected a number"},
      {"fractional_work", "[scenario.a]\nread_work = [0, 1.5]\n",
       ":2:17: [scenario.a] read_work: expected an integer"},
      {"negative_work", "[global]\nread_work = [-1]\n",
       ":2:14: [global] read_work: -1 is negative; must be at least 0"},
      {"zero_bytes", "[scenario.a]\npayload_bytes = [64, 0]\n",
       ":2:22: [scenario.a] payload_bytes: 0 is too small; must be at least 1"},
      {"nested", "[scenario.a]\npayload_bytes = [[64]]\n",
       ":2:18: [scenario.a] payload_bytes: expected an integer"},
      {"two_swept", "[scenario.a]\nread_work = [0, 4]\nupdater_delay_us = [1, 10]\n",
       ":3:20: [scenario.a]: read_work and updater_delay_us are both swept; a scenario sweeps "
       "at most one of"},
      {"swept_in_global_too",
       "[global]\npayload_bytes = [64, 128]\n[scenario.a]\n"
       "read_work = [0, 4]\n",
       ":4:13: [scenario.a]: payload_bytes and read_work are both swept"},
  };
  for (const Case& c : cases) {
    const std::string error = load_error(c.text, c.name);
    EXPECT_NE(error.find(fmt::format("rcubench_{}.toml{}", c.name, c.error)), std::string::npos)
        << c.name << ": " << error;
  }
  // A scenario that sets one of two global lists to one value sweeps the other alone.
  EXPECT_EQ(load_error("[global]\nread_work = [0, 4]\npayload_bytes = [64, 128]\n"
                       "[scenario.a]\nread_work = 0\nprimitives = [\"bare\"]\n",
                       "overridden"),
            "");
}

// The update-side floor runs at the points with exactly one updater: "all" leaves it out
// of the others, and naming it for a scenario that has none is an error.
TEST(Config, RunsTheUpdateFloorWithExactlyOneUpdater) {
  auto runs = load_text(R"([scenario.none]
updaters = 0
[scenario.one]
updaters = 1
[scenario.paced]
updaters = 1
updater_delay_us = [10, 100]
[scenario.more]
updaters = [1, 2, 4]
[scenario.two]
updaters = 2
)",
                        "update_floor");
  std::multiset<std::string> floor_runs;
  std::set<std::string> mutex_runs;
  for (const auto& run : runs) {
    const std::string point = fmt::format("{}/{}", run.workload, run.params.updaters);
    if (run.primitive == "bare-update") floor_runs.insert(point);
    if (run.primitive == "mutex") mutex_runs.insert(point);
  }
  EXPECT_EQ(floor_runs, (std::multiset<std::string>{"one/1", "paced/1", "paced/1", "more/1"}));
  EXPECT_EQ(mutex_runs, (std::set<std::string>{"none/0", "one/1", "paced/1", "more/1", "more/2",
                                               "more/4", "two/2"}));
  const std::string error =
      load_error("[scenario.a]\nupdaters = 2\nprimitives = [\"bare-update\"]\n", "floor_two");
  EXPECT_NE(error.find("primitive 'bare-update' is the update-side floor and runs with exactly "
                       "one updater"),
            std::string::npos)
      << error;
}

TEST(Config, AStallsScenarioSweepsStallUsAndNeedsItsPeriod) {
  auto runs = load_text(R"([scenario.stalls]
primitives = ["rcu-memb-defer", "hazptr"]
updaters = 1
stall_every_us = 50000
stall_us = [10000, 0, 100]
)",
                        "stalls");
  std::vector<std::string> got;
  for (const auto& run : runs) {
    EXPECT_EQ(run.swept, "stall_us");
    EXPECT_EQ(run.params.stall_every_us, 50000);
    got.push_back(fmt::format("{}/{}", rcubench::sweep_value(run.params, "stall_us"), run.primitive));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"0/rcu-memb-defer", "0/hazptr", "100/rcu-memb-defer",
                                           "100/hazptr", "10000/rcu-memb-defer", "10000/hazptr"}));
  struct Case {
    const char* name;
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"stall_without_period", "[scenario.a]\nstall_us = [0, 100]\n",
       ":2:12: [scenario.a] stall_us: needs stall_every_us, how often reader 0 stalls"},
      {"negative_stall", "[scenario.a]\nstall_every_us = 1000\nstall_us = [0, -1]\n",
       ":3:16: [scenario.a] stall_us: -1 is negative"},
      {"zero_period", "[scenario.a]\nstall_every_us = 0\n",
       ":2:18: [scenario.a] stall_every_us: 0 must be greater than 0"},
      {"stall_and_delay_swept",
       "[scenario.a]\nstall_every_us = 1000\nstall_us = [0, 10]\nupdater_delay_us = [0, 1]\n",
       ": [scenario.a]: stall_us and updater_delay_us are both swept"},
  };
  for (const Case& c : cases) {
    const std::string error = load_error(c.text, c.name);
    EXPECT_NE(error.find(fmt::format("rcubench_{}.toml", c.name)), std::string::npos) << error;
    EXPECT_NE(error.find(c.error), std::string::npos) << c.name << ": " << error;
  }
}

TEST(Config, ParamsKeyIsStableAndChangesWithEveryParameter) {
  rcubench::WorkloadParams p;
  const std::string key = rcubench::params_key(p);
  EXPECT_EQ(key.size(), 8u);
  EXPECT_EQ(key, rcubench::params_key(p));
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
  std::vector<rcubench::WorkloadParams> edited(9, p);
  edited[0].duration_s = 1;
  edited[1].read_work = 1;
  edited[2].updater_delay_us = 1;
  edited[3].payload_bytes = 128;
  edited[4].pin = false;
  edited[5].qs_every = 1;
  edited[6].verify = true;
  edited[7].sample_every = 1;
  edited[8].measure = rcubench::Measure::kGracePeriods;
  std::set<std::string> keys = {key};
  for (const auto& e : edited) keys.insert(rcubench::params_key(e));
  EXPECT_EQ(keys.size(), 10u);
  // Thread counts are in the name already, not in the key.
  p.readers = 7;
  EXPECT_EQ(rcubench::params_key(p), key);
  // The key of a run without stalls is what it was before stalls existed: a recorded
  // history's series go on. A stall schedule, and each stall length, make new series.
  EXPECT_EQ(key, "2a9feff1");
  p.stall_us = 100;
  EXPECT_EQ(rcubench::params_key(p), key);  // No schedule: no stalls, the same run.
  p.stall_every_us = 1000;
  const std::string stalls = rcubench::params_key(p);
  EXPECT_NE(stalls, key);
  p.stall_us = 0;
  EXPECT_NE(rcubench::params_key(p), stalls);
  EXPECT_NE(rcubench::params_key(p), key);
}

}  // namespace
