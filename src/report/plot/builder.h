// One plot of a scenario, of one of three kinds: lines against the swept column, bars at
// its one point, latency percentiles side by side. Which plots a scenario gets is
// plot_data.cc's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/memory_series.h"
#include "report/plot/model.h"
#include "report/plot/scenario.h"
#include "report/primitive_style.h"

namespace rcubench::report::plot {

// What one plot shows: metrics (a row of panels each), which primitives, how.
struct MetricSpec {
  std::string metric, ylabel, unit;
  bool per_reader = false, per_updater = false;  // divided by the point's thread count
  bool linear_only = false;                       // never a log scale (timeline only)
};

struct PlotSpec {
  std::string name;
  std::vector<MetricSpec> metrics;
  std::function<bool(const std::string& primitive)> wanted = [](const std::string&) {
    return true;
  };
  bool split_families = true;
  std::string footnote = "";  // appended to the footer: what the values are
};

// How the samples of a plot were taken, for its footer (builder.cc).
struct SampleNote;

class Builder {
 public:
  Builder(const Scenario& sc, const Looks& looks, std::vector<std::string>* notes)
      : sc_(sc), looks_(looks), notes_(notes) {}

  // The summary of a primitive's metric at x, or none; values per thread where asked.
  std::optional<PointSummary> point(const std::string& p, const MetricSpec& m, double x) const;

  // The primitives with a positive value of the metric, in family order.
  std::vector<std::string> primitives(const PlotSpec& spec, const MetricSpec& m) const;

  // The updater threads of the points at x (one value in a scenario that sweeps another
  // column).
  long updaters_at(double x) const;

  // The x values of the scenario's points, in increasing order.
  std::vector<double> xs() const;

  // A line per primitive against x, in panels by family with the references in each: a
  // row of panels per metric.
  std::optional<Plot> lines(const PlotSpec& spec) const;

  // A bar per primitive (one x value): RCU flavors grouped (synchronous, deferred, batched
  // free, raw liburcu side by side), then the locks, then the others; the references as
  // horizontal lines. A panel per metric.
  std::optional<Plot> bars(const PlotSpec& spec) const;

  // Latency percentiles at one x: a group of bars per primitive, a bar per percentile.
  std::optional<Plot> percentile_bars(const PlotSpec& spec, const std::string& prefix) const;

  // A trace's values of one of spec.metrics against time: (ms from the start, value); a
  // NaN value breaks the line there.
  using TraceValues = std::function<std::vector<std::pair<double, double>>(
      const MemoryTrace&, const MetricSpec&)>;

  // A line per trace against time (one process's samples at one stall length), a row of
  // panels per metric of `spec`, by family as lines() makes them; reader 0's stalls shaded
  // in every panel.
  std::optional<Plot> timeline(const PlotSpec& spec, const std::vector<const MemoryTrace*>& traces,
                               const TraceValues& values) const;

 private:
  // Common to every kind: scales (one per metric), dropped zeros, titles, footers.
  void finish(Plot& plot, SampleNote& note, bool bars, const PlotSpec& spec) const;

  const Scenario& sc_;
  const Looks& looks_;
  std::vector<std::string>* notes_;
};

}  // namespace rcubench::report::plot
