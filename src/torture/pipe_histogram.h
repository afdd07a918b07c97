// The readers' pipeline histogram: how many reads saw an object at each stage (words.h).
// Bins 0..kPipeLength-1, and kPipeLength for "kPipeLength or more"; printed the way
// rcutorture prints its pipe counts.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "torture/words.h"

namespace rcubench::torture {

class PipeHistogram {
 public:
  static constexpr std::size_t kBins = kPipeLength + 1;

  void add(std::uint64_t stage, std::uint64_t count = 1) {
    bins_[stage < kPipeLength ? stage : kPipeLength] += count;
  }
  void merge(const PipeHistogram& other) {
    for (std::size_t i = 0; i < kBins; ++i) bins_[i] += other.bins_[i];
  }

  const std::array<std::uint64_t, kBins>& bins() const { return bins_; }
  std::uint64_t total() const;
  // Reads that saw an object at kStageFreed or later: each one a too-short grace period.
  std::uint64_t past_grace_period() const;

  // "Reader Pipe:  123 4 0 0 0 0 0 0 0 0 0"
  std::string format() const;
  // "[123,4,0,0,0,0,0,0,0,0,0]"
  std::string json() const;

 private:
  std::array<std::uint64_t, kBins> bins_{};
};

}  // namespace rcubench::torture
