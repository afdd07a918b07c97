// The regression gate's policy over a comparison (docs/regression-gate.md): which findings
// fail it, which a paired run must confirm first, which a `Bench-Accept` trailer accepts,
// what a bisection looks for, and when the comparison cannot judge at all. The scripts
// (scripts/gate, scripts/lib/gate*.sh) run processes and read what this writes; they
// decide nothing themselves.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/compare.h"

namespace rcubench::report {

// A series as every list of the gate names it, the same in a history, run or paired
// comparison: "arch/exec/primitive/workload/<R>r<U>u/params/metric".
std::string series_id(const SeriesKey& k);

// One `Bench-Accept: <pattern>: <reason>` trailer of a commit in the judged range: a
// regression of a series whose name matches the glob `pattern` (`*` crosses `/`) is
// reported as accepted and does not fail the gate.
struct GateAccept {
  std::string pattern, reason, commit;
};
// Lines "PATTERN<TAB>REASON<TAB>COMMIT" (scripts/lib/gate.sh gate_accepts); `source`
// names the input in errors.
std::vector<GateAccept> parse_gate_accepts(std::string_view text, std::string_view source);

enum class FindingKind { count, timing, missing };
std::string_view finding_kind_name(FindingKind kind);  // "count", "timing", "missing"

// A gated series that regressed or went missing.
struct Finding {
  SeriesResult result;
  FindingKind kind = FindingKind::timing;
  // A timing regression measured on this machine (native): a paired A/B run here can
  // confirm it. Counts are exact and a missing series is absent by itself: neither needs
  // confirming; a board's timings (remote) cannot have it (a run here measures another
  // machine).
  bool confirmable = false;
  std::string accepted_by;  // "<commit> (Bench-Accept: <pattern>: <reason>)", or empty
  std::string change_text() const;  // "+3 instructions (40 -> 43)", "-12.0% (detectable -6.1%)"
};

enum class GateStatus { pass, fail, cannot_judge };
std::string_view gate_status_name(GateStatus s);  // "pass", "fail", "cannot-judge"

struct GateOutcome {
  std::vector<Finding> findings;  // every gated regression and missing series, in order
  GateStatus status = GateStatus::pass;
  std::string reason;  // one sentence: why this status

  // Series ids, one list each, of the findings no trailer accepted:
  std::vector<std::string> failing() const;        // all of them
  std::vector<std::string> suspects() const;       // confirmable ones
  std::vector<std::string> unconfirmable() const;  // the others
  // The primitives whose runs measure `ids` (hand-bare: bare), comma-separated, sorted.
  static std::string primitives_to_run(const std::vector<std::string>& ids);

  // What a bisection of the failing findings looks for: by exact counts when a count
  // regressed (that arch's counts alone, seconds per step), else by paired timings; never
  // for a missing series (git log names a removed benchmark). Empty `by`: nothing to
  // bisect.
  std::string bisect_by;  // "count", "timing" or ""
  std::string bisect_arch;
  std::vector<std::string> bisect_ids;
};

// Paired comparisons (A/B, both sides measured now) also cannot judge when no gated
// series was compared, when a gated series had too few pairs, or when no change of any
// size could have been flagged; a history or run comparison judges what it has.
GateOutcome judge_gate(const Comparison& c, const std::vector<GateAccept>& accepts);

// Of `suspects` (series ids), those a paired comparison's outcome fails too.
std::vector<std::string> confirmed_suspects(const std::vector<std::string>& suspects,
                                            const GateOutcome& paired);

// Writes, each file replaced whole:
//   compare.txt, compare.md, compare.csv   the comparison (format_comparison)
//   findings.tsv                           id, name, kind, confirmable, accepted, change
//   findings.md                            the regressions, then the accepted ones
//   failing.txt, suspects.txt, unconfirmable.txt, bisect-ids.txt   series ids, one a line
//   gate.txt                               key=value: status, reason, counts, the bisection
//                                          (bisect_by, bisect_arch, bisect_primitives),
//                                          suspect_primitives, verdict, detectable
// gate.txt last: whoever finds it finds the rest. A confirmation left in `dir` by an
// earlier comparison (confirm.txt, confirmed.txt, gate.md) is removed first.
void write_gate_dir(const std::filesystem::path& dir, const Comparison& c, const GateOutcome& g);

// verdict_line(c) with the gate's own status at its end (Bench-Accept, cannot judge).
std::string gate_verdict_line(const Comparison& c, const GateOutcome& g);

// The ids listed in a file write_gate_dir wrote; error naming the file when unreadable.
std::vector<std::string> read_id_list(const std::filesystem::path& file);

}  // namespace rcubench::report
