// A plot written for the gnuplot scripts in plots/ (docs/plots.md): a script of variables
// (layout, scales, ticks, styles, labels) and the tables of its points.
#pragma once

#include <string>
#include <string_view>

#include "report/plot/model.h"

namespace rcubench::report::plot {

// A gnuplot double-quoted string: quotes and backslashes escaped, a line break as \n.
std::string gp_string(std::string_view s);

std::string format_vars(const Plot& plot);
std::string format_data(const Plot& plot);

}  // namespace rcubench::report::plot
