// The memory samples of stalls runs, as rcubench --memory-series writes them (docs/csv.md,
// "Memory series"): objects retired but not yet freed, sampled by the run's main thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcubench::report {

// One run's samples in one process.
struct MemoryTrace {
  std::string arch, exec, workload, primitive, run_name;
  long readers = 0, updaters = 0;
  std::optional<long> process;  // none for a run of one process
  double stall_us = 0;
  std::size_t object_bytes = 0;
  struct Sample {
    double t_s = 0;     // seconds from the start
    long objects = 0;   // retired, not yet freed
    bool stalled = false;  // reader 0 was inside a stall
    // Version 2 on (none in a version 1 file): updates and reads done so far, and the
    // slowest timed read batch since the previous sample, per read (none if none finished).
    std::optional<std::uint64_t> updates, reads;
    std::optional<double> read_worst_ns;
    bool operator==(const Sample&) const = default;
  };
  std::vector<Sample> samples;  // in time order
};

// Parses one file's text; `source` names it in errors (InputError "source:line: ...").
std::vector<MemoryTrace> parse_memory_series(std::string_view text, const std::string& source);
std::vector<MemoryTrace> read_memory_series(const std::filesystem::path& file);

}  // namespace rcubench::report
