// Where the panels of a plot go, and the scales they share.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "report/plot/model.h"

namespace rcubench::report::plot {

// Pixels per text line: of the body text (tick labels, line labels), the title and the
// footer. The canvas is the panels plus a band for the title above them and one for the
// footer below; the gnuplot scripts place the panels between the bands.
inline constexpr int kLinePixels = 17, kTitleLinePixels = 20, kFooterLinePixels = 15;
// Characters of a panel title's line that fit centred over a panel 760 pixels wide (the
// narrowest, two to a row) at about 6.5 pixels a character.
inline constexpr std::size_t kPanelTitleChars = 72;

// Lines in text, and characters in the longest of them (UTF-8: continuation bytes do not
// count).
int lines_in(std::string_view text);
std::size_t longest_line(std::string_view text);

// Panels side by side up to max_cols, then in rows.
void set_layout(Plot& plot, int panel_width, int panel_height, int max_cols);

// The y range and ticks of panels that show the same metric: one scale for all of them.
void set_y_scale(std::vector<Panel*> panels, bool bars);

// Where v is on an axis from lo to hi, as a fraction of it.
double axis_fraction(double v, double lo, double hi, bool log);

}  // namespace rcubench::report::plot
