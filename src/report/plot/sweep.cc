#include "report/plot/sweep.h"

#include <cmath>
#include <limits>
#include <set>

#include "report/mann_whitney.h"
#include "report/stats.h"

namespace rcubench::report {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::string_view column_name(SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return "readers";
    case SweepColumn::updaters:
      return "updaters";
    case SweepColumn::updater_delay_us:
      return "updater_delay_us";
    case SweepColumn::read_work:
      return "read_work";
    case SweepColumn::payload_bytes:
      return "payload_bytes";
    case SweepColumn::stall_us:
      return "stall_us";
  }
  return "?";
}

double column_value(const Row& row, SweepColumn c) {
  switch (c) {
    case SweepColumn::readers:
      return static_cast<double>(row.readers);
    case SweepColumn::updaters:
      return static_cast<double>(row.updaters);
    case SweepColumn::updater_delay_us:
      return row.updater_delay_us.value_or(kNaN);
    case SweepColumn::read_work:
      return row.read_work ? static_cast<double>(*row.read_work) : kNaN;
    case SweepColumn::payload_bytes:
      return row.payload_bytes ? static_cast<double>(*row.payload_bytes) : kNaN;
    case SweepColumn::stall_us:
      return row.stall_us.value_or(kNaN);
  }
  return kNaN;
}

Sweep find_sweep(const std::vector<const Row*>& rows) {
  Sweep s;
  std::size_t most = 1;
  for (SweepColumn c : kSweepColumns) {
    std::set<double> values;
    for (const Row* r : rows)
      if (const double v = column_value(*r, c); !std::isnan(v)) values.insert(v);
    if (values.size() < 2) continue;
    s.split.push_back(c);
    if (values.size() > most) {
      most = values.size();
      s.x = c;
    }
  }
  if (s.x) std::erase(s.split, *s.x);
  return s;
}

PointSummary summarize(const ProcessSamples& samples) {
  PointSummary p;
  std::vector<double> v = samples.values();
  if (v.size() == 1 && samples.repetitions().size() > 1) {
    v = samples.repetitions();
    p.repetitions = true;
  }
  p.n = v.size();
  p.median = median(v);
  p.q1 = quantile(v, 0.25);
  p.q3 = quantile(v, 0.75);
  return p;
}

}  // namespace rcubench::report
