// The name rcubench gives each run (a Google Benchmark benchmark) and the report reads back,
// and how a run was executed (docs/csv.md). Dependency-free, like primitive_meta.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rcubench::contract {

// <workload>/<primitive>/readers:<R>/updaters:<U>[/updater_delay_us:<D>][/read_work:<W>]
// [/payload_bytes:<B>][/stall_us:<S>][/params:<8 lowercase hex digits>]. The sweepable parameters are the
// x axes of sweep plots; params is the hash of all the workload's parameters (a series of
// the gate). On reading, other /key:value parts and Google Benchmark's /manual_time and
// /real_time suffixes are ignored.
struct RunName {
  std::string workload, primitive;
  long readers = 0, updaters = 0;
  std::optional<double> updater_delay_us;
  std::optional<long> read_work, payload_bytes;
  std::string params = "-";  // the hash, or "-" without a params part
  std::optional<double> stall_us;  // a stalls run's only

  bool operator==(const RunName&) const = default;
};

// The workload parameters a scenario may sweep besides the thread counts, in the order run
// names write them.
inline constexpr std::string_view kSweepableParams[] = {"updater_delay_us", "read_work",
                                                        "payload_bytes", "stall_us"};

// Numbers in their shortest form that reads back the same ("2.5", "100"; see format_number).
std::string format_run_name(const RunName& name);
// None for a name not of that form (a part out of order is of it; a repeated one is not).
std::optional<RunName> parse_run_name(std::string_view name);

// A double in the fewest digits that read back the same: plain from 1e-4 up to below 1e16
// ("0.0001", "2.5", "100000"), scientific beyond ("1e-05", "1e+16"), as fmt's "{}" writes it.
std::string format_number(double v);

// A non-negative decimal integer, the whole of `s`; none for anything else.
std::optional<long> parse_count(std::string_view s);

// The workload parameter hash: exactly 8 lowercase hex digits.
bool is_params_hash(std::string_view s);

// The memory samples of stalls runs (rcubench --memory-series, docs/csv.md): a first line
// naming the format, a header, then one line per sample. Version 1 (the first eight
// columns) is still read.
inline constexpr std::string_view kMemorySeriesMagic = "# rcubench-memory-series v2";
inline constexpr std::string_view kMemorySeriesHeader =
    "arch,exec,process,run_name,object_bytes,t_s,objects,stalled,updates,reads,read_worst_ns";
inline constexpr std::string_view kMemorySeriesMagicV1 = "# rcubench-memory-series v1";
inline constexpr std::string_view kMemorySeriesHeaderV1 =
    "arch,exec,process,run_name,object_bytes,t_s,objects,stalled";

// How a run was executed (the context's rcubench_exec, the CSV's exec column).
inline constexpr std::string_view kExecNative = "native";  // on this machine
inline constexpr std::string_view kExecRemote = "remote";  // on a board over SSH: hardware too
inline constexpr std::string_view kExecQemu = "qemu";      // emulated: never performance
// Exact instruction counts under the QEMU plugin, not timings.
inline constexpr std::string_view kExecInsnCount = "qemu-insn-count";

}  // namespace rcubench::contract
