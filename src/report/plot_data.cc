#include "report/plot_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "report/compare.h"
#include "report/mann_whitney.h"
#include "report/primitive_style.h"
#include "report/metrics.h"
#include "report/stats.h"
#include "report/summary.h"

namespace rcubench::report {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::string_view column_name(SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return "readers";
    case SweepColumn::updaters:
      return "updaters";
    case SweepColumn::updater_delay_us:
      return "updater_delay_us";
    case SweepColumn::read_work:
      return "read_work";
    case SweepColumn::payload_bytes:
      return "payload_bytes";
  }
  return "?";
}

double column_value(const Row& row, SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return static_cast<double>(row.readers);
    case SweepColumn::updaters:
      return static_cast<double>(row.updaters);
    case SweepColumn::updater_delay_us:
      return row.updater_delay_us.value_or(kNaN);
    case SweepColumn::read_work:
      return row.read_work ? static_cast<double>(*row.read_work) : kNaN;
    case SweepColumn::payload_bytes:
      return row.payload_bytes ? static_cast<double>(*row.payload_bytes) : kNaN;
  }
  return kNaN;
}

namespace {

// A column value as a set key: "-" (NaN, which does not order) as -1, below every value.
double value_key(double v) { return std::isnan(v) ? -1 : v; }

}  // namespace

Sweep find_sweep(const std::vector<const Row*>& rows) {
  Sweep s;
  std::size_t most = 1;
  for (SweepColumn c : kSweepColumns) {
    std::set<double> values;
    for (const Row* r : rows)
      if (const double v = column_value(*r, c); !std::isnan(v)) values.insert(v);
    if (values.size() < 2) continue;
    s.split.push_back(c);
    if (values.size() > most) {
      most = values.size();
      s.x = c;
    }
  }
  if (s.x) std::erase(s.split, *s.x);
  return s;
}

PointSummary summarize(const ProcessSamples& samples) {
  PointSummary p;
  std::vector<double> v = samples.values();
  if (v.size() == 1 && samples.repetitions().size() > 1) {
    v = samples.repetitions();
    p.repetitions = true;
  }
  p.n = v.size();
  p.median = median(v);
  p.q1 = quantile(v, 0.25);
  p.q3 = quantile(v, 0.75);
  return p;
}

std::vector<double> spread_labels(const std::vector<double>& wanted, double gap) {
  const std::size_t n = wanted.size();
  if (n == 0) return {};
  if (n > 1) gap = std::min(gap, 1.0 / static_cast<double>(n - 1));
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return wanted[a] < wanted[b]; });
  // Position i (in height order) is y_i + i * gap with y non-decreasing: the least-squares
  // y is the isotonic regression of z_i = wanted_i - i * gap (pool adjacent violators),
  // then clamped so that every label stays inside [0, 1].
  struct Block {
    double sum;
    std::size_t count;
    double mean() const { return sum / static_cast<double>(count); }
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < n; ++i) {
    blocks.push_back({wanted[order[i]] - static_cast<double>(i) * gap, 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      blocks[blocks.size() - 2].sum += blocks.back().sum;
      blocks[blocks.size() - 2].count += blocks.back().count;
      blocks.pop_back();
    }
  }
  const double top = std::max(0.0, 1 - static_cast<double>(n - 1) * gap);
  std::vector<double> out(n);
  std::size_t i = 0;
  for (const Block& b : blocks)
    for (std::size_t k = 0; k < b.count; ++k, ++i)
      out[order[i]] = std::clamp(b.mean(), 0.0, top) + static_cast<double>(i) * gap;
  return out;
}

namespace {

// v with `digits` significant digits, no trailing zeros, no exponent for ordinary sizes.
std::string short_number(double v, int digits = 3) {
  if (v == 0) return "0";
  return fmt::format("{:.{}g}", v, digits);
}

// v in a unit with scaled variants: the largest step that keeps v >= 1 (or the first).
std::string scaled(double v, std::initializer_list<std::pair<double, const char*>> steps) {
  std::pair<double, const char*> pick = *steps.begin();
  for (auto step : steps)
    if (std::abs(v) >= step.first * (1 - 1e-9)) pick = step;
  return fmt::format("{} {}", short_number(v / pick.first), pick.second);
}

}  // namespace

std::string short_value(double v, std::string_view unit) {
  if (!std::isfinite(v)) return "-";
  if (v == 0) return "0";
  if (unit == "ns") return scaled(v, {{1, "ns"}, {1e3, "µs"}, {1e6, "ms"}, {1e9, "s"}});
  if (unit == "us") return scaled(v, {{1, "µs"}, {1e3, "ms"}, {1e6, "s"}});
  if (unit == "bytes")
    return scaled(v,
                  {{1, "B"}, {1024, "KiB"}, {1024.0 * 1024, "MiB"}, {1024.0 * 1024 * 1024, "GiB"}});
  if (unit == "count" && v == std::round(v) && std::abs(v) < 1e9) return fmt::format("{:.0f}", v);
  if (std::abs(v) < 1000) return short_number(v);
  return si_number(v, 3);
}

std::vector<Tick> axis_ticks(double lo, double hi, bool log, std::string_view unit) {
  std::vector<Tick> ticks;
  auto add = [&](double at) {
    if (at >= lo * (1 - 1e-9) && at <= hi * (1 + 1e-9))
      ticks.push_back({at, short_value(at, unit)});
  };
  const bool binary = unit == "bytes";
  if (log && lo > 0 && hi > lo) {
    if (binary) {
      // Powers of two, every k-th so that there are no more than about eight.
      const double first = std::floor(std::log2(lo)), last = std::ceil(std::log2(hi));
      const double step = std::max(1.0, std::ceil((last - first) / 8));
      for (double e = first; e <= last; e += step) add(std::exp2(e));
    } else {
      const double first = std::floor(std::log10(lo)), last = std::ceil(std::log10(hi));
      const double step = std::max(1.0, std::ceil((last - first) / 7));
      const bool fine = std::log10(hi / lo) < 3;  // few decades: 2 and 5 between them
      for (double e = first; e <= last; e += step) {
        add(std::pow(10.0, e));
        if (fine) {
          add(2 * std::pow(10.0, e));
          add(5 * std::pow(10.0, e));
        }
      }
    }
    if (ticks.size() >= 2) return ticks;
    ticks.clear();  // less than a decade in all: linear steps read better
  }
  if (!(hi > lo)) {
    add(lo);
    return ticks;
  }
  const double raw = (hi - lo) / 6;
  double step;
  if (binary && raw >= 1) {
    step = std::exp2(std::ceil(std::log2(raw)));
  } else {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    step = 10 * magnitude;
    for (double m : {1.0, 2.0, 5.0})
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
  }
  for (double at = std::ceil(lo / step - 1e-9) * step; at <= hi * (1 + 1e-9) + 1e-300; at += step)
    add(std::abs(at) < step * 1e-9 ? 0 : at);
  return ticks;
}

namespace {

// --- Where primitives go in bar charts (their looks: primitive_style.h) ---------------

// Where a primitive goes in a bar chart: (group, kind). An RCU flavor's variants are a
// group, side by side in kBarKinds order; every other primitive is a group of its own, and
// the groups of one kind (group / 100) stand together.
std::pair<int, int> bar_place(const Look& look) {
  return {look.flavor >= 0 ? look.flavor : 100 * look.bar_kind + look.order, look.bar_kind};
}

// Space between the last bar of one group and the first of the next: more between kinds.
double bar_gap(int group, int last_group) { return group / 100 == last_group / 100 ? 1.6 : 2.4; }

// --- The data of one scenario ---------------------------------------------------------

struct PointKey {
  std::string primitive, metric;
  double x = 0;
  auto operator<=>(const PointKey&) const = default;
};

struct PointData {
  ProcessSamples samples;
  long readers = 0, updaters = 0;
  std::set<std::string> params;
};

// What the plots know of where the numbers come from.
struct Provenance {
  std::vector<std::string> machines, builds, commits;
  // Emulated runs ran on the host's CPU, under QEMU.
  std::string line(bool emulated) const {
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    return fmt::format("{} {}; {} build; commit{} {}", emulated ? "host CPU" : "CPU",
                       join(machines), join(builds), commits.size() > 1 ? "s" : "", join(commits));
  }
};

// One workload of one arch (and one value of any column it sweeps besides x).
struct Scenario {
  std::string arch, exec, prefix, workload;
  std::optional<SweepColumn> x;
  std::string split_name;  // "-updaters2" when split (the title names the value anyway)
  std::vector<const Row*> rows;
  std::map<PointKey, PointData> points;
  std::set<double> oversubscribed_x;
  std::set<std::string> metrics;  // with at least one positive value
  Provenance provenance;

  bool emulated() const { return !is_hardware_exec(exec); }
  bool has(std::string_view metric) const { return metrics.contains(std::string(metric)); }
  std::string x_unit() const {
    if (x == SweepColumn::updater_delay_us) return "us";
    if (x == SweepColumn::payload_bytes) return "bytes";
    return "count";
  }
};

std::string x_label(SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return "reader threads";
    case SweepColumn::updaters:
      return "updater threads";
    case SweepColumn::updater_delay_us:
      return "pause between an updater's updates";
    case SweepColumn::read_work:
      return "read-side length (dependent steps per read)";
    case SweepColumn::payload_bytes:
      return "object size";
  }
  return "?";
}

// The parameters a scenario holds fixed: "1 reader, 1 updater, 100 µs between updates".
std::string fixed_parameters(const Scenario& sc) {
  std::vector<std::string> parts;
  const bool updates =
      std::any_of(sc.rows.begin(), sc.rows.end(), [](const Row* r) { return r->updaters > 0; });
  for (SweepColumn c : kSweepColumns) {
    if (c == sc.x) continue;
    std::set<double> values;
    for (const Row* r : sc.rows)
      if (const double v = column_value(*r, c); !std::isnan(v)) values.insert(v);
    if (values.size() != 1) continue;
    const double v = *values.begin();
    const std::string n = short_number(v, 6);
    switch (c) {
      case SweepColumn::readers:
        parts.push_back(fmt::format("{} reader{}", n, v == 1 ? "" : "s"));
        break;
      case SweepColumn::updaters:
        parts.push_back(v == 0 ? "no updaters" : fmt::format("{} updater{}", n, v == 1 ? "" : "s"));
        break;
      case SweepColumn::updater_delay_us:
        if (updates)
          parts.push_back(v == 0 ? "updaters flat out"
                                 : fmt::format("{} between updates", short_value(v, "us")));
        break;
      case SweepColumn::read_work:
        if (v > 0) parts.push_back(fmt::format("read work {}", n));
        break;
      case SweepColumn::payload_bytes:
        parts.push_back(fmt::format("{} objects", short_value(v, "bytes")));
        break;
    }
  }
  std::string s;
  for (const std::string& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

// --- A plot, before it is written --------------------------------------------------------

struct Series {
  std::string primitive, label;
  Style style;
  std::vector<std::pair<double, PointSummary>> points;  // (x on the axis, summary)
  bool derived = false;  // computed, not measured: no samples behind it
};

struct Bar {
  double x = 0;
  PointSummary s;
  int kind = 1;  // 1-based index into the plot's bar kinds
};

struct Panel {
  std::string title, ylabel, unit;
  bool ylog = false;
  double ymin = 0, ymax = 1;
  std::vector<Tick> yticks;
  std::vector<Series> series;  // lines; references too, and horizontal lines in bar plots
  std::vector<Bar> bars;
  std::vector<Tick> xticks;  // bar plots: a tick per bar or group
  double xmin = 0, xmax = 1;
};

struct Plot {
  std::string name, kind, title, footer;
  std::string xlabel;
  bool xlog = false;
  double xmin = 0, xmax = 1;
  std::vector<Tick> xticks;
  double shade_from = kNaN;  // x from where the run was oversubscribed
  std::vector<std::pair<std::string, std::string>> bar_kinds;  // label, colour
  std::vector<Panel> panels;
  int rows = 1, cols = 1, panel_width = 1000, panel_height = 640;  // pixels
  double label_gap = 0.04;  // label spacing, a fraction of a panel's plot height
};

// Pixels per text line: of the body text (tick labels, line labels), the title and the
// footer. The canvas is the panels plus a band for the title above them and one for the
// footer below; the gnuplot scripts place the panels between the bands.
constexpr int kLinePixels = 17, kTitleLinePixels = 20, kFooterLinePixels = 15;

int lines_in(std::string_view text) {
  return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Characters in the longest line of text (UTF-8: continuation bytes do not count).
std::size_t longest_line(std::string_view text) {
  std::size_t longest = 0, n = 0;
  for (char c : text) {
    if (c == '\n') {
      n = 0;
      continue;
    }
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    longest = std::max(longest, n);
  }
  return longest;
}

// Panels side by side up to max_cols, then in rows.
void set_layout(Plot& plot, int panel_width, int panel_height, int max_cols) {
  const int n = static_cast<int>(plot.panels.size());
  plot.cols = std::min(n, max_cols);
  plot.rows = (n + plot.cols - 1) / plot.cols;
  plot.panel_width = panel_width;
  plot.panel_height = panel_height;
  // A panel's plot area is its height less its title, tick labels and axis label.
  plot.label_gap = 1.05 * kLinePixels / (panel_height - 5.0 * kLinePixels);
}

// The y range and ticks of panels that show the same metric: one scale for all of them.
void set_y_scale(std::vector<Panel*> panels, bool bars) {
  double lo = INFINITY, hi = -INFINITY, lowest_positive = INFINITY;
  std::size_t zero_medians = 0;
  auto see = [&](const PointSummary& s) {
    zero_medians += s.median <= 0;
    for (double v : {s.median, s.q1, s.q3}) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      if (v > 0) lowest_positive = std::min(lowest_positive, v);
    }
  };
  for (Panel* p : panels) {
    for (const Series& s : p->series)
      for (const auto& [x, v] : s.points) see(v);
    for (const Bar& b : p->bars) see(b.s);
  }
  if (!std::isfinite(lo)) lo = hi = lowest_positive = 1;
  // A log scale where the values span a factor of ten or more. Zeros cannot be shown on it:
  // where there are any, only a span of a hundred or more is worth leaving them out.
  const double span = hi / lowest_positive;
  const bool log = std::isfinite(lowest_positive) && span >= (zero_medians > 0 ? 100 : 10);
  double ymin, ymax;
  if (log) {
    lo = lowest_positive;
    const double pad = std::pow(hi / lo, 0.06);
    ymin = lo / (bars ? std::max(pad, 2.0) : pad);
    ymax = hi * pad;
  } else if (bars || lo >= 0) {
    // Bars start at zero; so do lines of quantities that are never negative, unless they
    // sit far from it (then their differences would vanish).
    ymin = (bars || lo < 0.5 * hi || lo == hi) ? 0 : lo - 0.08 * (hi - lo);
    ymax = hi + 0.08 * (hi - ymin);
    if (!(ymax > ymin)) ymax = ymin + 1;
  } else {
    ymin = lo - 0.08 * (hi - lo);
    ymax = hi + 0.08 * (hi - lo);
  }
  for (Panel* p : panels) {
    p->ylog = log;
    p->ymin = ymin;
    p->ymax = ymax;
    p->yticks = axis_ticks(ymin, ymax, log, p->unit);
    if (log) p->ylabel += " (log scale)";
  }
}

double axis_fraction(double v, double lo, double hi, bool log) {
  if (log) return (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo));
  return (v - lo) / (hi - lo);
}

// --- Writing a plot for gnuplot ------------------------------------------------------------

// A gnuplot double-quoted string.
std::string gp_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string gp_number(double v) {
  if (std::isnan(v)) return "NaN";
  return fmt::format("{:.10g}", v);
}

// A tick list for `set xtics (...)`: labels single-quoted (a quote in one doubled).
std::string tick_spec(const std::vector<Tick>& ticks) {
  std::string s = "(";
  for (const Tick& t : ticks) {
    std::string label;
    for (char c : t.label) label += c == '\'' ? std::string("''") : std::string(1, c);
    s += fmt::format("{}'{}' {}", s.size() > 1 ? ", " : "", label, gp_number(t.at));
  }
  return s + ")";
}

template <class T, class F>
std::string gp_array(std::string_view name, const std::vector<T>& items, F value) {
  if (items.empty()) return "";
  std::string s = fmt::format("array {}[{}] = [", name, items.size());
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + value(items[i]);
  return s + "]\n";
}

std::string format_vars(const Plot& plot) {
  std::string v =
      fmt::format("# {}: drawn by plots/{}.gp (rcubench-report plot-data)\n", plot.name, plot.kind);
  const int title_pixels = lines_in(plot.title) * kTitleLinePixels + 14;
  const int footer_pixels = lines_in(plot.footer) * kFooterLinePixels + 12;
  // Wide enough for the title and the footer (about 10 and 6 pixels a character).
  const int width =
      std::max({plot.cols * plot.panel_width, static_cast<int>(10 * longest_line(plot.title)) + 40,
                static_cast<int>(6 * longest_line(plot.footer)) + 20});
  v += fmt::format("width = {}\nheight = {}\nrows = {}\ncols = {}\n", width,
                   plot.rows * plot.panel_height + title_pixels + footer_pixels, plot.rows,
                   plot.cols);
  v += fmt::format("title_pixels = {}\nfooter_pixels = {}\n", title_pixels, footer_pixels);
  v += fmt::format("title_text = {}\nfooter_text = {}\n", gp_string(plot.title),
                   gp_string(plot.footer));
  v += fmt::format("xlabel_text = {}\nxlog = {}\nxmin = {}\nxmax = {}\nxtics_spec = {}\n",
                   gp_string(plot.xlabel), plot.xlog ? 1 : 0, gp_number(plot.xmin),
                   gp_number(plot.xmax), gp_string(tick_spec(plot.xticks)));
  v += fmt::format("shade_from = {}\n", gp_number(plot.shade_from));

  // Panels, and the lines of each (bar plots: their horizontal reference lines).
  std::vector<const Panel*> panels;
  std::vector<std::pair<int, const Series*>> series;  // (panel, series)
  std::size_t widest_label = 0;
  for (const Panel& p : plot.panels) {
    panels.push_back(&p);
    for (const Series& s : p.series) {
      series.push_back({static_cast<int>(panels.size()), &s});
      widest_label = std::max(widest_label, s.label.size());
    }
  }
  v += fmt::format("npanels = {}\nnseries = {}\nlabel_margin = {}\n", panels.size(), series.size(),
                   widest_label == 0 ? 3 : widest_label + 8);
  auto panel_array = [&](std::string_view name, auto value) { v += gp_array(name, panels, value); };
  panel_array("p_title", [](const Panel* p) { return gp_string(p->title); });
  panel_array("p_ylabel", [](const Panel* p) { return gp_string(p->ylabel); });
  panel_array("p_ylog", [](const Panel* p) { return std::string(p->ylog ? "1" : "0"); });
  panel_array("p_ymin", [](const Panel* p) { return gp_number(p->ymin); });
  panel_array("p_ymax", [](const Panel* p) { return gp_number(p->ymax); });
  panel_array("p_ytics", [](const Panel* p) { return gp_string(tick_spec(p->yticks)); });
  panel_array("p_xmin", [](const Panel* p) { return gp_number(p->xmin); });
  panel_array("p_xmax", [](const Panel* p) { return gp_number(p->xmax); });
  panel_array("p_xtics", [](const Panel* p) { return gp_string(tick_spec(p->xticks)); });
  panel_array("p_series", [&](const Panel* p) {
    std::string list;
    for (std::size_t i = 0; i < series.size(); ++i)
      if (&plot.panels[static_cast<std::size_t>(series[i].first - 1)] == p)
        list += (list.empty() ? "" : " ") + std::to_string(i + 1);
    return gp_string(list);
  });

  // Where each line ends and where its label goes (fractions of the panel's y axis).
  std::vector<double> label_y(series.size(), 0.5), end_x(series.size(), kNaN),
      end_y(series.size(), kNaN);
  for (std::size_t pi = 0; pi < panels.size(); ++pi) {
    const Panel& p = *panels[pi];
    std::vector<std::size_t> members;
    std::vector<double> wanted;
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (series[i].first != static_cast<int>(pi + 1)) continue;
      const auto& [x, last] = series[i].second->points.back();
      end_x[i] = x;
      end_y[i] = last.median;
      members.push_back(i);
      wanted.push_back(axis_fraction(last.median, p.ymin, p.ymax, p.ylog));
    }
    const std::vector<double> placed = spread_labels(wanted, plot.label_gap);
    for (std::size_t k = 0; k < members.size(); ++k) label_y[members[k]] = placed[k];
  }
  auto series_array = [&](std::string_view name, auto value) {
    std::vector<std::size_t> idx(series.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    v += gp_array(name, idx, value);
  };
  series_array("s_label", [&](std::size_t i) { return gp_string(series[i].second->label); });
  series_array("s_color", [&](std::size_t i) { return gp_string(series[i].second->style.color); });
  series_array("s_dash",
               [&](std::size_t i) { return std::to_string(series[i].second->style.dash); });
  series_array("s_point",
               [&](std::size_t i) { return std::to_string(series[i].second->style.point); });
  series_array("s_width", [&](std::size_t i) { return gp_number(series[i].second->style.width); });
  series_array("s_psize",
               [&](std::size_t i) { return gp_number(series[i].second->style.point_size); });
  series_array("s_xend", [&](std::size_t i) { return gp_number(end_x[i]); });
  series_array("s_yend", [&](std::size_t i) { return gp_number(end_y[i]); });
  series_array("s_labely", [&](std::size_t i) { return gp_number(label_y[i]); });

  v += fmt::format("nkinds = {}\n", plot.bar_kinds.size());
  v += gp_array("k_label", plot.bar_kinds, [](const auto& k) { return gp_string(k.first); });
  v += gp_array("k_color", plot.bar_kinds, [](const auto& k) { return gp_string(k.second); });
  return v;
}

std::string format_data(const Plot& plot) {
  std::string d =
      fmt::format("# {}: median, quartiles and number of samples per point\n", plot.name);
  bool first = true;
  auto block = [&](const std::string& heading) {
    d += fmt::format("{}# {}\n", first ? "" : "\n\n", heading);
    first = false;
  };
  if (plot.kind == "bars") {
    // One block per panel: x median q1 q3 n kind.
    for (const Panel& p : plot.panels) {
      block(p.title.empty() ? p.ylabel : p.title);
      for (const Bar& b : p.bars)
        d += fmt::format("{} {} {} {} {} {}\n", gp_number(b.x), gp_number(b.s.median),
                         gp_number(b.s.q1), gp_number(b.s.q3), b.s.n, b.kind);
    }
  }
  // One block per line (bar plots: per reference line): x median q1 q3 n.
  for (const Panel& p : plot.panels)
    for (const Series& s : p.series) {
      block(s.label);
      for (const auto& [x, v] : s.points)
        d += fmt::format("{} {} {} {} {}\n", gp_number(x), gp_number(v.median), gp_number(v.q1),
                         gp_number(v.q3), v.n);
    }
  return d;
}

// --- Building the plots ------------------------------------------------------------------

// How the samples of a plot were taken, for its footer.
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

std::string plot_title(const Scenario& sc, const std::string& what) {
  std::string t = fmt::format("{} ({}): {}", sc.arch, sc.emulated() ? "emulated" : sc.exec, what);
  std::string config = fixed_parameters(sc);
  t += fmt::format("\nworkload {}", sc.workload);
  if (!config.empty()) t += ": " + config;
  if (sc.emulated())
    t += fmt::format("\nrun under {}: timings are not hardware performance", sc.exec);
  return t;
}

// What one plot shows: metrics (a row of panels each), which primitives, how.
struct MetricSpec {
  std::string metric, ylabel, unit;
  bool per_reader = false, per_updater = false;  // divided by the point's thread count
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

class Builder {
 public:
  Builder(const Scenario& sc, const Looks& looks,
          std::vector<std::string>* notes)
      : sc_(sc), looks_(looks), notes_(notes) {}

  // The summary of a primitive's metric at x, or none; values per thread where asked.
  std::optional<PointSummary> point(const std::string& p, const MetricSpec& m, double x) const {
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
  std::vector<std::string> primitives(const PlotSpec& spec, const MetricSpec& m) const {
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
  long updaters_at(double x) const {
    for (const auto& [key, data] : sc_.points)
      if (key.x == x) return data.updaters;
    return 0;
  }

  std::vector<double> xs() const {
    std::set<double> xs;
    for (const auto& [key, data] : sc_.points) xs.insert(key.x);
    return {xs.begin(), xs.end()};
  }

  std::optional<Plot> lines(const PlotSpec& spec) const {
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
        label = xs[i] == 0 && xcol == SweepColumn::updater_delay_us
                    ? "flat out"
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
        const Look &look = looks_.at(p);
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
      // Families in order, several to a panel while it stays readable: up to 8 lines, or up
      // to 12 to take in a family of one or two. One panel with no title if all fit.
      std::vector<Panel> panels;
      std::size_t in_panel = 0;
      for (auto& [f, family] : by_family) {
        const std::size_t n = family.series.size();
        const bool joins = !panels.empty() && (!spec.split_families || in_panel + n <= 8 ||
                                               (n <= 2 && in_panel + n <= 12));
        if (!joins) {
          panels.emplace_back();
          in_panel = 0;
        }
        Panel& panel = panels.back();
        panel.title += (panel.title.empty() ? "" : "; ") + std::string(group_title(f));
        for (Series& s : family.series) panel.series.push_back(std::move(s));
        in_panel += n;
      }
      if (panels.size() == 1) panels[0].title.clear();
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
  std::optional<Plot> bars(const PlotSpec& spec) const {
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
        const Look &look = looks_.at(p);
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
  std::optional<Plot> percentile_bars(const PlotSpec& spec, const std::string& prefix) const {
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
      const Look &look = looks_.at(p);
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

 private:
  // Common to every kind: scales (one per metric), dropped zeros, titles, footers.
  void finish(Plot& plot, SampleNote& note, bool bars, const PlotSpec& spec) const {
    std::map<std::string, std::vector<Panel*>> by_metric;
    for (Panel& p : plot.panels) by_metric[p.ylabel].push_back(&p);
    for (auto& [label, panels] : by_metric) set_y_scale(panels, bars);
    for (Panel& p : plot.panels) {
      for (Series& s : p.series) {
        if (p.ylog)
          std::erase_if(s.points, [&](const auto& pt) {
            if (pt.second.median > 0) return false;
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

  const Scenario& sc_;
  const Looks& looks_;
  std::vector<std::string>* notes_;
};

// A file name part: letters, digits, '.', '_' and '-' kept, anything else '_'.
std::string name_part(std::string_view s) {
  std::string out;
  for (char c : s)
    out +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  return out;
}

void add_plot(std::vector<PlotFiles>& out, std::optional<Plot> plot) {
  if (!plot) return;
  out.push_back({plot->name, plot->kind, format_vars(*plot), format_data(*plot)});
}

// The plots of one scenario, in order: throughput, backlog, latency.
void scenario_plots(const Scenario& sc, const Looks& looks,
                    std::vector<PlotFiles>& out, std::vector<std::string>* notes) {
  Builder b(sc, looks, notes);
  const std::string base = fmt::format("{}-{}", sc.prefix, name_part(sc.workload));
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
    add_plot(out, std::move(plot));
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
    add_plot(out, std::move(plot));
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
    add_plot(out, std::move(plot));
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
    add_plot(out, std::move(plot));
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
    add_plot(out, std::move(plot));
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
      any |= key.metric == "reads_per_s" && looks.at(key.primitive).headline;
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
  add_plot(out, std::move(plot));
}

}  // namespace

std::vector<PlotFiles> make_plots(const std::vector<Row>& rows, std::vector<std::string>* notes) {
  // Timed iteration rows, per (arch, exec), per workload.
  std::vector<std::string> arches;
  std::map<std::string, std::vector<std::string>> execs, workloads;  // per arch, arch/exec
  std::map<std::string, std::vector<const Row*>> by_workload;        // arch/exec/workload
  for (const Row& r : rows) {
    if (!r.is_iteration() || r.exec == kInsnCountExec || r.unit == "instructions") continue;
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
        return e == "native" ? 0 : e == "remote" ? 1 : e == "qemu" ? 2 : 3;
      };
      return rank(a) < rank(b);
    });
    for (const std::string& exec : exec_list) {
      const std::string target = arch + "\n" + exec;
      const std::string prefix =
          exec_list.size() == 1 ? name_part(arch) : name_part(arch + "-" + exec);
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
      for (const Scenario& sc : scenarios) scenario_plots(sc, looks, out, notes);
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
