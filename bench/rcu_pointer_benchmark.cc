// What the Rcu<P> abstraction costs, measured in one run:
//   read side    Guard + dereference + one field read, against the same sequence
//                written directly with liburcu's API, per flavor (target: <= 1.05x),
//                with liburcu's default rcu_dereference (a consume load, i.e. acquire)
//                and with its dependency-ordered form (like for like; see below);
//   update side  replace + synchronous RcuOld drop, against replace + deferred free,
//                one updater (target: deferred >= 50x the updates/s).
// After the results it prints both ratios per flavor, then
//   batched reclaim  one reader and one updater flat out on an 8-byte object, memb: the
//                    updater retires through its retire block (Rcu::exchange and
//                    Rcu::replace + RcuOld::retire), against the same workload written
//                    with liburcu's API as its test_urcu_gc -b 4096 does it
//                    (rcu_xchg_pointer, one synchronize_rcu per 4096 old objects, then
//                    free them): updates/s, the ratio (target >= 1), the backlog bound.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "rcu/flavor/all.h"
#include "rcu/rcu.h"
#include "workload/collecting_reporter.h"
#include "workload/run_context.h"

namespace {

struct Payload {
  long field = 1;
  long other = 2;
};

// --- Rcu<P> ---------------------------------------------------------------------------
template <class F>
rcu::Rcu<std::unique_ptr<Payload>, F> shared_rcu(std::make_unique<Payload>());

template <class F>
void BM_RcuRead(benchmark::State& state) {
  rcu::RegisteredThread<F> registered;
  const auto& shared = shared_rcu<F>;
  for (auto _ : state) {
    rcu::Guard<F> guard;
    benchmark::DoNotOptimize(shared.dereference(guard)->field);
  }
}

// --- the same, with liburcu's API --------------------------------------------------------
// Two forms of the load. liburcu 0.13's rcu_dereference, compiled as C++11 or later, is an
// __atomic_load with __ATOMIC_CONSUME, which compilers promote to acquire (AArch64: ldar;
// RISC-V: a fence after the load; x86-64: a plain load). With URCU_DEREFERENCE_USE_VOLATILE
// it is a volatile load plus cmm_smp_read_barrier_depends() (nothing but on Alpha): the
// relaxed load with an address dependency that Rcu::dereference does. "urcu-<flavor>" is
// the default form, "urcu-<flavor>-dep" the like-for-like one.
Payload raw_payload;
Payload* raw_shared = &raw_payload;

enum class RawLoad { kConsume, kDependency };

template <RawLoad L, void (*Register)(), void (*Unregister)(), void (*Lock)(), void (*Unlock)()>
void BM_UrcuRead(benchmark::State& state) {
  Register();
  for (auto _ : state) {
    Lock();
    // Paired with nothing: the pointer never changes in this benchmark; a real reader
    // pairs it with rcu_assign_pointer.
    Payload* p;
    if constexpr (L == RawLoad::kConsume) {
      p = rcu_dereference(raw_shared);
    } else {
      p = CMM_LOAD_SHARED(raw_shared);
      cmm_smp_read_barrier_depends();
    }
    benchmark::DoNotOptimize(p->field);
    Unlock();
  }
  Unregister();
}

// --- update side -------------------------------------------------------------------------
// A grace period with no registered reader is nearly free in liburcu, so the update
// benchmarks run one reader thread alongside, reading flat out (and reporting a quiescent
// state after each read under QSBR), as an updater in a real program would face.
template <class F>
class BackgroundReader {
 public:
  explicit BackgroundReader(const rcu::Rcu<std::unique_ptr<Payload>, F>& shared)
      : thread_([this, &shared] {
          rcu::RegisteredThread<F> registered;
          started_.store(true, std::memory_order_release);  // Paired with the constructor's wait.
          while (!stop_.load(std::memory_order_relaxed)) {  // A flag only; orders nothing.
            {
              rcu::Guard<F> guard;
              benchmark::DoNotOptimize(shared.dereference(guard)->field);
            }
            rcu::quiescent_state<F>();
          }
        }) {
    while (!started_.load(std::memory_order_acquire)) std::this_thread::yield();  // Paired above.
  }
  ~BackgroundReader() {
    stop_.store(true, std::memory_order_relaxed);
    thread_.join();
  }

 private:
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// One updater, through Rcu::replace: the updater lock is taken and released before the
// old value is freed (never hold it across a grace period others may wait on). The
// updater is a registered thread (call_rcu wants one) and, under QSBR, reports a
// quiescent state after each update; both forms do the same.
template <class F>
void BM_ReplaceSynchronousFree(benchmark::State& state) {
  rcu::Rcu<std::unique_ptr<Payload>, F> shared(std::make_unique<Payload>());
  BackgroundReader<F> reader(shared);
  rcu::RegisteredThread<F> registered;
  for (auto _ : state) {
    shared.replace(std::make_unique<Payload>()).reset();
    rcu::quiescent_state<F>();
  }
  state.SetItemsProcessed(state.iterations());
}

template <class F>
void BM_ReplaceDeferredFree(benchmark::State& state) {
  rcu::Rcu<std::unique_ptr<Payload>, F> shared(std::make_unique<Payload>());
  BackgroundReader<F> reader(shared);
  rcu::RegisteredThread<F> registered;
  for (auto _ : state) {
    std::move(shared.replace(std::make_unique<Payload>())).defer();
    rcu::quiescent_state<F>();
  }
  state.SetItemsProcessed(state.iterations());
  state.PauseTiming();
  rcu::barrier<F>();  // Leave no backlog to the next benchmark.
  state.ResumeTiming();
}

#define RCUBENCH_URCU_READ(load, prefix)                                                   \
  BM_UrcuRead<load, urcu_##prefix##_register_thread, urcu_##prefix##_unregister_thread, \
              _urcu_##prefix##_read_lock, _urcu_##prefix##_read_unlock>
#define RCUBENCH_URCU_READS(prefix) \
  RCUBENCH_URCU_READ(RawLoad::kConsume, prefix), RCUBENCH_URCU_READ(RawLoad::kDependency, prefix)

template <class F, class RawRead>
void register_flavor(RawRead raw_read, RawRead raw_read_dependency) {
  std::string name(F::name);
  benchmark::RegisterBenchmark(("read/rcu-" + name).c_str(), BM_RcuRead<F>);
  benchmark::RegisterBenchmark(("read/urcu-" + name).c_str(), raw_read);
  benchmark::RegisterBenchmark(("read/urcu-" + name + "-dep").c_str(), raw_read_dependency);
  benchmark::RegisterBenchmark(("update/sync-" + name).c_str(), BM_ReplaceSynchronousFree<F>)
      ->UseRealTime();
  benchmark::RegisterBenchmark(("update/defer-" + name).c_str(), BM_ReplaceDeferredFree<F>)
      ->UseRealTime();
}

template <class F>
void print_ratios(const rcubench::CollectingReporter& results, std::FILE* out) {
  std::string name(F::name);
  auto ours = results.median_ns("read/rcu-" + name);
  auto raw = results.median_ns("read/urcu-" + name);
  auto raw_dependency = results.median_ns("read/urcu-" + name + "-dep");
  auto sync = results.median_ns("update/sync-" + name);
  auto deferred = results.median_ns("update/defer-" + name);
  std::string read_cell = "-", dependency_cell = "-", update_cell = "-";
  if (ours && raw) {
    double r = *ours / *raw;
    read_cell = fmt::format("{:5.2f}x  ({:.2f} vs {:.2f} ns)  {}", r, *ours, *raw,
                            r <= 1.05 ? "ok" : "OVER 1.05x");
  }
  if (ours && raw_dependency) {
    double r = *ours / *raw_dependency;
    dependency_cell = fmt::format("{:5.2f}x  ({:.2f} vs {:.2f} ns)  {}", r, *ours,
                                  *raw_dependency, r <= 1.05 ? "ok" : "OVER 1.05x");
  }
  if (sync && deferred) {
    double r = *sync / *deferred;
    update_cell = fmt::format("{:7.1f}x  ({:.0f} vs {:.0f} ns)  {}", r, *sync, *deferred,
                              r >= 50 ? "ok" : "UNDER 50x");
  }
  fmt::print(out, "{:<7} {:<38} {:<38} {}\n", name, read_cell, dependency_cell, update_cell);
}

// --- batched reclaim ------------------------------------------------------------------
// test_urcu_gc's object: one 8-byte field, checked by the reader.
struct Small {
  long a = 8;
};

struct PairResult {
  double updates_per_s;
  double reads_per_s;
};

// One registered reader and one registered updater, flat out for `duration`.
// `read()` and `update()` each do one operation; the flavor is memb. Each thread counts in
// a local and writes it once at the end, so the counters share no line with anything.
template <class Read, class Update>
PairResult run_reader_and_updater(Read read, Update update, std::chrono::milliseconds duration) {
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  struct alignas(64) Count {
    long value = 0;
  };
  Count reads, updates;
  auto run = [&](auto operation, Count& count) {
    rcu::RegisteredThread<rcu::Memb> registered;
    ready.fetch_add(1, std::memory_order_release);  // Paired with the start waits below.
    while (ready.load(std::memory_order_acquire) < 2) {  // Paired with the other's add.
    }
    long done = 0;
    while (!stop.load(std::memory_order_relaxed)) {  // A flag only; orders nothing.
      operation();
      ++done;
    }
    count.value = done;  // Read after the join.
  };
  std::thread reader(run, read, std::ref(reads));
  std::thread updater(run, update, std::ref(updates));
  auto start = std::chrono::steady_clock::now();
  while (ready.load(std::memory_order_acquire) < 2) std::this_thread::yield();  // As above.
  std::this_thread::sleep_for(duration);
  stop.store(true, std::memory_order_relaxed);  // A flag only; the joins order the rest.
  updater.join();
  reader.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {updates.value / seconds, reads.value / seconds};
}

// liburcu's own batched reclaim, as test_urcu_gc -b 4096 writes it: the published pointer
// alone on its line (a global there), the queue elsewhere, objects poisoned before free.
class UrcuGcBaseline {
 public:
  static constexpr int kBatch = 4096;
  UrcuGcBaseline() : current_(new Small) { pending_.reserve(kBatch); }
  ~UrcuGcBaseline() {
    urcu_memb_synchronize_rcu();
    for (Small* p : pending_) delete p;
    delete current_;
  }
  void read() {
    urcu_memb_read_lock();
    Small* p = rcu_dereference(current_);  // Paired with rcu_xchg_pointer below.
    if (p->a != 8) std::abort();
    urcu_memb_read_unlock();
  }
  void update() {
    Small* old = rcu_xchg_pointer(&current_, new Small);  // Paired with rcu_dereference.
    pending_.push_back(old);
    if (pending_.size() == kBatch) {
      urcu_memb_synchronize_rcu();
      for (Small* p : pending_) {
        p->a = 0;
        delete p;
      }
      pending_.clear();
    }
  }

 private:
  alignas(64) Small* current_;
  alignas(64) std::vector<Small*> pending_;  // The updater's alone.
};

// Rcu<P> with the updater's retire block.
class RcuBatched {
 public:
  explicit RcuBatched(bool exchange) : exchange_(exchange) {}
  ~RcuBatched() { rcu::barrier<rcu::Memb>(); }
  void read() {
    rcu::Guard<rcu::Memb> guard;
    if (shared_.dereference(guard)->a != 8) std::abort();
  }
  void update() {
    if (exchange_) {
      std::move(shared_.exchange(std::make_unique<Small>())).retire();
    } else {
      std::move(shared_.replace(std::make_unique<Small>())).retire();
    }
  }

 private:
  bool exchange_;
  alignas(64) rcu::Rcu<std::unique_ptr<Small>, rcu::Memb> shared_{std::make_unique<Small>()};
};

// A T built at a random cache-line offset within a page, new for every round. Where the
// published pointer lands relative to the threads' own hot lines (thread-local reader
// state, stacks) moves the rates by up to ±10 %: with address randomisation off, two
// identical copies of the liburcu loop measured 1.04 ... 1.25x of each other, the same
// in every process. Placing both sides anew each round averages that out.
template <class T>
class RandomlyPlaced {
 public:
  template <class... Args>
  RandomlyPlaced(std::mt19937& random, Args&&... args)
      : page_(static_cast<std::byte*>(std::aligned_alloc(kPage, 2 * kPage))) {
    if (page_ == nullptr) throw std::bad_alloc();
    std::size_t line = std::uniform_int_distribution<std::size_t>(0, kPage / 64 - 1)(random);
    object_ = new (page_ + line * 64) T(std::forward<Args>(args)...);
  }
  ~RandomlyPlaced() {
    object_->~T();
    std::free(page_);
  }
  RandomlyPlaced(const RandomlyPlaced&) = delete;
  RandomlyPlaced& operator=(const RandomlyPlaced&) = delete;
  T* operator->() const noexcept { return object_; }

 private:
  static constexpr std::size_t kPage = 4096;
  static_assert(sizeof(T) <= kPage && alignof(T) <= 64);
  std::byte* page_;
  T* object_;
};

// The ratio of one round's rates to the baseline's in the same round, over all rounds:
// the median, and the middle half (quartiles). The machine drifts between fast and slow
// states that last several rounds and hit both sides alike, so a round's own ratio is far
// steadier than the ratio of two medians taken over different states.
struct RoundRatios {
  double median, lower_quartile, upper_quartile;
};
RoundRatios round_ratios(const std::vector<double>& ours, const std::vector<double>& base) {
  std::vector<double> ratios;
  for (std::size_t i = 0; i < ours.size(); ++i) ratios.push_back(ours[i] / base[i]);
  std::sort(ratios.begin(), ratios.end());
  auto at = [&](double q) {
    return ratios[static_cast<std::size_t>(q * (ratios.size() - 1) + 0.5)];
  };
  return {*rcubench::median(ratios), at(0.25), at(0.75)};
}

void compare_batched_reclaim(std::FILE* out) {
  using namespace std::chrono_literals;
  constexpr int kRounds = 20;
  constexpr auto kRound = 100ms;
  std::mt19937 random(std::random_device{}());
  std::vector<double> raw, exchanged, replaced, raw_reads, our_reads;
  auto run_raw = [&] {
    RandomlyPlaced<UrcuGcBaseline> gc(random);
    auto r = run_reader_and_updater([&] { gc->read(); }, [&] { gc->update(); }, kRound);
    raw.push_back(r.updates_per_s);
    raw_reads.push_back(r.reads_per_s);
  };
  auto run_ours = [&](bool exchange) {
    RandomlyPlaced<RcuBatched> ours(random, exchange);
    auto r = run_reader_and_updater([&] { ours->read(); }, [&] { ours->update(); }, kRound);
    (exchange ? exchanged : replaced).push_back(r.updates_per_s);
    if (exchange) our_reads.push_back(r.reads_per_s);
  };
  for (int round = 0; round < kRounds; ++round) {  // The three side by side in each round,
    if (round % 2 == 0) {                          // in alternating order.
      run_raw();
      run_ours(true);
      run_ours(false);
    } else {
      run_ours(false);
      run_ours(true);
      run_raw();
    }
  }
  auto med = [](std::vector<double> v) { return *rcubench::median(std::move(v)); };
  RoundRatios exchanged_ratio = round_ratios(exchanged, raw);
  RoundRatios replaced_ratio = round_ratios(replaced, raw);
  RoundRatios reads_ratio = round_ratios(our_reads, raw_reads);
  fmt::print(out,
             "\nBatched reclaim, memb, 1 reader + 1 updater flat out, 8-byte object, {} rounds "
             "of {} ms, ratio to liburcu within each round: median (middle half) ({} {}):\n",
             kRounds, kRound.count(), rcubench::compiled_arch(),
             rcubench::exec_mode() == "native" ? "native" : "emulated: ratios only");
  fmt::print(out, "  liburcu, test_urcu_gc -b {} workload  {:>8.2f} M updates/s  ({:.1f} M reads/s)\n",
             UrcuGcBaseline::kBatch, med(raw) / 1e6, med(raw_reads) / 1e6);
  fmt::print(out,
             "  Rcu::exchange + RcuOld::retire         {:>8.2f} M updates/s  ({:.1f} M reads/s, "
             "{:.2f}x)  ratio {:.2f}x ({:.2f} ... {:.2f})  {}\n",
             med(exchanged) / 1e6, med(our_reads) / 1e6, reads_ratio.median,
             exchanged_ratio.median, exchanged_ratio.lower_quartile,
             exchanged_ratio.upper_quartile, exchanged_ratio.median >= 1 ? "ok" : "UNDER 1x");
  fmt::print(out,
             "  Rcu::replace + RcuOld::retire          {:>8.2f} M updates/s  ratio {:.2f}x "
             "({:.2f} ... {:.2f})\n",
             med(replaced) / 1e6, replaced_ratio.median, replaced_ratio.lower_quartile,
             replaced_ratio.upper_quartile);
  auto backlog = rcu::retire_backlog<rcu::Memb>();
  fmt::print(out,
             "  backlog: {} objects a block; at most {} blocks in call_rcu seen (bound {}), "
             "plus {} overflow blocks and up to {} being filled (one per type) per updater: "
             "<= {} objects unreclaimed with one updater of one type (liburcu's "
             "test_urcu_gc: {}); {} blocks mapped ({} KiB)\n",
             backlog.objects_per_block, backlog.max_blocks_in_flight,
             rcu::detail::kMaxBlocksInFlight, rcu::detail::kOverflowBlocks,
             rcu::detail::kOpenBlocks,
             (backlog.max_blocks_in_flight + rcu::detail::kOverflowBlocks + 1) *
                 static_cast<long>(backlog.objects_per_block),
             UrcuGcBaseline::kBatch, backlog.blocks_mapped,
             backlog.blocks_mapped * rcu::detail::kRetireBlockBytes / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  rcubench::CollectingReporter reporter(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  rcubench::add_benchmark_context();

  register_flavor<rcu::Memb>(RCUBENCH_URCU_READS(memb));
  register_flavor<rcu::Qsbr>(RCUBENCH_URCU_READS(qsbr));
  register_flavor<rcu::Bp>(RCUBENCH_URCU_READS(bp));
  register_flavor<rcu::Mb>(RCUBENCH_URCU_READS(mb));
  register_flavor<rcu::Signal>(RCUBENCH_URCU_READS(signal));

  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::FILE* out = reporter.summary_stream();
  fmt::print(
      out, "\nRcu<P> versus liburcu ({} {}):\n", rcubench::compiled_arch(),
      rcubench::exec_mode() == "native" ? "native" : "emulated: ratios only, not hardware speed");
  fmt::print(out, "{:<7} {:<38} {:<38} {}\n", "flavor", "read: Rcu / liburcu (target <= 1.05x)",
             "read: Rcu / liburcu -dep (like for like)",
             "update: sync / deferred time (target >= 50x)");
  print_ratios<rcu::Memb>(reporter, out);
  print_ratios<rcu::Qsbr>(reporter, out);
  print_ratios<rcu::Bp>(reporter, out);
  print_ratios<rcu::Mb>(reporter, out);
  print_ratios<rcu::Signal>(reporter, out);
  compare_batched_reclaim(out);
  return 0;
}
