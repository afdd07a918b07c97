// The regression gate: per series, current run versus baseline, by Mann-Whitney U test
// and a minimum effect size (docs/regression-gate.md).
#pragma once

#include <compare>
#include <string>
#include <string_view>
#include <vector>

#include "report/csv.h"

namespace rcubench::report {

struct CompareOptions {
  double alpha = 0.05;       // significance level of the two-sided test
  double min_effect = 0.05;  // smallest relative change of medians that counts
  std::size_t min_repetitions = 5;   // fewer on either side: "insufficient"
  std::size_t warn_repetitions = 9;  // fewer: the result carries a low-power note
  // Exact instruction counts (exec kInsnCountExec, unit "instructions"): a change larger
  // than all of these is a finding. The spreads of both sides widen it where a path is
  // not exactly repeatable (a deferred free's hand-off to call_rcu).
  double insn_tolerance_fraction = 0.005;  // 0.5 % of the baseline
  double insn_tolerance_absolute = 1;      // one instruction
};

// The exec value of a counting run (rcubench --count-insns under the QEMU plugin).
inline constexpr std::string_view kInsnCountExec = "qemu-insn-count";

// The series a sample belongs to; iteration rows only.
struct SeriesKey {
  std::string arch, exec, workload, primitive;
  long readers = 0, updaters = 0;
  std::string metric;
  auto operator<=>(const SeriesKey&) const = default;
};

enum class Verdict {
  regression,    // significantly worse by at least min_effect
  improvement,   // significantly better by at least min_effect
  changed,       // significant and large, but the metric has no better direction
  unchanged,     // not significant, or smaller than min_effect
  insufficient,  // fewer than min_repetitions on a side
  added,         // only in the current run
  missing,       // only in the baseline
};
std::string_view verdict_name(Verdict v);

inline constexpr std::string_view kEmulatedReason =
    "emulated: timings are not hardware performance, not gated";

struct SeriesResult {
  SeriesKey key;
  std::string unit;
  std::size_t n_baseline = 0, n_current = 0;
  double median_baseline = 0, median_current = 0;
  double change = 0;   // (median_current - median_baseline) / |median_baseline|
  double p_value = 1;  // NaN when no test ran
  std::string test = "-";  // "exact", "normal", "count" (tolerance) or "-" (no test ran)
  Verdict verdict = Verdict::unchanged;
  bool gated = false;  // a regression of this series fails the gate
  std::string note;    // why not gated, low power, ...; "-" if nothing
};

struct Comparison {
  std::vector<SeriesResult> results;  // in SeriesKey order
  std::vector<std::string> notes;     // about the inputs as a whole
  CompareOptions options;
  bool failed() const;                // any gated regression
};

Comparison compare_runs(const std::vector<Row>& baseline, const std::vector<Row>& current,
                        const CompareOptions& options);

enum class Format { table, csv, markdown };
std::string format_comparison(const Comparison& c, Format format);

// One line of counts per verdict, ending in ": pass" or ": FAIL".
std::string verdict_line(const Comparison& c);

}  // namespace rcubench::report
