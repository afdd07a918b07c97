// The smallest real benchmark: one urcu-memb read-side critical section with a
// dereference. It proves Google Benchmark and liburcu work on this arch and that the JSON
// carries the run context (tests/bench/check_benchmark_json.cmake checks it).
#include <benchmark/benchmark.h>
#include <urcu/urcu-memb.h>

#include "workload/run_context.h"

namespace {

int value = 42;
int* shared = &value;

void BM_UrcuMembReadLockDereference(benchmark::State& state) {
  urcu_memb_register_thread();
  for (auto _ : state) {
    urcu_memb_read_lock();
    int* p = rcu_dereference(shared);  // Paired with nothing: no writer in this benchmark.
    benchmark::DoNotOptimize(*p);
    urcu_memb_read_unlock();
  }
  urcu_memb_unregister_thread();
}
BENCHMARK(BM_UrcuMembReadLockDereference);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  rcubench::add_benchmark_context();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
