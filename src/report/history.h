// The run history: one CSV per recorded run, and baselines built from it.
#pragma once

#include <compare>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/csv.h"
#include "report/history_file.h"

namespace rcubench::report {

// Runs compare only with runs of the same machine: same arch, exec mode and fingerprint
// (report/fingerprint.h: CPU model and count, compiler, dependencies, kernel, runner
// label), and for runs from before fingerprints ("-") the same CPU model and compiler.
// Instruction counts (exec qemu-insn-count) take any CPU model (kAnyCpu), and their
// fingerprint covers only the compiler and the dependencies.
struct MachineKey {
  std::string arch, exec, cpu_model, compiler, fingerprint;
  auto operator<=>(const MachineKey&) const = default;
};
inline constexpr std::string_view kAnyCpu = "any";
MachineKey machine_of(const Row& row);
std::string describe(const MachineKey& key);

// Seconds since the epoch of an ISO 8601 date-time ("2026-11-28T04:05:12+00:00",
// fractional seconds and a Z or +hh:mm / +hhmm offset optional).
std::optional<long long> parse_iso8601(std::string_view date);

// Writes every run in `rows` (grouped by run_id) to history/<run_id>.csv in the compact
// format (report/history_file.h), with the fingerprint's text fields per (arch, exec)
// from `texts` and the `accepts` recorded with each run; creates the directory if needed.
// Nothing is written if any of those files exists already, or a run_id is not usable as
// a file name: InputError. Returns the files written.
std::vector<std::filesystem::path> record_runs(
    const std::filesystem::path& history, const std::vector<Row>& rows,
    const std::map<MachineSlot, MachineText>& texts = {},
    const std::vector<HistoryAccept>& accepts = {});

// `record --accept 'PATTERN: REASON'`: InputError unless the text holds ": " with a
// non-empty pattern before it and a non-empty reason after it.
HistoryAccept parse_accept(std::string_view text);

// Rebaselining on purpose: `accept` marks a recorded run with DIR/<run_id>.accepted. For
// each machine of that run, the runs before it (by date, then run_id) no longer enter a
// baseline: the accepted run is the first of the new one. InputError if the run is not
// recorded in `history`; returns false (and writes nothing) if it was accepted already.
bool accept_run(const std::filesystem::path& history, const std::string& run_id);
inline constexpr std::string_view kAcceptedExtension = ".accepted";

// The baseline for `current` from `history`: for each machine in `current`, the rows of
// the last `last_n` runs of that machine (by date, then run_id), leaving out the runs of
// `current` itself and the runs before the latest accepted run of that machine. One line
// per machine goes to `notes`.
//
// An accept recorded with run R by pattern (`record --accept`) rebaselines the matching
// series alone: for each machine of R, the runs before R leave those series' baseline.
struct RunAccept {
  std::string run_id;  // the run it was recorded with
  HistoryAccept accept;
};
std::vector<Row> baseline_from_history(const std::vector<Row>& history,
                                       const std::vector<Row>& current, int last_n,
                                       std::vector<std::string>* notes = nullptr,
                                       const std::vector<std::string>& accepted = {},
                                       const std::vector<RunAccept>& pattern_accepts = {});

// The same from a history directory: reads each compact file's metadata first and the
// series of the runs chosen only (old full CSV files are read whole).
// `later`: runs recorded after the current one (a trend judges each run as the gate did
// when it was recorded), left out like the current run's own.
std::vector<Row> baseline_from_history_dir(const std::filesystem::path& dir,
                                           const std::vector<Row>& current, int last_n,
                                           std::vector<std::string>* notes = nullptr,
                                           const std::set<std::string>& later = {});

}  // namespace rcubench::report
