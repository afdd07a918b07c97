// One workload of one arch, as its plots see it: the points, each a set of process samples,
// and where the numbers come from.
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/compare.h"
#include "report/csv.h"
#include "report/plot/sweep.h"
#include "report/samples.h"

namespace rcubench::report::plot {

struct PointKey {
  std::string primitive, metric;
  double x = 0;
  auto operator<=>(const PointKey&) const = default;
};

struct PointData {
  ProcessSamples samples;
  long readers = 0, updaters = 0;
  std::set<std::string> params;
};

// What the plots know of where the numbers come from.
struct Provenance {
  std::vector<std::string> machines, builds, commits;
  // Emulated runs ran on the host's CPU, under QEMU.
  std::string line(bool emulated) const {
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    return fmt::format("{} {}; {} build; commit{} {}", emulated ? "host CPU" : "CPU",
                       join(machines), join(builds), commits.size() > 1 ? "s" : "", join(commits));
  }
};

// One workload of one arch (and one value of any column it sweeps besides x).
struct Scenario {
  std::string arch, exec, prefix, workload;
  std::optional<SweepColumn> x;
  std::string split_name;  // "-updaters2" when split (the title names the value anyway)
  std::vector<const Row*> rows;
  std::map<PointKey, PointData> points;
  std::set<double> oversubscribed_x;
  std::set<std::string> metrics;  // with at least one positive value
  Provenance provenance;

  bool emulated() const { return !is_hardware_exec(exec); }
  bool has(std::string_view metric) const { return metrics.contains(std::string(metric)); }
  std::string x_unit() const {
    if (x == SweepColumn::updater_delay_us || x == SweepColumn::stall_us) return "us";
    if (x == SweepColumn::payload_bytes) return "bytes";
    return "count";
  }
};

// The x axis's label for a swept column.
std::string x_label(SweepColumn c);

// The parameters a scenario holds fixed: "1 reader, 1 updater, 100 µs between updates".
std::string fixed_parameters(const Scenario& sc);

// A plot's title: arch, what it shows, the workload and what it holds fixed, and a warning
// on an emulated run.
std::string plot_title(const Scenario& sc, const std::string& what);

}  // namespace rcubench::report::plot
