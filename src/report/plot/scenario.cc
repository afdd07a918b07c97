#include "report/plot/scenario.h"

#include <algorithm>
#include <cmath>

#include "report/plot/axes.h"

namespace rcubench::report::plot {

std::string x_label(SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return "reader threads";
    case SweepColumn::updaters:
      return "updater threads";
    case SweepColumn::updater_delay_us:
      return "pause between an updater's updates";
    case SweepColumn::read_work:
      return "read-side length (dependent steps per read)";
    case SweepColumn::payload_bytes:
      return "object size";
    case SweepColumn::stall_us:
      return "how long reader 0 stays inside one read-side section";
  }
  return "?";
}

std::string fixed_parameters(const Scenario& sc) {
  std::vector<std::string> parts;
  const bool updates =
      std::any_of(sc.rows.begin(), sc.rows.end(), [](const Row* r) { return r->updaters > 0; });
  for (SweepColumn c : kSweepColumns) {
    if (c == sc.x) continue;
    std::set<double> values;
    for (const Row* r : sc.rows)
      if (const double v = column_value(*r, c); !std::isnan(v)) values.insert(v);
    if (values.size() != 1) continue;
    const double v = *values.begin();
    const std::string n = short_number(v, 6);
    switch (c) {
      case SweepColumn::readers:
        parts.push_back(fmt::format("{} reader{}", n, v == 1 ? "" : "s"));
        break;
      case SweepColumn::updaters:
        parts.push_back(v == 0 ? "no updaters" : fmt::format("{} updater{}", n, v == 1 ? "" : "s"));
        break;
      case SweepColumn::updater_delay_us:
        if (updates)
          parts.push_back(v == 0 ? "updaters flat out"
                                 : fmt::format("{} between updates", short_value(v, "us")));
        break;
      case SweepColumn::read_work:
        if (v > 0) parts.push_back(fmt::format("read work {}", n));
        break;
      case SweepColumn::payload_bytes:
        parts.push_back(fmt::format("{} objects", short_value(v, "bytes")));
        break;
      case SweepColumn::stall_us:
        parts.push_back(v == 0 ? "no stall" : fmt::format("reader 0 stalls {}", short_value(v, "us")));
        break;
    }
  }
  std::string s;
  for (const std::string& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

std::string plot_title(const Scenario& sc, const std::string& what) {
  std::string t = fmt::format("{} ({}): {}", sc.arch, sc.emulated() ? "emulated" : sc.exec, what);
  std::string config = fixed_parameters(sc);
  t += fmt::format("\nworkload {}", sc.workload);
  if (!config.empty()) t += ": " + config;
  if (sc.emulated())
    t += fmt::format("\nrun under {}: timings are not hardware performance", sc.exec);
  return t;
}

}  // namespace rcubench::report::plot
