// A plot before it is written: panels of lines or bars, with their scales and ticks.
#pragma once

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "report/plot/axes.h"
#include "report/plot/sweep.h"
#include "report/primitive_style.h"

namespace rcubench::report::plot {

// "No value": where a plot has none (an x without shading, a line without an end).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
  bool linear_only = false;  // never a log scale: a drop to zero is what it shows
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
  std::vector<std::pair<double, double>> bands;  // x spans shaded (from, to), with a label
  std::string band_label;
  std::vector<std::pair<std::string, std::string>> bar_kinds;  // label, colour
  std::vector<Panel> panels;
  int rows = 1, cols = 1, panel_width = 1000, panel_height = 640;  // pixels
  double label_gap = 0.04;  // label spacing, a fraction of a panel's plot height
};

}  // namespace rcubench::report::plot
