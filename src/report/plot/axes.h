// Axis ticks and short numbers with their units.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rcubench::report {

// Axis ticks: where, and the text there.
struct Tick {
  double at = 0;
  std::string label;
};
// Ticks for an axis of the unit ("1/s", "ns", "bytes", "objects", ...) between lo and hi:
// powers of ten on a log axis (with 2 and 5 between them when it spans less than three
// decades; powers of two for bytes), 1-2-5 steps on a linear one; numbers with SI
// prefixes, times and sizes with their units.
std::vector<Tick> axis_ticks(double lo, double hi, bool log, std::string_view unit);

// A value in the unit, short: "1.5M", "250 ns", "12 µs" ("us": microseconds), "64 KiB"
// ("bytes"); a whole "count" exactly: "1024".
std::string short_value(double v, std::string_view unit);

// v with `digits` significant digits, no trailing zeros, no exponent for ordinary sizes.
std::string short_number(double v, int digits = 3);

}  // namespace rcubench::report
