// The regression gate: per series, current run versus baseline, by Mann-Whitney U test
// and a minimum effect size (docs/regression-gate.md).
#pragma once

#include <cmath>
#include <compare>
#include <string>
#include <string_view>
#include <vector>

#include "contract/metrics.h"
#include "contract/run_name.h"
#include "report/csv.h"

namespace rcubench::report {

// How the baseline is used (docs/regression-gate.md).
enum class CompareMode {
  runs,     // two runs: rank-sum test of their process samples
  paired,   // two runs interleaved in time: signed-rank test of process k of each side
  history,  // the current run's median against the band of the history's run medians
};

struct CompareOptions {
  CompareMode mode = CompareMode::runs;
  // Family-wise error rate over the gated series that are tested (Holm's method); the
  // series that are not gated are tested each at this level, uncorrected.
  double alpha = 0.05;
  double min_effect = 0.05;          // smallest relative change of medians that counts
  std::size_t min_samples = 5;       // processes on each side (runs mode); fewer: "insufficient"
  std::size_t min_pairs = 6;         // process pairs (paired mode): 2/2^6 is the smallest p
  std::size_t min_history_runs = 5;  // history runs with the series (history mode)
  double band_k = 5;                 // history band: median +- band_k robust sigmas of run medians
  double band_floor = 0.01;          // ... where the sigma is at least 1 % of the median
  double drift_k = 4;                // drift scan: a shift of at least drift_k robust sigmas
  std::size_t drift_min_runs = 3;    // ... between segments of at least this many runs
  // Exact counts (is_insn_count): a change larger than all of these is a finding. The spread of the repetitions within a run, on either
  // side, widens it where a path is not exactly repeatable (a deferred free's hand-off to
  // call_rcu); the spread between runs does not.
  double insn_tolerance_fraction = 0.005;  // 0.5 % of the baseline
  double insn_tolerance_absolute = 1;      // one instruction, load or store
  // ... and of the counts that layout does not move (RMWs, fences, acquires, releases,
  // shared-line writes): one more per operation is a finding.
  double order_tolerance_absolute = 0.5;
};

// Timings that are hardware performance: run here (`native`) or on a board over SSH
// (`remote`, scripts/bench --remote); not under QEMU (`qemu`).
inline bool is_hardware_exec(std::string_view exec) {
  return exec == contract::kExecNative || exec == contract::kExecRemote;
}

// An exact count per operation of a counting run (the qemu plugin): instructions, loads,
// stores, RMWs, fences, acquires, releases, shared-line writes (contract::MetricUse::
// exact_count); a counting run's other metrics are information. A metric outside the
// contract is an exact count if its unit is "instructions".
inline bool is_insn_count(std::string_view exec, std::string_view metric, std::string_view unit) {
  if (exec != contract::kExecInsnCount) return false;
  if (contract::in_metric_table(metric)) return contract::is_exact_count(metric);
  return unit == "instructions";
}

// The series a sample belongs to; iteration rows only.
struct SeriesKey {
  std::string arch, exec, workload, primitive;
  long readers = 0, updaters = 0;
  std::string params;  // the workload's parameter hash: an edited config is a new series
  std::string metric;
  auto operator<=>(const SeriesKey&) const = default;
};

enum class Verdict {
  regression,    // significantly worse by at least min_effect
  improvement,   // significantly better by at least min_effect
  changed,       // significant and large, but the metric has no better direction
  unchanged,     // not significant, or smaller than min_effect
  insufficient,  // too few samples (processes, pairs, history runs) to decide
  added,         // only in the current run
  missing,       // only in the baseline
};
std::string_view verdict_name(Verdict v);

inline constexpr std::string_view kEmulatedReason =
    "emulated: timings are not hardware performance, not gated";

// The metric the gate judges a workload by (contract/metrics.h): gp_p50_ns where the
// updaters measure grace periods (`has_grace_periods`: the series has gp_ counters),
// updates_per_s where there are updaters, reads_per_s otherwise.
using contract::primary_metric;

struct SeriesResult {
  SeriesKey key;
  std::string unit;
  // Samples on each side: processes (runs mode), pairs (paired), run medians of the
  // history and processes of the current run (history); repetitions for instruction
  // counts.
  std::size_t n_baseline = 0, n_current = 0;
  double median_baseline = 0, median_current = 0;
  // Relative change: (current - baseline) / |baseline| of the medians, or the median
  // ratio - 1 of the pairs; NaN when the baseline is 0 or a side is missing.
  double change = 0;
  // Gated series: the smallest change in the metric's worse direction that this
  // series's test would flag as the only change of the family (Holm's first threshold,
  // alpha / m; the band in history mode), given the spread of these very samples centred
  // on the baseline; never below min_effect. Negative for a drop. NaN when no change of
  // any size could be flagged, for information series and for instruction counts.
  double detectable = NAN;
  // History mode: the band the current median was judged against; NaN otherwise.
  double band_low = NAN, band_high = NAN;
  double p_value = 1;     // NaN when no test ran
  double p_adjusted = 1;  // Holm-adjusted for gated series; NaN otherwise
  // "exact" or "normal" (rank-sum), "signed-rank", "band", "count" (tolerance), "-".
  std::string test = "-";
  Verdict verdict = Verdict::unchanged;
  bool gated = false;  // a regression (or absence) of this series fails the gate
  std::string note;    // why not gated, low power, ...; "-" if nothing
};

// Slow drift of a series over the history (history mode): information, never gated.
struct Drift {
  SeriesKey key;
  std::string first_run_after;  // the run where the shift starts
  std::size_t runs_before = 0, runs_after = 0;
  double before = 0, after = 0, shift = 0, score = 0;
};

struct Comparison {
  std::vector<SeriesResult> results;  // in SeriesKey order
  std::vector<Drift> drifts;
  std::vector<std::string> notes;  // about the inputs as a whole
  CompareOptions options;
  std::size_t family_size = 0;  // gated series tested (Holm's m)
  bool no_power = false;        // no tested gated series could be flagged whatever its change
  bool failed() const;          // any gated regression or gated series missing
};

// Rows are iteration rows of either side (aggregates are ignored); in history mode the
// baseline is the rows of the selected history runs.
Comparison compare_runs(const std::vector<Row>& baseline, const std::vector<Row>& current,
                        const CompareOptions& options);

enum class Format { table, csv, markdown };
std::string format_comparison(const Comparison& c, Format format);

// The median detectable change of the gated series per metric, one line (empty when no
// gated series was tested).
std::string detectable_line(const Comparison& c);

// One line of counts per verdict, ending in ": pass" or ": FAIL".
std::string verdict_line(const Comparison& c);

}  // namespace rcubench::report
