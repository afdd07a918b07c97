#include "torture/pipe_histogram.h"

#include <fmt/format.h>

#include <numeric>

namespace rcubench::torture {

std::uint64_t PipeHistogram::total() const {
  return std::accumulate(bins_.begin(), bins_.end(), std::uint64_t{0});
}

std::uint64_t PipeHistogram::past_grace_period() const {
  return std::accumulate(bins_.begin() + kStageFreed, bins_.end(), std::uint64_t{0});
}

std::string PipeHistogram::format() const {
  return fmt::format("Reader Pipe: {}", fmt::join(bins_, " "));
}

std::string PipeHistogram::json() const { return fmt::format("[{}]", fmt::join(bins_, ",")); }

}  // namespace rcubench::torture
