// The trend of every series over a history: each recorded run judged as the gate's history
// mode judges it against the runs of its machine recorded before it: the same run
// medians, the same keys (params included), the same band as `compare --baseline
// HISTORY`. (CI's verdict on a push is a paired A/B run, which can differ.)
#pragma once

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "report/compare.h"

namespace rcubench::report {

struct TrendPoint {
  std::string run_id, date, commit;
  std::size_t machine = 0;  // index into HistoryTrends::machines
  double median = NAN;      // the run's median of the series
  // The band the run was judged against (NaN while the baseline has too few runs).
  double band_low = NAN, band_high = NAN;
  double change = NAN;  // against the baseline's median
  Verdict verdict = Verdict::insufficient;
  // The baseline starts afresh at this run: an accepted run (accept), or an accept
  // pattern recorded with it that matches the series (record --accept).
  bool rebaseline = false;
};

struct TrendSeries {
  SeriesKey key;
  std::string unit;
  bool gated = false;
  std::vector<TrendPoint> points;  // in run order
};

struct HistoryTrends {
  std::vector<std::string> runs;      // the runs judged, in order (by date, then run_id)
  std::vector<std::string> machines;  // "CPU / compiler (fingerprint)", first-seen order
  std::vector<TrendSeries> series;    // in SeriesKey order
};

// The last `max_runs` runs of the history directory, each against the `last_n` runs of its
// machine before it (CompareOptions' defaults otherwise, as scripts/gate judges).
HistoryTrends history_trends(const std::filesystem::path& dir, std::size_t max_runs, int last_n);

// The trend plot of each series whose metric is in `metrics` (all when empty), for
// plots/trend.gp (docs/plots.md): named trend-<arch>[-<exec>]-<workload>-<primitive>-
// r<R>-u<U>[-<params>]-<metric> (exec and params where the history holds the series under
// several); `data` one line per run: time (s since the epoch), run median,
// band low and high ("?" while there is none), machine (1-based), rebaseline (0/1),
// verdict (1 regression, 2 improvement, 0 otherwise); `vars` its title, y label and the
// machines' names.
struct TrendPlot {
  std::string name, vars, data;
  const TrendSeries* series = nullptr;
};
std::vector<TrendPlot> trend_plots(const HistoryTrends& trends,
                                   const std::vector<std::string>& metrics);

}  // namespace rcubench::report
