// A Google Benchmark program that writes what rcubench writes: benchmark names in the
// <workload>/<primitive>/readers:<R>/updaters:<U> form, counters, repetitions and the
// rcubench_* context keys, so that the report tool is tested on real library output.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "contract/context_keys.h"
#include "contract/metrics.h"
#include "contract/primitive_meta.h"

namespace {

void read_side(benchmark::State& state) {
  std::uint64_t x = 0;
  for (auto _ : state) benchmark::DoNotOptimize(x += 1);
  state.counters["reads_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["read_p99_ns"] = 7;
  // Zero in every repetition: its cv aggregate is 0/0, which the JSON writes as NaN.
  state.counters["update_retries"] = 0;
  state.SetLabel("label, with a comma");
}

void update_side(benchmark::State& state) {
  std::uint64_t x = 0;
  for (auto _ : state) benchmark::DoNotOptimize(x += 2);
  state.counters["updates_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["backlog_peak_objects"] = 12;
  state.counters["gp_p50_ns"] = 1000 + static_cast<double>(state.iterations() % 7);
}

}  // namespace

BENCHMARK(read_side)
    ->Name("read-side/rcu-memb/readers:1/updaters:0")
    ->Iterations(1000)
    ->Repetitions(3)
    ->UseRealTime()
    ->Threads(1);
BENCHMARK(update_side)
    ->Name("update-side/rcu-memb-defer/readers:0/updaters:1/updater_delay_us:2.5/read_work:3/payload_bytes:128")
    ->Iterations(1000)
    ->Repetitions(2)
    ->ReportAggregatesOnly(false);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("rcubench_arch", "x86_64");
  benchmark::AddCustomContext("rcubench_exec", "native");
  benchmark::AddCustomContext("rcubench_compiler", "gcc 12.2.0");
  benchmark::AddCustomContext("rcubench_build_type", "release");
  benchmark::AddCustomContext("rcubench_commit", "0123456789ab-dirty");
  benchmark::AddCustomContext("rcubench_deps", "liburcu 0.13.2, benchmark 1.7.1, fmt 9.1.0");
  benchmark::AddCustomContext("rcubench_membarrier", "yes");
  benchmark::AddCustomContext("rcubench_cpu_model", "Test CPU, \"quoted\" model");
  benchmark::AddCustomContext("rcubench_run_id", "20261128T000000Z-0123456789ab");
  benchmark::AddCustomContext("rcubench_kernel", "6.1.0-test");
  benchmark::AddCustomContext(std::string(rcubench::contract::kSchemaKey),
                              std::to_string(rcubench::contract::kSchemaVersion));
  benchmark::AddCustomContext("rcubench_runner", "-");
  // What its two primitives are, as rcubench describes each (contract/primitive_meta.h).
  for (const rcubench::contract::PrimitiveMeta& m :
       {rcubench::contract::PrimitiveMeta{"rcu-memb", rcubench::contract::Family::rcu, "memb",
                                          "urcu-memb", true, "rcu-memb", 0},
        rcubench::contract::PrimitiveMeta{"rcu-memb-defer", rcubench::contract::Family::rcu_defer,
                                          "memb", "urcu-memb", false, "rcu-memb-defer", 0}})
    benchmark::AddCustomContext(rcubench::contract::primitive_context_key(m.name),
                                rcubench::contract::encode_primitive(m));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
