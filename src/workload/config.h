// Workload configurations (configs/*.toml; keys documented in configs/README.md):
// a [global] table of defaults and one [scenario.<name>] table per workload, whose
// readers/updaters and one of the sweepable parameters may be lists (sweeps). load_config()
// validates the whole file before anything runs; any problem is one ConfigError naming
// file, line and key.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "baselines/registry.h"
#include "contract/run_name.h"
#include "workload/engine.h"

namespace rcubench {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The workload parameters a scenario may sweep besides the thread counts, at most one per
// scenario: a sweep plot takes the swept one as its x axis.
using contract::kSweepableParams;

// One benchmark to run: a scenario (workload) on one primitive at one thread count and
// one point of its sweep.
struct PlannedRun {
  std::string workload;
  std::string description;
  std::string primitive;
  WorkloadParams params;
  std::string swept;  // the parameter of kSweepableParams the scenario sweeps, or empty
};

// The value of `param` (one of kSweepableParams) in `params`, as run names write it.
std::string sweep_value(const WorkloadParams& params, std::string_view param);

// Reads and validates `path`. `only_primitives`, when given, replaces every scenario's
// primitive list (the command line's --primitives). Thread-count expressions resolve
// against `cpus` (default: the CPUs of this process's affinity mask). Throws ConfigError.
std::vector<PlannedRun> load_config(const std::string& path,
                                    const std::optional<std::vector<std::string>>& only_primitives,
                                    std::span<const PrimitiveInfo> registry,
                                    std::optional<int> cpus = std::nullopt);

// A thread-count expression of `cpus`: "N", "cpus", "cpus-N", "cpus+N", "cpus*N",
// "cpus/N" (rounded down), or a range "A..B" of two of those, which gives A, 2A, 4A, ...
// below B, and B. A count from the CPUs never resolves below `min`, nor a range's upper
// end from the CPUs below its lower end; a plain number below `min`, a malformed text or
// an empty range of plain numbers is a ConfigError naming the text.
std::vector<int> resolve_thread_counts(std::string_view expression, int cpus, int min);

// The workload parameters that change what a run measures, as 8 hex digits (FNV-1a of a
// canonical text): part of every benchmark name (`/params:<key>`), so that an edited
// configuration starts a new series instead of looking like a regression.
std::string params_key(const WorkloadParams& params);

// Throws ConfigError naming the first of `names` that is neither "all" nor registered.
void validate_primitives(std::span<const std::string> names,
                         std::span<const PrimitiveInfo> registry);

// Splits "a,b,c" into names; an empty element is an error naming `what`.
std::vector<std::string> split_list(const std::string& list, const std::string& what);

}  // namespace rcubench
