// A plot written for the gnuplot scripts in plots/ (docs/plots.md): a script of variables
// (layout, scales, ticks, styles, labels) and the tables of its points.
#pragma once

#include <string>

#include "report/plot/model.h"

namespace rcubench::report::plot {

std::string format_vars(const Plot& plot);
std::string format_data(const Plot& plot);

}  // namespace rcubench::report::plot
