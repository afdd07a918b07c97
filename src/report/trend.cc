#include "report/trend.h"

#include <algorithm>
#include <climits>
#include <fmt/format.h>
#include <tuple>
#include <cctype>
#include "contract/run_name.h"
#include <map>
#include <set>

#include "report/file_io.h"
#include "report/history.h"
#include "report/plot/gnuplot.h"
#include "report/history_file.h"
#include "report/run_input.h"
#include "report/summary.h"

namespace rcubench::report {

namespace fs = std::filesystem;

HistoryTrends history_trends(const fs::path& dir, std::size_t max_runs, int last_n) {
  // Run order as the baseline's: the run's earliest date, then its run_id.
  std::vector<HistoryRun> runs = load_history_runs(dir, /*metadata_only=*/true);
  auto time_of = [](const HistoryRun& run) {
    long long t = LLONG_MAX;
    for (const RunMachine& m : run.machines)
      if (auto p = parse_iso8601(m.date)) t = std::min(t, *p);
    return t;
  };
  std::stable_sort(runs.begin(), runs.end(), [&](const HistoryRun& a, const HistoryRun& b) {
    return std::pair{time_of(a), a.run_id} < std::pair{time_of(b), b.run_id};
  });
  const std::vector<std::string> accepted = accepted_runs(dir);
  const std::size_t first = runs.size() > max_runs ? runs.size() - max_runs : 0;

  HistoryTrends trends;
  std::map<SeriesKey, TrendSeries> series;
  std::set<std::string> later;
  for (const HistoryRun& run : runs) later.insert(run.run_id);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    HistoryRun& run = runs[i];
    later.erase(run.run_id);
    if (i < first) continue;
    load_series(run);
    const std::vector<Row> current = rows_of_run(run);
    run.series.clear();
    if (current.empty()) continue;
    trends.runs.push_back(run.run_id);
    const std::vector<Row> baseline = baseline_from_history_dir(dir, current, last_n, nullptr, later);
    CompareOptions options;
    options.mode = CompareMode::history;
    const Comparison c = compare_runs(baseline, current, options);
    const bool run_accepted =
        std::find(accepted.begin(), accepted.end(), run.run_id) != accepted.end();
    // Per (arch, exec): the date, commit and machine of the run there.
    std::map<std::pair<std::string, std::string>, const Row*> machine_rows;
    for (const Row& r : current) machine_rows.try_emplace({r.arch, r.exec}, &r);
    for (const SeriesResult& r : c.results) {
      if (r.verdict == Verdict::missing) continue;  // not in this run
      const Row& m = *machine_rows.at({r.key.arch, r.key.exec});
      TrendSeries& s = series[r.key];
      s.key = r.key;
      s.unit = r.unit;
      s.gated |= r.gated;
      TrendPoint p{run.run_id, m.date, m.commit};
      p.machine = index_of(trends.machines,
                           fmt::format("{} / {} ({})", m.cpu_model, m.compiler, m.fingerprint));
      p.median = r.median_current;
      p.band_low = r.band_low;
      p.band_high = r.band_high;
      p.change = r.change;
      p.verdict = r.verdict;
      const std::string name = series_name(r.key.arch, r.key.primitive, r.key.workload, r.key.metric);
      p.rebaseline = run_accepted;
      for (const HistoryAccept& a : run.accepts) p.rebaseline |= pattern_matches(a.pattern, name);
      s.points.push_back(std::move(p));
    }
  }
  for (auto& [key, s] : series) trends.series.push_back(std::move(s));
  return trends;
}

namespace {

std::string number_or_missing(double v) { return std::isnan(v) ? "?" : fmt::format("{}", v); }

}  // namespace

std::vector<TrendPlot> trend_plots(const HistoryTrends& trends,
                                   const std::vector<std::string>& metrics) {
  // Series that differ only in exec, or only in params, get those in their names.
  std::map<std::tuple<std::string, std::string, std::string, long, long, std::string>,
           std::set<std::string>>
      execs_of, params_of;
  auto short_key = [](const SeriesKey& k) {
    return std::tuple{k.arch, k.workload, k.primitive, k.readers, k.updaters, k.metric};
  };
  for (const TrendSeries& s : trends.series) {
    execs_of[short_key(s.key)].insert(s.key.exec);
    params_of[short_key(s.key)].insert(s.key.params);
  }
  std::vector<TrendPlot> plots;
  for (const TrendSeries& s : trends.series) {
    const SeriesKey& k = s.key;
    if (!metrics.empty() && std::find(metrics.begin(), metrics.end(), k.metric) == metrics.end())
      continue;
    TrendPlot p;
    p.series = &s;
    p.name = file_name_part(fmt::format(
        "trend-{}{}-{}-{}-r{}-u{}{}-{}", k.arch,
        execs_of[short_key(k)].size() > 1 ? "-" + k.exec : "", k.workload, k.primitive,
        k.readers, k.updaters, params_of[short_key(k)].size() > 1 ? "-" + k.params : "",
        k.metric));
    std::vector<std::size_t> machines;  // the series' machines, in the order they appear
    for (const TrendPoint& t : s.points)
      if (std::find(machines.begin(), machines.end(), t.machine) == machines.end())
        machines.push_back(t.machine);
    p.data = "# time median band_low band_high machine rebaseline verdict\n";
    bool has[4] = {};  // band, regression, improvement, rebaseline: what the plot draws
    for (const TrendPoint& t : s.points) {
      const auto time = parse_iso8601(t.date);
      if (!time) continue;
      const auto machine = std::find(machines.begin(), machines.end(), t.machine) - machines.begin() + 1;
      has[0] |= !std::isnan(t.band_low);
      has[1] |= t.verdict == Verdict::regression;
      has[2] |= t.verdict == Verdict::improvement;
      has[3] |= t.rebaseline;
      p.data += fmt::format("{} {} {} {} {} {} {}\n", *time, number_or_missing(t.median),
                            number_or_missing(t.band_low), number_or_missing(t.band_high), machine,
                            t.rebaseline ? 1 : 0,
                            t.verdict == Verdict::regression    ? 1
                            : t.verdict == Verdict::improvement ? 2
                                                                : 0);
    }
    const bool emulated = k.exec == contract::kExecQemu;
    p.vars = fmt::format(
        "title = {}\nylabel = {}\nmachines = {}\n",
        plot::gp_string(fmt::format("{} ({}): {} of {}, {} readers, {} updaters, workload {}{}", k.arch,
                           emulated ? "emulated" : k.exec, k.metric, k.primitive, k.readers,
                           k.updaters, k.workload,
                           emulated ? "\nrun under qemu: timings are not hardware performance"
                                    : "")),
        plot::gp_string(fmt::format("{} ({})", k.metric, s.unit)), machines.size());
    for (std::size_t i = 0; i < machines.size(); ++i)
      p.vars += fmt::format("machine{} = {}\n", i + 1, plot::gp_string(trends.machines[machines[i]]));
    p.vars += fmt::format("has_band = {}\nhas_regression = {}\nhas_improvement = {}\n"
                          "has_rebaseline = {}\n",
                          int{has[0]}, int{has[1]}, int{has[2]}, int{has[3]});
    plots.push_back(std::move(p));
  }
  return plots;
}

}  // namespace rcubench::report
