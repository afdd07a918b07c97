#include "workload/run_context.h"

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sched.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <initializer_list>

#include "contract/context_keys.h"
#include "contract/run_name.h"
#include "rcubench_commit.h"

#ifndef RCUBENCH_BUILD_TYPE
#define RCUBENCH_BUILD_TYPE "unknown"
#endif
#ifndef RCUBENCH_DEP_VERSIONS
#define RCUBENCH_DEP_VERSIONS "unknown"
#endif

namespace rcubench {
namespace {

// ELF e_machine values (elf.h) of the supported arches.
constexpr std::uint16_t kElfMachineX86_64 = 62;
constexpr std::uint16_t kElfMachineAarch64 = 183;
constexpr std::uint16_t kElfMachineRiscv = 243;

constexpr std::uint16_t compiled_elf_machine() {
#if defined(__x86_64__)
  return kElfMachineX86_64;
#elif defined(__aarch64__)
  return kElfMachineAarch64;
#elif defined(__riscv) && __riscv_xlen == 64
  return kElfMachineRiscv;
#else
#error "unsupported architecture: rcubench supports x86_64, aarch64 and riscv64"
#endif
}

// e_machine of an ELF file, 0 if unreadable. Offset 18, little-endian on all three arches.
std::uint16_t elf_machine_of(const char* path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[20] = {};
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
  if (std::memcmp(header,
                  "\x7f"
                  "ELF",
                  4) != 0)
    return 0;
  return static_cast<std::uint16_t>(header[18] | (header[19] << 8));
}

}  // namespace

const char* compiled_arch() {
  switch (compiled_elf_machine()) {
    case kElfMachineX86_64:
      return "x86_64";
    case kElfMachineAarch64:
      return "aarch64";
    default:
      return "riscv64";
  }
}

std::string exec_mode() {
  if (const char* forced = std::getenv("RCUBENCH_EXEC"); forced && *forced) return forced;
  for (const char* host_binary : {"/bin/sh", "/usr/bin/env"}) {
    if (std::uint16_t host = elf_machine_of(host_binary); host != 0) {
      return std::string(host == compiled_elf_machine() ? contract::kExecNative : contract::kExecQemu);
    }
  }
  return "unknown";
}

namespace {

// An arm64 CPU that /proc/cpuinfo gives no model name for, from its MIDR fields
// ("CPU implementer", "CPU part"): the common cores by name, others by number.
std::string arm_cpu_from_midr(const std::string& implementer, const std::string& part) {
  static const std::pair<const char*, const char*> kImplementers[] = {
      {"0x41", "Arm"}, {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x46", "Fujitsu"},
      {"0x48", "HiSilicon"}, {"0x4e", "NVIDIA"}, {"0x51", "Qualcomm"}, {"0x61", "Apple"},
      {"0xc0", "Ampere"}};
  static const std::pair<const char*, const char*> kArmParts[] = {
      {"0xd03", "Cortex-A53"}, {"0xd07", "Cortex-A57"},   {"0xd08", "Cortex-A72"},
      {"0xd0b", "Cortex-A76"}, {"0xd0c", "Neoverse-N1"},  {"0xd40", "Neoverse-V1"},
      {"0xd49", "Neoverse-N2"}, {"0xd4f", "Neoverse-V2"}, {"0xd8e", "Neoverse-N3"}};
  std::string vendor = fmt::format("implementer {}", implementer);
  for (auto [id, name] : kImplementers)
    if (implementer == id) vendor = name;
  if (implementer == "0x41")
    for (auto [id, name] : kArmParts)
      if (part == id) return fmt::format("{} {}", vendor, name);
  return fmt::format("{} part {}", vendor, part);
}

}  // namespace

namespace {

// The first line of a file, "" if it cannot be read.
std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The value of the first /proc/cpuinfo line that starts with one of `keys` and has a
// value, "" if none.
std::string cpuinfo_value(std::initializer_list<const char*> keys) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    for (const char* key : keys) {
      if (line.rfind(key, 0) != 0) continue;
      auto colon = line.find(':');
      if (colon != std::string::npos && colon + 2 < line.size()) return line.substr(colon + 2);
    }
  }
  return "";
}

}  // namespace

std::string cpu_model() {
  if (std::string model = cpuinfo_value({"model name", "uarch", "Model", "cpu model"});
      !model.empty())
    return model;
  std::string implementer = cpuinfo_value({"CPU implementer"}), part = cpuinfo_value({"CPU part"});
  if (!implementer.empty() && !part.empty()) return arm_cpu_from_midr(implementer, part);
  return "unknown";
}

std::string cpu_id() {
  // arm64: MIDR_EL1 whole (implementer, variant, part, revision), from sysfs.
  // Of the first CPU this process may run on: a big.LITTLE board has two kinds.
  if (std::string midr = first_line_of(fmt::format(
          "/sys/devices/system/cpu/cpu{}/regs/identification/midr_el1", allowed_cpus().front()));
      !midr.empty())
    return "MIDR " + midr;
  if (std::string implementer = cpuinfo_value({"CPU implementer"}); !implementer.empty())
    return fmt::format("MIDR implementer {} variant {} part {} revision {}", implementer,
                       cpuinfo_value({"CPU variant"}), cpuinfo_value({"CPU part"}),
                       cpuinfo_value({"CPU revision"}));
  if (std::string vendor = cpuinfo_value({"mvendorid"}); !vendor.empty())
    return fmt::format("mvendorid {} marchid {} mimpid {}", vendor, cpuinfo_value({"marchid"}),
                       cpuinfo_value({"mimpid"}));
  if (std::string family = cpuinfo_value({"cpu family"}); !family.empty())
    return fmt::format("family {} model {} stepping {}", family, cpuinfo_value({"model\t"}),
                       cpuinfo_value({"stepping"}));
  return "";
}

std::string cpu_list(const std::vector<int>& cpus) {
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? std::to_string(cpus[i]) : fmt::format("{}-{}", cpus[i], cpus[j]);
    i = j + 1;
  }
  return out;
}

std::string frequency_governor() {
  const std::string governor = first_line_of(fmt::format(
      "/sys/devices/system/cpu/cpu{}/cpufreq/scaling_governor", allowed_cpus().front()));
  return governor.empty() ? "-" : governor;
}

std::string isolated_cpus() {
  std::ifstream in("/sys/devices/system/cpu/isolated");
  if (!in) return "-";
  std::string line;
  std::getline(in, line);
  return line.empty() ? "none" : line;
}

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  if (cpus.empty()) cpus.push_back(0);  // No mask to be had: one CPU, never oversubscribe less.
  return cpus;
}

std::string run_id() {
  if (const char* id = std::getenv("RCUBENCH_RUN_ID"); id && *id) return id;
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  std::string commit = RCUBENCH_COMMIT;
  return fmt::format("{}-{}", stamp, commit.substr(0, 12));
}

bool membarrier_available() {
  long commands = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0);
  return commands >= 0 && (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0;
}

namespace {

std::string kernel_release() {
  struct utsname u;
  return uname(&u) == 0 ? std::string(u.release) : std::string("unknown");
}

// The CI runner's label (the workflow sets RCUBENCH_RUNNER): hosted runners of one label
// differ, so it is part of the machine fingerprint; "-" outside CI.
std::string runner_label() {
  const char* label = std::getenv("RCUBENCH_RUNNER");
  return label && *label ? std::string(label) : std::string("-");
}

// The board a remote run ran on, as scripts/bench --remote named it; "-" elsewhere.
std::string host_label() {
  const char* host = std::getenv("RCUBENCH_HOST");
  return host && *host ? std::string(host) : std::string("-");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> run_context(const std::string& exec) {
  const std::vector<int> allowed = allowed_cpus();
  const std::size_t cpus = allowed.size();
  const std::string id = cpu_id();
  return {
      {std::string(contract::kArchKey), compiled_arch()},
      {std::string(contract::kExecKey), exec.empty() ? exec_mode() : exec},
      {std::string(contract::kCompilerKey),
       fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__)},
      {std::string(contract::kBuildTypeKey), RCUBENCH_BUILD_TYPE},
      {std::string(contract::kCommitKey), RCUBENCH_COMMIT},
      {std::string(contract::kDepsKey), RCUBENCH_DEP_VERSIONS},
      {"rcubench_membarrier", membarrier_available() ? "yes" : "no"},
      // The CPU count is part of the machine: runs on 2 and on 64 CPUs never compare. So
      // are its identification registers: boards of one model name differ in them.
      {std::string(contract::kCpuModelKey),
       id.empty() ? fmt::format("{} ({} CPUs)", cpu_model(), cpus)
                  : fmt::format("{} [{}] ({} CPUs)", cpu_model(), id, cpus)},
      {"rcubench_cpus", std::to_string(cpus)},
      {"rcubench_cpu_id", id.empty() ? "-" : id},
      {"rcubench_affinity", cpu_list(allowed)},
      {"rcubench_governor", frequency_governor()},
      {"rcubench_isolated_cpus", isolated_cpus()},
      {"rcubench_host", host_label()},
      // With cpu_model, compiler and deps: the machine's fingerprint (docs/csv.md).
      {std::string(contract::kKernelKey), kernel_release()},
      {std::string(contract::kRunnerKey), runner_label()},
      {std::string(contract::kRunIdKey), run_id()},
  };
}

void add_benchmark_context(const std::string& exec) {
  for (const auto& [key, value] : run_context(exec)) benchmark::AddCustomContext(key, value);
}

}  // namespace rcubench
