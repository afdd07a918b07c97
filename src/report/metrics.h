// What a metric measures: its unit and which direction is better.
#pragma once

#include "contract/metrics.h"

#include <string>
#include <string_view>

namespace rcubench::report {

using contract::Direction;

// Unit of a metric: rcubench's from its table (contract/metrics.h; real_time and cpu_time
// take the benchmark's time_unit); for a name outside it (a counter of another Google
// Benchmark program, results from before the table) from its suffix; "-" if neither.
std::string metric_unit(std::string_view metric, std::string_view time_unit);

// Better direction: rcubench's from its table; for a name outside it from its suffix,
// then its unit.
Direction metric_direction(std::string_view metric, std::string_view unit);

}  // namespace rcubench::report
