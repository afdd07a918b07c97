// The plots of a results CSV, reduced to small tables for gnuplot (docs/plots.md): which
// plots to draw, their panels, scales, ticks, line styles and label positions, and per
// point the median and quartiles of the process samples. Every decision is made here, where
// it is tested; the gnuplot scripts in plots/ only draw what they are given.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/csv.h"
#include "report/samples.h"

namespace rcubench::report {

// The workload parameters a scenario may sweep: the x axes of the sweep plots.
enum class SweepColumn { readers, updaters, updater_delay_us, read_work, payload_bytes };
// In the order they are preferred as x when two sweep the same number of values.
inline constexpr std::array<SweepColumn, 5> kSweepColumns = {
    SweepColumn::readers, SweepColumn::updaters, SweepColumn::updater_delay_us,
    SweepColumn::read_work, SweepColumn::payload_bytes};

// The CSV column's name: "readers", ...
std::string_view column_name(SweepColumn c);

// The row's value in column c; NaN where the row has none ("-").
double column_value(const Row& row, SweepColumn c);

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

// Label heights (fractions of an axis, any order) moved apart by at least `gap` each and kept
// inside [0, 1] (unless they cannot all fit), as little as possible: labels at line ends that
// do not overlap. Returned in the order given.
std::vector<double> spread_labels(const std::vector<double>& wanted, double gap);

// Axis ticks: where, and the text there.
struct Tick {
  double at = 0;
  std::string label;
};
// Ticks for an axis of the unit ("1/s", "ns", "bytes", "objects", ...) between lo and hi:
// powers of ten on a log axis (with 2 and 5 between them when it spans less than three
// decades; powers of two for bytes), 1-2-5 steps on a linear one; numbers with SI
// prefixes, times and sizes with their units.
std::vector<Tick> axis_ticks(double lo, double hi, bool log, std::string_view unit);

// A value in the unit, short: "1.5M", "250 ns", "12 µs" ("us": microseconds), "64 KiB"
// ("bytes"); a whole "count" exactly: "1024".
std::string short_value(double v, std::string_view unit);

// One plot: `kind` is the gnuplot script that draws it (plots/<kind>.gp); `vars` is a
// gnuplot script of variables for it, `data` its tables.
struct PlotFiles {
  std::string name, kind, vars, data;
};

// Every plot of the timed rows (exec native or qemu; instruction counts have no plots), per
// arch in the project's arch order: the headline, then per workload in file order its
// throughput, backlog and latency plots. Notes about the input (points that pool several
// parameter sets, values a log scale cannot show) go to `notes`.
std::vector<PlotFiles> make_plots(const std::vector<Row>& rows, std::vector<std::string>* notes);

// The list of plots: "<name> <kind>" per line, in drawing order.
std::string plot_manifest(const std::vector<PlotFiles>& plots);

}  // namespace rcubench::report
