// The long-format results CSV (docs/csv.md): one row per benchmark entry and metric.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/primitive_meta.h"
#include "contract/run_name.h"

namespace rcubench::report {

// Read by name: a file from before a column existed (a history kept over time) lacks it,
// and its rows read "-" there (kOptionalCsvColumns); the others every file has.
inline constexpr std::array<std::string_view, 32> kCsvColumns = {
    "run_id",     "date",       "commit",    "arch",     "exec",      "cpu_model",
    "compiler",   "build_type", "flavor",    "primitive", "workload", "readers",
    "updaters",   "params",     "updater_delay_us", "read_work", "payload_bytes", "stall_us",
    "repetition", "process",    "aggregate",  "metric",    "value",    "unit",     "fingerprint",
    "family",     "raw",        "headline",  "label",    "family_rank", "role", "schema"};
inline constexpr std::array<std::string_view, 12> kOptionalCsvColumns = {
    "updater_delay_us", "read_work", "payload_bytes", "stall_us", "fingerprint", "family",
    "raw",              "headline",  "label",         "family_rank", "role", "schema"};
// What a primitive is (Row::meta): all of these columns, or none.
inline constexpr std::array<std::string_view, 6> kPrimitiveCsvColumns = {
    "family", "raw", "headline", "label", "family_rank", "role"};

// Written as "-" where the CSV has no value: no field is ever empty.
inline constexpr std::string_view kNotApplicable = "-";

struct Row {
  std::string run_id, date, commit, arch, exec, cpu_model, compiler, build_type;
  std::string flavor, primitive, workload;
  long readers = 0, updaters = 0;
  // The workload's parameter hash, 8 lowercase hex digits from the run name, or "-".
  std::string params = std::string(kNotApplicable);
  // The workload parameters a scenario may sweep (the x axes of the sweep plots), from
  // the run name; none for a name without them (instruction counts).
  std::optional<double> updater_delay_us;
  std::optional<long> read_work, payload_bytes;
  std::optional<double> stall_us;  // a stalls run's only
  std::optional<long> repetition;  // iterations only
  // Index of the rcubench process within a multi-process run; none for a run of one
  // process, whose repetitions are all in-process.
  std::optional<long> process;
  std::string aggregate = std::string(kNotApplicable);  // mean, median, ... or "-"
  std::string metric;
  double value = 0;
  std::string unit;
  // The machine's fingerprint (report/fingerprint.h), 12 lowercase hex digits; "-" for a
  // run from before fingerprints or without the context they are made of.
  std::string fingerprint = std::string(kNotApplicable);
  // What the primitive is (contract/primitive_meta.h; `flavor` above is its flavor), as
  // rcubench's registry said; none for a row from before rcubench wrote it.
  std::optional<contract::PrimitiveMeta> meta = std::nullopt;
  // The results contract's version the bench wrote (contract::kSchemaVersion); none for
  // results from before it was written.
  std::optional<long> schema = std::nullopt;

  bool is_iteration() const { return aggregate == kNotApplicable; }
};

// The workload parameter hash of a run name: exactly 8 lowercase hex digits.
using contract::is_params_hash;
// A machine fingerprint: exactly 12 lowercase hex digits.
bool is_fingerprint(std::string_view s);
// InputError naming `where` unless this report reads results of contract version
// `version` (1 .. contract::kSchemaVersion).
void check_schema(long version, std::string_view where);

// One field, quoted as RFC 4180 asks when it holds a comma, quote or line break.
std::string csv_field(std::string_view value);

// Header line and rows, each ending in "\n". Values are written in the shortest form
// that reads back to the same double.
std::string csv_header();
std::string csv_line(const Row& row);
std::string to_csv(const std::vector<Row>& rows);

// Parses a results CSV (header checked, every field validated); `source` names it in
// errors, which are InputError with "source:line: ...".
std::vector<Row> parse_csv(std::string_view text, const std::string& source);
std::vector<Row> read_csv(const std::filesystem::path& file);

// Splits RFC 4180 text into records of fields, each with the line it starts on.
struct CsvRecord {
  std::size_t line;
  std::vector<std::string> fields;
};
std::vector<CsvRecord> split_csv(std::string_view text, const std::string& source);

}  // namespace rcubench::report
