#include "report/plot/builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "report/plot/layout.h"

namespace rcubench::report::plot {
namespace {

// Where a primitive goes in a bar chart: (group, kind). An RCU flavor's variants are a
// group, side by side in kBarKinds order; every other primitive is a group of its own, and
// the groups of one kind (group / 100) stand together.
std::pair<int, int> bar_place(const Look& look) {
  return {look.flavor >= 0 ? look.flavor : 100 * look.bar_kind + look.order, look.bar_kind};
}

// Space between the last bar of one group and the first of the next: more between kinds.
double bar_gap(int group, int last_group) { return group / 100 == last_group / 100 ? 1.6 : 2.4; }

// Families in order, several to a panel while it stays readable: up to 8 lines, or up to
// 12 to take in a family of one or two (all in one panel without `split`). One panel with
// no title if all fit; else each titled with its families.
std::vector<Panel> family_panels(std::map<PanelGroup, Panel>& by_family, bool split) {
  std::vector<Panel> panels;
  std::size_t in_panel = 0;
  for (auto& [f, family] : by_family) {
    const std::size_t n = family.series.size();
    const bool joins =
        !panels.empty() && (!split || in_panel + n <= 8 || (n <= 2 && in_panel + n <= 12));
    if (!joins) {
      panels.emplace_back();
      in_panel = 0;
    }
    Panel& panel = panels.back();
    // The families on one line while it fits over a panel of a two-column plot, else a
    // line each: gnuplot clips a title wider than its panel.
    const std::string_view family_title = group_title(f);
    const std::string_view last_line =
        std::string_view(panel.title).substr(panel.title.rfind('\n') + 1);
    if (!panel.title.empty())
      panel.title += last_line.size() + 2 + family_title.size() <= kPanelTitleChars ? "; " : "\n";
    panel.title += family_title;
    for (Series& s : family.series) panel.series.push_back(std::move(s));
    in_panel += n;
  }
  if (panels.size() == 1) panels[0].title.clear();
  return panels;
}

}  // namespace

struct SampleNote {
  std::size_t points = 0, from_repetitions = 0, min_n = SIZE_MAX, max_n = 0, dropped = 0;

  void see(const PointSummary& s) {
    ++points;
    if (s.repetitions) {
      ++from_repetitions;
      return;
    }
    min_n = std::min(min_n, s.n);
    max_n = std::max(max_n, s.n);
  }
  std::string text(bool bars) const {
    const std::string spread = bars ? "error bars" : "bars";
    std::string t;
    if (points > from_repetitions) {
      const std::string n =
          min_n == max_n ? std::to_string(min_n) : fmt::format("{} to {}", min_n, max_n);
      t = max_n <= 1 ? "each value: one process (a single sample: no spread to show)"
                     : fmt::format(
                           "each value: the median of {} processes (the gate's samples); "
                           "{}: interquartile range",
                           n, spread);
    }
    if (from_repetitions > 0) {
      t += fmt::format(
          "{}{}: one process only, so the median and {} span its in-process repetitions, "
          "which do not show the variation between processes",
          t.empty() ? "" : "; ",
          from_repetitions == points ? "every value" : fmt::format("{} values", from_repetitions),
          spread);
    }
    if (dropped > 0)
      t += fmt::format("; {} value{} of 0 not drawn on the log scale", dropped,
                       dropped == 1 ? "" : "s");
    return t;
  }
};

// The summary of a primitive's metric at x, or none; values per thread where asked.
std::optional<PointSummary> Builder::point(const std::string& p, const MetricSpec& m,
                                           double x) const {
  auto it = sc_.points.find({p, m.metric, x});
  if (it == sc_.points.end()) return std::nullopt;
  PointSummary s = summarize(it->second.samples);
  const double threads = m.per_reader    ? static_cast<double>(it->second.readers)
                         : m.per_updater ? static_cast<double>(it->second.updaters)
                                         : 1;
  if (threads > 0 && threads != 1) {
    s.median /= threads;
    s.q1 /= threads;
    s.q3 /= threads;
  }
  return s;
}

// The primitives with a positive value of the metric, in family order.
std::vector<std::string> Builder::primitives(const PlotSpec& spec, const MetricSpec& m) const {
  std::vector<std::string> out;
  for (const auto& [key, data] : sc_.points)
    if (key.metric == m.metric && spec.wanted(key.primitive) &&
        std::find(out.begin(), out.end(), key.primitive) == out.end()) {
      for (double v : data.samples.repetitions())
        if (v > 0) {
          out.push_back(key.primitive);
          break;
        }
    }
  std::stable_sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    const Look &la = looks_.at(a), &lb = looks_.at(b);
    return std::tie(la.group, la.order, a) < std::tie(lb.group, lb.order, b);
  });
  return out;
}

// The updater threads of the points at x (one value in a scenario that sweeps another
// column).
long Builder::updaters_at(double x) const {
  for (const auto& [key, data] : sc_.points)
    if (key.x == x) return data.updaters;
  return 0;
}

std::vector<double> Builder::xs() const {
  std::set<double> xs;
  for (const auto& [key, data] : sc_.points) xs.insert(key.x);
  return {xs.begin(), xs.end()};
}

std::optional<Plot> Builder::lines(const PlotSpec& spec) const {
  Plot plot;
  plot.name = spec.name;
  plot.kind = "lines";
  SampleNote note;
  const SweepColumn xcol = *sc_.x;
  const std::vector<double> xs = this->xs();
  // Log x where the values span a factor of 8 or more; a 0 among them goes one step left
  // of the smallest positive value, labelled 0.
  std::vector<double> positive;
  for (double x : xs)
    if (x > 0) positive.push_back(x);
  plot.xlog = positive.size() >= 3 && positive.back() / positive.front() >= 8 &&
              xs.size() - positive.size() <= 1;
  double zero_at = 0;
  if (plot.xlog && positive.size() < xs.size())
    zero_at = positive[0] / std::clamp(positive[1] / positive[0], 2.0, 10.0);
  auto on_axis = [&](double x) { return plot.xlog && x == 0 ? zero_at : x; };
  const double lo = on_axis(xs.front()), hi = on_axis(xs.back());
  if (plot.xlog) {
    const double pad = std::pow(hi / lo, 0.04);
    plot.xmin = lo / pad;
    plot.xmax = hi * pad;
  } else {
    const double pad = hi > lo ? 0.04 * (hi - lo) : 0.5;
    plot.xmin = lo - pad;
    plot.xmax = hi + pad;
  }
  const std::size_t label_every = (xs.size() + 11) / 12;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::string label;
    if (i % label_every == 0 || i + 1 == xs.size())
      label = xs[i] == 0 && xcol == SweepColumn::updater_delay_us ? "flat out"
              : xs[i] == 0 && xcol == SweepColumn::stall_us        ? "no stall"
                                                                   : short_value(xs[i], sc_.x_unit());
    plot.xticks.push_back({on_axis(xs[i]), label});
  }
  plot.xlabel = x_label(xcol) + (plot.xlog ? " (log scale)" : "");
  if (!sc_.oversubscribed_x.empty()) {
    // The run had more threads than CPUs from this x on: shaded from halfway before it.
    const double first = *sc_.oversubscribed_x.begin();
    auto it = std::find(xs.begin(), xs.end(), first);
    const double at = on_axis(first);
    const double before = it == xs.begin() ? plot.xmin : on_axis(*(it - 1));
    plot.shade_from = plot.xlog ? std::sqrt(at * before) : (at + before) / 2;
  }

  for (const MetricSpec& m : spec.metrics) {
    std::map<PanelGroup, Panel> by_family;
    std::vector<std::string> prims = primitives(spec, m);
    std::vector<Series> references;
    std::size_t family_members = 0;
    for (const std::string& p : prims) {
      const Look& look = looks_.at(p);
      Series s{p, look.label, look.style, {}};
      for (double x : xs)
        if (auto v = point(p, m, x)) {
          s.points.push_back({on_axis(x), *v});
        }
      if (s.points.empty()) continue;
      if (look.group == PanelGroup::reference) {
        references.push_back(std::move(s));
      } else {
        by_family[look.group].series.push_back(std::move(s));
        ++family_members;
      }
    }
    if (family_members == 0) continue;
    if (xcol == SweepColumn::updater_delay_us && m.metric == "updates_per_s") {
      // What the updaters were asked for: one update per pause each.
      Series asked{"", "asked for: one update per pause", {"#808080", 4, 7, 1, 0}, {}, true};
      for (double x : xs)
        if (x > 0) {
          const double rate = static_cast<double>(updaters_at(x)) * 1e6 / x;
          asked.points.push_back({on_axis(x), {rate, rate, rate, 0, false}});
        }
      if (!asked.points.empty()) references.push_back(std::move(asked));
    }
    std::vector<Panel> panels = family_panels(by_family, spec.split_families);
    for (Panel& panel : panels) {
      panel.ylabel = m.ylabel;
      panel.unit = m.unit;
      for (const Series& r : references) panel.series.push_back(r);
      plot.panels.push_back(std::move(panel));
    }
  }
  if (plot.panels.empty()) return std::nullopt;
  finish(plot, note, false, spec);
  const std::size_t n = plot.panels.size();
  set_layout(plot, n == 1 ? 1100 : 760, n == 1 ? 640 : n == 2 ? 560 : 480, 2);
  return plot;
}

// A bar per primitive (one x value): RCU flavors grouped (synchronous, deferred, batched
// free, raw liburcu side by side), then the locks, then the others; the references as
// horizontal lines. A panel per metric.
std::optional<Plot> Builder::bars(const PlotSpec& spec) const {
  Plot plot;
  plot.name = spec.name;
  plot.kind = "bars";
  SampleNote note;
  const double x = xs().front();
  std::vector<int> kind_index(std::size(kBarKinds), 0);  // 1-based index among those used
  std::size_t most_bars = 0;
  for (const MetricSpec& m : spec.metrics) {
    Panel panel;
    panel.ylabel = m.ylabel;
    panel.unit = m.unit;
    std::vector<std::pair<std::pair<int, int>, std::string>> items;  // (group, kind), name
    for (const std::string& p : primitives(spec, m)) {
      const Look& look = looks_.at(p);
      auto v = point(p, m, x);
      if (!v) continue;
      if (look.group == PanelGroup::reference) {
        // A horizontal line across the bars.
        panel.series.push_back({p, look.label, look.style, {{0, *v}}});
        continue;
      }
      items.push_back({bar_place(look), p});
    }
    if (items.empty()) continue;
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    double at = 0;
    int last_group = -1;
    for (const auto& [place, p] : items) {
      const auto [group, kind] = place;
      if (last_group >= 0) at += group == last_group ? 1.0 : bar_gap(group, last_group);
      last_group = group;
      int& index = kind_index[static_cast<std::size_t>(kind)];
      if (index == 0) {
        plot.bar_kinds.push_back({kBarKinds[kind].first, kBarKinds[kind].second});
        index = static_cast<int>(plot.bar_kinds.size());
      }
      panel.bars.push_back({at, *point(p, m, x), index});
      panel.xticks.push_back({at, p});
    }
    panel.xmin = -0.8;
    panel.xmax = at + 0.8;
    for (Series& r : panel.series) {
      // Reference lines span the panel: from its left edge to its right.
      const PointSummary v = r.points.front().second;
      r.points = {{panel.xmin, v}, {panel.xmax, v}};
    }
    most_bars = std::max(most_bars, panel.bars.size());
    plot.panels.push_back(std::move(panel));
  }
  if (plot.panels.empty()) return std::nullopt;
  finish(plot, note, true, spec);
  const int width = std::clamp(static_cast<int>(most_bars) * 34 + 420, 700, 1800);
  set_layout(plot, width, 560, 1);
  return plot;
}

// Latency percentiles at one x: a group of bars per primitive, a bar per percentile.
std::optional<Plot> Builder::percentile_bars(const PlotSpec& spec,
                                             const std::string& prefix) const {
  Plot plot;
  plot.name = spec.name;
  plot.kind = "bars";
  SampleNote note;
  const double x = xs().front();
  static constexpr std::pair<const char*, const char*> kPercentiles[] = {
      {"p50", "#9ECAE1"}, {"p90", "#6BAED6"}, {"p99", "#3182BD"}, {"p999", "#08519C"}};
  auto metric = [&](std::size_t k) {
    return MetricSpec{fmt::format("{}{}_ns", prefix, kPercentiles[k].first), "", "ns"};
  };
  Panel panel;
  panel.ylabel = spec.metrics.front().ylabel;
  panel.unit = "ns";
  // The primitives in bar order, and the percentiles any of them has: a slot each, in
  // every group, so that the groups line up.
  std::vector<std::pair<std::pair<int, int>, std::string>> groups;
  std::vector<std::size_t> slots;
  for (const std::string& p : primitives(spec, metric(0))) {
    const Look& look = looks_.at(p);
    if (look.group == PanelGroup::reference) {
      if (auto v = point(p, metric(0), x))
        panel.series.push_back({p, look.label + ", p50", look.style, {{0, *v}}});
      continue;
    }
    groups.push_back({bar_place(look), p});
    for (std::size_t k = 0; k < std::size(kPercentiles); ++k)
      if (point(p, metric(k), x) && std::find(slots.begin(), slots.end(), k) == slots.end())
        slots.push_back(k);
  }
  if (groups.empty()) return std::nullopt;
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(slots.begin(), slots.end());
  for (std::size_t k : slots)
    plot.bar_kinds.push_back(
        {std::string_view(kPercentiles[k].first) == "p999" ? "p99.9" : kPercentiles[k].first,
         kPercentiles[k].second});
  double at = 0;
  int last_group = -1;
  for (const auto& [place, p] : groups) {
    if (last_group >= 0)
      at += static_cast<double>(slots.size()) - 1 + bar_gap(place.first, last_group);
    last_group = place.first;
    for (std::size_t s = 0; s < slots.size(); ++s)
      if (auto v = point(p, metric(slots[s]), x))
        panel.bars.push_back({at + static_cast<double>(s), *v, static_cast<int>(s + 1)});
    panel.xticks.push_back({at + (static_cast<double>(slots.size()) - 1) / 2, p});
  }
  panel.xmin = -1;
  panel.xmax = at + static_cast<double>(slots.size());
  for (Series& r : panel.series) {
    // Reference lines span the panel: from its left edge to its right.
    const PointSummary v = r.points.front().second;
    r.points = {{panel.xmin, v}, {panel.xmax, v}};
  }
  plot.panels.push_back(std::move(panel));
  finish(plot, note, true, spec);
  const int width =
      std::clamp(static_cast<int>(at + static_cast<double>(slots.size())) * 14 + 420, 900, 1800);
  set_layout(plot, width, 600, 1);
  return plot;
}

std::optional<Plot> Builder::timeline(const PlotSpec& spec,
                                      const std::vector<const MemoryTrace*>& traces,
                                      const TraceValues& values) const {
  Plot plot;
  plot.name = spec.name;
  plot.kind = "lines";
  SampleNote note;
  double end_s = 0;
  std::vector<std::pair<std::pair<int, int>, const MemoryTrace*>> ordered;
  for (const MemoryTrace* t : traces) {
    auto look = looks_.find(t->primitive);
    if (look == looks_.end() || t->samples.empty() || !spec.wanted(t->primitive)) continue;
    ordered.push_back({{static_cast<int>(look->second.group), look->second.order}, t});
    end_s = std::max(end_s, t->samples.back().t_s);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const MetricSpec& m : spec.metrics) {
    // As lines() draws them: the families in panels, the references in each.
    std::map<PanelGroup, Panel> by_family;
    std::vector<Series> references;
    for (const auto& [place, t] : ordered) {
      const Look& look = looks_.at(t->primitive);
      Series s{t->primitive, look.label, look.style, {}};
      s.style.point_size = 0;  // a sample a millisecond: the line is the data
      s.style.dash = 1;        // solid: a dash pattern breaks up at a point a millisecond
      for (auto [x_ms, y] : values(*t, m)) s.points.push_back({x_ms, {y, y, y, 1, false}});
      if (s.points.empty()) continue;
      if (look.group == PanelGroup::reference)
        references.push_back(std::move(s));
      else
        by_family[look.group].series.push_back(std::move(s));
    }
    if (by_family.empty()) continue;
    std::vector<Panel> panels = family_panels(by_family, spec.split_families);
    if (panels.size() == 1 && spec.metrics.size() > 1) panels[0].title = m.ylabel;
    for (Panel& panel : panels) {
      panel.ylabel = m.ylabel;
      panel.unit = m.unit;
      panel.linear_only = m.linear_only;
      for (const Series& r : references) panel.series.push_back(r);
      plot.panels.push_back(std::move(panel));
    }
  }
  if (plot.panels.empty()) return std::nullopt;
  // The stalls, shaded: the spans where the first trace's samples saw reader 0 stalled
  // (every trace has the same schedule), from half a sample before to half after.
  const std::vector<MemoryTrace::Sample>& first = ordered.front().second->samples;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (!first[i].stalled) continue;
    const double from = first[i].t_s * 1e3 - 0.5;
    while (i + 1 < first.size() && first[i + 1].stalled) ++i;
    plot.bands.push_back({std::max(0.0, from), first[i].t_s * 1e3 + 0.5});
  }
  if (!plot.bands.empty()) plot.band_label = "reader 0 stalled";
  plot.xmin = 0;
  plot.xmax = end_s * 1e3 * 1.04;
  plot.xticks = axis_ticks(0, end_s * 1e3, false, "count");
  plot.xlabel = "time from the start of the run, ms";
  finish(plot, note, false, spec);
  // One sample per point: no spread to speak of; the footer says what they are instead.
  plot.footer = sc_.provenance.line(sc_.emulated()) + "\n" + spec.footnote;
  // Stacked over one time axis while there are two panels at most, else two columns.
  const std::size_t n = plot.panels.size();
  if (n <= 2)
    set_layout(plot, 1100, n > 1 ? 420 : 640, 1);
  else
    set_layout(plot, 880, 420, 2);  // wider than lines()'s: a line a millisecond
  return plot;
}

// Common to every kind: scales (one per metric), dropped zeros, titles, footers.
void Builder::finish(Plot& plot, SampleNote& note, bool bars, const PlotSpec& spec) const {
  std::map<std::string, std::vector<Panel*>> by_metric;
  for (Panel& p : plot.panels) by_metric[p.ylabel].push_back(&p);
  for (auto& [label, panels] : by_metric) set_y_scale(panels, bars);
  for (Panel& p : plot.panels) {
    for (Series& s : p.series) {
      if (p.ylog)
        std::erase_if(s.points, [&](const auto& pt) {
          if (!(pt.second.median <= 0)) return false;  // NaN: a break in the line, kept
          ++note.dropped;
          return true;
        });
      if (!s.derived)
        for (const auto& [x, v] : s.points) note.see(v);
    }
    std::erase_if(p.series, [](const Series& s) { return s.points.empty(); });
    if (p.ylog)
      std::erase_if(p.bars, [&](const Bar& b) {
        if (b.s.median > 0) return false;
        ++note.dropped;
        return true;
      });
    for (const Bar& b : p.bars) note.see(b.s);
  }
  if (note.dropped > 0 && notes_)
    notes_->push_back(
        fmt::format("{}: {} value(s) of 0 not drawn on a log scale", plot.name, note.dropped));
  plot.footer = sc_.provenance.line(sc_.emulated()) + "\n" + note.text(bars) +
                (spec.footnote.empty() ? "" : "; " + spec.footnote);
}

}  // namespace rcubench::report::plot
