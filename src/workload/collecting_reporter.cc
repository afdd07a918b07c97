#include "workload/collecting_reporter.h"

#include <algorithm>
#include <string_view>

namespace rcubench {

CollectingReporter::CollectingReporter(int argc, char** argv) {
  std::string_view format = "console";
  constexpr std::string_view kFlag = "--benchmark_format=";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, kFlag.size()) == kFlag) format = arg.substr(kFlag.size());
  }
  if (format == "json") {
    display_ = std::make_unique<benchmark::JSONReporter>();
    console_ = false;
  } else if (format == "csv") {
    // Deprecated upstream, still offered by --benchmark_format=csv.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    display_ = std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
    console_ = false;
  } else {
    display_ = std::make_unique<benchmark::ConsoleReporter>();
  }
}

bool CollectingReporter::ReportContext(const Context& context) {
  return display_->ReportContext(context);
}

void CollectingReporter::ReportRuns(const std::vector<Run>& runs) {
  display_->ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
    double seconds = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
    ns_per_iteration_[run.benchmark_name()].push_back(seconds * 1e9);
  }
}

void CollectingReporter::Finalize() { display_->Finalize(); }

std::optional<double> CollectingReporter::median_ns(const std::string& run_name) const {
  auto it = ns_per_iteration_.find(run_name);
  if (it == ns_per_iteration_.end() || it->second.empty()) return std::nullopt;
  std::vector<double> v = it->second;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace rcubench
