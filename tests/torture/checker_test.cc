// The checker as a whole: it passes correct primitives, reports read-only ones as such,
// and catches each negative control with the right kind of error.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "baselines/registry.h"
#include "rcu/retire.h"
#include "torture/negative_controls.h"
#include "torture/options.h"
#include "torture/torture.h"

namespace {

using rcubench::torture::Config;
using rcubench::torture::ErrorKind;
using rcubench::torture::Mode;
using rcubench::torture::Result;
using rcubench::torture::run_torture;

Config short_run(double seconds = 0.5) {
  Config config = rcubench::torture::config_for(Mode::kSmoke);
  config.duration = std::chrono::duration<double>(seconds);
  config.stutter_run = std::chrono::milliseconds(150);
  config.stutter_pause = std::chrono::milliseconds(20);
  config.seed = 12345;
  config.progress = nullptr;
  return config;
}

TEST(TortureTargets, CoverEveryRegisteredPrimitiveAndEveryControl) {
  std::set<std::string> registered;
  for (const auto& info : rcubench::primitive_list()) registered.emplace(info.name);
  std::set<std::string> targets, controls;
  for (const auto& t : rcubench::torture::torture_targets()) {
    (t.negative_control ? controls : targets).emplace(t.name);
  }
  EXPECT_EQ(targets, registered);
  EXPECT_EQ(controls,
            (std::set<std::string>{"broken-no-grace-period", "broken-publish-before-init",
                                   "broken-arc-swap-no-pay", "broken-shared-ptr-no-ref",
                                   "broken-hazptr-no-retire", "broken-in-place-unprotected",
                                   "broken-left-right-no-wait", "broken-batch-early-callback",
                                   "broken-batch-overflow-no-wait"}));
  const auto all = rcubench::torture::registered_targets();
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), registered);
}

TEST(TortureChecker, PassesACorrectRcuPrimitive) {
  const Result r = run_torture("rcu-memb", short_run());
  EXPECT_TRUE(r.passed()) << r.total_errors() << " errors";
  EXPECT_GT(r.reads, 0u);
  EXPECT_GT(r.updates, 0u);
  EXPECT_EQ(r.final_generation, r.updates);
  EXPECT_TRUE(r.grace_periods);
  EXPECT_GT(r.quarantine.retired, 0u) << "objects should be freed through the quarantine";
  EXPECT_EQ(r.histogram.total(), r.reads);
  EXPECT_EQ(r.histogram.past_grace_period(), 0u);
  EXPECT_GT(r.churned_threads, 0u);
}

TEST(TortureChecker, PassesADeferredFreeQsbrPrimitive) {
  const Result r = run_torture("rcu-qsbr-defer", short_run());
  EXPECT_TRUE(r.passed()) << r.total_errors() << " errors";
  EXPECT_GT(r.updates, 0u);
  EXPECT_EQ(r.final_generation, r.updates);
}

// The locks update in place: nothing is allocated or freed, and every check still runs.
TEST(TortureChecker, PassesALockWithoutGracePeriods) {
  for (const char* name : {"rwlock-pthread", "perthread-lock"}) {
    const Result r = run_torture(name, short_run());
    EXPECT_TRUE(r.passed()) << name << ": " << r.total_errors() << " errors";
    EXPECT_FALSE(r.grace_periods) << name;
    EXPECT_TRUE(r.in_place) << name;
    EXPECT_GT(r.updates, 0u) << name;
    EXPECT_EQ(r.final_generation, r.updates) << name;
    EXPECT_EQ(r.quarantine.retired, 0u) << name << ": an in-place update frees nothing";
    EXPECT_EQ(r.histogram.total(), r.reads) << name;
  }
}

TEST(TortureChecker, PassesCompareAndSwapUpdatersWithoutLosingUpdates) {
  Config config = short_run();
  config.updaters = 3;
  for (const char* name : {"arc-swap", "atomic-shared-ptr"}) {
    const Result r = run_torture(name, config);
    if (r.skipped) continue;  // atomic-shared-ptr under ThreadSanitizer: docs/tsan.md.
    EXPECT_TRUE(r.passed()) << name << ": " << r.total_errors() << " errors";
    EXPECT_EQ(r.policy, "compare-and-swap");
    EXPECT_GT(r.retries, 0u) << name << ": updaters never collided";
    EXPECT_EQ(r.final_generation, r.updates) << name;
  }
}

TEST(TortureChecker, BareIsReadOnlyAndStillReads) {
  const Result r = run_torture("bare", short_run());
  EXPECT_TRUE(r.read_only);
  EXPECT_EQ(r.updaters, 0);
  EXPECT_EQ(r.updates, 0u);
  EXPECT_EQ(r.final_generation, 0u);
  EXPECT_GT(r.reads, 0u);
  EXPECT_EQ(r.histogram.total(), r.reads);
  EXPECT_TRUE(r.passed());
}

TEST(TortureNegativeControl, NoGracePeriodIsCaught) {
  const Result r = run_torture("broken-no-grace-period", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kTooShortGracePeriod), 0u);
  EXPECT_GT(r.histogram.past_grace_period(), 0u);
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  // Nothing else is broken about it.
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLeakOrDoubleFree), 0u);
}

TEST(TortureNegativeControl, PublishBeforeInitIsCaught) {
  const Result r = run_torture("broken-publish-before-init", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kUninitialised), 0u);
  // Its grace periods are real: no reader sees a freed object.
  EXPECT_EQ(r.error(ErrorKind::kTooShortGracePeriod), 0u);
  EXPECT_EQ(r.error(ErrorKind::kUseAfterFree), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
}

// A primitive that frees through its own node (no grace period) and frees too early is
// reported as a use after free: the node went to the quarantine, not back to malloc.
TEST(TortureNegativeControl, ArcSwapSkippingItsDebtPayOffIsCaught) {
  const Result r = run_torture("broken-arc-swap-no-pay", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  EXPECT_GT(r.quarantine.retired, 0u);
}

TEST(TortureNegativeControl, SharedPtrReaderWithoutAReferenceIsCaught) {
  const Result r = run_torture("broken-shared-ptr-no-ref", short_run());
  if (r.skipped) GTEST_SKIP() << r.skip_reason;
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  EXPECT_GT(r.quarantine.retired, 0u);
}

TEST(TortureNegativeControl, HazptrFreeingWithoutAScanIsCaught) {
  const Result r = run_torture("broken-hazptr-no-retire", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
}

TEST(TortureChecker, PassesHazardPointersInBothFenceModes) {
  for (const char* name : {"hazptr", "hazptr-symmetric"}) {
    const Result r = run_torture(name, short_run());
    EXPECT_TRUE(r.passed()) << name << ": " << r.total_errors() << " errors";
    EXPECT_GT(r.updates, 0u) << name;
    EXPECT_GT(r.quarantine.retired, 0u) << name << ": retirees go through the quarantine";
  }
}

// The locks' in-place update with readers that skip the lock: readers see the object
// half-written (torn) and changing between their two looks. A torn read needs a reader
// inside the object while the writer is halfway through it; on a loaded 2-CPU machine one
// short run may not line the two up, so up to six runs, each of which must fail, until
// both kinds have been seen.
TEST(TortureNegativeControl, InPlaceObjectRewrittenUnderReadersIsCaught) {
  std::uint64_t torn = 0, changed = 0;
  for (int run = 0; run < 6 && (torn == 0 || changed == 0); ++run) {
    const Result r = run_torture("broken-in-place-unprotected", short_run());
    EXPECT_TRUE(r.in_place);
    EXPECT_FALSE(r.passed());
    torn += r.error(ErrorKind::kTorn);
    changed += r.error(ErrorKind::kChangedUnderReader);
    // Updaters still hold their lock, and nothing is freed.
    EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
    EXPECT_EQ(r.error(ErrorKind::kUseAfterFree), 0u);
    EXPECT_EQ(r.error(ErrorKind::kTooShortGracePeriod), 0u);
    EXPECT_EQ(r.error(ErrorKind::kLeakOrDoubleFree), 0u);
  }
  EXPECT_GT(changed, 0u);
  EXPECT_GT(torn, 0u);
}

TEST(TortureNegativeControl, LeftRightWriterThatDoesNotWaitIsCaught) {
  const Result r = run_torture("broken-left-right-no-wait", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kChangedUnderReader), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
}

// The batched retire path (rcu/retire.h) frees a block either from its call_rcu callback or,
// past the bound on blocks in flight, from its thread's overflow list after a synchronize.
// Each control breaks one of the two; each test also shows the run went through that path.
TEST(TortureNegativeControl, BatchBlockFreedBeforeItsGracePeriodIsCaught) {
  using Flavor = rcubench::torture::EarlyCallbackFlavor;
  const auto callbacks_before = Flavor::early_callbacks.load();
  const Result r = run_torture("broken-batch-early-callback", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kTooShortGracePeriod), 0u);
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  EXPECT_GT(Flavor::early_callbacks.load(), callbacks_before) << "no block went to call_rcu";
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLeakOrDoubleFree), 0u);
}

TEST(TortureNegativeControl, BatchOverflowWithoutAGracePeriodIsCaught) {
  using Flavor = rcubench::torture::StalledCallbacksFlavor;
  const auto calls_before = Flavor::calls.load();
  const auto skipped_before = Flavor::skipped_waits.load();
  const Result r = run_torture("broken-batch-overflow-no-wait", short_run());
  EXPECT_FALSE(r.passed());
  EXPECT_GT(r.error(ErrorKind::kTooShortGracePeriod), 0u);
  EXPECT_GT(r.error(ErrorKind::kUseAfterFree), 0u);
  // Only the first kMaxBlocksInFlight blocks reached call_rcu; every later one overflowed
  // and was freed after a synchronize that skipped its wait (thousands of bursts each end
  // with one; the Rcu's destructor adds one more).
  EXPECT_EQ(Flavor::calls.load() - calls_before,
            static_cast<std::uint64_t>(rcu::detail::kMaxBlocksInFlight));
  EXPECT_GT(Flavor::skipped_waits.load() - skipped_before, 100u);
  EXPECT_EQ(r.error(ErrorKind::kLostUpdates), 0u);
  EXPECT_EQ(r.error(ErrorKind::kLeakOrDoubleFree), 0u);
}

TEST(TortureChecker, PassesTheInPlacePrimitives) {
  for (const char* name : {"seqlock", "left-right", "left-right-perthread"}) {
    const Result r = run_torture(name, short_run());
    EXPECT_TRUE(r.passed()) << name << ": " << r.total_errors() << " errors";
    EXPECT_GT(r.updates, 0u) << name;
    EXPECT_EQ(r.final_generation, r.updates) << name;
    EXPECT_EQ(r.in_place, std::string(name) == "left-right") << name;
  }
}

TEST(TortureReport, JsonSummaryCarriesTheVerdictAndHistogram) {
  const Config config = short_run(0.2);
  const Result r = run_torture("mutex", config);
  const std::string json = rcubench::torture::json_summary(r, config);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find("\"primitive\":\"mutex\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"verdict\":\"pass\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"histogram\":" + r.histogram.json()), std::string::npos) << json;
}

// Options: good input parses, bad input names the option and the value.
rcubench::torture::ParsedOptions parse(std::vector<const char*> args) {
  return rcubench::torture::parse_options(args);
}

TEST(TortureOptions, ParsesEveryOption) {
  auto p = parse({"--primitive", "rcu-memb,mutex", "--mode=soak", "--duration", "2.5", "--readers",
                  "4", "--updaters=1", "--seed", "99"});
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.options.primitives, (std::vector<std::string>{"rcu-memb", "mutex"}));
  EXPECT_EQ(p.options.mode, Mode::kSoak);
  EXPECT_DOUBLE_EQ(*p.options.duration_s, 2.5);
  EXPECT_EQ(p.options.readers, 4);
  EXPECT_EQ(p.options.updaters, 1);
  EXPECT_EQ(*p.options.seed, 99u);
}

TEST(TortureOptions, AllMeansEveryRegisteredPrimitiveButNoControl) {
  auto p = parse({"--primitive", "all"});
  ASSERT_EQ(p.error, "");
  EXPECT_EQ(p.options.primitives, rcubench::torture::registered_targets());
  EXPECT_EQ(parse({}).options.primitives, rcubench::torture::registered_targets());
  auto controls = parse({"--primitive", "broken-publish-before-init"});
  EXPECT_EQ(controls.error, "");
}

TEST(TortureOptions, BadInputNamesTheOptionAndTheValue) {
  const std::vector<std::pair<std::vector<const char*>, std::string>> cases = {
      {{"--primitive", "nope"}, "rcutorture: --primitive: unknown primitive 'nope' (see --list)"},
      {{"--primitive", "mutex,nope"},
       "rcutorture: --primitive: unknown primitive 'nope' (see --list)"},
      {{"--readers", "0"}, "rcutorture: --readers: '0' is not a thread count from 1 to 256"},
      {{"--updaters", "-1"}, "rcutorture: --updaters: '-1' is not a thread count from 1 to 256"},
      {{"--readers", "3x"}, "rcutorture: --readers: '3x' is not a thread count from 1 to 256"},
      {{"--duration", "0"},
       "rcutorture: --duration: '0' is not a positive number of seconds (at most a week)"},
      {{"--duration", "abc"},
       "rcutorture: --duration: 'abc' is not a positive number of seconds (at most a week)"},
      {{"--mode", "quick"}, "rcutorture: --mode: 'quick' is not smoke or soak"},
      {{"--seed", "-5"}, "rcutorture: --seed: '-5' is not a non-negative integer"},
      {{"--readers"}, "rcutorture: --readers: missing value"},
      {{"--frobnicate"}, "rcutorture: unknown option '--frobnicate' (see --help)"},
  };
  for (const auto& [args, message] : cases) {
    EXPECT_EQ(parse(args).error, message) << args[0];
  }
}

}  // namespace
