#include "workload/collecting_reporter.h"

#include <algorithm>
#include <cmath>
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
    // Keyed by the registered name, without suffixes such as /iterations:1/manual_time.
    const std::string& name = run.run_name.function_name;
    ns_per_iteration_[name].push_back(seconds * 1e9);
    for (const auto& [counter_name, counter] : run.counters) {
      counters_[name][counter_name].push_back(counter.value);
    }
  }
}

void CollectingReporter::Finalize() { display_->Finalize(); }

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<double> coefficient_of_variation(const std::vector<double>& v) {
  if (v.size() < 2) return std::nullopt;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  if (mean == 0) return std::nullopt;
  double squares = 0;
  for (double x : v) squares += (x - mean) * (x - mean);
  return std::sqrt(squares / static_cast<double>(v.size() - 1)) / mean;
}

std::optional<double> CollectingReporter::median_ns(const std::string& run_name) const {
  auto it = ns_per_iteration_.find(run_name);
  if (it == ns_per_iteration_.end()) return std::nullopt;
  return median(it->second);
}

std::vector<double> CollectingReporter::counter_values(const std::string& run_name,
                                                       const std::string& counter) const {
  auto run = counters_.find(run_name);
  if (run == counters_.end()) return {};
  auto values = run->second.find(counter);
  return values == run->second.end() ? std::vector<double>{} : values->second;
}

}  // namespace rcubench
