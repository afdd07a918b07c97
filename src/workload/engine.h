// The workload engine: runs any primitive (baselines/primitive.h) with R reader threads
// and W updater threads for a duration, and measures throughput, sampled latencies, grace
// periods and the reclamation backlog.
//
// Threads start together (all register, then a start flag releases them), run until a
// stop flag, and keep their counters in their own cache lines. Reads are timed in whole
// batches (one clock pair per batch, so a ~20 ns clock does not swamp ~1 ns reads), and
// the batch that is timed is random: on average one in `sample_every` reads' worth. A
// flat-out updater times one update in kUpdateSampleEvery, picked at random, and samples
// the backlog after it: two clock reads and a sum over per-thread counters on every update
// would cost more than some updates do. Paced updaters keep a schedule and measure every
// update from its slot in it, so an update that overruns its period counts against every
// slot it delays (coordinated omission). A run with one updater gives it the sole
// updater's scope (baselines/primitive.h, SoleUpdater), where the primitive takes it: the
// lock that only serialises updaters is then held for the run, not taken per update, as
// in a program with one writer thread. Runs with more updaters measure the lock.
//
// A stalls scenario (stall_every_us > 0) makes reader 0 stay inside one read-side section
// for stall_us every stall_every_us, and has the main thread sample the objects retired
// but not yet freed every kMemorySamplePeriod: what a stalled reader costs each primitive
// in memory, measured on the workload's own live-object count for all of them alike. Each
// sample also takes the updates and reads done so far and the slowest timed read batch
// since the last sample, which every thread publishes at its timed operations only (the
// untimed ones, the hot path, are left as they are): what the stall costs in throughput
// and read latency, over time.
#pragma once

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "baselines/primitive.h"
#include "workload/histogram.h"
#include "workload/payload.h"
#include "workload/run_context.h"

namespace rcubench {

enum class Measure {
  kUpdates,       // updaters run updates (update_payload: in place or copy-updates)
  kGracePeriods,  // updaters wait for grace periods back to back (rcuscale)
};

struct WorkloadParams {
  int readers = 1;
  int updaters = 0;
  double duration_s = 0.5;
  std::uint32_t read_work = 0;  // dependent steps inside each read-side section
  double updater_delay_us = 0;  // pause between updates; 0 = flat out
  std::size_t payload_bytes = 64;
  bool pin = true;                    // pin thread i to the i-th CPU of the affinity mask,
                                      // when the run has no more threads than CPUs
  std::uint32_t qs_every = 64;        // reads between QSBR quiescent states
  bool verify = false;                // readers check every object's checksum
  std::uint32_t sample_every = 1024;  // reads per latency sample, on average
  Measure measure = Measure::kUpdates;
  // Reader 0 stays inside one read-side section for stall_us every stall_every_us (the
  // first stall half a period after the start); 0 = no stalls, no memory samples. A
  // stall_us of 0 keeps the schedule and the samples with no stall: the control.
  double stall_us = 0;
  double stall_every_us = 0;
};

// How often the main thread of a stalls run samples the memory held.
inline constexpr std::chrono::milliseconds kMemorySamplePeriod{1};
// How long a stalls run may go on past its duration for reader 0's first stall.
inline constexpr std::chrono::seconds kStallGrace{1};

// One sample of the memory held: objects retired but not yet freed, at `t_s` seconds from
// the start.
struct MemorySample {
  double t_s = 0;
  long objects = 0;
  bool stalled = false;  // reader 0 was inside a stall then
  // Done so far, as of each thread's last timed operation: a flat-out updater's count lags
  // by the updates since its last timed one (kUpdateSampleEvery on average).
  std::uint64_t updates = 0, reads = 0;
  // The slowest timed batch of reads finished since the previous sample, per read; none
  // if no reader finished one (every reader blocked, or between two timed batches).
  std::optional<double> read_worst_ns;
};

// Updates/s over the intervals between two samples that both saw reader 0 stalled, against
// updates/s over those between two that both did not (the edges, half in a stall, count
// for neither); none without both kinds, or with no updates outside the stalls. A
// flat-out updater's count moves in steps (MemorySample), which a stall of a few
// milliseconds already averages over.
inline std::optional<double> stall_updates_ratio(const std::vector<MemorySample>& samples) {
  double stalled_s = 0, calm_s = 0, stalled_updates = 0, calm_updates = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const MemorySample &a = samples[i - 1], &b = samples[i];
    if (a.stalled != b.stalled) continue;
    const double dt = b.t_s - a.t_s, du = static_cast<double>(b.updates - a.updates);
    (a.stalled ? stalled_s : calm_s) += dt;
    (a.stalled ? stalled_updates : calm_updates) += du;
  }
  if (!(stalled_s > 0) || !(calm_s > 0) || !(calm_updates > 0)) return std::nullopt;
  return (stalled_updates / stalled_s) / (calm_updates / calm_s);
}

// A flat-out updater times one update in this many, on average, and samples the backlog
// after it. 1 in 16 keeps the clock's share of a ~100 ns update to a few percent and still
// gives a 0.15 s run of 2 M updates/s the 10,000 samples its p99.9 needs.
inline constexpr std::uint32_t kUpdateSampleEvery = 16;

struct WorkloadResult {
  double elapsed_s = 0;
  std::uint64_t reads = 0;
  std::uint64_t updates = 0;
  std::uint64_t update_retries = 0;
  std::uint64_t verify_errors = 0;
  Histogram read_latency;  // per timed batch of read_batch reads: divide by read_batch
  std::uint32_t read_batch = 1;
  // Every update of a paced updater; one in kUpdateSampleEvery of a flat-out one, at
  // random. Every grace period.
  Histogram update_latency, grace_period_latency;
  // Per-thread throughput, ops per second: the slowest and the fastest reader and updater
  // (a starved thread shows as a low minimum). 0 without threads of that role.
  double reader_min_per_s = 0, reader_max_per_s = 0;
  double updater_min_per_s = 0, updater_max_per_s = 0;
  long backlog_peak_objects = 0;  // the most seen right after a timed update
  long backlog_end_objects = 0;
  std::size_t object_bytes = 0;
  // A stalls run: every memory sample, the stalls reader 0 made, and how long they lasted
  // in all (a stall ends when its section does: a lock's reader may wait to enter).
  std::vector<MemorySample> memory;
  std::uint64_t stalls = 0;
  double stalled_s = 0;
  bool pinned = false;          // pinning asked for and every thread got its CPU
  bool oversubscribed = false;  // more threads than CPUs in the affinity mask: never pinned
};

namespace detail {

using Clock = std::chrono::steady_clock;

inline std::uint64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

// Pins the calling thread to `cpu`; false if the system refuses.
inline bool pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// A run's primitive, alone on its cache lines: it starts on a 128-byte boundary (the pair
// of lines that adjacent-line prefetchers fetch together) and its size is a multiple of
// 128, so no other object shares its lines, and where its own hot words fall against its
// lines is the same in every build. With make_unique's 16-byte alignment that moved with
// unrelated code: the same bare-update loop ran at 13-17 M updates/s in one build and at
// 32-37 M in another that differed only in code that bare-update does not run.
template <class P>
struct alignas(128) OwnLines {
  template <class... Args>
  explicit OwnLines(Args&&... args) : primitive(std::forward<Args>(args)...) {}
  P primitive;
};

// Per-thread results, each in its own cache lines.
struct alignas(64) ThreadResult {
  std::uint64_t ops = 0;
  std::uint64_t retries = 0;
  std::uint64_t errors = 0;
  std::uint64_t sink = 0;
  long backlog_peak = 0;
  std::uint64_t stalls = 0;
  std::uint64_t stalled_ns = 0;
  bool pinned = true;
  Histogram latency;
  Histogram grace_periods;
};

// What one thread has done so far, for the memory sampler of a stalls run (in its own
// cache line: the sampler reads it once a millisecond).
struct alignas(64) Progress {
  std::atomic<std::uint64_t> ops{0};
  std::atomic<std::uint64_t> worst_batch_ns{0};  // since the sampler last took it; 0 = none

  // At a timed operation only. Relaxed: the sampler's relaxed loads and exchange in
  // run_workload read these for the plots; nothing is published through them. A store that
  // loses the race with the sampler's exchange lands in the next window.
  void note(std::uint64_t ops_so_far, std::uint64_t batch_ns = 0) {
    ops.store(ops_so_far, std::memory_order_relaxed);
    if (batch_ns > worst_batch_ns.load(std::memory_order_relaxed))
      worst_batch_ns.store(batch_ns, std::memory_order_relaxed);
  }
};

// Start and stop, shared by all threads of one run.
struct RunControl {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::atomic<bool> stalled{false};  // reader 0 sleeps inside a stall (samples say so)
  // A stalls run with stalls to make (stall_us > 0) stops once reader 0 has made one.
  bool wants_stall = false;
  std::atomic<bool> stall_made{false};

  void arrive_and_wait() {
    ready.fetch_add(1, std::memory_order_relaxed);  // Counted only; the spin below orders.
    // Acquire: paired with the release store of `go` in run_workload.
    while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
  }
  bool stopping() const {
    return stop.load(std::memory_order_relaxed);  // A flag; results are read after join.
  }
  bool may_stop() const {
    // Relaxed: paired with stall_once's relaxed store; a flag, results are read after join.
    return !wants_stall || stall_made.load(std::memory_order_relaxed);
  }
};

// Sleeps until `deadline` on the monotonic clock (steady_clock's), by an absolute-time
// clock_nanosleep: no drift from the time it takes to compute the pause. Returns at
// once if the deadline has passed.
inline void sleep_until(Clock::time_point deadline) {
  static_assert(Clock::is_steady);
  const auto since_epoch = deadline.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  timespec at{static_cast<time_t>(seconds.count()),
              static_cast<long>(
                  std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds)
                      .count())};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr) == EINTR) {
  }
}

// Whether `threads` threads would share CPUs of this process's affinity mask.
inline bool oversubscribed(int threads) {
  return static_cast<std::size_t>(threads) > allowed_cpus().size();
}

inline void no_sample(double) {}

// Runs body(t, out) on `threads` threads that start together and run for `duration_s`
// (each body calls control.arrive_and_wait() once ready, then loops until
// control.stopping()); returns the seconds from start to stop. With params.pin and no
// more threads than CPUs, thread t runs on the t-th CPU of the affinity mask: a thread
// that migrates, or two that share a CPU while another idles, would measure the
// scheduler. Oversubscribed runs are left to the scheduler (pinning cannot help them).
// With a `sample` callable, the main thread calls sample(seconds since the start) every
// `sample_period` until the stop, instead of sleeping through the run.
template <class Body, class Sample = void (*)(double)>
double run_threads(int threads, const WorkloadParams& params, RunControl& control,
                   std::vector<ThreadResult>& results, Body body, Sample sample = no_sample,
                   Clock::duration sample_period = Clock::duration::zero()) {
  results.assign(static_cast<std::size_t>(threads), ThreadResult{});
  const std::vector<int> cpus = allowed_cpus();
  const bool pin = params.pin && static_cast<std::size_t>(threads) <= cpus.size();
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ThreadResult& out = results[static_cast<std::size_t>(t)];
      out.pinned = pin && pin_to_cpu(cpus[static_cast<std::size_t>(t)]);
      body(t, out);
    });
  }
  while (control.ready.load(std::memory_order_relaxed) < threads)
    std::this_thread::yield();  // Then `go` orders.
  auto start = Clock::now();
  control.go.store(true, std::memory_order_release);  // Paired with arrive_and_wait().
  const auto stop_at =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(params.duration_s));
  const bool sampling = sample_period > Clock::duration::zero();
  if (sampling) {
    for (auto at = start; at < stop_at; at += sample_period) {
      sleep_until(at);
      sample(std::chrono::duration<double>(Clock::now() - start).count());
    }
  }
  sleep_until(stop_at);
  // A stalls run that ended before reader 0's first stall measured no stall: a reader the
  // scheduler kept off its CPU for most of a 25 ms run did that. It goes on (sampled as
  // before) until the stall is made, for kStallGrace at most.
  const Clock::duration step = sampling ? sample_period : std::chrono::milliseconds(1);
  for (auto at = stop_at + step; !control.may_stop() && at < stop_at + kStallGrace; at += step) {
    sleep_until(at);
    if (sampling) sample(std::chrono::duration<double>(Clock::now() - start).count());
  }
  control.stop.store(true, std::memory_order_relaxed);  // A flag; join orders the results.
  auto end = Clock::now();
  for (auto& thread : pool) thread.join();
  return std::chrono::duration<double>(end - start).count();
}

// The number of reads one latency sample times: a batch of them.
inline std::uint32_t read_batch(const WorkloadParams& params) {
  return std::max<std::uint32_t>(1, std::min(params.sample_every, params.qs_every));
}

// How many operations (or batches) go by unsampled before the next sampled one: uniform
// in [0, 2 * every - 2], mean every - 1, so one in `every` is sampled on average and the
// samples lock onto no phase of another thread or of the quiescent states. xorshift64,
// seeded per thread.
class SampleGaps {
 public:
  SampleGaps(std::uint32_t every, const void* seed)
      : span_(2 * std::uint64_t{std::max<std::uint32_t>(1, every)} - 1),
        random_(0x9e3779b97f4a7c15ull ^ reinterpret_cast<std::uintptr_t>(seed)) {}
  std::uint32_t next() {
    random_ ^= random_ << 13;
    random_ ^= random_ >> 7;
    random_ ^= random_ << 17;
    return static_cast<std::uint32_t>(random_ % span_);
  }

 private:
  std::uint64_t span_;
  std::uint64_t random_;
};

inline Clock::duration microseconds(double us) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::micro>(us));
}

// `stalls`: this reader is the one that stalls (params.stall_every_us > 0). `progress`: in
// a stalls run, where to publish this reader's progress at its timed batches.
template <class P>
void reader_loop(P& primitive, const WorkloadParams& params, RunControl& control,
                 ThreadResult& out, bool stalls = false, Progress* progress = nullptr) {
  typename P::ThreadScope scope(primitive);
  const std::uint32_t work = params.read_work;
  const bool verify = params.verify;
  const std::uint32_t batch = read_batch(params);
  const std::uint32_t batches_per_sample = std::max<std::uint32_t>(1, params.sample_every / batch);
  const std::uint32_t batches_per_qs = std::max<std::uint32_t>(1, params.qs_every / batch);
  auto read_once = [&] {
    return primitive.read(scope, [&](const Payload& object) {
      std::uint64_t value = object.consume(work);
      if (verify && !object.intact()) ++out.errors;
      return value;
    });
  };
  // One read whose section lasts stall_us: the reader sleeps inside it. A section that
  // runs its function again (a seqlock's retry) sleeps only the first time.
  const Clock::duration stall_for = microseconds(params.stall_us),
                        stall_every = microseconds(params.stall_every_us);
  auto stall_once = [&] {
    bool slept = false;
    // Relaxed: a flag the sampler's relaxed load in run_workload reads for the plots;
    // nothing is published through it.
    control.stalled.store(true, std::memory_order_relaxed);
    const auto t0 = Clock::now();
    std::uint64_t value = primitive.read(scope, [&](const Payload& object) {
      if (!slept && stall_for > Clock::duration::zero()) sleep_until(Clock::now() + stall_for);
      slept = true;
      return object.consume(work);
    });
    out.stalled_ns += ns_between(t0, Clock::now());
    control.stalled.store(false, std::memory_order_relaxed);  // Relaxed: as above.
    // Relaxed: paired with may_stop()'s relaxed load; the stall's counts are read after join.
    control.stall_made.store(true, std::memory_order_relaxed);
    ++out.stalls;
    return value;
  };
  std::uint64_t sink = 0, ops = 0;
  SampleGaps gaps(batches_per_sample, &out);  // Untimed batches before the next timed one.
  // The first batch is timed: a reader starved by its updater (a writer-flooded rwlock)
  // still has a latency to report.
  std::uint32_t untimed = 0, since_qs = 0;
  control.arrive_and_wait();
  Clock::time_point next_stall = Clock::now() + stall_every / 2;
  while (!control.stopping()) {
    if (stalls && Clock::now() >= next_stall) {
      // Stall 0 keeps this check and the schedule: the control of the sweep.
      if (stall_for > Clock::duration::zero()) sink += stall_once();
      next_stall = std::max(next_stall + stall_every, Clock::now());
    }
    if (untimed == 0) {
      auto t0 = Clock::now();
      for (std::uint32_t i = 0; i < batch; ++i) sink += read_once();
      const std::uint64_t ns = ns_between(t0, Clock::now());
      out.latency.record(ns);
      if (progress) progress->note(ops + batch, ns);
      untimed = gaps.next();
    } else {
      for (std::uint32_t i = 0; i < batch; ++i) sink += read_once();
      --untimed;
    }
    ops += batch;
    if (++since_qs == batches_per_qs) {
      since_qs = 0;
      scope.quiescent_state();
    }
  }
  out.ops = ops;
  out.sink = sink;
}

// Objects alive but the current one: retired, not yet freed.
inline long backlog_objects() { return Payload::live_objects() - 1; }

// `progress`: as in reader_loop.
template <class P>
void updater_loop(P& primitive, const WorkloadParams& params, RunControl& control,
                  ThreadResult& out, Progress* progress = nullptr) {
  // The run's only updater gets the sole updater's scope where P takes it (primitive.h).
  std::optional<typename P::ThreadScope> scope_storage;
  typename P::ThreadScope& scope = emplace_scope(scope_storage, primitive, params.updaters == 1);
  const auto period =
      std::chrono::nanoseconds(static_cast<long long>(params.updater_delay_us * 1000));
  const bool paced = period.count() > 0;
  auto note_backlog = [&] { out.backlog_peak = std::max(out.backlog_peak, backlog_objects()); };
  std::uint64_t ops = 0, retries = 0;
  control.arrive_and_wait();
  if (params.measure == Measure::kGracePeriods || paced) {
    // A paced updater's schedule: slot k starts at start + k * period. An update is timed
    // from its slot, not from when it got to run, and a late updater runs the slots it
    // missed back to back instead of skipping them: a stall counts against every update
    // it delayed, as it would against the requests of a real service. Every update and
    // every grace period is timed: at most one per period, or each a grace period long.
    Clock::time_point slot = Clock::now();
    while (!control.stopping()) {
      if (paced) sleep_until(slot);
      const auto t0 = paced ? slot : Clock::now();
      if (params.measure == Measure::kGracePeriods) {
        if constexpr (HasGracePeriod<P>) primitive.grace_period();
        out.grace_periods.record(ns_between(t0, Clock::now()));
      } else {
        retries += update_payload(primitive, scope);
        out.latency.record(ns_between(t0, Clock::now()));
        note_backlog();
      }
      ++ops;
      if (progress) progress->note(ops);
      scope.quiescent_state();
      slot += period;
    }
  } else {
    // Flat out: one update in kUpdateSampleEvery is timed and followed by a backlog
    // sample; the first one is, so that even a starved updater has a latency.
    SampleGaps gaps(kUpdateSampleEvery, &out);
    std::uint32_t untimed = 0;
    while (!control.stopping()) {
      if (untimed == 0) {
        const auto t0 = Clock::now();
        retries += update_payload(primitive, scope);
        out.latency.record(ns_between(t0, Clock::now()));
        note_backlog();
        if (progress) progress->note(ops + 1);
        untimed = gaps.next();
      } else {
        retries += update_payload(primitive, scope);
        --untimed;
      }
      ++ops;
      scope.quiescent_state();
    }
  }
  out.ops = ops;
  out.retries = retries;
}

}  // namespace detail

// Runs one workload on primitive P over Payload objects.
template <class P>
WorkloadResult run_workload(const WorkloadParams& params) {
  using namespace detail;
  auto placed = std::make_unique<OwnLines<P>>(Payload(params.payload_bytes, 0));
  P* const primitive = &placed->primitive;
  const int threads = params.readers + params.updaters;
  const bool stalls = params.stall_every_us > 0;
  std::vector<ThreadResult> results;
  RunControl control;
  control.wants_stall = stalls && params.stall_us > 0;
  WorkloadResult result;
  if (stalls) result.memory.reserve(static_cast<std::size_t>(params.duration_s * 1000) + 16);
  std::vector<Progress> progress(stalls ? static_cast<std::size_t>(threads) : 0);
  auto sample = [&](double t_s) {
    // Relaxed: paired with nothing, the stall flag's relaxed stores in reader_loop; a
    // sample may see a stall's edge late.
    MemorySample m;
    m.t_s = t_s;
    m.objects = backlog_objects();
    m.stalled = control.stalled.load(std::memory_order_relaxed);
    std::uint64_t worst = 0;
    for (int t = 0; t < threads; ++t) {
      Progress& p = progress[static_cast<std::size_t>(t)];
      // Relaxed, this load and the exchange below: paired with Progress::note's relaxed
      // load and stores; a count may be a sample late, a worst read a window late.
      const std::uint64_t ops = p.ops.load(std::memory_order_relaxed);
      if (t < params.readers) {
        m.reads += ops;
        worst = std::max(worst, p.worst_batch_ns.exchange(0, std::memory_order_relaxed));
      } else {
        m.updates += ops;
      }
    }
    if (worst > 0) m.read_worst_ns = static_cast<double>(worst) / read_batch(params);
    result.memory.push_back(m);
  };
  double elapsed = run_threads(
      threads, params, control, results,
      [&](int t, ThreadResult& out) {
        Progress* mine = stalls ? &progress[static_cast<std::size_t>(t)] : nullptr;
        if (t < params.readers) {
          reader_loop(*primitive, params, control, out, stalls && t == 0, mine);
        } else {
          updater_loop(*primitive, params, control, out, mine);
        }
      },
      sample, stalls ? Clock::duration(kMemorySamplePeriod) : Clock::duration::zero());

  result.backlog_end_objects = backlog_objects();  // Before the probe below.
  result.elapsed_s = elapsed;
  result.read_batch = read_batch(params);
  result.object_bytes = Payload(params.payload_bytes, 0).bytes();
  result.oversubscribed = oversubscribed(threads);
  result.pinned = params.pin && !result.oversubscribed;
  for (int t = 0; t < threads; ++t) {
    const ThreadResult& r = results[static_cast<std::size_t>(t)];
    result.pinned = result.pinned && r.pinned;
    result.verify_errors += r.errors;
    result.stalls += r.stalls;
    result.stalled_s += static_cast<double>(r.stalled_ns) * 1e-9;
    const double per_s = static_cast<double>(r.ops) / elapsed;
    auto widen = [&](double& min, double& max, bool first) {
      min = first ? per_s : std::min(min, per_s);
      max = first ? per_s : std::max(max, per_s);
    };
    if (t < params.readers) {
      widen(result.reader_min_per_s, result.reader_max_per_s, t == 0);
      result.reads += r.ops;
      result.read_latency.merge(r.latency);
    } else {
      widen(result.updater_min_per_s, result.updater_max_per_s, t == params.readers);
      result.updates += r.ops;
      result.update_retries += r.retries;
      result.update_latency.merge(r.latency);
      result.grace_period_latency.merge(r.grace_periods);
      result.backlog_peak_objects = std::max(result.backlog_peak_objects, r.backlog_peak);
    }
  }
  return result;
}

}  // namespace rcubench

namespace rcubench {

// The engine's yardstick: `readers` threads in a hand-written loop of plain pointer loads
// and one-word reads, 64 per stop-flag check, with no primitive, no sampling and no
// quiescent states. The bare primitive run through the engine is compared with it.
inline WorkloadResult run_hand_bare(const WorkloadParams& params) {
  using namespace detail;
  Payload object(params.payload_bytes, 0);
  std::atomic<const Payload*> shared{&object};
  std::vector<ThreadResult> results;
  RunControl control;
  double elapsed =
      run_threads(params.readers, params, control, results, [&](int, ThreadResult& out) {
        const std::uint32_t work = params.read_work;
        std::uint64_t sink = 0, ops = 0;
        control.arrive_and_wait();
        while (!control.stopping()) {
          for (int i = 0; i < 64; ++i) {
            // Relaxed: the object never changes; atomic only so each load really happens.
            sink += shared.load(std::memory_order_relaxed)->consume(work);
          }
          ops += 64;
        }
        out.ops = ops;
        out.sink = sink;
      });
  WorkloadResult result;
  result.elapsed_s = elapsed;
  result.object_bytes = object.bytes();
  for (const auto& r : results) result.reads += r.ops;
  return result;
}

}  // namespace rcubench
