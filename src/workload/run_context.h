// Where a number comes from: the facts recorded beside every benchmark result.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rcubench {

// "native" when the binary's ISA is the host's, "qemu" when it runs under QEMU user-mode.
// Detected by comparing the ELF machine this binary was compiled for with the ELF machine
// of the host's /bin/sh (QEMU user-mode fakes uname(), not the host's files). The
// environment variable RCUBENCH_EXEC overrides the detection.
std::string exec_mode();

// The architecture this binary was compiled for: x86_64, aarch64 or riscv64.
const char* compiled_arch();

// Whether the membarrier(2) commands liburcu's memb flavor relies on are available.
bool membarrier_available();

// The CPU's model as /proc/cpuinfo names it (the host's under QEMU); on arm64 without a
// model name, from the MIDR fields (implementer, part); else "unknown".
std::string cpu_model();

// The CPU's identification registers as the kernel shows them: arm64's MIDR_EL1,
// riscv64's mvendorid/marchid/mimpid, x86's family/model/stepping; "" if none. Under QEMU
// user-mode, the host's.
std::string cpu_id();

// The CPUs this process may run on (its affinity mask), ascending; at least one.
std::vector<int> allowed_cpus();

// CPU numbers as a list of ranges: {0, 1, 2, 5} -> "0-2,5".
std::string cpu_list(const std::vector<int>& cpus);

// The cpufreq governor of the first allowed CPU ("performance", "schedutil", ...); "-"
// without cpufreq (most VMs).
std::string frequency_governor();

// The CPUs isolated from the scheduler (isolcpus=): a list, "none", or "-" if unknown.
std::string isolated_cpus();

// This run's id: $RCUBENCH_RUN_ID, else "<UTC stamp>-<commit>".
std::string run_id();

// Key/value pairs for the benchmark context: arch, exec (`exec`, or exec_mode() when
// empty), compiler, build type, commit, dependency versions, membarrier, CPU model with
// its identification and the process's CPU count, the CPU count alone, the CPU id, the
// affinity mask, governor, isolated CPUs, kernel, CI runner, board (RCUBENCH_HOST), run
// id (docs/csv.md).
std::vector<std::pair<std::string, std::string>> run_context(const std::string& exec = "");

// Adds run_context(exec) to Google Benchmark's JSON context.
void add_benchmark_context(const std::string& exec = "");

}  // namespace rcubench
