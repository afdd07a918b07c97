// A Google Benchmark reporter that shows results as usual (console, JSON or CSV, as
// --benchmark_format asks) and keeps each benchmark's per-iteration times, so a program
// can compare benchmarks of one run (ratios, coefficients of variation) after it ends.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcubench {

// Median of `values` (nothing if empty); sample coefficient of variation (stddev / mean,
// nothing for fewer than two values or a zero mean).
std::optional<double> median(std::vector<double> values);
std::optional<double> coefficient_of_variation(const std::vector<double>& values);

class CollectingReporter : public benchmark::BenchmarkReporter {
 public:
  // Reads --benchmark_format from argv (before benchmark::Initialize consumes it) to
  // pick the display reporter.
  CollectingReporter(int argc, char** argv);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

  // Median real time per iteration in nanoseconds over the repetitions of `run_name`
  // (the name the benchmark was registered with, without Google Benchmark's suffixes
  // such as /real_time), or nothing if it did not run.
  std::optional<double> median_ns(const std::string& run_name) const;

  // The values of one counter over the repetitions of `run_name` (empty if none).
  std::vector<double> counter_values(const std::string& run_name, const std::string& counter) const;

  // Where summaries that follow the results belong: stdout under the console format,
  // stderr when stdout carries JSON or CSV.
  std::FILE* summary_stream() const { return console_ ? stdout : stderr; }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  bool console_ = true;
  std::map<std::string, std::vector<double>> ns_per_iteration_;
  std::map<std::string, std::map<std::string, std::vector<double>>> counters_;
};

}  // namespace rcubench
