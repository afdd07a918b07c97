// A machine's fingerprint: which runs may be compared (docs/csv.md, "fingerprint").
#pragma once

#include <string>

namespace rcubench::report {

// What a fingerprint is made of, from a run's JSON context (empty where absent).
struct MachineText {
  std::string cpu_model, compiler, deps, kernel, runner;
};

// The canonical text hashed: one "field=value" line per field, in this order. Timings
// depend on the whole machine (cpu_model, which carries the CPU count, compiler, deps,
// kernel, runner); exact instruction counts (`counted`) only on the code built, so on
// compiler and deps alone: they stay comparable across hosts.
std::string fingerprint_text(const MachineText& m, bool counted);

// The first 12 hex digits of the 64-bit FNV-1a hash of fingerprint_text; "-" when a field
// it needs is empty (a run from before fingerprints).
std::string fingerprint_of(const MachineText& m, bool counted);

}  // namespace rcubench::report
