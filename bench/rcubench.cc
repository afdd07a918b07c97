// rcubench: runs the workloads of one or more configuration files on the primitives they
// name, as Google Benchmark benchmarks, then prints a summary.
//
//   rcubench --config FILE [--config FILE...] [--primitives LIST] [benchmark flags...]
//   rcubench --count-insns [--count-reads N] [--count-updates N] [--primitives LIST]
//            [benchmark flags...]       (under qemu-<arch> -plugin libinsn_count.so)
//   rcubench --list [--config FILE...] [--cpus N]
//
// --process K --seed S: this is process K of a multi-process run (scripts/bench): the
// benchmarks run in an order shuffled with seed S, after a discarded warm-up, and the
// context records K and S, so that the report takes each process as one sample.
// --lockstep-in FIFO --lockstep-out FIFO [--lockstep-first]: with --process, take turns
// with the other side of an A/B pair, benchmark by benchmark (workload/lockstep.h).
// --memory-series FILE: the memory samples of every stalls run (engine.h), written to FILE
// at the end (docs/csv.md, "Memory series"); the last repetition of each run.
//
// Benchmark names are <workload>/<primitive>/readers:<R>/updaters:<U>; each is one timed
// run of the workload (repeat with --benchmark_repetitions). In counting mode they are
// read-path/<primitive>/readers:1/updaters:0 and update-path/<primitive>/readers:0/updaters:1,
// each one exact count of instructions per operation (workload/insn_count.h).
// Diagnostics go to stderr, so --benchmark_format=json keeps stdout pure JSON.
#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "baselines/registry.h"
#include "contract/context_keys.h"
#include "contract/metrics.h"
#include "contract/run_name.h"
#include "workload/collecting_reporter.h"
#include "workload/config.h"
#include "workload/engine.h"
#include "workload/insn_count.h"
#include "workload/lockstep.h"
#include "workload/run_context.h"

namespace {

using namespace rcubench;

constexpr int kUsageError = 2;

struct Options {
  std::vector<std::string> configs;
  std::optional<std::vector<std::string>> primitives;
  bool list = false;
  bool progress = false;
  bool count_insns = false;
  std::optional<int> cpus;               // plan as if the affinity mask had this many CPUs
  std::optional<std::uint64_t> process;  // index of this process in a multi-process run
  std::string memory_series;             // where to write the stalls runs' memory samples
  std::uint64_t seed = 0;                // its shuffle seed
  std::string lockstep_in, lockstep_out;  // FIFOs to take turns with the other side of a pair
  bool lockstep_first = false;            // this side holds the first turn
  std::uint64_t count_reads = 10000;     // N of the read path's N and 2N regions
  std::uint64_t count_updates = 1000;    // N of the update path's
  std::vector<char*> benchmark_argv;     // argv[0] plus everything not ours
};

[[noreturn]] void usage_error(const std::string& message) {
  fmt::print(stderr, "rcubench: error: {}\n", message);
  std::exit(kUsageError);
}

// A whole number from `min` to `max` (at most 10^9).
std::uint64_t whole_number(const std::string& flag, const std::string& value, std::uint64_t min,
                           std::uint64_t max = 1'000'000'000) {
  std::uint64_t n = 0;
  bool digits = !value.empty() && value.size() <= 10;
  for (char c : value) {
    digits = digits && c >= '0' && c <= '9';
    if (digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!digits || n < min || n > max)
    usage_error(fmt::format("{}: '{}' is not a whole number from {} to {}", flag, value, min, max));
  return n;
}

// A count of operations: a whole number from 1 to 10^9.
std::uint64_t positive_count(const std::string& flag, const std::string& value) {
  return whole_number(flag, value, 1);
}

// Takes our options out of argv; the rest goes to Google Benchmark.
Options parse_options(int argc, char** argv) {
  Options options;
  options.benchmark_argv.push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value_of = [&](const std::string& flag) -> std::optional<std::string> {
      if (arg == flag) {
        if (i + 1 >= argc) usage_error(flag + " needs a value");
        return std::string(argv[++i]);
      }
      if (arg.rfind(flag + "=", 0) == 0) return arg.substr(flag.size() + 1);
      return std::nullopt;
    };
    if (auto v = value_of("--config")) {
      options.configs.push_back(*v);
    } else if (auto p = value_of("--primitives")) {
      try {
        options.primitives = split_list(*p, "--primitives");
      } catch (const ConfigError& e) {
        usage_error(e.what());
      }
    } else if (auto n = value_of("--count-reads")) {
      options.count_reads = positive_count("--count-reads", *n);
    } else if (auto n = value_of("--count-updates")) {
      options.count_updates = positive_count("--count-updates", *n);
    } else if (auto n = value_of("--cpus")) {
      // As many as a cpu_set_t holds: more could never be an affinity mask.
      options.cpus = static_cast<int>(whole_number("--cpus", *n, 1, CPU_SETSIZE));
    } else if (auto k = value_of("--process")) {
      options.process = whole_number("--process", *k, 0);
    } else if (auto s = value_of("--seed")) {
      options.seed = whole_number("--seed", *s, 0);
    } else if (auto f = value_of("--memory-series")) {
      if (f->empty()) usage_error("--memory-series needs a file name");
      options.memory_series = *f;
    } else if (auto f = value_of("--lockstep-in")) {
      options.lockstep_in = *f;
    } else if (auto f = value_of("--lockstep-out")) {
      options.lockstep_out = *f;
    } else if (arg == "--lockstep-first") {
      options.lockstep_first = true;
    } else if (arg == "--count-insns") {
      options.count_insns = true;
    } else if (arg == "--list") {
      options.list = true;
    } else if (arg == "--progress") {
      options.progress = true;
    } else if (arg == "--help" || arg == "-h") {
      fmt::print(
          "usage: rcubench --config FILE [--config FILE...] [--primitives LIST] [--progress]\n"
          "                [benchmark flags]\n"
          "       rcubench --count-insns [--count-reads N] [--count-updates N]\n"
          "                [--primitives LIST] [benchmark flags]\n"
          "                (under qemu-<arch> -plugin libinsn_count.so: exact instructions\n"
          "                per read and per update, docs/instruction-counts.md)\n"
          "       rcubench --list [--config FILE...] [--cpus N]\n"
          "                (with --config: each scenario's thread counts, sweep and primitives\n"
          "                as resolved on this process's CPUs, or on N CPUs with --cpus)\n"
          "--process K --seed S: process K of a multi-process run; shuffled order (seed S)\n"
          "after a discarded warm-up.\n"
          "--lockstep-in FIFO --lockstep-out FIFO [--lockstep-first]: with --process, take\n"
          "turns with the other side of an A/B pair (same seed), benchmark by benchmark.\n"
          "--memory-series FILE: the memory-held samples of every stalls run, as CSV.\n"
          "Google Benchmark's flags (--benchmark_out, --benchmark_repetitions,\n"
          "--benchmark_filter, --benchmark_format, ...) pass through.\n");
      std::exit(0);
    } else if (arg.rfind("--benchmark_", 0) == 0 || arg.rfind("--v=", 0) == 0) {
      options.benchmark_argv.push_back(argv[i]);
    } else {
      usage_error(fmt::format("unknown option '{}' (try --help)", arg));
    }
  }
  bool lockstep = !options.lockstep_in.empty() || !options.lockstep_out.empty();
  if (lockstep && (options.lockstep_in.empty() || options.lockstep_out.empty()))
    usage_error("--lockstep-in and --lockstep-out go together");
  if (options.lockstep_first && !lockstep) usage_error("--lockstep-first needs --lockstep-in");
  if (lockstep && !options.process) usage_error("--lockstep-in needs --process");
  if (lockstep && (options.list || options.count_insns))
    usage_error("--lockstep-in is for timed runs, not --list or --count-insns");
  return options;
}

// The memory samples of each stalls run, by run name: its last repetition's.
struct MemoryTrace {
  std::size_t object_bytes = 0;
  std::vector<MemorySample> samples;
};
std::map<std::string, MemoryTrace> memory_traces;

// The temporary file --memory-series FILE is written to, then renamed to FILE.
std::string memory_series_tmp(const std::string& path) { return path + ".tmp"; }

// Writes the traces to `path` through a temporary file renamed into place, so the file is
// whole or absent; false (and says why) if it cannot.
bool write_memory_series(const std::string& path, const std::optional<std::uint64_t>& process) {
  const std::string tmp = memory_series_tmp(path);
  {
    std::ofstream out(tmp);
    out << contract::kMemorySeriesMagic << "\n" << contract::kMemorySeriesHeader << "\n";
    const std::string arch = compiled_arch(), exec = exec_mode();
    const std::string k = process ? std::to_string(*process) : "-";
    for (const auto& [name, trace] : memory_traces)
      for (const MemorySample& m : trace.samples)
        out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", arch, exec, k, name,
                           trace.object_bytes, m.t_s, m.objects, m.stalled ? 1 : 0, m.updates,
                           m.reads, m.read_worst_ns ? fmt::format("{}", *m.read_worst_ns) : "");
    out.close();
    if (!out) {
      fmt::print(stderr, "rcubench: error: --memory-series: cannot write {}\n", tmp);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    fmt::print(stderr, "rcubench: error: --memory-series: cannot rename {} to {}: {}\n", tmp,
               path, ec.message());
    return false;
  }
  return true;
}

// The turns of a lockstep A/B pair, when this process is one side of it.
std::optional<Lockstep> lockstep;

std::string benchmark_name(const std::string& workload, const std::string& primitive, int readers,
                           int updaters) {
  contract::RunName name;
  name.workload = workload;
  name.primitive = primitive;
  name.readers = readers;
  name.updaters = updaters;
  return contract::format_run_name(name);
}

// A planned run's name: the benchmark name, the parameters a scenario may sweep (the
// x axes of sweep plots, docs/csv.md) and the key of all its workload parameters.
std::string run_name(const PlannedRun& run, const std::string& primitive) {
  const WorkloadParams& p = run.params;
  contract::RunName name;
  name.workload = run.workload;
  name.primitive = primitive;
  name.readers = p.readers;
  name.updaters = p.updaters;
  name.updater_delay_us = p.updater_delay_us;
  name.read_work = static_cast<long>(p.read_work);
  name.payload_bytes = static_cast<long>(p.payload_bytes);
  name.params = params_key(p);
  if (p.stall_every_us > 0) name.stall_us = p.stall_us;
  return contract::format_run_name(name);
}

// What the summary groups a run's results under: its workload, thread counts and the
// point of its sweep.
std::string group_name(const PlannedRun& run) {
  std::string group = fmt::format("{} readers:{} updaters:{}", run.workload, run.params.readers,
                                  run.params.updaters);
  if (!run.swept.empty())
    group += fmt::format(" {}:{}", run.swept, sweep_value(run.params, run.swept));
  return group;
}

// Latency percentiles from `h`, each value divided by `per_sample` (the reads one read
// sample times), with the number of samples behind them. A percentile q is claimed only
// from at least 10 / (1 - q) samples (p90 from 100, p99 from 1,000, p99.9 from 10,000):
// fewer leave its estimate to a handful of values.
void set_latency_counters(benchmark::State& state, const std::string& prefix, const Histogram& h,
                          std::uint32_t per_sample = 1) {
  if (h.count() == 0) return;
  const double scale = 1.0 / per_sample;
  state.counters[prefix + "_samples"] = static_cast<double>(h.count());
  state.counters[prefix + "_p50_ns"] = h.percentile(0.50) * scale;
  for (auto [q, name] : {std::pair{0.90, "_p90_ns"}, {0.99, "_p99_ns"}, {0.999, "_p999_ns"}}) {
    if (static_cast<double>(h.count()) >= 10 / (1 - q) - 1e-6)
      state.counters[prefix + name] = h.percentile(q) * scale;
  }
  state.counters[prefix + "_max_ns"] = static_cast<double>(h.max()) * scale;
}

// Every counter is in the results contract (contract/metrics.h): a metric the report does
// not know would be left out of it, so a counter missing there is a bug found at once (the
// smoke test runs every primitive in every workload shape on every preset).
void require_contract_counters(const benchmark::State& state) {
  for (const auto& [name, counter] : state.counters)
    if (!contract::find_metric(name)) {
      fmt::print(stderr, "rcubench: internal error: counter '{}' is not in src/contract/metrics.h\n",
                 name);
      std::abort();
    }
}

void report(benchmark::State& state, const WorkloadParams& params, const WorkloadResult& r) {
  state.SetIterationTime(r.elapsed_s);
  auto& c = state.counters;
  c["reads_per_s"] = static_cast<double>(r.reads) / r.elapsed_s;
  c["updates_per_s"] = static_cast<double>(r.updates) / r.elapsed_s;
  // Derived from throughput: the mean time per read of one reader thread.
  if (r.reads > 0) c["read_ns"] = r.elapsed_s * params.readers * 1e9 / static_cast<double>(r.reads);
  // Fairness: the slowest and fastest thread of each role, and their ratio (1 = even).
  if (params.readers > 0) {
    c["min_thread_reads_per_s"] = r.reader_min_per_s;
    c["max_thread_reads_per_s"] = r.reader_max_per_s;
    if (r.reader_max_per_s > 0) c["read_fairness"] = r.reader_min_per_s / r.reader_max_per_s;
  }
  if (params.updaters > 0) {
    c["min_thread_updates_per_s"] = r.updater_min_per_s;
    c["max_thread_updates_per_s"] = r.updater_max_per_s;
    if (r.updater_max_per_s > 0)
      c["update_fairness"] = r.updater_min_per_s / r.updater_max_per_s;
  }
  set_latency_counters(state, std::string(contract::kReadLatency), r.read_latency, r.read_batch);
  set_latency_counters(state, std::string(contract::kUpdateLatency), r.update_latency);
  set_latency_counters(state, std::string(contract::kGraceLatency), r.grace_period_latency);
  if (params.updaters > 0 && params.measure == Measure::kUpdates) {
    c["backlog_peak_objects"] = static_cast<double>(r.backlog_peak_objects);
    c["backlog_peak_bytes"] =
        static_cast<double>(r.backlog_peak_objects) * static_cast<double>(r.object_bytes);
    c["backlog_end_objects"] = static_cast<double>(r.backlog_end_objects);
    c["backlog_end_bytes"] =
        static_cast<double>(r.backlog_end_objects) * static_cast<double>(r.object_bytes);
    // A rate, not a count that grows with the duration.
    if (r.updates > 0)
      c["retries_per_update"] =
          static_cast<double>(r.update_retries) / static_cast<double>(r.updates);
  }
  if (!r.memory.empty()) {
    // A stalls run: the memory held, from the main thread's samples.
    long peak = 0;
    double sum = 0;
    for (const MemorySample& m : r.memory) {
      peak = std::max(peak, m.objects);
      sum += static_cast<double>(m.objects);
    }
    const double mean = sum / static_cast<double>(r.memory.size());
    const auto bytes = static_cast<double>(r.object_bytes);
    c["held_peak_objects"] = static_cast<double>(peak);
    c["held_peak_bytes"] = static_cast<double>(peak) * bytes;
    c["held_mean_objects"] = mean;
    c["held_mean_bytes"] = mean * bytes;
    if (r.stalls > 0) c["stall_mean_us"] = r.stalled_s * 1e6 / static_cast<double>(r.stalls);
    if (params.updaters > 0)
      if (std::optional<double> ratio = stall_updates_ratio(r.memory))
        c["stall_updates_ratio"] = *ratio;
  }
  if (r.oversubscribed) {
    // More threads than CPUs: what is measured includes the scheduler's choices.
    c["oversubscribed"] = 1;
    state.SetLabel("oversubscribed");
  } else if (params.pin && !r.pinned) {
    state.SetLabel("pinning refused");
  }
  if (r.verify_errors > 0) {
    state.SkipWithError(fmt::format("readers saw {} corrupt objects", r.verify_errors).c_str());
  }
  require_contract_counters(state);
}

// Progress on stderr: "[i/n] name, elapsed, estimated remaining" before each run.
class Progress {
 public:
  void start(std::size_t total) {
    total_ = total;
    t0_ = std::chrono::steady_clock::now();
  }
  void next(const std::string& name) {
    if (total_ == 0) return;
    ++done_;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    double remaining = done_ > 1 ? elapsed / static_cast<double>(done_ - 1) *
                                       static_cast<double>(total_ - done_ + 1)
                                 : 0;
    fmt::print(stderr, "[{}/{}] {} (elapsed {:.0f}s, about {:.0f}s left)\n", done_, total_, name,
               elapsed, remaining);
  }

 private:
  std::size_t total_ = 0, done_ = 0;
  std::chrono::steady_clock::time_point t0_;
};
Progress progress;

void register_runs(const std::vector<PlannedRun>& runs) {
  for (const PlannedRun& run : runs) {
    std::string name = run_name(run, run.primitive);
    auto body = [run, name](benchmark::State& state) {
      if (lockstep) lockstep->begin_run();
      progress.next(name);
      for (auto _ : state) {
        bool found = visit_primitive<Payload>(run.primitive, [&]<class D, class Impl>() {
          WorkloadResult result = run_workload<Impl>(run.params);
          report(state, run.params, result);
          if (!result.memory.empty())
            memory_traces[name] = {result.object_bytes, std::move(result.memory)};
        });
        if (!found) state.SkipWithError("unknown primitive");
      }
      if (lockstep) lockstep->end_run();
    };
    benchmark::RegisterBenchmark(name.c_str(), body)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    // Read-only runs of bare also get the hand-written loop they are compared with.
    if (run.primitive == "bare" && run.params.updaters == 0) {
      std::string hand = run_name(run, std::string(kHandBareName));
      auto yardstick = [run, hand](benchmark::State& state) {
        if (lockstep) lockstep->begin_run();
        progress.next(hand);
        for (auto _ : state) report(state, run.params, run_hand_bare(run.params));
        if (lockstep) lockstep->end_run();
      };
      benchmark::RegisterBenchmark(hand.c_str(), yardstick)
          ->Iterations(1)
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}

// Counting mode: per primitive, the read path and (where it updates) the update path.
constexpr std::size_t kCountingPayloadBytes = 64;

struct CountedRun {
  std::string primitive;
  CountedPath path;
  std::string name() const {
    return path == CountedPath::kRead ? benchmark_name("read-path", primitive, 1, 0)
                                      : benchmark_name("update-path", primitive, 0, 1);
  }
  std::string_view prefix() const { return path == CountedPath::kRead ? "read" : "update"; }
  // The counter of field `field` of the plugin's profile (contract::kProfileSuffixes).
  std::string counter(int field = RCUBENCH_FIELD_INSNS) const {
    return fmt::format("{}_{}", prefix(), contract::kProfileSuffixes[field]);
  }
};
static_assert(contract::kProfileSuffixes.size() == RCUBENCH_INSN_FIELDS);

std::vector<CountedRun> plan_counting(const Options& options) {
  std::vector<CountedRun> runs;
  for (const PrimitiveInfo& p : primitive_list()) {
    const auto& only = options.primitives;
    if (only && std::find(only->begin(), only->end(), "all") == only->end() &&
        std::find(only->begin(), only->end(), p.name) == only->end())
      continue;
    // The counted object is the workloads' Payload; a primitive that cannot hold it
    // (seqlock: trivially copyable objects only) has no path to count.
    if (!accepts_payload<Payload>(p.name)) continue;
    runs.push_back({std::string(p.name), CountedPath::kRead});
    if (p.policy != UpdatePolicy::kReadOnly)
      runs.push_back({std::string(p.name), CountedPath::kUpdate});
  }
  return runs;
}

void register_counting(const std::vector<CountedRun>& runs, InsnCounter& counter,
                       const Options& options) {
  for (const CountedRun& run : runs) {
    const std::uint64_t ops =
        run.path == CountedPath::kRead ? options.count_reads : options.count_updates;
    auto body = [run, ops, &counter](benchmark::State& state) {
      progress.next(run.name());
      for (auto _ : state) {
        std::optional<PathProfile> profile;
        std::optional<SharedReadProfile> shared;
        try {
          profile =
              count_profile_per_op(run.primitive, counter, run.path, ops, kCountingPayloadBytes);
          // Two readers at once: what each writes to lines the other touches.
          if (profile && run.path == CountedPath::kRead)
            shared = count_shared_read_profile(run.primitive, counter, ops, kCountingPayloadBytes);
        } catch (const InsnCountUnavailable& e) {
          fmt::print(stderr, "rcubench: error: --count-insns: {}: {}\n", run.name(), e.what());
          std::exit(1);
        }
        if (!profile) {
          state.SkipWithError("unknown primitive");
          continue;
        }
        for (int f = 0; f < RCUBENCH_INSN_FIELDS; ++f) state.counters[run.counter(f)] = (*profile)[f];
        if (shared) {
          state.counters["read_shared_writes"] = shared->shared_writes;
          state.counters["read_shared_insns"] = shared->insns;
          state.counters["read_shared_retries"] = shared->retries;
        }
        require_contract_counters(state);
      }
    };
    benchmark::RegisterBenchmark(run.name().c_str(), body)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
  }
}

// Instructions per operation, the spread over repetitions (0 when every repetition gave
// the same count), and the ratio of each Rcu<P> flavor to raw liburcu of the same flavor.
void print_counting_summary(const std::vector<CountedRun>& runs,
                            const CollectingReporter& results) {
  std::FILE* out = results.summary_stream();
  fmt::print(out,
             "\nrcubench instruction counts: {}, exact guest instructions per operation "
             "(qemu plugin; not timings)\n",
             compiled_arch());
  fmt::print(out, "  {:<22} {:>12} {:>8} {:>12} {:>8}\n", "primitive", "read", "spread", "update",
             "spread");
  auto stats = [&](const std::string& primitive,
                   CountedPath path) -> std::optional<std::pair<double, double>> {
    const CountedRun run{primitive, path};
    std::vector<double> v = results.counter_values(run.name(), run.counter());
    if (v.empty()) return std::nullopt;
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return std::pair{*median(v), *hi - *lo};
  };
  auto cells = [&](const std::string& primitive, CountedPath path) {
    auto s = stats(primitive, path);
    if (!s) return fmt::format("{:>12} {:>8}", "-", "-");
    return fmt::format("{:>12.2f} {:>8}", s->first,
                       s->second == 0 ? std::string("exact") : fmt::format("{:.2f}", s->second));
  };
  std::vector<std::string> primitives;
  for (const CountedRun& run : runs)
    if (primitives.empty() || primitives.back() != run.primitive)
      primitives.push_back(run.primitive);
  for (const std::string& p : primitives)
    fmt::print(out, "  {:<22} {} {}\n", p, cells(p, CountedPath::kRead),
               cells(p, CountedPath::kUpdate));
  // The rest of the profile: medians over the repetitions (docs/instruction-counts.md).
  auto value = [&](const std::string& primitive, CountedPath path, const std::string& counter) {
    std::vector<double> v = results.counter_values(CountedRun{primitive, path}.name(), counter);
    if (v.empty()) return fmt::format("{:>6}", "-");
    return fmt::format("{:>6.2f}", *median(v));
  };
  auto fields = [&](const std::string& p, CountedPath path) {
    const CountedRun run{p, path};
    std::string cells;
    for (int f : {RCUBENCH_FIELD_LOADS, RCUBENCH_FIELD_STORES, RCUBENCH_FIELD_RMWS,
                  RCUBENCH_FIELD_FENCES, RCUBENCH_FIELD_FULL_FENCES, RCUBENCH_FIELD_ACQUIRES,
                  RCUBENCH_FIELD_RELEASES})
      fmt::format_to(std::back_inserter(cells), " {}", value(p, path, run.counter(f)));
    return cells;
  };
  fmt::print(out,
             "\n  per operation: loads, stores, RMWs, fences (full: stores before loads), "
             "acquires, releases;\n  shared: writes per read to lines the other of two readers "
             "touches\n");
  fmt::print(out, "  {:<22} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} |{:>6} {:>6} {:>6} "
             "{:>6} {:>6} {:>6} {:>6}\n", "read / update", "loads", "stores", "rmws", "fences",
             "full", "acq", "rel", "shared", "loads", "stores", "rmws", "fences", "full", "acq",
             "rel");
  // Not exact where the two readers contended (contract::kSharedWrites): marked *.
  auto shared = [&](const std::string& p) {
    const std::string name = CountedRun{p, CountedPath::kRead}.name();
    std::vector<double> one = results.counter_values(name, std::string(contract::kReadInsns));
    std::vector<double> two = results.counter_values(name, std::string(contract::kSharedReadInsns));
    return value(p, CountedPath::kRead, std::string(contract::kSharedWrites)) +
           (two.empty() || contract::shared_writes_exact(one, two) ? " " : "*");
  };
  for (const std::string& p : primitives)
    fmt::print(out, "  {:<22}{} {}|{}\n", p, fields(p, CountedPath::kRead), shared(p),
               fields(p, CountedPath::kUpdate));
  fmt::print(out, "  *: the two readers contended: not exact, not gated\n");
  bool header = false;
  std::map<std::string, std::string, std::less<>> raw_of;  // rcu-memb -> urcu-memb
  for (const contract::PrimitiveMeta& m : primitive_metas())
    if (m.raw != "-" && m.family == contract::Family::rcu) raw_of[m.name] = m.raw;
  for (const std::string& p : primitives) {
    auto found = raw_of.find(p);
    if (found == raw_of.end()) continue;
    const std::string& raw = found->second;
    for (CountedPath path : {CountedPath::kRead, CountedPath::kUpdate}) {
      auto ours = stats(p, path), theirs = stats(raw, path);
      if (!ours || !theirs || theirs->first <= 0) continue;
      if (!header) {
        fmt::print(out, "\n  Rcu<P> / raw liburcu, same flavor (target 1.00 +-0.02 on reads)\n");
        header = true;
      }
      fmt::print(out, "  {:<22} {:<7} {:>8.3f}\n", fmt::format("{} / {}", p, raw),
                 path == CountedPath::kRead ? "read" : "update", ours->first / theirs->first);
    }
  }
}

// Runs `run` once, for at most 0.2 s, and forgets the result.
void warm_up(const PlannedRun& run) {
  WorkloadParams params = run.params;
  params.duration_s = std::min(params.duration_s, 0.2);
  visit_primitive<Payload>(run.primitive,
                           [&]<class D, class Impl>() { (void)run_workload<Impl>(params); });
}

// --benchmark_repetitions as given (1 if absent), for the progress estimate.
int repetitions_flag(const Options& options) {
  constexpr std::string_view kFlag = "--benchmark_repetitions=";
  for (const char* arg : options.benchmark_argv) {
    std::string_view a(arg);
    if (a.substr(0, kFlag.size()) == kFlag)
      return std::atoi(std::string(a.substr(kFlag.size())).c_str());
  }
  return 1;
}

// format(item) of each of `items`, each text once, in first-seen order.
template <class T, class Format>
std::vector<std::string> distinct(const std::vector<T>& items, Format format) {
  std::vector<std::string> seen;
  for (const T& item : items) {
    std::string text = format(item);
    if (std::find(seen.begin(), seen.end(), text) == seen.end()) seen.push_back(std::move(text));
  }
  return seen;
}

std::string joined(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& text : texts) out += (out.empty() ? "" : ", ") + text;
  return out;
}

// `text` broken at ", " into lines of at most 100 columns, each after `indent`.
std::string wrapped(const std::string& text, std::size_t indent) {
  std::string out, line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(", ", start);
    std::size_t end = comma == std::string::npos ? text.size() : comma + 1;
    std::string word = text.substr(start, end - start);
    if (!line.empty() && indent + line.size() + 1 + word.size() > 100) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = comma == std::string::npos ? text.size() : comma + 2;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

// The primitives, then each workload as it resolves on `cpus` CPUs: thread counts (and
// the points that would oversubscribe them), sweep, primitives and what it costs.
void print_list(const std::vector<PlannedRun>& runs, int cpus, bool cpus_given) {
  fmt::print("primitives:\n");
  for (const PrimitiveInfo& p : primitive_list()) {
    fmt::print("  {:<19} {:<17} {}\n  {:<19} {:<17} updaters: {}{}\n", p.name, to_string(p.policy),
               p.description, "", "", p.updaters, p.updates_in_place ? "; updates in place" : "");
  }
  if (runs.empty()) {
    fmt::print("workloads (give --config FILE to list its scenarios)\n");
    return;
  }
  fmt::print("workloads, resolved for {} CPU{} ({}):\n", cpus, cpus == 1 ? "" : "s",
             cpus_given ? "--cpus" : "this process's affinity mask");
  std::vector<std::string> order;  // workloads in the order they run
  std::map<std::string, std::vector<const PlannedRun*>> by_workload;
  for (const PlannedRun& run : runs) {
    auto& list = by_workload[run.workload];
    if (list.empty()) order.push_back(run.workload);
    list.push_back(&run);
  }
  constexpr std::size_t kIndent = 6;
  double total_s = 0;
  std::size_t total_runs = 0;
  for (const std::string& workload : order) {
    const std::vector<const PlannedRun*>& list = by_workload[workload];
    const PlannedRun& first = *list.front();
    auto values = [&](auto field) {
      return joined(distinct(list, [&](const PlannedRun* r) { return field(*r); }));
    };
    fmt::print("  {:<19} {}\n", workload, first.description);
    fmt::print("{:{}}readers {}; updaters {}\n", "", kIndent,
               values([](const PlannedRun& r) { return std::to_string(r.params.readers); }),
               values([](const PlannedRun& r) { return std::to_string(r.params.updaters); }));
    std::vector<const PlannedRun*> over;
    std::copy_if(list.begin(), list.end(), std::back_inserter(over), [&](const PlannedRun* r) {
      return r->params.readers + r->params.updaters > cpus;
    });
    if (!over.empty()) {
      fmt::print("{:{}}oversubscribed (more threads than {} CPU{}): {}\n", "", kIndent, cpus,
                 cpus == 1 ? "" : "s", joined(distinct(over, [](const PlannedRun* r) {
                   return fmt::format("readers {} + updaters {}", r->params.readers,
                                      r->params.updaters);
                 })));
    }
    std::string params;
    for (std::string_view param : kSweepableParams) {
      // A stall only where the scenario has a stall schedule.
      if (param == "stall_us" && !(first.params.stall_every_us > 0)) continue;
      params +=
          fmt::format("{}{} {}{}", params.empty() ? "" : "; ", param,
                      values([&](const PlannedRun& r) { return sweep_value(r.params, param); }),
                      first.swept == param ? " (swept)" : "");
    }
    if (first.params.stall_every_us > 0)
      params += fmt::format(" (reader 0, every {} us)",
                            contract::format_number(first.params.stall_every_us));
    fmt::print("{:{}}{}\n", "", kIndent, params);
    const std::vector<std::string> primitives =
        distinct(list, [](const PlannedRun* r) { return r->primitive; });
    fmt::print("{:{}}primitives ({}):\n{}", "", kIndent, primitives.size(),
               wrapped(joined(primitives), kIndent + 2));
    // Read-only runs of bare bring the hand-written loop along (register_runs).
    std::size_t n = list.size();
    for (const PlannedRun* r : list) n += r->primitive == "bare" && r->params.updaters == 0;
    const double seconds = static_cast<double>(n) * first.params.duration_s;
    fmt::print("{:{}}{} runs of {} s: {:.1f} s\n", "", kIndent, n, first.params.duration_s,
               seconds);
    total_s += seconds;
    total_runs += n;
  }
  fmt::print("{} workloads, {} runs, {:.1f} s of timed runs per process\n", order.size(),
             total_runs, total_s);
}

// The summary after the results: per workload and thread count, each primitive's
// throughput and read latency; the engine's yardsticks; run-to-run variation.
void print_summary(const std::vector<PlannedRun>& runs, const CollectingReporter& results) {
  std::FILE* out = results.summary_stream();
  bool native = exec_mode() == "native";
  fmt::print(out, "\nrcubench summary: {} {}{}\n", compiled_arch(), exec_mode(),
             native ? "" : " (emulated: timings are not hardware performance)");
  auto med = [&](const std::string& name, const char* counter) {
    return median(results.counter_values(name, counter));
  };
  auto cell = [](std::optional<double> v, const char* format_unit) -> std::string {
    if (!v) return "-";
    return fmt::format(fmt::runtime(format_unit), *v);
  };
  std::string last_group;
  for (const PlannedRun& run : runs) {
    const int threads = run.params.readers + run.params.updaters;
    std::string group =
        group_name(run) + (detail::oversubscribed(threads)
                               ? fmt::format(" (oversubscribed: {} threads on {} CPUs)", threads,
                                             allowed_cpus().size())
                               : "");
    if (group != last_group) {
      fmt::print(out, "\n{}\n  {:<19} {:>12} {:>12} {:>9} {:>9} {:>10} {:>6}\n", group, "primitive",
                 "reads/s", "updates/s", "read ns", "read p99", "update p99", "cv");
      last_group = group;
    }
    std::string name = run_name(run, run.primitive);
    auto cv = coefficient_of_variation(results.counter_values(name, "read_ns"));
    fmt::print(out, "  {:<19} {:>12} {:>12} {:>9} {:>9} {:>10} {:>6}\n", run.primitive,
               cell(med(name, "reads_per_s"), "{:.3g}"), cell(med(name, "updates_per_s"), "{:.3g}"),
               cell(med(name, "read_ns"), "{:.2f}"), cell(med(name, "read_p99_ns"), "{:.0f}"),
               cell(med(name, "update_p99_ns"), "{:.0f}"),
               cv ? fmt::format("{:.1f}%", *cv * 100) : std::string("-"));
  }
  // The engine's overhead: bare against the hand-written loop, urcu-qsbr against bare.
  for (const PlannedRun& run : runs) {
    if (run.primitive != "bare" || run.params.updaters != 0) continue;
    auto ns = [&](const std::string& p) { return med(run_name(run, p), "read_ns"); };
    auto bare = ns("bare"), hand = ns(std::string(kHandBareName)), qsbr = ns("urcu-qsbr");
    if (bare && hand) {
      fmt::print(out, "\n{}: bare / hand-written loop = {:.2f}x (target <= 1.5x)", group_name(run),
                 *bare / *hand);
    }
    if (bare && qsbr) {
      fmt::print(out, "; urcu-qsbr / bare = {:.2f}x (target <= 1.3x)", *qsbr / *bare);
    }
  }
  // The update side's floor: each copy-update's updates/s as a share of bare-update's at the
  // same flat-out point, i.e. how much of the update loop's own speed its protection leaves.
  // (An in-place update copies nothing, and a paced updater's rate is its schedule's.)
  std::map<std::string_view, bool> in_place;
  for (const PrimitiveInfo& p : primitive_list()) in_place[p.name] = p.updates_in_place;
  bool heading = false;
  for (const PlannedRun& run : runs) {
    if (run.primitive != "bare-update" || run.params.updater_delay_us > 0) continue;
    const std::string group = group_name(run);
    const auto floor = med(run_name(run, run.primitive), "updates_per_s");
    if (!floor || *floor <= 0) continue;
    std::vector<std::string> shares;
    for (const PlannedRun& other : runs) {
      if (other.primitive == run.primitive || in_place[other.primitive] ||
          group_name(other) != group)
        continue;
      if (auto updates = med(run_name(other, other.primitive), "updates_per_s"))
        shares.push_back(fmt::format("{} {:.2f}x", other.primitive, *updates / *floor));
    }
    if (shares.empty()) continue;
    if (!heading) {
      fmt::print(out,
                 "\n\ncopy-updates' updates/s as a share of bare-update's (the update floor):");
      heading = true;
    }
    fmt::print(out, "\n  {}: bare-update {:.3g}/s\n{}", group, *floor, wrapped(joined(shares), 4));
  }
  fmt::print(out, "\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  // A run on this machine with counts planned for another would measure neither.
  if (options.cpus && !options.list)
    usage_error(
        "--cpus N only plans (rcubench --list --config FILE --cpus N); runs take the "
        "affinity mask's CPUs");
  std::vector<PlannedRun> runs;
  try {
    auto registry = primitive_list();
    for (const std::string& config : options.configs) {
      auto planned = load_config(config, options.primitives, registry, options.cpus);
      runs.insert(runs.end(), planned.begin(), planned.end());
    }
    if (options.primitives) validate_primitives(*options.primitives, registry);
  } catch (const ConfigError& e) {
    usage_error(e.what());
  }
  if (options.list) {
    print_list(runs, options.cpus.value_or(static_cast<int>(allowed_cpus().size())),
               options.cpus.has_value());
    return 0;
  }
  if (options.count_insns && !options.configs.empty())
    usage_error("--count-insns runs its own fixed workloads: give it no --config");
  if (!options.count_insns && options.configs.empty())
    usage_error("no --config FILE given (configs/ has some; --help)");
  // A file the run could not write at its end is refused before the run: no work lost.
  if (!options.memory_series.empty()) {
    const std::string tmp = memory_series_tmp(options.memory_series);
    std::FILE* probe = std::fopen(tmp.c_str(), "w");
    if (!probe)
      usage_error(fmt::format("--memory-series: cannot write {}: {}", tmp, std::strerror(errno)));
    std::fclose(probe);
    std::remove(tmp.c_str());
  }
  std::optional<InsnCounter> counter;
  if (options.count_insns) {
    try {
      counter.emplace();
    } catch (const InsnCountUnavailable& e) {
      usage_error(fmt::format("--count-insns: {}", e.what()));
    }
  }

  // Read before benchmark::Initialize, which takes its flags out of argv.
  const int repetitions = repetitions_flag(options);
  int bargc = static_cast<int>(options.benchmark_argv.size());
  CollectingReporter reporter(bargc, options.benchmark_argv.data());
  benchmark::Initialize(&bargc, options.benchmark_argv.data());
  if (benchmark::ReportUnrecognizedArguments(bargc, options.benchmark_argv.data()))
    return kUsageError;
  add_benchmark_context(options.count_insns ? std::string(contract::kExecInsnCount) : "");
  std::string config_list;
  for (const auto& c : options.configs) config_list += (config_list.empty() ? "" : ",") + c;
  if (options.count_insns) {
    config_list = fmt::format("counting mode: {} reads, {} updates, {}-byte objects",
                              options.count_reads, options.count_updates, kCountingPayloadBytes);
  }
  benchmark::AddCustomContext("rcubench_configs", config_list);
  benchmark::AddCustomContext(std::string(contract::kSchemaKey),
                              std::to_string(contract::kSchemaVersion));
  // What each primitive is, for the report to group, draw and compare by (docs/csv.md).
  for (const contract::PrimitiveMeta& m : reported_primitive_metas())
    benchmark::AddCustomContext(contract::primitive_context_key(m.name),
                                contract::encode_primitive(m));
  if (options.process) {
    benchmark::AddCustomContext(std::string(contract::kProcessKey),
                                std::to_string(*options.process));
    benchmark::AddCustomContext("rcubench_shuffle_seed", std::to_string(options.seed));
  }
  std::string oversubscribed;
  for (const PlannedRun& run : runs) {
    std::string group = fmt::format("{} readers:{} updaters:{}", run.workload, run.params.readers,
                                    run.params.updaters);
    if (detail::oversubscribed(run.params.readers + run.params.updaters) &&
        oversubscribed.find(group) == std::string::npos)
      oversubscribed += (oversubscribed.empty() ? "" : ", ") + group;
  }
  benchmark::AddCustomContext("rcubench_oversubscribed",
                              oversubscribed.empty() ? "none" : oversubscribed);

  std::vector<CountedRun> counted;
  std::size_t registered = 0;
  if (options.count_insns) {
    counted = plan_counting(options);
    register_counting(counted, *counter, options);
    registered = counted.size();
  } else {
    std::vector<PlannedRun> order = runs;  // The summary keeps the configuration's order.
    if (options.process) {
      // One process of a multi-process run: its own order of the benchmarks (from the
      // recorded seed, so it can be replayed), after one discarded run that warms caches,
      // the allocator and the CPU's clock up.
      std::mt19937_64 shuffle(options.seed);
      std::shuffle(order.begin(), order.end(), shuffle);
      if (!options.lockstep_in.empty()) {
        try {
          lockstep.emplace(Lockstep::connect(options.lockstep_in, options.lockstep_out,
                                             options.lockstep_first));
        } catch (const std::runtime_error& e) {
          fmt::print(stderr, "rcubench: error: {}\n", e.what());
          return 1;
        }
        benchmark::AddCustomContext("rcubench_lockstep",
                                    options.lockstep_first ? "first" : "second");
      }
      if (lockstep) lockstep->begin_run();  // The warm-up runs in this side's first turn.
      if (!order.empty()) warm_up(order.front());
    }
    register_runs(order);
    registered = runs.size();
    for (const PlannedRun& run : runs)
      registered += run.primitive == "bare" && run.params.updaters == 0;
  }
  if (options.progress) {
    // Every benchmark runs once per repetition; a filter makes the estimate an upper bound.
    progress.start(registered * static_cast<std::size_t>(std::max(1, repetitions)));
  }
  benchmark::RunSpecifiedBenchmarks(&reporter);
  lockstep.reset();  // The other side runs on alone.
  benchmark::Shutdown();
  if (options.count_insns) {
    print_counting_summary(counted, reporter);
  } else {
    print_summary(runs, reporter);
  }
  if (!options.memory_series.empty() && !write_memory_series(options.memory_series, options.process))
    return 1;
  return 0;
}
