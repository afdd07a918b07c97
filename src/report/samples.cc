#include "report/samples.h"

#include <algorithm>

#include "report/mann_whitney.h"

namespace rcubench::report {

void ProcessSamples::add(const Row& row) {
  by_sample_[{row.run_id, row.process.value_or(kInProcess)}].push_back(row.value);
  repetitions_.push_back(row.value);
}

std::map<SampleId, double> ProcessSamples::medians() const {
  std::map<SampleId, double> out;
  for (const auto& [id, reps] : by_sample_) out[id] = median(reps);
  return out;
}

std::vector<double> ProcessSamples::values() const {
  std::vector<double> out;
  for (const auto& [id, v] : medians()) out.push_back(v);
  return out;
}

bool ProcessSamples::in_process_only() const {
  return std::all_of(by_sample_.begin(), by_sample_.end(),
                     [](const auto& s) { return s.first.second == kInProcess; });
}

}  // namespace rcubench::report
