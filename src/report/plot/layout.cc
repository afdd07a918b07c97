#include "report/plot/layout.h"

#include <algorithm>
#include <cmath>

#include "report/plot/axes.h"
#include "report/plot_data.h"

namespace rcubench::report {

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

}  // namespace rcubench::report

namespace rcubench::report::plot {

int lines_in(std::string_view text) {
  return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

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

void set_layout(Plot& plot, int panel_width, int panel_height, int max_cols) {
  const int n = static_cast<int>(plot.panels.size());
  plot.cols = std::min(n, max_cols);
  plot.rows = (n + plot.cols - 1) / plot.cols;
  plot.panel_width = panel_width;
  plot.panel_height = panel_height;
  // A panel's plot area is its height less its title, tick labels and axis label.
  plot.label_gap = 1.05 * kLinePixels / (panel_height - 5.0 * kLinePixels);
}

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
  const bool linear_only =
      std::any_of(panels.begin(), panels.end(), [](const Panel* p) { return p->linear_only; });
  const bool log = !linear_only && std::isfinite(lowest_positive) &&
                   span >= (zero_medians > 0 ? 100 : 10);
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

}  // namespace rcubench::report::plot
