// Every metric rcubench writes, with its unit, which direction is better and what the
// report does with it by default. rcubench refuses to write a counter that is not here
// (bench/rcubench.cc), so a new metric cannot reach a report that does not know it: add it
// here (docs/extending.md). Dependency-free: the cross-built bench and the host-only report
// both compile it.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace rcubench::contract {

// The version of the results contract (run names, context keys, metrics, CSV columns),
// written into every JSON context (context_keys.h: kSchemaKey) and every CSV row (column
// `schema`). 1 is the first version recorded; results from before it have none, and the
// report reads them by their columns (docs/csv.md). Raise it when a name or meaning
// changes, and teach the report the difference.
inline constexpr int kSchemaVersion = 1;

enum class Direction : unsigned char { higher_is_better, lower_is_better, unknown };

// What a metric is for in the reports.
enum class MetricUse : unsigned char {
  throughput,  // reads/s, updates/s: tables, bar and line plots, the gate's primary metrics
  latency,     // per-operation and grace-period times and percentiles
  backlog,     // memory retired but not yet freed
  fairness,    // thread-to-thread spread: starved threads
  exact_count,  // exact counts per operation of a counting run (qemu plugin): gated on every arch
  info,        // counts behind other metrics, flags, Google Benchmark's own times
};

struct Metric {
  std::string_view name;
  std::string_view unit;  // "time" for real_time and cpu_time: the benchmark's time_unit
  Direction direction;
  MetricUse use;
};

inline constexpr std::string_view kTimeUnit = "time";

// The latency families rcubench writes as <prefix><suffix>.
inline constexpr std::string_view kReadLatency = "read", kUpdateLatency = "update",
                                  kGraceLatency = "gp";

inline constexpr std::array kMetrics = {
    Metric{"real_time", kTimeUnit, Direction::lower_is_better, MetricUse::info},
    Metric{"cpu_time", kTimeUnit, Direction::lower_is_better, MetricUse::info},
    Metric{"reads_per_s", "1/s", Direction::higher_is_better, MetricUse::throughput},
    Metric{"updates_per_s", "1/s", Direction::higher_is_better, MetricUse::throughput},
    Metric{"read_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"min_thread_reads_per_s", "1/s", Direction::higher_is_better, MetricUse::fairness},
    Metric{"max_thread_reads_per_s", "1/s", Direction::higher_is_better, MetricUse::fairness},
    Metric{"read_fairness", "fraction", Direction::higher_is_better, MetricUse::fairness},
    Metric{"min_thread_updates_per_s", "1/s", Direction::higher_is_better, MetricUse::fairness},
    Metric{"max_thread_updates_per_s", "1/s", Direction::higher_is_better, MetricUse::fairness},
    Metric{"update_fairness", "fraction", Direction::higher_is_better, MetricUse::fairness},
    Metric{"backlog_peak_objects", "objects", Direction::lower_is_better, MetricUse::backlog},
    Metric{"backlog_peak_bytes", "bytes", Direction::lower_is_better, MetricUse::backlog},
    Metric{"backlog_end_objects", "objects", Direction::lower_is_better, MetricUse::backlog},
    Metric{"backlog_end_bytes", "bytes", Direction::lower_is_better, MetricUse::backlog},
    // A stalls run's memory held (retired, not yet freed), sampled by the clock.
    Metric{"held_peak_objects", "objects", Direction::lower_is_better, MetricUse::backlog},
    Metric{"held_peak_bytes", "bytes", Direction::lower_is_better, MetricUse::backlog},
    Metric{"held_mean_objects", "objects", Direction::lower_is_better, MetricUse::backlog},
    Metric{"held_mean_bytes", "bytes", Direction::lower_is_better, MetricUse::backlog},
    // How long reader 0's stalled sections lasted, on average (a lock may keep it waiting).
    Metric{"stall_mean_us", "us", Direction::unknown, MetricUse::info},
    // Updates/s while reader 0 stalls, against updates/s while it does not (from the memory
    // samples): 0 where the updaters wait for it, 1 where the stall does not touch them.
    Metric{"stall_updates_ratio", "fraction", Direction::unknown, MetricUse::info},
    Metric{"retries_per_update", "1/update", Direction::lower_is_better, MetricUse::info},
    Metric{"oversubscribed", "-", Direction::unknown, MetricUse::info},  // 1 when it was
    Metric{"read_insns", "instructions", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_loads", "loads", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_stores", "stores", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_rmws", "rmws", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_llsc_retries", "retries", Direction::lower_is_better, MetricUse::info},
    Metric{"read_fences", "fences", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_full_fences", "fences", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_acquires", "acquires", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_releases", "releases", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_insns", "instructions", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_loads", "loads", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_stores", "stores", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_rmws", "rmws", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_llsc_retries", "retries", Direction::lower_is_better, MetricUse::info},
    Metric{"update_fences", "fences", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_full_fences", "fences", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_acquires", "acquires", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"update_releases", "releases", Direction::lower_is_better, MetricUse::exact_count},
    // The read path with two readers at once: writes to lines both touch (exact where
    // the path does not depend on the interleaving: kSharedWrites below), and the
    // instructions per read and LL/SC retries with the two contending.
    Metric{"read_shared_writes", "writes", Direction::lower_is_better, MetricUse::exact_count},
    Metric{"read_shared_insns", "instructions", Direction::lower_is_better, MetricUse::info},
    Metric{"read_shared_retries", "retries", Direction::lower_is_better, MetricUse::info},
    // The latency families: <read|update|gp>_samples, _p50_ns, _p90_ns, _p99_ns, _p999_ns,
    // _max_ns.
    Metric{"read_samples", "samples", Direction::unknown, MetricUse::info},
    Metric{"read_p50_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"read_p90_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"read_p99_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"read_p999_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"read_max_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"update_samples", "samples", Direction::unknown, MetricUse::info},
    Metric{"update_p50_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"update_p90_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"update_p99_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"update_p999_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"update_max_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"gp_samples", "samples", Direction::unknown, MetricUse::info},
    Metric{"gp_p50_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"gp_p90_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"gp_p99_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"gp_p999_ns", "ns", Direction::lower_is_better, MetricUse::latency},
    Metric{"gp_max_ns", "ns", Direction::lower_is_better, MetricUse::latency},
};

// A read path's shared-line writes are exact where its two readers ran the one-reader
// instructions (read_shared_insns == read_insns); where they contended, the writes follow
// the interleaving and are information, not gated (docs/instruction-counts.md).
inline constexpr std::string_view kSharedWrites = "read_shared_writes";
inline constexpr std::string_view kSharedReadInsns = "read_shared_insns";
inline constexpr std::string_view kReadInsns = "read_insns";

// That rule, the one place it is written: exact where there are repetitions of both, and
// every repetition of the two-reader instructions equals every one of the one-reader count.
constexpr bool shared_writes_exact(std::span<const double> read_insns,
                                   std::span<const double> shared_read_insns) {
  if (read_insns.empty() || shared_read_insns.empty()) return false;
  for (double two : shared_read_insns)
    for (double one : read_insns)
      if (two != one) return false;
  return true;
}

// The counting mode's profile of a path: <read|update>_<suffix>, one per field of the
// plugin's answer, in the order of rcubench_insn_field (insn_count/protocol.h). Not
// "retries": update_retries is an older timed metric (now retries_per_update).
inline constexpr std::array<std::string_view, 9> kProfileSuffixes = {
    "insns", "loads", "stores", "rmws", "llsc_retries", "fences", "full_fences", "acquires",
    "releases"};

// The metric named `name`, or null.
constexpr const Metric* find_metric(std::string_view name) {
  for (const Metric& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

// Whether `name` is one of a counting run's exact counts per operation (MetricUse::
// exact_count): instructions, loads, stores, RMWs, fences, acquires, releases, shared-line
// writes.
constexpr bool is_exact_count(std::string_view name) {
  const Metric* m = find_metric(name);
  return m && m->use == MetricUse::exact_count;
}

// The gate's primary metric of a workload (docs/regression-gate.md): the grace-period
// latency where updaters measure grace periods, updates/s where there are updaters,
// reads/s otherwise. Every other metric is information.
constexpr std::string_view primary_metric(long updaters, bool has_grace_periods) {
  if (has_grace_periods) return "gp_p50_ns";
  return updaters > 0 ? "updates_per_s" : "reads_per_s";
}

// Whether `name` is in the table (a bool: a sanitizer build does not fold a comparison of
// find_metric's pointer to null in a constant expression).
constexpr bool in_metric_table(std::string_view name) {
  for (const Metric& m : kMetrics)
    if (m.name == name) return true;
  return false;
}
static_assert(in_metric_table(primary_metric(0, true)) && in_metric_table(primary_metric(1, false)) &&
                  in_metric_table(primary_metric(0, false)),
              "the primary metrics are in the table");

}  // namespace rcubench::contract
