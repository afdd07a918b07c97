#include "report/metrics.h"

#include <array>

namespace rcubench::report {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

constexpr std::array<std::string_view, 4> kTimeUnits = {"ns", "us", "ms", "s"};

}  // namespace

std::string metric_unit(std::string_view metric, std::string_view time_unit) {
  if (const contract::Metric* m = contract::find_metric(metric))
    return std::string(m->unit == contract::kTimeUnit ? time_unit : m->unit);
  // Outside the contract.
  if (ends_with(metric, "_per_s") || ends_with(metric, "_per_second")) return "1/s";
  if (ends_with(metric, "_ns")) return "ns";
  if (metric.starts_with("backlog_") && ends_with(metric, "_objects")) return "objects";
  if (ends_with(metric, "_bytes")) return "bytes";
  if (metric == "update_retries") return "count";
  if (ends_with(metric, "_per_update")) return "1/update";
  if (ends_with(metric, "_fairness")) return "fraction";
  if (ends_with(metric, "_samples")) return "samples";
  if (ends_with(metric, "_insns")) return "instructions";
  return "-";
}

Direction metric_direction(std::string_view metric, std::string_view unit) {
  if (const contract::Metric* m = contract::find_metric(metric)) return m->direction;
  // Outside the contract.
  if (ends_with(metric, "_per_s") || ends_with(metric, "_per_second") ||
      ends_with(metric, "_fairness"))
    return Direction::higher_is_better;
  if (ends_with(metric, "_samples")) return Direction::unknown;  // how many, not how good
  if (metric == "real_time" || metric == "cpu_time" || ends_with(metric, "_ns") ||
      metric.starts_with("backlog_") || ends_with(metric, "_bytes") ||
      ends_with(metric, "_retries") || ends_with(metric, "_insns") ||
      ends_with(metric, "_per_update"))
    return Direction::lower_is_better;
  if (unit == "1/s") return Direction::higher_is_better;
  for (std::string_view t : kTimeUnits)
    if (unit == t) return Direction::lower_is_better;
  if (unit == "objects" || unit == "bytes" || unit == "count" || unit == "instructions")
    return Direction::lower_is_better;
  return Direction::unknown;
}

}  // namespace rcubench::report
