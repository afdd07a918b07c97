// The terminal summary of one run: throughput per primitive against rwlock-pthread.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "report/csv.h"

namespace rcubench::report {

// The primitive every ratio is relative to.
inline constexpr const char* kReferencePrimitive = "rwlock-pthread";
// The update-side floor (an update with no protection at all): where a workload ran it,
// each primitive's updates/s get a column as a share of it, at the same point.
inline constexpr const char* kUpdateFloorPrimitive = "bare-update";

// The pairs whose crossovers a sweep reports: the mission's question, Rcu<P> against the
// lock and against arc-swap.
inline constexpr std::pair<const char*, const char*> kCrossoverPairs[] = {
    {"rcu-memb", "rwlock-pthread"}, {"rcu-memb", "arc-swap"}};
// A side leads at a sweep point when its median is this much higher (relative) and, with
// kCrossoverMinSamples processes or more on both sides, the two-sided rank-sum test of
// the process samples gives p < kCrossoverAlpha (one test per point: a point's lead is
// a description, not a gate).
inline constexpr double kCrossoverMinEffect = 0.05;
inline constexpr double kCrossoverAlpha = 0.05;
inline constexpr std::size_t kCrossoverMinSamples = 3;

// A thread is reported starved below this fraction of its role's fastest thread's rate
// (read_fairness, update_fairness), and paced updaters below it of their schedule.
inline constexpr double kStarvedFairness = 0.5;

// Rcu<P> against raw liburcu of the same flavor: the flavors raw liburcu is registered in
// (src/baselines/registry.h, UrcuDescriptor); a urcu-<flavor> found in the results is
// paired too. Time ratios are taken at reads/s of kRawReadWorkload (at 1 reader and at its
// largest reader count) and updates/s of kRawUpdateWorkload (at 1 updater, fewest readers).
inline constexpr const char* kRawFlavors[] = {"memb", "qsbr"};
inline constexpr const char* kRawReadWorkload = "read-side";
inline constexpr const char* kRawUpdateWorkload = "update-side";

// Per arch and workload, a table of each primitive's median reads/s and updates/s (the
// median over processes of each process's median; a median aggregate row where there
// are no iterations) and the ratio to kReferencePrimitive at the same point (thread
// counts and swept parameters, which get a column each where the workload varies them),
// and updates/s as a share of kUpdateFloorPrimitive where the workload ran it.
// Starved threads are listed under the table. A workload that sweeps one parameter gets
// its crossovers (kCrossoverPairs). Then per arch the instruction counts, and each
// rcu-<flavor>[-defer|-batch] against urcu-<flavor>: instruction ratios beside time ratios
// taken inside each process (rcu / urcu of one process), their median, range and number
// of processes. Emulated arches are marked.
std::string format_summary(const std::vector<Row>& rows);

// 1234567 -> "1.23M": `digits` significant digits and an SI prefix.
std::string si_number(double v, int digits = 3);

// Position of `value` in `order`, appended if new: keeps first-seen order.
std::size_t index_of(std::vector<std::string>& order, const std::string& value);

// The project's arch order (x86_64, aarch64, riscv64), whatever order the files were read
// in; others after, in the order they had.
void sort_arches(std::vector<std::string>& arches);

// A ratio with two or three significant digits: "0.015x", "3.50x", "12.9x".
std::string ratio_text(double ratio);

}  // namespace rcubench::report
