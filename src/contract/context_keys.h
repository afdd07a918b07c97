// The keys of the JSON context rcubench writes (src/workload/run_context.cc, bench/rcubench.cc)
// that the report reads (src/report/bench_json.cc): one spelling for both. What each holds:
// docs/csv.md. Dependency-free: the cross-built bench and the host-only report both use it.
#pragma once

#include <string_view>

namespace rcubench::contract {

// Every row carries these (the report refuses a file without one).
inline constexpr std::string_view kRunIdKey = "rcubench_run_id";
inline constexpr std::string_view kCommitKey = "rcubench_commit";
inline constexpr std::string_view kArchKey = "rcubench_arch";
inline constexpr std::string_view kExecKey = "rcubench_exec";  // run_name.h: kExec* values
inline constexpr std::string_view kCpuModelKey = "rcubench_cpu_model";
inline constexpr std::string_view kCompilerKey = "rcubench_compiler";
inline constexpr std::string_view kBuildTypeKey = "rcubench_build_type";
// With the CPU model and compiler: the machine's fingerprint (optional: older results).
inline constexpr std::string_view kDepsKey = "rcubench_deps";
inline constexpr std::string_view kKernelKey = "rcubench_kernel";
inline constexpr std::string_view kRunnerKey = "rcubench_runner";
// A process of a multi-process run: its 0-based index.
inline constexpr std::string_view kProcessKey = "rcubench_process";
// The results contract's version (metrics.h: kSchemaVersion).
inline constexpr std::string_view kSchemaKey = "rcubench_schema";

}  // namespace rcubench::contract
