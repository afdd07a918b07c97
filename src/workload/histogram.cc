#include "workload/histogram.h"

#include <algorithm>
#include <cmath>

namespace rcubench {

void Histogram::merge(const Histogram& other) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

double Histogram::percentile(double fraction) const {
  if (count_ == 0) return 0.0;
  // The rank of the value sought, 1-based: the smallest value with at least this many
  // values at or below it.
  auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return static_cast<double>(std::min(upper_edge(i), max_));
  }
  return static_cast<double>(max_);
}

}  // namespace rcubench
