// The gate's unit of evidence (docs/regression-gate.md): one sample per rcubench process,
// the median of that process's repetitions of a series. Shared by the gate and the plots.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "report/csv.h"

namespace rcubench::report {

// A sample is identified by its run and process index; kInProcess stands for the rows
// without a process index, all the in-process repetitions of one run: one sample.
inline constexpr long kInProcess = -1;
using SampleId = std::pair<std::string, long>;  // run_id, process

// The iteration rows of one series, grouped into process samples.
class ProcessSamples {
 public:
  void add(const Row& row);

  // Every row's value, in the order added.
  const std::vector<double>& repetitions() const { return repetitions_; }
  // One value per process: the median of its repetitions.
  std::map<SampleId, double> medians() const;
  // Those medians, in SampleId order.
  std::vector<double> values() const;
  // No sample has a process index: in-process repetitions, never independent samples.
  bool in_process_only() const;
  std::size_t size() const { return by_sample_.size(); }

 private:
  std::map<SampleId, std::vector<double>> by_sample_;
  std::vector<double> repetitions_;
};

}  // namespace rcubench::report
