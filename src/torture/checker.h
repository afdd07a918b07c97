// The torture checker: runs one primitive (primitive.h) under readers, updaters and
// thread churn with injected stalls, and checks every read.
//
// Readers look at the current object twice per critical section, with a random stall in
// between, and record its highest pipeline stage in the histogram; any stage of 2 or more
// means the primitive freed an object a reader was still in (a too-short grace period).
// Each look also checks poison (use after free), the magic word (publication before
// initialisation), payload and checksum (torn objects), that the object did not change
// between the looks and that generations never go backwards for a reader. Updaters of a
// copy-update primitive mark the object they replace (stage 1) from make_next and build
// the next generation; those of an in-place primitive rewrite the current object as the
// next generation (it stays at stage 0: nothing is replaced or freed), where only the
// primitive keeps readers from seeing it half-written (torn) or changing under them. At
// the end the final generation must equal the number of updates, and every object must
// have been destroyed exactly once.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "baselines/atomic_shared_ptr.h"
#include "baselines/primitive.h"
#include "baselines/rcu_pointer.h"
#include "baselines/urcu_raw.h"
#include "rcu/detail/tsan.h"
#include "torture/errors.h"
#include "torture/object.h"
#include "torture/pipe_histogram.h"
#include "torture/quarantine.h"
#include "torture/stress.h"

namespace rcubench::torture {

enum class Mode { kSmoke, kSoak };

struct Config {
  Mode mode = Mode::kSmoke;
  std::chrono::duration<double> duration{1.5};
  int readers = 3;
  int updaters = 2;
  std::uint64_t seed = 1;
  bool thread_churn = true;
  std::chrono::milliseconds stutter_run{300};
  std::chrono::milliseconds stutter_pause{30};
  std::chrono::duration<double> progress_interval{0.5};
  std::FILE* progress = stderr;  // progress lines; nullptr for none
};

// Defaults per mode: smoke runs for seconds in ctest, soak for as long as asked.
Config config_for(Mode mode);

struct Result {
  std::string primitive;
  std::string policy;
  bool read_only = false;
  bool grace_periods = false;  // the primitive frees replaced objects after grace periods
  bool in_place = false;       // the primitive updates its object in place (primitive.h)
  bool skipped = false;
  std::string skip_reason;
  int readers = 0;
  int updaters = 0;
  double elapsed_s = 0;
  std::uint64_t reads = 0;
  std::uint64_t updates = 0;
  std::uint64_t retries = 0;
  std::uint64_t final_generation = 0;
  std::uint64_t stalls = 0;
  std::uint64_t churned_threads = 0;
  std::uint64_t affinity_moves = 0;
  std::string affinity;
  PipeHistogram histogram;
  std::array<std::uint64_t, kErrorKinds> errors{};
  Quarantine::Stats quarantine;  // during this run

  std::uint64_t error(ErrorKind kind) const { return errors[static_cast<std::size_t>(kind)]; }
  std::uint64_t total_errors() const {
    std::uint64_t sum = 0;
    for (std::uint64_t n : errors) sum += n;
    return sum;
  }
  bool passed() const { return !skipped && total_errors() == 0; }
};

// Primitives that ThreadSanitizer cannot run or check, and why (docs/tsan.md); empty for
// the others.
//
// liburcu's signal flavor: TSan delivers an asynchronous signal only when the receiving
// thread next enters or leaves an intercepted call, and a signal-flavor grace period waits
// for every registered thread's SIGUSR1 handler, so a registered thread blocked in a mutex
// or a futex (its call_rcu thread always is) stalls it for good.
//
// std::atomic<std::shared_ptr> in libstdc++ 12: load() takes the pointer-bit spin lock with
// acquire but releases it with a relaxed RMW, so its read of the stored pointer is not
// ordered before the next store's write of it. A data race by the C++ memory model, which
// TSan reports in libstdc++'s header, not in this project's code.
inline constexpr std::string_view kSignalFlavorUnderTsan =
    "liburcu's signal flavor cannot run under ThreadSanitizer: TSan defers SIGUSR1 until "
    "the thread enters or leaves an intercepted call, and a grace period waits for it";
inline constexpr std::string_view kAtomicSharedPtrUnderTsan =
    "libstdc++ 12's std::atomic<std::shared_ptr>::load unlocks with a relaxed RMW; TSan "
    "reports the race on its stored pointer (inside libstdc++)";
template <class Impl>
inline constexpr std::string_view kTsanSkipReason{};
template <FreeMode M, class T>
inline constexpr std::string_view kTsanSkipReason<RcuPrimitive<rcu::Signal, M, T>> =
    kSignalFlavorUnderTsan;
template <class T>
inline constexpr std::string_view kTsanSkipReason<UrcuPrimitive<rcu::Signal, T>> =
    kSignalFlavorUnderTsan;
template <class T, bool kHoldsReference>
inline constexpr std::string_view kTsanSkipReason<AtomicSharedPtrPrimitive<T, kHoldsReference>> =
    kAtomicSharedPtrUnderTsan;

template <class Impl>
class Checker {
  static_assert(PrimitiveFor<Impl, TortureObject>);
  using Scope = typename Impl::ThreadScope;
  using Clock = std::chrono::steady_clock;
  static constexpr bool kReadOnly = Impl::kUpdatePolicy == UpdatePolicy::kReadOnly;

 public:
  Checker(std::string_view name, const Config& config)
      : name_(name),
        config_(config),
        affinity_(AffinityChurn::probe()),
        stutter_(Clock::now(), config.stutter_run, config.stutter_pause) {}

  Result run() {
    Result r;
    r.primitive = std::string(name_);
    r.policy = std::string(to_string(Impl::kUpdatePolicy));
    r.read_only = kReadOnly;
    r.grace_periods = HasGracePeriod<Impl>;
    r.in_place = UpdatesInPlace<Impl, TortureObject>;
    r.readers = config_.readers;
    r.updaters = kReadOnly ? 0 : config_.updaters;
    r.affinity = affinity_.status();
    if constexpr (rcu::detail::kTsan && !kTsanSkipReason<Impl>.empty()) {
      r.skipped = true;
      r.skip_reason = std::string(kTsanSkipReason<Impl>);
      return r;
    }

    // Relaxed counts, read after the joins.
    const long live_before = TortureObject::live.load(std::memory_order_relaxed);
    const long twice_before = TortureObject::destroyed_twice.load(std::memory_order_relaxed);
    const Quarantine::Stats quarantine_before = Quarantine::totals();

    primitive_ = std::make_unique<Impl>(TortureObject(0));
    const auto start = Clock::now();
    stutter_ = Stutter(start, config_.stutter_run, config_.stutter_pause);
    std::vector<std::thread> threads;
    for (int i = 0; i < config_.readers; ++i) threads.emplace_back([this, i] { reader(i); });
    if constexpr (!kReadOnly) {
      for (int i = 0; i < config_.updaters; ++i) threads.emplace_back([this, i] { updater(i); });
    }
    if (config_.thread_churn) threads.emplace_back([this] { churn(); });

    wait_and_report_progress(start);
    // Relaxed: a flag only; the joins order everything the threads did before the checks.
    stop_.store(true, std::memory_order_relaxed);
    for (auto& t : threads) t.join();
    r.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();

    // The last word: the current object is whole, and its generation counts every update.
    // (A scope of its own: a QSBR thread must not have been online while it joined.)
    Sample last;
    {
      Scope scope(*primitive_);
      last = primitive_->read(scope, [](const TortureObject& object) { return object.sample(); });
    }
    if (!last.live()) errors_.add(ErrorKind::kCorruptCurrent);
    const std::uint64_t updates = counter(updates_);
    r.final_generation = last.generation;
    if (last.generation != updates) {
      errors_.add(ErrorKind::kLostUpdates, last.generation > updates ? last.generation - updates
                                                                     : updates - last.generation);
    }
    primitive_.reset();

    // Relaxed counts, read after the joins and after the primitive's destructor, which
    // waits for its deferred frees.
    const long leaked = TortureObject::live.load(std::memory_order_relaxed) - live_before;
    const long twice =
        TortureObject::destroyed_twice.load(std::memory_order_relaxed) - twice_before;
    if (leaked != 0) errors_.add(ErrorKind::kLeakOrDoubleFree, leaked > 0 ? leaked : -leaked);
    if (twice != 0) errors_.add(ErrorKind::kLeakOrDoubleFree, twice);

    const Quarantine::Stats quarantine_after = Quarantine::totals();
    r.quarantine.fresh = quarantine_after.fresh - quarantine_before.fresh;
    r.quarantine.recycled = quarantine_after.recycled - quarantine_before.recycled;
    r.quarantine.retired = quarantine_after.retired - quarantine_before.retired;
    r.quarantine.depth = quarantine_after.depth;

    r.reads = counter(reads_);
    r.updates = updates;
    r.retries = counter(retries_);
    r.stalls = counter(stalls_);
    r.churned_threads = counter(churned_);
    r.affinity_moves = counter(affinity_moves_);
    {
      std::lock_guard<std::mutex> lock(histogram_mutex_);
      r.histogram = histogram_;
    }
    for (std::size_t i = 0; i < kErrorKinds; ++i)
      r.errors[i] = errors_.get(static_cast<ErrorKind>(i));
    return r;
  }

 private:
  // What one reader thread accumulates.
  struct ReaderState {
    PipeHistogram histogram;
    std::uint64_t newest_generation = 0;
    std::uint64_t stalls = 0;
  };
  struct Looks {
    Sample first;
    Sample second;
  };

  static std::uint64_t counter(const std::atomic<std::uint64_t>& c) {
    return c.load(std::memory_order_relaxed);  // A count; after the joins, or for progress.
  }
  static void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
    c.fetch_add(n, std::memory_order_relaxed);  // A count; see counter().
  }
  bool stopped() const {
    return stop_.load(std::memory_order_relaxed);  // A flag only; see run().
  }
  static void nap() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

  // One read-side critical section: look, stall, look again. Pinned from before the
  // primitive hands out its pointer until after the second look, so what is freed meanwhile
  // stays poisoned however long the reader stalls, and is never recycled into a new live
  // object that would pass every check (quarantine.h).
  void read_once(Scope& scope, ReaderState& state, Rng& rng) {
    Looks looks;
    {
      ReaderPin pin;
      looks = primitive_->read(scope, [&](const TortureObject& object) {
        Looks l;
        l.first = object.sample();
        if (stall_inside_critical_section(rng) != Stall::kNone) ++state.stalls;
        l.second = object.sample();
        return l;
      });
    }
    check(looks, state);
  }

  void check(const Looks& looks, ReaderState& state) {
    const Sample& a = looks.first;
    const Sample& b = looks.second;
    const std::uint64_t stage = std::max(a.stage, b.stage);
    state.histogram.add(stage);
    if (stage >= kStageFreed) errors_.add(ErrorKind::kTooShortGracePeriod);
    if (a.poisoned || b.poisoned) {
      errors_.add(ErrorKind::kUseAfterFree);
    } else if (a.magic != TortureObject::kLiveMagic || b.magic != TortureObject::kLiveMagic) {
      errors_.add(ErrorKind::kUninitialised);
    } else if (!a.consistent || !b.consistent) {
      errors_.add(ErrorKind::kTorn);
    } else {
      if (a.generation != b.generation) errors_.add(ErrorKind::kChangedUnderReader);
      if (a.generation < state.newest_generation) errors_.add(ErrorKind::kGenerationBackwards);
      state.newest_generation = std::max(state.newest_generation, b.generation);
    }
  }

  void merge(const ReaderState& state) {
    bump(stalls_, state.stalls);
    std::lock_guard<std::mutex> lock(histogram_mutex_);
    histogram_.merge(state.histogram);
  }

  void reader(int index) {
    Rng rng(config_.seed, 1 + static_cast<std::uint64_t>(index));
    ReaderState state;
    while (!stopped()) {
      if (stutter_.paused()) {
        nap();  // Holding no scope: a QSBR reader is offline while it pauses.
        continue;
      }
      if (affinity_.available() && rng.one_in(2) && affinity_.move(rng)) bump(affinity_moves_);
      // A fresh scope per batch: registration churn, and no scope outlives a batch.
      Scope scope(*primitive_);
      const std::uint64_t batch = 256 + rng.below(2048);
      std::uint64_t done = 0;
      while (done < batch) {
        read_once(scope, state, rng);
        scope.quiescent_state();
        if (++done % 64 == 0) {
          bump(reads_, 64);
          if (stopped() || stutter_.paused()) break;
        }
      }
      bump(reads_, done % 64);
    }
    affinity_.release();
    merge(state);
  }

  void updater(int index) {
    Rng rng(config_.seed, 1001 + static_cast<std::uint64_t>(index));
    auto check_current = [this](const TortureObject& current) {
      if (!current.sample().live()) errors_.add(ErrorKind::kCorruptCurrent);
    };
    auto make_next = [&](const TortureObject& current) {
      check_current(current);
      current.mark_replaced();
      return TortureObject(current.generation() + 1);
    };
    auto mutate = [&](TortureObject& current) {
      check_current(current);
      current.initialise(current.generation() + 1);
    };
    while (!stopped()) {
      if (stutter_.paused()) {
        nap();
        continue;
      }
      {
        Scope scope(*primitive_);
        // Mostly a few updates, sometimes a burst of hundreds back to back.
        const std::uint64_t burst = rng.one_in(8) ? 32 + rng.below(225) : 1 + rng.below(8);
        for (std::uint64_t k = 0; k < burst && !stopped(); ++k) {
          bump(retries_, apply_update(*primitive_, scope, make_next, mutate));
          bump(updates_);
          scope.quiescent_state();
        }
      }
      // Between bursts, with no scope held (a QSBR updater must not block online).
      if (rng.one_in(2)) {
        sched_yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(rng.below(100)));
      }
    }
  }

  // Short-lived threads: each registers, reads a little, unregisters and exits. The first
  // one runs whatever the stutter and the clock say, so every run churns at least once
  // (a slow run, under ThreadSanitizer, could otherwise end inside a pause).
  void churn() {
    Rng rng(config_.seed, 2001);
    for (bool first = true; first || !stopped(); first = false) {
      if (!first && stutter_.paused()) {
        nap();
        continue;
      }
      std::thread t([this, seed = rng.next()] {
        Rng thread_rng(seed, 0);
        ReaderState state;
        {
          Scope scope(*primitive_);
          for (int k = 0; k < 32; ++k) {
            read_once(scope, state, thread_rng);
            scope.quiescent_state();
          }
        }
        bump(reads_, 32);
        merge(state);
      });
      t.join();  // This thread holds no scope: joining blocks nobody's grace period.
      bump(churned_);
      nap();
    }
  }

  void wait_and_report_progress(Clock::time_point start) {
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(config_.duration);
    const auto interval = std::chrono::duration_cast<Clock::duration>(config_.progress_interval);
    auto next = start + interval;
    for (;;) {
      const auto now = Clock::now();
      if (now >= deadline) return;
      std::this_thread::sleep_until(std::min(next, deadline));
      if (config_.progress != nullptr && Clock::now() >= next && next < deadline) {
        fmt::print(config_.progress, "rcutorture {} [{:7.1f}s] reads {} updates {} errors {}\n",
                   name_, std::chrono::duration<double>(Clock::now() - start).count(),
                   counter(reads_), counter(updates_), errors_.total());
        std::fflush(config_.progress);
        next += interval;
      }
    }
  }

  std::string_view name_;
  Config config_;
  AffinityChurn affinity_;
  Stutter stutter_;
  std::unique_ptr<Impl> primitive_;
  std::atomic<bool> stop_{false};
  ErrorCounts errors_;
  std::atomic<std::uint64_t> reads_{0};
  std::atomic<std::uint64_t> updates_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> stalls_{0};
  std::atomic<std::uint64_t> churned_{0};
  std::atomic<std::uint64_t> affinity_moves_{0};
  std::mutex histogram_mutex_;
  PipeHistogram histogram_;
};

}  // namespace rcubench::torture
