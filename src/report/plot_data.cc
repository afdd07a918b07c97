// The list of plots: which plots each scenario gets, and the headline (docs/plots.md). The
// rest is in plot/: what a workload sweeps (sweep), ticks and numbers (axes), a plot's
// panels and scales (model, layout), building one plot (scenario, builder) and writing it
// for gnuplot (gnuplot).
#include "report/plot_data.h"

#include "report/file_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "report/compare.h"
#include "report/mann_whitney.h"
#include "report/plot/builder.h"
#include "report/plot/gnuplot.h"
#include "report/plot/scenario.h"
#include "report/primitive_style.h"
#include "report/summary.h"

namespace rcubench::report {
namespace {

using plot::Builder;
using plot::MetricSpec;
using plot::Plot;
using plot::plot_title;
using plot::PlotSpec;
using plot::PointData;
using plot::Scenario;
using plot::x_label;


// `workload` empty: a plot of the arch as a whole (the headline).
void add_plot(std::vector<PlotFiles>& out, const Scenario& sc, std::string workload,
              std::optional<Plot> plot) {
  if (!plot) return;
  out.push_back({plot->name, plot->kind, format_vars(*plot), format_data(*plot), sc.arch, sc.exec,
                 std::move(workload), plot->title});
}

// The plots of one scenario, in order: throughput, backlog, latency.
// The traces of `sc`'s stalls runs at one stall length, in one process: the longest stall
// (where what a stall holds back shows most), in the lowest process index. Empty where `sc`
// has none.
std::pair<double, std::vector<const MemoryTrace*>> timeline_traces(
    const Scenario& sc, const std::vector<MemoryTrace>& memory) {
  std::set<std::pair<long, long>> threads;
  for (const Row* r : sc.rows) threads.emplace(r->readers, r->updaters);
  std::vector<const MemoryTrace*> mine;
  std::set<double> stalls;
  for (const MemoryTrace& t : memory)
    if (t.arch == sc.arch && t.exec == sc.exec && t.workload == sc.workload &&
        threads.contains({t.readers, t.updaters}) && t.stall_us > 0) {
      mine.push_back(&t);
      stalls.insert(t.stall_us);
    }
  if (stalls.empty()) return {0, {}};
  const double stall = *stalls.rbegin();
  std::erase_if(mine, [&](const MemoryTrace* t) { return t->stall_us != stall; });
  std::optional<long> first = mine.front()->process;
  for (const MemoryTrace* t : mine) first = std::min(first, t->process);
  std::erase_if(mine, [&](const MemoryTrace* t) { return t->process != first; });
  return {stall, mine};
}

// Updates/s over time are taken over this many samples (milliseconds): a flat-out
// updater publishes its count at its timed updates only (engine.h), one in 16 on average.
constexpr std::size_t kRateWindow = 5;

// A memory trace's values over time (ms from the start) for the timeline plots: the memory
// held in bytes; the updates/s over the last kRateWindow samples against the trace's own
// median rate over the windows that saw no stall (1: the stall costs nothing, 0: the
// updaters wait), so that primitives thousands of times apart share one linear axis and a
// stop shows as a drop to zero; the slowest read of each sample, a NaN where a line breaks.
// Empty where the trace has none (a version 1 memory series, a run without updates).
std::vector<std::pair<double, double>> timeline_values(const MemoryTrace& t, const MetricSpec& m) {
  std::vector<std::pair<double, double>> out;
  const std::vector<MemoryTrace::Sample>& s = t.samples;
  if (m.metric == "updates_relative") {
    std::vector<std::pair<double, double>> rates;
    std::vector<double> calm;
    for (std::size_t i = kRateWindow; i < s.size(); ++i) {
      const MemoryTrace::Sample& from = s[i - kRateWindow];
      const double dt = s[i].t_s - from.t_s;
      if (!s[i].updates || !from.updates || !(dt > 0)) continue;
      const double rate = static_cast<double>(*s[i].updates - *from.updates) / dt;
      rates.push_back({s[i].t_s * 1e3, rate});
      bool stalled = false;
      for (std::size_t k = i - kRateWindow; k <= i; ++k) stalled = stalled || s[k].stalled;
      if (!stalled) calm.push_back(rate);
    }
    const double typical = median(std::move(calm));  // NaN when there is none
    if (!(typical > 0)) return out;
    for (auto [x_ms, rate] : rates) out.push_back({x_ms, rate / typical});
    return out;
  }
  for (const MemoryTrace::Sample& sample : s) {
    const double x_ms = sample.t_s * 1e3;
    if (m.metric == "held_bytes") {
      out.push_back({x_ms, static_cast<double>(std::max(0L, sample.objects)) *
                               static_cast<double>(t.object_bytes)});
    } else if (m.metric == "read_worst_ns") {
      // A sample with no read breaks the line (a NaN: Builder::timeline), rather than
      // drawing one across a stall that no reader finished a read in.
      if (sample.read_worst_ns)
        out.push_back({x_ms, *sample.read_worst_ns});
      else if (!out.empty() && !std::isnan(out.back().second))
        out.push_back({x_ms, std::nan("")});
    }
  }
  while (!out.empty() && std::isnan(out.back().second)) out.pop_back();
  return out;
}

void scenario_plots(const Scenario& sc, const Looks& looks, std::vector<PlotFiles>& out,
                    std::vector<std::string>* notes, const std::vector<MemoryTrace>& memory) {
  Builder b(sc, looks, notes);
  const std::string base = fmt::format("{}-{}", sc.prefix, file_name_part(sc.workload));
  auto name = [&](std::string_view what) {
    return fmt::format("{}-{}{}", base, what, sc.split_name);
  };
  auto versus = [&](std::string what) {
    return sc.x ? fmt::format("{} versus {}", what, x_label(*sc.x)) : what;
  };
  auto draw = [&](const PlotSpec& spec) { return sc.x ? b.lines(spec) : b.bars(spec); };

  const bool per_reader = sc.x == SweepColumn::readers;
  const bool per_updater = sc.x == SweepColumn::updaters;
  if (sc.has("reads_per_s")) {
    const std::string y = per_reader ? "reads/s per reader thread" : "reads/s, all readers";
    PlotSpec spec{name("reads"), {{"reads_per_s", y, "1/s", per_reader, false}}};
    auto plot = draw(spec);
    if (plot) plot->title = plot_title(sc, versus(y));
    add_plot(out, sc, sc.workload, std::move(plot));
  }
  if (sc.has("updates_per_s")) {
    // Updaters that measure grace periods wait for one per operation, and their rate is
    // that: where every primitive with updates has grace-period counters.
    std::set<std::string> updating, measuring;
    for (const auto& [key, data] : sc.points) {
      if (key.metric == "updates_per_s") updating.insert(key.primitive);
      if (key.metric == "gp_p50_ns") measuring.insert(key.primitive);
    }
    const std::string what = updating == measuring ? "grace periods/s" : "updates/s";
    const std::string y = what + (per_updater ? " per updater thread" : ", all updaters");
    PlotSpec spec{name("updates"), {{"updates_per_s", y, "1/s", false, per_updater}}};
    auto plot = draw(spec);
    if (plot) plot->title = plot_title(sc, versus(y));
    add_plot(out, sc, sc.workload, std::move(plot));
  }
  if (sc.has("backlog_peak_objects")) {
    // The primitives that hold objects back: more at their peak than there are updaters
    // (each of which may hold the object it is about to free).
    std::set<std::string> deferring;
    for (const auto& [key, data] : sc.points)
      if (key.metric == "backlog_peak_objects" &&
          summarize(data.samples).median > static_cast<double>(data.updaters))
        deferring.insert(key.primitive);
    PlotSpec spec{name("backlog"), {{"backlog_peak_objects", "peak backlog, objects", "objects"}}};
    if (sc.has("backlog_peak_bytes"))
      spec.metrics.push_back({"backlog_peak_bytes", "peak backlog, bytes", "bytes"});
    spec.wanted = [deferring](const std::string& p) { return deferring.contains(p); };
    spec.footnote =
        "only primitives that hold back more objects than there are updaters; the others free "
        "each object at once";
    auto plot = draw(spec);
    if (plot) plot->title = plot_title(sc, versus("peak backlog (retired objects not yet freed)"));
    add_plot(out, sc, sc.workload, std::move(plot));
  }
  if (sc.has("held_peak_bytes")) {
    // A stalls run (engine.h): what one stalled reader costs in memory, every primitive
    // measured on the workload's own count of objects alive.
    PlotSpec spec{name("held"), {{"held_peak_bytes", "memory held at the peak, bytes", "bytes"}}};
    if (sc.has("held_mean_bytes"))
      spec.metrics.push_back({"held_mean_bytes", "memory held on average, bytes", "bytes"});
    spec.footnote =
        "objects retired but not yet freed, sampled every millisecond by the run's main "
        "thread; a lock holds none: its updaters wait instead (the updates plot)";
    auto plot = draw(spec);
    if (plot) plot->title = plot_title(sc, versus("memory held (retired objects not yet freed)"));
    add_plot(out, sc, sc.workload, std::move(plot));
    // The same runs over time, every primitive: the headline of smr-benchmark-style
    // comparisons.
    auto [stall, traces] = timeline_traces(sc, memory);
    if (!traces.empty()) {
      const std::optional<long> process = traces.front()->process;
      const std::string which =
          process ? fmt::format("process {} of the run", *process) : std::string("one process");
      PlotSpec over_time{name("held-over-time"), {{"held_bytes", "memory held, bytes", "bytes"}}};
      over_time.footnote = fmt::format(
          "objects retired but not yet freed, one sample a millisecond, {}; a primitive that "
          "holds none (a lock) has no line on a log scale",
          which);
      auto timeline = b.timeline(over_time, traces, timeline_values);
      if (timeline)
        timeline->title = plot_title(
            sc, fmt::format("memory held over time, reader 0 stalling {} at a time",
                            short_value(stall, "us")));
      add_plot(out, sc, sc.workload, std::move(timeline));
      // What the stall costs the others meanwhile: the updaters' rate, and the slowest reads.
      PlotSpec progress{name("progress-over-time"),
                        {{"updates_relative", "updates/s against its own between stalls", "x", false, false, true},
                         {"read_worst_ns", "slowest timed read, ns per read", "ns"}}};
      progress.footnote = fmt::format(
          "updates/s over {} ms against its own median without a stall; slowest read: the "
          "slowest timed batch of each ms, per read (a gap: none finished); {}",
          kRateWindow, which);
      auto rates = b.timeline(progress, traces, timeline_values);
      if (rates)
        rates->title = plot_title(
            sc, fmt::format("updates/s and the slowest reads over time, reader 0 stalling {} at "
                            "a time",
                            short_value(stall, "us")));
      add_plot(out, sc, sc.workload, std::move(rates));
    }
  }
  if (sc.has("read_p50_ns")) {
    PlotSpec spec{name("read-latency"), {}};
    spec.footnote =
        "latency per read, from timed batches of reads (one clock pair per batch); a "
        "percentile is left out where a run had too few batches for it";
    std::optional<Plot> plot;
    if (sc.x) {
      // The tail: the median is the reads plot seen upside down.
      spec.metrics = {{"read_p99_ns", "read latency, p99", "ns"}};
      if (sc.has("read_p99_ns")) plot = b.lines(spec);
      if (plot) plot->title = plot_title(sc, versus("read latency, 99th percentile"));
    } else {
      spec.metrics = {{"read_p50_ns", "read latency", "ns"}};
      plot = b.percentile_bars(spec, "read_");
      if (plot) plot->title = plot_title(sc, "read latency percentiles");
    }
    add_plot(out, sc, sc.workload, std::move(plot));
  }
  if (sc.has("gp_p50_ns")) {
    PlotSpec spec{name("gp-latency"), {}};
    std::optional<Plot> plot;
    if (sc.x) {
      spec.metrics = {{"gp_p50_ns", "grace period, median", "ns"},
                      {"gp_p99_ns", "grace period, p99", "ns"}};
      std::erase_if(spec.metrics, [&](const MetricSpec& m) { return !sc.has(m.metric); });
      plot = b.lines(spec);
      if (plot) plot->title = plot_title(sc, versus("grace-period latency"));
    } else {
      spec.metrics = {{"gp_p50_ns", "grace-period latency", "ns"}};
      plot = b.percentile_bars(spec, "gp_");
      if (plot) plot->title = plot_title(sc, "grace-period latency percentiles");
    }
    add_plot(out, sc, sc.workload, std::move(plot));
  }
}

// The headline: the main comparison on the read side, from the first read-only
// scenario (no updaters) that has one of its primitives; "read-side" if there is one.
void headline_plot(const std::vector<Scenario>& scenarios, const Looks& looks,
                   std::vector<PlotFiles>& out, std::vector<std::string>* notes) {
  const Scenario* pick = nullptr;
  for (const Scenario& sc : scenarios) {
    if (sc.x && sc.x != SweepColumn::readers) continue;
    if (std::any_of(sc.rows.begin(), sc.rows.end(), [](const Row* r) { return r->updaters > 0; }))
      continue;
    bool any = false;
    for (const auto& [key, data] : sc.points)
      any |= key.metric == "reads_per_s" && looks.at(key.primitive).headline &&
             looks.at(key.primitive).group != PanelGroup::reference;
    if (!any) continue;
    if (!pick || (sc.workload == "read-side" && pick->workload != "read-side")) pick = &sc;
  }
  if (!pick) return;
  Builder b(*pick, looks, notes);
  const bool per_reader = pick->x == SweepColumn::readers || !pick->x;
  PlotSpec spec{pick->prefix + "-headline",
                {{"reads_per_s", "reads/s per reader thread", "1/s", per_reader, false}}};
  spec.wanted = [&looks](const std::string& p) { return looks.at(p).headline; };
  spec.split_families = false;
  auto plot = pick->x ? b.lines(spec) : b.bars(spec);
  if (!plot) return;
  // Named by what it compares: the headline primitives it draws, references aside.
  std::vector<const Look*> compared;
  for (const auto& [key, data] : pick->points) {
    const Look& look = looks.at(key.primitive);
    if (key.metric == "reads_per_s" && look.headline && look.group != PanelGroup::reference &&
        std::find(compared.begin(), compared.end(), &look) == compared.end())
      compared.push_back(&look);
  }
  std::sort(compared.begin(), compared.end(), [](const Look* a, const Look* b) {
    return std::tie(a->group, a->order) < std::tie(b->group, b->order);
  });
  std::string names;
  for (const Look* look : compared) names += (names.empty() ? "" : ", ") + look->label;
  plot->title = plot_title(*pick, "reads/s per reader thread: " + names);
  add_plot(out, *pick, "", std::move(plot));
}

}  // namespace

std::vector<PlotFiles> make_plots(const std::vector<Row>& rows, std::vector<std::string>* notes,
                                  const std::vector<MemoryTrace>& memory) {
  // Timed iteration rows, per (arch, exec), per workload.
  std::vector<std::string> arches;
  std::map<std::string, std::vector<std::string>> execs, workloads;  // per arch, arch/exec
  std::map<std::string, std::vector<const Row*>> by_workload;        // arch/exec/workload
  for (const Row& r : rows) {
    if (!r.is_iteration() || r.exec == contract::kExecInsnCount || r.unit == "instructions") continue;
    index_of(arches, r.arch);
    index_of(execs[r.arch], r.exec);
    const std::string target = r.arch + "\n" + r.exec;
    index_of(workloads[target], r.workload);
    by_workload[target + "\n" + r.workload].push_back(&r);
  }
  const Looks looks = looks_of(rows);
  sort_arches(arches);

  std::vector<PlotFiles> out;
  for (const std::string& arch : arches) {
    std::vector<std::string>& exec_list = execs[arch];
    std::stable_sort(exec_list.begin(), exec_list.end(), [](const auto& a, const auto& b) {
      auto rank = [](const std::string& e) {
        return e == contract::kExecNative ? 0
               : e == contract::kExecRemote ? 1
               : e == contract::kExecQemu   ? 2
                                            : 3;
      };
      return rank(a) < rank(b);
    });
    for (const std::string& exec : exec_list) {
      const std::string target = arch + "\n" + exec;
      const std::string prefix =
          exec_list.size() == 1 ? file_name_part(arch) : file_name_part(arch + "-" + exec);
      std::vector<Scenario> scenarios;
      std::sort(workloads[target].begin(), workloads[target].end());
      for (const std::string& w : workloads[target]) {
        const std::vector<const Row*>& wrows = by_workload[target + "\n" + w];
        const Sweep sweep = find_sweep(wrows);
        // A plot per value combination of the split columns.
        std::map<std::vector<double>, std::vector<const Row*>> parts;
        for (const Row* r : wrows) {
          std::vector<double> key;
          for (SweepColumn c : sweep.split) key.push_back(value_key(column_value(*r, c)));
          parts[key].push_back(r);
        }
        for (auto& [key, part] : parts) {
          Scenario sc;
          sc.arch = arch;
          sc.exec = exec;
          sc.prefix = prefix;
          sc.workload = w;
          sc.x = sweep.x;
          sc.rows = part;
          for (std::size_t i = 0; i < sweep.split.size(); ++i) {
            const std::string col(column_name(sweep.split[i]));
            const std::string v = key[i] < 0 ? "none" : short_number(key[i], 12);
            sc.split_name += fmt::format("-{}{}", col, v);
          }
          std::set<std::string> machines, builds, commits;
          std::size_t without_x = 0;
          for (const Row* r : part) {
            const double x = sc.x ? column_value(*r, *sc.x) : 0;
            if (std::isnan(x)) {
              ++without_x;
              continue;
            }
            if (r->metric == "oversubscribed") {
              if (r->value > 0) sc.oversubscribed_x.insert(x);
              continue;
            }
            PointData& d = sc.points[{r->primitive, r->metric, x}];
            d.samples.add(*r);
            d.readers = r->readers;
            d.updaters = r->updaters;
            d.params.insert(r->params);
            if (r->value > 0) sc.metrics.insert(r->metric);
            if (machines.insert(r->cpu_model).second)
              sc.provenance.machines.push_back(r->cpu_model);
            if (builds.insert(r->compiler + " " + r->build_type).second)
              sc.provenance.builds.push_back(r->compiler + " " + r->build_type);
            if (commits.insert(r->commit).second) sc.provenance.commits.push_back(r->commit);
          }
          if (without_x > 0 && notes)
            notes->push_back(
                fmt::format("{} {} workload {}: {} row(s) without {} left out of its "
                            "plots",
                            arch, exec, w, without_x, column_name(*sc.x)));
          for (const auto& [k, d] : sc.points)
            if (d.params.size() > 1 && notes) {
              notes->push_back(
                  fmt::format("{} {} workload {}: {} at one point pools rows of {} parameter sets",
                              arch, exec, w, k.primitive, d.params.size()));
              break;
            }
          scenarios.push_back(std::move(sc));
        }
      }
      headline_plot(scenarios, looks, out, notes);
      for (const Scenario& sc : scenarios) scenario_plots(sc, looks, out, notes, memory);
    }
  }
  return out;
}

std::string plot_manifest(const std::vector<PlotFiles>& plots) {
  std::string m;
  for (const PlotFiles& p : plots) m += fmt::format("{} {}\n", p.name, p.kind);
  return m;
}

}  // namespace rcubench::report
