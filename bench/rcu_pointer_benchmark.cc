// What the Rcu<P> abstraction costs, measured in one run:
//   read side    Guard + dereference + one field read, against the same sequence
//                written directly with liburcu's API, per flavor (target: <= 1.05x);
//   update side  replace + synchronous RcuOld drop, against replace + deferred free,
//                one updater (target: deferred >= 50x the updates/s).
// After the results it prints both ratios per flavor.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

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
Payload raw_payload;
Payload* raw_shared = &raw_payload;

template <void (*Register)(), void (*Unregister)(), void (*Lock)(), void (*Unlock)()>
void BM_UrcuRead(benchmark::State& state) {
  Register();
  for (auto _ : state) {
    Lock();
    // Paired with nothing: the pointer never changes in this benchmark; a real reader
    // pairs it with rcu_assign_pointer.
    Payload* p = rcu_dereference(raw_shared);
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

#define RCUBENCH_URCU_READ(prefix)                                                \
  BM_UrcuRead<urcu_##prefix##_register_thread, urcu_##prefix##_unregister_thread, \
              _urcu_##prefix##_read_lock, _urcu_##prefix##_read_unlock>

template <class F, class RawRead>
void register_flavor(RawRead raw_read) {
  std::string name(F::name);
  benchmark::RegisterBenchmark(("read/rcu-" + name).c_str(), BM_RcuRead<F>);
  benchmark::RegisterBenchmark(("read/urcu-" + name).c_str(), raw_read);
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
  auto sync = results.median_ns("update/sync-" + name);
  auto deferred = results.median_ns("update/defer-" + name);
  std::string read_cell = "-", update_cell = "-";
  if (ours && raw) {
    double r = *ours / *raw;
    read_cell = fmt::format("{:5.2f}x  ({:.2f} vs {:.2f} ns)  {}", r, *ours, *raw,
                            r <= 1.05 ? "ok" : "OVER 1.05x");
  }
  if (sync && deferred) {
    double r = *sync / *deferred;
    update_cell = fmt::format("{:7.1f}x  ({:.0f} vs {:.0f} ns)  {}", r, *sync, *deferred,
                              r >= 50 ? "ok" : "UNDER 50x");
  }
  fmt::print(out, "{:<7} {:<38} {}\n", name, read_cell, update_cell);
}

}  // namespace

int main(int argc, char** argv) {
  rcubench::CollectingReporter reporter(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  rcubench::add_benchmark_context();

  register_flavor<rcu::Memb>(RCUBENCH_URCU_READ(memb));
  register_flavor<rcu::Qsbr>(RCUBENCH_URCU_READ(qsbr));
  register_flavor<rcu::Bp>(RCUBENCH_URCU_READ(bp));
  register_flavor<rcu::Mb>(RCUBENCH_URCU_READ(mb));
  register_flavor<rcu::Signal>(RCUBENCH_URCU_READ(signal));

  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::FILE* out = reporter.summary_stream();
  fmt::print(
      out, "\nRcu<P> versus liburcu ({} {}):\n", rcubench::compiled_arch(),
      rcubench::exec_mode() == "native" ? "native" : "emulated: ratios only, not hardware speed");
  fmt::print(out, "{:<7} {:<38} {}\n", "flavor", "read: Rcu / liburcu (target <= 1.05x)",
             "update: sync / deferred time (target >= 50x)");
  print_ratios<rcu::Memb>(reporter, out);
  print_ratios<rcu::Qsbr>(reporter, out);
  print_ratios<rcu::Bp>(reporter, out);
  print_ratios<rcu::Mb>(reporter, out);
  print_ratios<rcu::Signal>(reporter, out);
  return 0;
}
