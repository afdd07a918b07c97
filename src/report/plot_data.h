// The plots of a results CSV, reduced to small tables for gnuplot (docs/plots.md): which
// plots to draw, their panels, scales, ticks, line styles and label positions, and per
// point the median and quartiles of the process samples. Every decision is made here and in
// plot/ (plot_data.cc lists them), where it is tested; the gnuplot scripts in plots/ only
// draw what they are given.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/csv.h"
#include "report/memory_series.h"
#include "report/plot/axes.h"
#include "report/plot/sweep.h"

namespace rcubench::report {

// Label heights (fractions of an axis, any order) moved apart by at least `gap` each and kept
// inside [0, 1] (unless they cannot all fit), as little as possible: labels at line ends that
// do not overlap. Returned in the order given.
std::vector<double> spread_labels(const std::vector<double>& wanted, double gap);

// One plot: `kind` is the gnuplot script that draws it (plots/<kind>.gp); `vars` is a
// gnuplot script of variables for it, `data` its tables.
struct PlotFiles {
  std::string name, kind, vars, data;
  // What it shows: the arch and exec of its rows, their workload (empty for a plot of the
  // arch as a whole: the headline), and its title.
  std::string arch, exec, workload, title;
};

// Every plot of the timed rows (exec native or qemu; instruction counts have no plots), per
// arch in the project's arch order: the headline, then per workload in file order its
// throughput, backlog and latency plots. Notes about the input (points that pool several
// parameter sets, values a log scale cannot show) go to `notes`.
// With `memory`: the stalls workloads also get their memory held over time (one process,
// one stall length).
std::vector<PlotFiles> make_plots(const std::vector<Row>& rows, std::vector<std::string>* notes,
                                  const std::vector<MemoryTrace>& memory = {});

// The list of plots: "<name> <kind>" per line, in drawing order.
std::string plot_manifest(const std::vector<PlotFiles>& plots);

}  // namespace rcubench::report
