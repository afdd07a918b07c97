// What a workload's rows sweep, and the summary of one plotted point (docs/plots.md, "Lines
// or bars").
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "report/csv.h"
#include "report/samples.h"

namespace rcubench::report {

// The workload parameters a scenario may sweep: the x axes of the sweep plots.
enum class SweepColumn { readers, updaters, updater_delay_us, read_work, payload_bytes, stall_us };
// In the order they are preferred as x when two sweep the same number of values.
inline constexpr std::array<SweepColumn, 6> kSweepColumns = {
    SweepColumn::readers,   SweepColumn::updaters,      SweepColumn::updater_delay_us,
    SweepColumn::read_work, SweepColumn::payload_bytes, SweepColumn::stall_us};

// The CSV column's name: "readers", ...
std::string_view column_name(SweepColumn c);

// The row's value in column c; NaN where the row has none ("-").
double column_value(const Row& row, SweepColumn c);

// A column value as a set key: "-" (NaN, which does not order) as -1, below every value.
inline double value_key(double v) { return std::isnan(v) ? -1 : v; }

// What a workload's rows sweep: `x`, the column that takes the most distinct values (at
// least two; on a tie the first in kSweepColumns), none for a one-point workload; and the
// other columns that take several values, each value of which gets a plot of its own. A row
// without a value in a column ("-": a CSV from before the column existed) adds none.
struct Sweep {
  std::optional<SweepColumn> x;
  std::vector<SweepColumn> split;
};
Sweep find_sweep(const std::vector<const Row*>& rows);

// One point of a plot: the median and quartiles of its samples. The samples are the
// processes (each the median of its repetitions, as the gate takes them); where a point has
// a single sample, a run of one process, its in-process repetitions stand in, marked.
struct PointSummary {
  double median = 0, q1 = 0, q3 = 0;
  std::size_t n = 0;         // samples behind the point
  bool repetitions = false;  // in-process repetitions of one process, not processes
};
PointSummary summarize(const ProcessSamples& samples);

}  // namespace rcubench::report
