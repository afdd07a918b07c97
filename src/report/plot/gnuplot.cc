#include "report/plot/gnuplot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "report/plot/layout.h"
#include "report/plot_data.h"

namespace rcubench::report::plot {

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

namespace {

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

}  // namespace

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
  v += fmt::format("nbands = {}\nband_label = {}\n", plot.bands.size(), gp_string(plot.band_label));
  v += gp_array("band_from", plot.bands, [](const auto& b) { return gp_number(b.first); });
  v += gp_array("band_to", plot.bands, [](const auto& b) { return gp_number(b.second); });

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
      for (const auto& [x, v] : s.points) {
        if (std::isnan(v.median)) {
          d += "\n";  // a break in the line: one blank line (two would end the block)
          continue;
        }
        d += fmt::format("{} {} {} {} {}\n", gp_number(x), gp_number(v.median), gp_number(v.q1),
                         gp_number(v.q3), v.n);
      }
    }
  return d;
}

}  // namespace rcubench::report::plot
