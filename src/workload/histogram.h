// A log-bucketed latency histogram: exact below 16 ns, then 16 buckets per power of two
// (at most 1/16 = 6.25 % relative error), fixed size, no allocation while recording.
// Each thread records into its own and the engine merges them at the end.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace rcubench {

class Histogram {
 public:
  void record(std::uint64_t ns) {
    ++counts_[bucket_of(ns)];
    ++count_;
    sum_ += ns;
    if (ns > max_) max_ = ns;
  }
  void merge(const Histogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0.0; }
  // The value below which `fraction` (0..1) of the recorded values fall: the upper edge
  // of the bucket that holds that rank (never above the exact maximum). 0 when empty.
  double percentile(double fraction) const;

  static constexpr int kSubBits = 4;  // 16 sub-buckets per power of two.
  static constexpr int kBuckets = (64 - kSubBits + 1) << kSubBits;

  static int bucket_of(std::uint64_t v) {
    if (v < (1u << kSubBits)) return static_cast<int>(v);
    int exponent = 63 - std::countl_zero(v);  // >= kSubBits
    int shift = exponent - kSubBits;
    return ((shift + 1) << kSubBits) + static_cast<int>((v >> shift) & ((1u << kSubBits) - 1));
  }
  // The largest value that falls into `bucket`.
  static std::uint64_t upper_edge(int bucket) {
    if (bucket < (1 << kSubBits)) return static_cast<std::uint64_t>(bucket);
    int shift = (bucket >> kSubBits) - 1;
    std::uint64_t sub = static_cast<std::uint64_t>(bucket & ((1 << kSubBits) - 1));
    std::uint64_t low = ((std::uint64_t{1} << kSubBits) | sub) << shift;
    return low + ((std::uint64_t{1} << shift) - 1);
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace rcubench
