#include "report/plot/axes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/summary.h"

namespace rcubench::report {

// v with `digits` significant digits, no trailing zeros, no exponent for ordinary sizes.
std::string short_number(double v, int digits) {
  if (v == 0) return "0";
  return fmt::format("{:.{}g}", v, digits);
}

namespace {

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

}  // namespace rcubench::report
