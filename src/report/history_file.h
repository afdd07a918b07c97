// A history's files: one per recorded run, in the compact format (docs/regression-gate.md,
// "The history's files"), or a whole results CSV as older versions recorded it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/bench_json.h"
#include "report/csv.h"
#include "report/fingerprint.h"

namespace rcubench::report {

// The first line of a compact history file: its format and version.
inline constexpr std::string_view kHistoryMagic = "# rcubench-history v1";

// One (arch, exec) of a recorded run: what its rows share, and the fingerprint's text.
struct RunMachine {
  std::string run_id, date, commit, arch, exec, cpu_model, compiler, build_type, fingerprint;
  std::string kernel = "-", runner = "-", deps = "-";
};

// A rebaselining recorded with a run (`record --accept 'PATTERN: REASON'`): from this run
// on, the series whose name ARCH/PRIMITIVE/WORKLOAD/METRIC matches PATTERN start afresh.
struct HistoryAccept {
  std::string pattern, reason, commit;
};

// One series of a run reduced to what the gate, the drift scan and the trend plots use.
// Timings: `n` process samples (one for a run without process indices) and their median,
// min and max. Instruction counts (exec qemu-insn-count, unit instructions): `n`
// repetitions and their median, min and max, and all of them in `values` when they
// differ (the gate pools a history's repetitions).
struct SeriesSummary {
  std::string arch, exec, workload, primitive;
  long readers = 0, updaters = 0;
  std::string params, metric, unit;
  std::optional<double> updater_delay_us;
  std::optional<long> read_work, payload_bytes;
  std::optional<double> stall_us;  // a stalls run's only
  std::size_t n = 0;
  double median = 0, min = 0, max = 0;
  std::vector<double> values;
};

struct HistoryRun {
  std::string run_id;
  std::vector<RunMachine> machines;
  std::vector<HistoryAccept> accepts;
  std::vector<SeriesSummary> series;
  std::filesystem::path file;  // where it was read from
  bool series_loaded = true;   // false: read metadata-only, load_series() reads them
};

// The machine line of each series of a run.
class RunMachines {
 public:
  explicit RunMachines(const HistoryRun& run);
  // InputError, naming the run's file, if the run has no machine line for the series.
  const RunMachine& of(const SeriesSummary& s) const;

 private:
  const HistoryRun& run_;
  std::map<MachineSlot, const RunMachine*> by_slot_;
};

// The runs in `rows` (grouped by run_id, iteration rows only), reduced. `texts` gives the
// fingerprint's text fields per (arch, exec) where known ("-" otherwise). InputError if
// the rows of one (arch, exec) of a run disagree on commit, CPU model, compiler, build
// type or fingerprint.
std::vector<HistoryRun> summarize_runs(const std::vector<Row>& rows,
                                       const std::map<MachineSlot, MachineText>& texts = {});

// The compact file of one run.
std::string format_history_run(const HistoryRun& run);

// The runs of one history file: a compact one (metadata_only: its series are left for
// load_series) or a whole results CSV, reduced. InputError names the file and line.
std::vector<HistoryRun> read_history_file(const std::filesystem::path& file,
                                          bool metadata_only = false);
void load_series(HistoryRun& run);

// The rows the gate sees of a run: per timing series one row holding the run's median;
// per instruction count its repetitions. A history baseline judges each run by its
// median and pools counts, so these give the same verdicts as the run's full rows.
std::vector<Row> rows_of_run(const HistoryRun& run);

// A series's name for accept patterns (history --accept, Bench-Accept trailers):
// ARCH/PRIMITIVE/WORKLOAD/METRIC.
std::string series_name(std::string_view arch, std::string_view primitive,
                        std::string_view workload, std::string_view metric);
inline std::string series_name(const Row& row) {
  return series_name(row.arch, row.primitive, row.workload, row.metric);
}
// A glob (`*`, `?`, `[...]`; `*` crosses `/`) against a series name.
bool pattern_matches(const std::string& pattern, const std::string& name);

}  // namespace rcubench::report
