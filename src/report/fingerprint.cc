#include "report/fingerprint.h"

#include <cstdint>
#include <fmt/format.h>

#include "report/csv.h"

namespace rcubench::report {

std::string fingerprint_text(const MachineText& m, bool counted) {
  if (counted) return fmt::format("compiler={}\ndeps={}\n", m.compiler, m.deps);
  return fmt::format("cpu_model={}\ncompiler={}\ndeps={}\nkernel={}\nrunner={}\n", m.cpu_model,
                     m.compiler, m.deps, m.kernel, m.runner);
}

std::string fingerprint_of(const MachineText& m, bool counted) {
  // An absent field is empty; "-" is a value (RCUBENCH_RUNNER unset: not a CI runner).
  if (m.compiler.empty() || m.deps.empty() ||
      (!counted && (m.cpu_model.empty() || m.kernel.empty() || m.runner.empty())))
    return std::string(kNotApplicable);
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a: stable across hosts and versions
  for (unsigned char c : fingerprint_text(m, counted)) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h).substr(0, 12);
}

}  // namespace rcubench::report
