// Google Benchmark JSON written by rcubench -> results CSV rows (docs/csv.md).
#pragma once

#include <compare>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/run_name.h"
#include "report/csv.h"
#include "report/fingerprint.h"

namespace rcubench::report {

// The run name rcubench writes and this reads (contract/run_name.h).
using contract::parse_run_name;
using contract::RunName;

// Google Benchmark writes NaN and Infinity as bare words, which JSON does not allow;
// this replaces them (outside strings) with null so that a JSON parser accepts the text.
std::string null_nonfinite(std::string_view json_text);

// Rows of one JSON file, in file order: per entry real_time, cpu_time, then the counters
// in name order. Entries that report an error, complexity fits (BigO, RMS) and
// non-finite values are skipped, each with a line in `warnings` (non-finite cv values,
// routine for counters that stay 0, with one line per file). Bad input throws
// InputError naming `source` and the key or entry.
std::vector<Row> rows_from_json(std::string_view text, const std::string& source,
                                std::vector<std::string>* warnings = nullptr);
std::vector<Row> read_benchmark_json(const std::filesystem::path& file,
                                     std::vector<std::string>* warnings = nullptr);

// An (arch, exec) of a run: one machine's part of it.
struct MachineSlot {
  std::string arch, exec;
  auto operator<=>(const MachineSlot&) const = default;
};

// The fingerprint's text fields from the context of one JSON file (none if it has no
// context): what `record` keeps beside the hash.
std::vector<std::pair<MachineSlot, MachineText>> read_machine_texts(
    const std::filesystem::path& file);

// What every primitive of the bench that wrote `file` is (its context's entries, one per
// registered primitive, whether it ran or not); none if it has no context.
std::vector<contract::PrimitiveMeta> read_primitive_metas(const std::filesystem::path& file);

}  // namespace rcubench::report
