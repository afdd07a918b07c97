// What a metric measures: its unit and which direction is better.
#pragma once

#include <string>
#include <string_view>

namespace rcubench::report {

enum class Direction { higher_is_better, lower_is_better, unknown };

// Unit of a metric from its name (see docs/csv.md); real_time and cpu_time take the
// benchmark's time_unit. Unknown names get "-".
std::string metric_unit(std::string_view metric, std::string_view time_unit);

// Better direction from the name, falling back to the unit for names outside the contract.
Direction metric_direction(std::string_view metric, std::string_view unit);

}  // namespace rcubench::report
