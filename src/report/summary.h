// The terminal summary of one run: throughput per primitive against rwlock-pthread.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "report/csv.h"

namespace rcubench::report {

// Whom the summary compares with, from what the rows say each primitive is (Row::meta):
// `reference`, the headline's lock, which every ratio column is relative to; `update_floor`,
// the primitive with that role (an update with no protection at all), whose updates/s each
// primitive's get a column as a share of; `crossovers`, the pairs whose crossovers a sweep
// reports: the project's main comparison, the headline's first Rcu<P> against each headline lock
// and other. Empty where the rows describe no such primitive (results of an older rcubench).
struct Comparands {
  std::string reference, update_floor;
  std::vector<std::pair<std::string, std::string>> crossovers;
};
Comparands comparands_of(const std::vector<Row>& rows);
// A side leads at a sweep point when its median is this much higher (relative) and, with
// kCrossoverMinSamples processes or more on both sides, the two-sided rank-sum test of
// the process samples gives p < kCrossoverAlpha (one test per point: a point's lead is
// a description, not a gate). With fewer processes the test cannot reach kCrossoverAlpha
// (three a side: the exact two-sided p is 0.1 at best, so a tenfold lead would read "even"):
// the effect alone decides, and the text says the point was untested.
inline constexpr double kCrossoverMinEffect = 0.05;
inline constexpr double kCrossoverAlpha = 0.05;
inline constexpr std::size_t kCrossoverMinSamples = 4;

// A thread is reported starved below this fraction of its role's fastest thread's rate
// (read_fairness, update_fairness), and paced updaters below it of their schedule.
inline constexpr double kStarvedFairness = 0.5;

// Rcu<P> against its raw counterpart (Row::meta->raw: raw liburcu of the same flavor, where
// the registry has it). Time ratios are taken at reads/s of kRawReadWorkload (at 1 reader
// and at its largest reader count) and updates/s of kRawUpdateWorkload (at 1 updater,
// fewest readers).
inline constexpr const char* kRawReadWorkload = "read-side";
inline constexpr const char* kRawUpdateWorkload = "update-side";

// First, per arch, the verdict: the headline Rcu<P> against each crossover rival, a line per
// workload and metric (ahead, behind, even within kCrossoverMinEffect, or no clear lead
// where the medians are further apart than that but the rank-sum test does not confirm it;
// at how many points, and the range of ratios), Rcu<P> against raw liburcu, instructions per
// read and per update, the primitives that starved threads; no verdict on speed for an
// emulated arch. Then the tables behind it:
// per arch and workload, a table of each primitive's median reads/s and updates/s (the
// median over processes of each process's median; a median aggregate row where there
// are no iterations) and the ratio to the reference (Comparands) at the same point (thread
// counts and swept parameters, which get a column each where the workload varies them),
// and updates/s as a share of the update floor where the workload ran it.
// Starved threads are listed under the table. A workload that sweeps one parameter gets
// its crossovers (Comparands). Then per arch the instruction counts, and each
// Rcu<P> primitive against its raw counterpart: instruction ratios beside time ratios
// taken inside each process (Rcu<P> / raw of one process), their median, range and number
// of processes. Emulated arches are marked.
std::string format_summary(const std::vector<Row>& rows);

// The same, section by section (what the site lays out on its pages): per arch its
// verdict, then per arch and workload its table with the starved threads and crossovers,
// then per arch its exact profile (profile_tables, as text) and its Rcu<P>/raw ratios.
// Empty when there is nothing to summarise.
struct SummarySection {
  enum class Kind { verdict, workload, profile, instructions };
  Kind kind;
  std::string arch, workload;  // workload: Kind::workload only
  std::string text;
};
std::vector<SummarySection> summary_sections(const std::vector<Row>& rows);

// Per arch, the exact profile per operation of each primitive's read and update path
// (docs/instruction-counts.md): a header and one line per primitive; the summary prints
// it as text, the site as an HTML table.
struct ProfileTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> lines;
};
std::vector<std::pair<std::string, ProfileTable>> profile_tables(const std::vector<Row>& rows);

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
