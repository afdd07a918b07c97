#include "report/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "report/mann_whitney.h"
#include "report/metrics.h"
#include "report/plot/axes.h"
#include "report/samples.h"
#include "report/text_table.h"

namespace rcubench::report {

std::string si_number(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  static constexpr std::pair<double, const char*> kPrefixes[] = {
      {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (auto [scale, prefix] : kPrefixes)
    // From where `digits` digits round up to 1000 of the next smaller unit.
    if (std::abs(v) >= scale * (1 - 0.5 * std::pow(10.0, -digits)))
      return fmt::format("{:.{}g}{}", v / scale, digits, prefix);
  return fmt::format("{:.{}g}", v, digits);
}

std::string ratio_text(double r) {
  if (!std::isfinite(r)) return "-";
  if (r >= 10) return fmt::format("{:.1f}x", r);
  if (r >= 0.1) return fmt::format("{:.2f}x", r);
  return fmt::format("{:.2g}x", r);
}

std::size_t index_of(std::vector<std::string>& order, const std::string& value) {
  auto it = std::find(order.begin(), order.end(), value);
  if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
  order.push_back(value);
  return order.size() - 1;
}

void sort_arches(std::vector<std::string>& arches) {
  auto rank = [](const std::string& a) {
    static const std::vector<std::string> kOrder = {"x86_64", "aarch64", "riscv64"};
    return std::find(kOrder.begin(), kOrder.end(), a) - kOrder.begin();
  };
  std::stable_sort(arches.begin(), arches.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
}

namespace {

// The values of one series. The sampling unit is the process (docs/measuring.md): each
// process's repetitions reduce to their median, and the series' value is the median of
// those; the in-process repetitions of a one-process run are one sample.
struct Cell {
  ProcessSamples processes;  // the iteration rows
  ProcessSamples medians;    // median aggregate rows, used where no iteration row is

  void add(const Row& r) { (r.is_iteration() ? processes : medians).add(r); }
  // One value per process (its median aggregate where there are no iterations).
  std::map<SampleId, double> per_process() const {
    return processes.size() > 0 ? processes.medians() : medians.medians();
  }
  std::vector<double> samples() const {
    return processes.size() > 0 ? processes.values() : medians.values();
  }
  std::optional<double> value() const {
    std::vector<double> s = samples();
    if (s.empty()) return std::nullopt;
    return median(std::move(s));
  }
};

// Where in a workload a series was measured: the thread counts and the parameters a
// scenario may sweep (-1: not in the run name).
struct Point {
  long readers = 0, updaters = 0;
  double updater_delay_us = -1;
  long read_work = -1, payload_bytes = -1;
  double stall_us = -1;
  auto operator<=>(const Point&) const = default;
};

Point point_of(const Row& r) {
  return {r.readers, r.updaters, r.updater_delay_us.value_or(-1), r.read_work.value_or(-1),
          r.payload_bytes.value_or(-1), r.stall_us.value_or(-1)};
}

// The swept parameters, in the order the tables show them.
enum class Swept { kUpdaterDelay, kReadWork, kPayload, kStall };
constexpr Swept kSwept[] = {Swept::kUpdaterDelay, Swept::kReadWork, Swept::kPayload,
                            Swept::kStall};

double coordinate(const Point& p, Swept s) {
  switch (s) {
    case Swept::kUpdaterDelay:
      return p.updater_delay_us;
    case Swept::kReadWork:
      return static_cast<double>(p.read_work);
    case Swept::kPayload:
      return static_cast<double>(p.payload_bytes);
    case Swept::kStall:
      return p.stall_us;
  }
  return -1;
}

const char* column_name(Swept s) {
  switch (s) {
    case Swept::kUpdaterDelay:
      return "updater_delay_us";
    case Swept::kReadWork:
      return "read_work";
    case Swept::kPayload:
      return "payload_bytes";
    case Swept::kStall:
      return "stall_us";
  }
  return "?";
}

// A swept value as a reader says it: "flat out", "300 us", "10 ms"; "64 steps"; "4 KiB".
std::string value_text(Swept s, double v) {
  switch (s) {
    case Swept::kUpdaterDelay:
      if (v == 0) return "flat out";
      if (v >= 1000) return fmt::format("{:g} ms", v / 1000);
      return fmt::format("{:g} us", v);
    case Swept::kReadWork:
      return fmt::format("{:g} steps", v);
    case Swept::kPayload:
      if (v >= 1024 * 1024 && std::fmod(v, 1024 * 1024) == 0)
        return fmt::format("{:g} MiB", v / (1024 * 1024));
      if (v >= 1024 && std::fmod(v, 1024) == 0) return fmt::format("{:g} KiB", v / 1024);
      return fmt::format("{:g} B", v);
    case Swept::kStall:
      if (v == 0) return "no stall";
      if (v >= 1000) return fmt::format("{:g} ms", v / 1000);
      return fmt::format("{:g} us", v);
  }
  return fmt::format("{:g}", v);
}

// Point + primitive -> metric -> values; primitives in name order so that the tables do
// not depend on the order the files were read in.
using Table = std::map<std::pair<Point, std::string>, std::map<std::string, Cell>>;

const Cell* cell_of(const Table& table, const Table::key_type& key, const char* metric) {
  auto row = table.find(key);
  if (row == table.end()) return nullptr;
  auto cell = row->second.find(metric);
  return cell == row->second.end() ? nullptr : &cell->second;
}

std::optional<double> value_of(const Table& table, const Table::key_type& key, const char* metric) {
  const Cell* cell = cell_of(table, key, metric);
  return cell ? cell->value() : std::nullopt;
}

// Instruction counts, one table per arch, keyed at Point{}: a count has no workload point.
constexpr const char* kInsnMetrics[] = {"read_insns", "update_insns"};

// A count per operation: whole numbers as such, others to two decimals; "-" if absent.
std::string count_text(std::optional<double> v) {
  if (!v) return "-";
  return *v == std::round(*v) ? fmt::format("{:.0f}", *v) : fmt::format("{:.2f}", *v);
}

// A counting run's row of an exact count per operation (or of the two-reader instructions
// that say whether the shared-line writes are exact), as a table takes it: each
// repetition, or a median aggregate where there are none.
bool is_profile_row(const Row& r) {
  return r.exec == contract::kExecInsnCount &&
         (contract::is_exact_count(r.metric) || r.metric == contract::kSharedReadInsns) &&
         (r.is_iteration() || r.aggregate == "median");
}

// Whether a read path's shared-line writes are exact, as the gate judges it
// (contract::shared_writes_exact).
bool shared_writes_exact(const Table& counts, const Table::key_type& key) {
  const Cell* one = cell_of(counts, key, std::string(contract::kReadInsns).c_str());
  const Cell* two = cell_of(counts, key, std::string(contract::kSharedReadInsns).c_str());
  return one && two &&
         contract::shared_writes_exact(one->processes.repetitions(), two->processes.repetitions());
}

// The exact profile per operation, one line per primitive: instructions, loads/stores,
// RMWs, fences (full ones), acquires/releases of each path, and the read path's writes to
// lines another reader touches (docs/instruction-counts.md).
ProfileTable profile_table(const Table& counts) {
  ProfileTable t;
  t.header = {"primitive", "read insns", "ld/st", "rmw", "fence", "acq/rel", "shared",
              "update insns", "ld/st", "rmw", "fence", "acq/rel"};
  for (const auto& [key, metrics] : counts) {
    auto v = [&](const std::string& metric) { return value_of(counts, key, metric.c_str()); };
    std::vector<std::string> line = {key.second};
    for (std::string_view path : {"read", "update"}) {
      auto m = [&](std::string_view suffix) { return v(fmt::format("{}_{}", path, suffix)); };
      line.push_back(count_text(m("insns")));
      line.push_back(fmt::format("{}/{}", count_text(m("loads")), count_text(m("stores"))));
      line.push_back(count_text(m("rmws")));
      const std::optional<double> full = m("full_fences");
      line.push_back(count_text(m("fences")) +
                     (full && *full > 0 ? fmt::format(" ({} full)", count_text(full)) : ""));
      line.push_back(fmt::format("{}/{}", count_text(m("acquires")), count_text(m("releases"))));
      if (path == "read") {
        const std::optional<double> shared = v(std::string(contract::kSharedWrites));
        line.push_back(count_text(shared) +
                       (shared && !shared_writes_exact(counts, key) ? "*" : ""));
      }
    }
    t.lines.push_back(std::move(line));
  }
  return t;
}

std::string format_insn_table(const std::string& arch, const Table& counts) {
  const ProfileTable t = profile_table(counts);
  std::set<std::size_t> numeric;
  for (std::size_t c = 1; c < t.header.size(); ++c) numeric.insert(c);
  return fmt::format(
             "{} exact profile per operation (under the QEMU plugin; not timings): "
             "instructions, loads/stores, RMWs,\n  fences (full: stores before loads), "
             "acquires/releases; shared: writes per read to lines a second reader touches\n"
             "  (*: the two readers contended; not exact, not gated)\n",
             arch) +
         format_text_table(t.header, t.lines, numeric);
}

// ours / raw inside each process that measured both: the machine state a process keeps
// for its life (docs/measuring.md) is the same on both sides and cancels, where a ratio
// of medians over processes would divide one process's luck by another's.
std::vector<double> in_process_ratios(const Cell& ours, const Cell& raw) {
  const std::map<SampleId, double> theirs = raw.per_process();
  std::vector<double> out;
  for (const auto& [id, v] : ours.per_process()) {
    auto it = theirs.find(id);
    if (it != theirs.end() && it->second > 0) out.push_back(v / it->second);
  }
  return out;
}

// "0.39x [0.37x..0.41x] n=10": the median over processes, their range and count.
std::string in_process_ratio_text(const std::vector<double>& ratios) {
  if (ratios.empty()) return "-";
  const auto [lo, hi] = std::ranges::minmax(ratios);
  const std::string mid = ratio_text(median(ratios));
  if (ratios.size() < 2) return mid + " n=1";
  return fmt::format("{} [{}..{}] n={}", mid, ratio_text(lo), ratio_text(hi), ratios.size());
}

// The first point of `table` (in Point order) that `pick` accepts.
template <class Pick>
std::optional<Point> first_point(const Table* table, Pick pick) {
  if (table)
    for (const auto& [key, metrics] : *table)
      if (pick(key.first)) return key.first;
  return std::nullopt;
}

// One arch's Rcu<P> primitives (`ours`, each with what it is) against their raw counterparts
// (raw liburcu of the same flavor): instruction ratios beside in-process time ratios, "-"
// where either side is missing.
// The -defer and -batch variants read through the same path as rcu-<flavor>, but free
// later where raw liburcu frees synchronously: their updates have no like-for-like ratio.
std::string format_raw_ratios(const std::string& arch, const std::string& exec,
                              const Table* read_side, const Table* update_side, const Table* counts,
                              const std::map<std::string, contract::PrimitiveMeta>& ours) {
  const bool emulated = exec == contract::kExecQemu;
  long most_readers = 1;
  if (read_side)
    for (const auto& [key, metrics] : *read_side)
      if (key.first.updaters == 0) most_readers = std::max(most_readers, key.first.readers);
  std::vector<long> reader_counts = {1};
  if (most_readers > 1) reader_counts.push_back(most_readers);
  std::vector<std::optional<Point>> read_points;
  for (long n : reader_counts)
    read_points.push_back(
        first_point(read_side, [n](const Point& p) { return p.readers == n && p.updaters == 0; }));
  // Points order by readers first: the first with 1 updater has the fewest readers.
  const std::optional<Point> update_point =
      first_point(update_side, [](const Point& p) { return p.updaters == 1; });

  auto time_ratio = [](const Table* table, const std::optional<Point>& point,
                       const std::string& primitive, const std::string& raw, const char* metric,
                       bool& single) {
    const Cell* mine = point ? cell_of(*table, {*point, primitive}, metric) : nullptr;
    const Cell* theirs = point ? cell_of(*table, {*point, raw}, metric) : nullptr;
    if (!mine || !theirs) return std::string("-");
    const std::vector<double> ratios = in_process_ratios(*mine, *theirs);
    single |= ratios.size() == 1;
    return in_process_ratio_text(ratios);
  };
  auto insn_ratio = [counts](const std::string& primitive, const std::string& raw,
                             const char* metric) {
    std::optional<double> mine, theirs;
    if (counts) {
      mine = value_of(*counts, {Point{}, primitive}, metric);
      theirs = value_of(*counts, {Point{}, raw}, metric);
    }
    return mine && theirs && *theirs > 0 ? fmt::format("{:.3f}", *mine / *theirs)
                                         : std::string("-");
  };

  auto measured = [](const Table* table, const std::string& primitive) {
    return table &&
           std::ranges::any_of(*table, [&](const auto& e) { return e.first.second == primitive; });
  };
  std::vector<std::vector<std::string>> lines;
  std::set<std::string> raws;
  bool single = false, variants = false;
  for (const auto& [primitive, meta] : ours) {
    const std::string& raw = meta.raw;
    raws.insert(raw);
    const bool synchronous = meta.family == contract::Family::rcu;
    variants |= !synchronous;
    std::vector<std::string> line = {fmt::format("{} / {}", primitive, raw),
                                     insn_ratio(primitive, raw, kInsnMetrics[0])};
    for (const auto& point : read_points)
      line.push_back(time_ratio(read_side, point, primitive, raw, "reads_per_s", single));
    line.push_back(synchronous ? insn_ratio(primitive, raw, kInsnMetrics[1]) : "n/a");
    line.push_back(
        synchronous ? time_ratio(update_side, update_point, primitive, raw, "updates_per_s", single)
                    : "n/a");
    lines.push_back(std::move(line));
  }
  std::vector<std::string> header = {"ratio", "read insns"};
  for (long n : reader_counts)
    header.push_back(fmt::format("reads/s {} reader{}", n, n == 1 ? "" : "s"));
  header.insert(header.end(), {"update insns", "updates/s"});
  std::set<std::size_t> numeric;
  for (std::size_t c = 1; c < header.size(); ++c) numeric.insert(c);

  std::string how = emulated ? "emulated" : exec;
  if (how.empty()) how = "no timings";
  std::string out = fmt::format("{} ({}), Rcu<P> against raw liburcu of the same flavor{}\n", arch,
                                how, emulated ? ": time ratios are not hardware performance" : "");
  out += "  insns: exact instructions per operation, rcu / urcu (read target 1.00 +-0.02)\n";
  out += fmt::format(
      "  reads/s ({}), updates/s ({}{}): rcu / urcu inside each process,\n"
      "  then the median over the processes [min..max] n=processes\n",
      kRawReadWorkload, kRawUpdateWorkload,
      update_point ? fmt::format(", {} reader{} and 1 updater", update_point->readers,
                                 update_point->readers == 1 ? "" : "s")
                   : "");
  out += format_text_table(header, lines, numeric);
  std::string absent;
  for (const std::string& raw : raws)
    if (!measured(read_side, raw) && !measured(update_side, raw) && !measured(counts, raw))
      absent += (absent.empty() ? "; none at all of " : ", ") + raw;
  if (std::ranges::any_of(lines, [](const auto& l) { return std::ranges::count(l, "-") > 0; }))
    out += fmt::format("  -: not in the results for one side on this arch{}\n", absent);
  if (single)
    out += "  n=1: from one process only (fewer than 2): no spread over processes behind it\n";
  if (variants)
    out +=
        "  n/a: -defer and -batch free after a grace period, raw liburcu synchronously: "
        "their updates are not like for like\n";
  return out;
}

// The parameters that take more than one value in a workload's table.
std::vector<Swept> swept_in(const Table& table) {
  std::vector<Swept> out;
  for (Swept s : kSwept) {
    std::set<double> values;
    for (const auto& [key, metrics] : table) values.insert(coordinate(key.first, s));
    if (values.size() > 1) out.push_back(s);
  }
  return out;
}

// Why some thread of the run `key` was starved, if it was: the slowest reader (updater) got
// less than kStarvedFairness of the fastest one's rate, or paced updaters kept less than
// that share of their schedule (a reader-preferring lock that keeps its writer out).
std::vector<std::string> starved_why(const Table& table, const Table& fairness,
                                     const Table::key_type& key) {
  const Point& point = key.first;
  std::vector<std::string> why;
  for (const auto& [metric, role] :
       {std::pair{"read_fairness", "reader"}, std::pair{"update_fairness", "updater"}}) {
    std::optional<double> f = value_of(fairness, key, metric);
    if (f && *f < kStarvedFairness)
      why.push_back(fmt::format("slowest {} at {} of the fastest", role, ratio_text(*f)));
  }
  std::optional<double> updates = value_of(table, key, "updates_per_s");
  if (updates && point.updaters > 0 && point.updater_delay_us > 0) {
    const double scheduled = static_cast<double>(point.updaters) * 1e6 / point.updater_delay_us;
    if (*updates < kStarvedFairness * scheduled)
      why.push_back(fmt::format(
          "updaters kept {:.0f} % of their schedule (one update per {} "
          "each)",
          100 * *updates / scheduled, value_text(Swept::kUpdaterDelay, point.updater_delay_us)));
  }
  return why;
}

// The runs where some thread was starved, and why.
std::string format_starved(const Table& table, const Table& fairness,
                           const std::vector<Swept>& swept) {
  std::vector<std::string> notes;
  for (const auto& [key, metrics] : table) {
    const auto& [point, primitive] = key;
    const std::vector<std::string> why = starved_why(table, fairness, key);
    if (why.empty()) continue;
    std::string where =
        fmt::format("{}, {} readers, {} updaters", primitive, point.readers, point.updaters);
    for (Swept s : swept)
      where += fmt::format(", {} {}", column_name(s), value_text(s, coordinate(point, s)));
    std::string note = fmt::format("  {}: ", where);
    for (std::size_t i = 0; i < why.size(); ++i) note += (i ? "; " : "") + why[i];
    notes.push_back(note + "\n");
  }
  if (notes.empty()) return "";
  std::string out = fmt::format(
      "starved threads (below {:g}x of the fastest thread of their role, or of the update "
      "schedule):\n",
      kStarvedFairness);
  for (const auto& n : notes) out += n;
  return out;
}

// Who is ahead at one point of a sweep, from the two primitives' process samples.
enum class Lead { kFirst, kSecond, kEven };

struct Verdict {
  Lead lead = Lead::kEven;
  double ratio = 0;     // median of the first / median of the second
  bool tested = false;  // both sides had enough processes for the rank-sum test
};

Verdict judge(const Cell& first, const Cell& second) {
  std::vector<double> a = first.samples(), b = second.samples();
  Verdict v;
  v.ratio = median(a) / median(b);
  if (!std::isfinite(v.ratio) || v.ratio <= 0) return v;
  const bool apart = v.ratio >= 1 + kCrossoverMinEffect || v.ratio <= 1 / (1 + kCrossoverMinEffect);
  v.tested = a.size() >= kCrossoverMinSamples && b.size() >= kCrossoverMinSamples;
  if (apart && (!v.tested || mann_whitney_u(a, b).p_value < kCrossoverAlpha))
    v.lead = v.ratio > 1 ? Lead::kFirst : Lead::kSecond;
  return v;
}

// Below this share of its updates/s outside the stalls (stall_updates_ratio; in results
// without it, of its updates/s with no stall), a primitive's updaters are said to wait for
// the stalled reader instead of leaving memory behind; so are they when their p99 update
// latency is at least this share of the stall (a paced updater catches up after the
// stall, and its updates/s do not fall, but every one of its updates is timed from its
// slot: the stall delays the hundreds it holds up. Not the maximum: one preemption of a
// flat-out updater's timed update would do).
constexpr double kStalledUpdates = 0.5;
constexpr double kWaitedOutStall = 0.5;

// A stalls workload (engine.h): per stall length, the memory each primitive held (median
// over processes of each run's peak and mean; the peak also against no stall) and its
// updates/s against no stall. Then per stall: of the primitives that retire objects and
// kept updating, who held the most and the least; the ones whose updaters waited instead;
// the ones that retire nothing, whose count never moves (in-place updates: none; left-right:
// its second copy): "at a 10 ms stall: most held: rcu-memb-defer 6 MiB at the peak; least:
// hazptr 4 KiB (1500x less); updaters wait instead: rcu-memb (updates/s 0.02x while it
// stalls, update p99 9.9 ms); nothing retired (a constant count): rwlock-pthread 0
// (updates/s 0.01x while it stalls)".
std::string format_memory_held(const Table& table,
                               const std::map<std::string, contract::Family>& families) {
  std::vector<std::vector<std::string>> lines;
  struct AtStall {
    std::vector<std::pair<double, std::string>> held;  // (peak bytes, primitive)
    std::vector<std::string> waited, in_place;
  };
  std::map<Point, AtStall> at;
  // The primitives that retire objects: every RCU one by what it is (a synchronous free
  // may hold its one object the whole run, a constant count), the others where their count
  // moved in some run (a peak above the mean). The rest hold a constant number of
  // objects, their own copies, and retire nothing.
  auto family_of = [&families](const std::string& primitive) -> std::optional<contract::Family> {
    auto f = families.find(primitive);
    if (f == families.end()) return std::nullopt;
    return f->second;
  };
  std::set<std::string> retiring;
  for (const auto& [key, metrics] : table) {
    std::optional<double> peak = value_of(table, key, "held_peak_bytes");
    std::optional<double> mean = value_of(table, key, "held_mean_bytes");
    const std::optional<contract::Family> family = family_of(key.second);
    if ((peak && mean && *peak > *mean) ||
        (family && (contract::is_rcu_pointer(*family) || *family == contract::Family::urcu)))
      retiring.insert(key.second);
  }
  for (const auto& [key, metrics] : table) {
    const auto& [point, primitive] = key;
    std::optional<double> peak = value_of(table, key, "held_peak_bytes");
    if (!peak || point.stall_us < 0) continue;
    std::optional<double> mean = value_of(table, key, "held_mean_bytes");
    std::optional<double> updates = value_of(table, key, "updates_per_s");
    Point calm = point;
    calm.stall_us = 0;
    std::optional<double> calm_updates = value_of(table, {calm, primitive}, "updates_per_s");
    std::optional<double> calm_peak = value_of(table, {calm, primitive}, "held_peak_bytes");
    // Against no stall; NaN where either side is missing or nothing to compare with.
    auto versus = [](const std::optional<double>& v, const std::optional<double>& base) {
      return v && base && *base > 0 ? *v / *base : std::nan("");
    };
    const double updates_ratio = versus(updates, calm_updates);
    // Of the timed updates (every one of a paced updater's, one in 16 flat out's).
    std::optional<double> slowest = value_of(table, key, "update_p99_ns");
    // Updates/s while reader 0 stalls against outside its stalls (the memory samples'): a
    // stall of a fixed length in a run of a fixed length cuts the run's updates/s by its
    // share of the run at most, this by what the stall does.
    std::optional<double> in_stall = value_of(table, key, "stall_updates_ratio");
    lines.push_back({value_text(Swept::kStall, point.stall_us), primitive,
                     short_value(*peak, "bytes"), ratio_text(versus(peak, calm_peak)),
                     mean ? short_value(*mean, "bytes") : "-", updates ? si_number(*updates) : "-",
                     ratio_text(updates_ratio), in_stall ? ratio_text(*in_stall) : "-",
                     slowest ? short_value(*slowest, "ns") : "-"});
    // The per-stall lines compare the primitives; a floor is in the table only.
    if (point.stall_us == 0 || family_of(primitive) == contract::Family::reference) continue;
    AtStall& s = at[point];
    // Without the in-stall ratio (older results), the run's updates/s against no stall.
    const bool stopped = in_stall ? *in_stall < kStalledUpdates
                                  : updates_ratio < kStalledUpdates;  // false for NaN
    const bool waited_out = slowest && *slowest >= kWaitedOutStall * point.stall_us * 1e3;
    const std::string updaters =
        (in_stall ? fmt::format("updates/s {} while it stalls", ratio_text(*in_stall))
         : stopped
             ? fmt::format("updates/s fall to {}, {} of no stall", si_number(*updates),
                           ratio_text(updates_ratio))
             : fmt::format("updates/s {} of no stall", ratio_text(updates_ratio))) +
        (waited_out ? fmt::format(", update p99 {}", short_value(*slowest, "ns")) : "");
    if (!retiring.contains(primitive))
      s.in_place.push_back(
          fmt::format("{} {} ({})", primitive, short_value(*peak, "bytes"), updaters));
    else if (stopped || waited_out)
      s.waited.push_back(fmt::format("{} ({})", primitive, updaters));
    else
      s.held.push_back({*peak, primitive});
  }
  if (lines.empty()) return "";
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
    return a[1] < b[1];
  });
  std::string out =
      "memory held while reader 0 stalls (objects retired, not yet freed; median over "
      "processes of each run's peak and mean):\n";
  out += format_text_table(
      {"stall", "primitive", "peak", "vs no stall", "mean", "updates/s", "vs no stall",
       "while stalled", "update p99"},
      lines, {2, 3, 4, 5, 6, 7, 8});
  for (auto& [point, s] : at) {
    std::vector<std::string> parts;
    std::sort(s.held.begin(), s.held.end());
    if (!s.held.empty()) {
      const auto& [most, most_p] = s.held.back();
      std::string held = fmt::format("most held: {} {} at the peak", most_p, short_value(most, "bytes"));
      if (s.held.size() >= 2) {
        const auto& [least, least_p] = s.held.front();
        // A ratio of thousands in whole numbers: its decimals say nothing.
        const double times = most / least;
        held += least > 0 ? fmt::format("; least: {} {} ({} less)", least_p,
                                        short_value(least, "bytes"),
                                        times >= 100 ? fmt::format("{:.0f}x", times)
                                                     : ratio_text(times))
                          : fmt::format("; least: {} nothing", least_p);
      }
      parts.push_back(held);
    }
    if (!s.waited.empty())
      parts.push_back(fmt::format("updaters wait instead: {}", fmt::join(s.waited, ", ")));
    if (!s.in_place.empty())
      parts.push_back(
          fmt::format("nothing retired (a constant count): {}", fmt::join(s.in_place, ", ")));
    out += fmt::format("  at a {} stall: {}\n", value_text(Swept::kStall, point.stall_us),
                       fmt::join(parts, "; "));
  }
  return out;
}

// For each sweep of one parameter, where the headline Rcu<P> and each of its rivals
// lead, point by point, and between which points the lead changes hands: "rcu-memb ahead
// at 100 us .. 10 ms (1.6x .. 9.8x); rwlock-pthread ahead at 1 us .. 10 us (0.21x ..
// 0.55x); the lead changes between 10 us and 100 us". Only a workload that sweeps exactly
// one parameter at fixed thread counts has such a line.
std::string format_crossovers(const Table& table, const std::vector<Swept>& swept,
                              const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (swept.size() != 1) return "";
  const Swept s = swept.front();
  static constexpr const char* kMetricNames[][2] = {{"reads_per_s", "reads/s"},
                                                    {"updates_per_s", "updates/s"}};
  std::string out;
  bool untested = false;
  for (const auto& [first, second] : pairs) {
    for (const auto& [metric, metric_text] : kMetricNames) {
      // x -> verdict, for the points where both primitives measured the metric.
      std::map<double, Verdict> verdicts;
      std::set<std::pair<long, long>> threads;
      for (const auto& [key, metrics] : table) {
        if (key.second != first) continue;
        auto mine = metrics.find(metric);
        auto other = table.find({key.first, second});
        if (mine == metrics.end() || other == table.end()) continue;
        auto theirs = other->second.find(metric);
        if (theirs == other->second.end()) continue;
        threads.emplace(key.first.readers, key.first.updaters);
        // A metric the workload does not measure (updates/s without updaters: both 0)
        // has no ratio and no lead.
        const Verdict v = judge(mine->second, theirs->second);
        if (std::isfinite(v.ratio) && v.ratio > 0) verdicts[coordinate(key.first, s)] = v;
      }
      if (verdicts.size() < 2 || threads.size() != 1) continue;
      // Runs of the same lead, in increasing x.
      struct Run {
        Lead lead;
        double from, to, min_ratio, max_ratio;
      };
      std::vector<Run> runs;
      for (const auto& [x, v] : verdicts) {
        untested |= !v.tested;
        if (!runs.empty() && runs.back().lead == v.lead) {
          Run& r = runs.back();
          r.to = x;
          r.min_ratio = std::min(r.min_ratio, v.ratio);
          r.max_ratio = std::max(r.max_ratio, v.ratio);
        } else {
          runs.push_back({v.lead, x, x, v.ratio, v.ratio});
        }
      }
      auto span = [s](const Run& r) {
        return r.from == r.to ? value_text(s, r.from)
                              : fmt::format("{} .. {}", value_text(s, r.from), value_text(s, r.to));
      };
      auto ratios = [](const Run& r) {
        return r.min_ratio == r.max_ratio
                   ? ratio_text(r.min_ratio)
                   : fmt::format("{} .. {}", ratio_text(r.min_ratio), ratio_text(r.max_ratio));
      };
      std::vector<std::string> parts;
      for (const Run& r : runs) {
        const std::string& who = r.lead == Lead::kFirst ? first : second;  // not kEven
        if (r.lead == Lead::kEven)
          parts.push_back(fmt::format("even at {} ({})", span(r), ratios(r)));
        else
          parts.push_back(fmt::format("{} ahead at {} ({})", who, span(r), ratios(r)));
      }
      if (runs.size() == 1 && runs.front().lead != Lead::kEven)
        parts.front() = fmt::format("{} ahead at every {} swept, {} ({})",
                                    runs.front().lead == Lead::kFirst ? first : second,
                                    column_name(s), span(runs.front()), ratios(runs.front()));
      // Where the lead passes from one primitive to the other (through even points or not).
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (runs[i].lead == Lead::kEven) continue;
        std::size_t j = i + 1;
        while (j < runs.size() && runs[j].lead == Lead::kEven) ++j;
        if (j < runs.size() && runs[j].lead != runs[i].lead)
          parts.push_back(fmt::format("the lead changes between {} and {}",
                                      value_text(s, runs[i].to), value_text(s, runs[j].from)));
      }
      out += fmt::format("  {} {} vs {}: ", metric_text, first, second);
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
      out += "\n";
    }
  }
  if (out.empty()) return "";
  return fmt::format(
             "crossovers over {}: a side leads where its median over the processes is >= {:g} "
             "% higher\nand the rank-sum test of the process samples gives p < {:g}{}\n",
             column_name(s), kCrossoverMinEffect * 100, kCrossoverAlpha,
             untested ? fmt::format(" (untested: points with fewer than {} processes a side)",
                                    kCrossoverMinSamples)
                      : "") +
         out;
}

// The value at `key` in `map`, or null.
template <class Map, class Key>
const typename Map::mapped_type* find_or_null(const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// One line of the verdict: where `first` leads `second` in `metric` over the points of a
// workload where both measured it, and the range of first / second (medians over processes).
std::optional<std::string> lead_text(const Table& table, const std::string& first,
                                     const std::string& second, const char* metric) {
  // even: within kCrossoverMinEffect; unclear: further apart, but the processes disagree.
  std::size_t ahead = 0, behind = 0, even = 0, unclear = 0, untested = 0;
  double lo = INFINITY, hi = 0;
  for (const auto& [key, metrics] : table) {
    if (key.second != first) continue;
    const Cell* mine = cell_of(table, key, metric);
    const Cell* theirs = cell_of(table, {key.first, second}, metric);
    if (!mine || !theirs) continue;
    const Verdict v = judge(*mine, *theirs);
    if (!std::isfinite(v.ratio) || v.ratio <= 0) continue;
    lo = std::min(lo, v.ratio);
    hi = std::max(hi, v.ratio);
    const bool apart =
        v.ratio >= 1 + kCrossoverMinEffect || v.ratio <= 1 / (1 + kCrossoverMinEffect);
    (v.lead == Lead::kFirst ? ahead : v.lead == Lead::kSecond ? behind : apart ? unclear : even) +=
        1;
    untested += !v.tested;
  }
  const std::size_t n = ahead + behind + even + unclear;
  if (n == 0) return std::nullopt;
  const std::string range =
      (lo == hi ? ratio_text(lo) : ratio_text(lo) + " .. " + ratio_text(hi)) +
      (untested > 0 ? fmt::format("; fewer than {} processes a side: untested", kCrossoverMinSamples)
                    : "");
  const std::string every = n == 1 ? "at its one point" : fmt::format("at all {} points", n);
  if (ahead == n) return fmt::format("ahead {} ({})", every, range);
  if (behind == n) return fmt::format("behind {} ({})", every, range);
  if (even == n) return fmt::format("even {} ({})", every, range);
  if (unclear == n) return fmt::format("no clear lead {} ({}): the processes disagree", every, range);
  std::vector<std::string> parts;
  if (ahead) parts.push_back(fmt::format("ahead at {}", ahead));
  if (behind) parts.push_back(fmt::format("behind at {}", behind));
  if (even) parts.push_back(fmt::format("even at {}", even));
  if (unclear) parts.push_back(fmt::format("unclear at {}", unclear));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return fmt::format("{} of {} points ({})", out, n, range);
}

// Per arch, the answer first: the headline Rcu<P> against each of its rivals workload by
// workload (who leads at how many points, by how much), against raw liburcu, in
// instructions, and where threads starved. The tables below back every line.
std::string format_verdict(const std::string& arch, const std::string& exec,
                           const std::vector<std::string>& workloads,
                           const std::map<std::pair<std::string, std::string>, Table>& tables,
                           const std::map<std::pair<std::string, std::string>, Table>& fairness,
                           const Table* counts, const Comparands& comparands,
                           const std::map<std::string, contract::PrimitiveMeta>& ours) {
  if (comparands.crossovers.empty()) return "";
  const std::string& mine = comparands.crossovers.front().first;
  std::string rivals;
  for (const auto& [first, second] : comparands.crossovers)
    rivals += (rivals.empty() ? "" : " and ") + second;
  const bool emulated = exec == contract::kExecQemu;
  std::string out = fmt::format("Verdict, {} ({}): {} against {}\n", arch,
                                exec.empty() ? "instruction counts only" : exec, mine, rivals);
  // Timings: who leads where.
  std::vector<std::vector<std::string>> lines;
  std::set<std::string> starved;
  std::size_t starved_runs = 0;
  for (const std::string& workload : workloads) {
    const Table* table = find_or_null(tables, std::pair{arch, workload});
    if (!table) continue;
    const Table* fair = find_or_null(fairness, std::pair{arch, workload});
    for (const auto& [key, metrics] : *table)
      if (!starved_why(*table, fair ? *fair : Table{}, key).empty()) {
        starved.insert(key.second);
        ++starved_runs;
      }
    if (emulated) continue;
    for (const auto& [metric, text] :
         {std::pair{"reads_per_s", "reads/s"}, std::pair{"updates_per_s", "updates/s"}})
      for (const auto& [first, second] : comparands.crossovers)
        if (auto lead = lead_text(*table, first, second, metric))
          lines.push_back({workload, text, "vs " + second, *lead});
  }
  if (emulated)
    out += "  timings emulated under QEMU: no verdict on speed (instruction counts are exact)\n";
  else if (lines.empty() && !exec.empty())
    out += fmt::format("  no workload measured {} beside its rivals\n", mine);
  for (const auto& line : lines)
    out += fmt::format("  {:<18} {:<9} {:<20} {}\n", line[0], line[1], line[2], line[3]);
  // Against raw liburcu: reads, in-process ratios at one reader, and instructions.
  const Table* read_side = find_or_null(tables, std::pair{arch, std::string(kRawReadWorkload)});
  for (const auto& [primitive, meta] : ours) {
    if (meta.family != contract::Family::rcu) continue;
    std::vector<std::string> parts;
    if (read_side && !emulated)
      for (const auto& [key, metrics] : *read_side) {
        if (key.second != primitive || key.first.readers != 1 || key.first.updaters != 0)
          continue;
        const Cell* a = cell_of(*read_side, key, "reads_per_s");
        const Cell* b = cell_of(*read_side, {key.first, meta.raw}, "reads_per_s");
        if (a && b) {
          const std::vector<double> r = in_process_ratios(*a, *b);
          if (!r.empty())
            parts.push_back(fmt::format("reads/s {} (1 reader)", ratio_text(median(r))));
        }
        break;
      }
    if (counts) {
      auto m = value_of(*counts, {Point{}, primitive}, kInsnMetrics[0]);
      auto r = value_of(*counts, {Point{}, meta.raw}, kInsnMetrics[0]);
      if (m && r && *r > 0) parts.push_back(fmt::format("read instructions {}", ratio_text(*m / *r)));
    }
    if (parts.empty()) continue;
    std::string line = fmt::format("  {} / {}:", primitive, meta.raw);
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : " ") + parts[i];
    out += line + "\n";
  }
  // Instructions per operation, exact: the headline primitive beside its rivals.
  if (counts)
    for (const char* metric : kInsnMetrics) {
      auto m = value_of(*counts, {Point{}, mine}, metric);
      if (!m) continue;
      std::string line = fmt::format("  instructions per {}: {} {:.0f}",
                                     metric == kInsnMetrics[0] ? "read" : "update", mine, *m);
      for (const auto& [first, second] : comparands.crossovers)
        if (auto r = value_of(*counts, {Point{}, second}, metric))
          line += fmt::format(", {} {:.0f}", second, *r);
      out += line + "\n";
    }
  if (starved_runs > 0 && !emulated) {
    std::string who;
    for (const std::string& p : starved) who += (who.empty() ? "" : ", ") + p;
    out += fmt::format("  starved threads in {} run{}: {} (the tables say where)\n", starved_runs,
                       starved_runs == 1 ? "" : "s", who);
  }
  return out + "\n";
}

}  // namespace

Comparands comparands_of(const std::vector<Row>& rows) {
  std::map<std::string, contract::PrimitiveMeta> metas;
  for (const Row& r : rows)
    if (r.meta) metas.try_emplace(r.primitive, *r.meta);
  Comparands c;
  const contract::PrimitiveMeta *ours = nullptr, *lock = nullptr;
  std::vector<const contract::PrimitiveMeta*> rivals;
  for (const auto& [name, m] : metas) {
    if (m.role == contract::Role::update_floor && c.update_floor.empty()) c.update_floor = name;
    if (!m.headline) continue;
    if (m.family == contract::Family::rcu && (!ours || m.rank < ours->rank)) ours = &m;
    if (m.family == contract::Family::lock && (!lock || m.rank < lock->rank)) lock = &m;
    if (m.family == contract::Family::lock || m.family == contract::Family::other)
      rivals.push_back(&m);
  }
  std::ranges::sort(rivals, [](const contract::PrimitiveMeta* a, const contract::PrimitiveMeta* b) {
    return std::tie(a->family, a->rank) < std::tie(b->family, b->rank);
  });
  if (lock) c.reference = lock->name;
  if (ours)
    for (const contract::PrimitiveMeta* rival : rivals) c.crossovers.emplace_back(ours->name, rival->name);
  return c;
}

std::vector<std::pair<std::string, ProfileTable>> profile_tables(const std::vector<Row>& rows) {
  std::vector<std::string> arches;
  std::map<std::string, Table> counts;
  for (const Row& r : rows)
    if (is_profile_row(r)) {
      index_of(arches, r.arch);
      counts[r.arch][{Point{}, r.primitive}][r.metric].add(r);
    }
  std::vector<std::pair<std::string, ProfileTable>> out;
  for (const std::string& arch : arches) out.emplace_back(arch, profile_table(counts[arch]));
  return out;
}

std::vector<SummarySection> summary_sections(const std::vector<Row>& rows) {
  static constexpr const char* kMetrics[] = {"reads_per_s", "updates_per_s"};
  // Arches with timings; with timings or instruction counts.
  std::vector<std::string> arches, all_arches;
  std::map<std::string, std::string> exec_of;
  std::map<std::string, std::string> cpu_of;  // a board's CPU, which labels its tables
  std::map<std::string, std::vector<std::string>> workloads;  // per arch, first-seen order
  std::map<std::pair<std::string, std::string>, Table> tables, fairness_tables;
  std::map<std::string, Table> counts;  // per arch
  // Rcu<P> primitives that have a raw counterpart, and what they are.
  std::map<std::string, contract::PrimitiveMeta> ours;
  std::map<std::string, contract::Family> families;  // of every described primitive
  // (arch, workload, readers, updaters) that ran more threads than CPUs.
  std::set<std::tuple<std::string, std::string, long, long>> oversubscribed;
  for (const Row& r : rows) {
    if (r.metric == "oversubscribed" && r.value > 0)
      oversubscribed.emplace(r.arch, r.workload, r.readers, r.updaters);
    const bool fairness = r.metric == "read_fairness" || r.metric == "update_fairness";
    const bool insns = is_profile_row(r);
    // A stalls run's memory held and its update latency (format_memory_held).
    const bool held = r.metric == "held_peak_bytes" || r.metric == "held_mean_bytes" ||
                      r.metric == "stall_updates_ratio" ||
                      (r.metric == "update_p99_ns" && r.stall_us);
    if (r.metric != kMetrics[0] && r.metric != kMetrics[1] && !fairness && !insns && !held)
      continue;
    if (!r.is_iteration() && r.aggregate != "median") continue;
    if (fairness) {
      fairness_tables[{r.arch, r.workload}][{point_of(r), r.primitive}][r.metric].add(r);
      continue;
    }
    index_of(all_arches, r.arch);
    if (r.meta && contract::is_rcu_pointer(r.meta->family) && r.meta->raw != kNotApplicable)
      ours.try_emplace(r.primitive, *r.meta);
    if (r.meta) families.try_emplace(r.primitive, r.meta->family);
    if (insns) {
      counts[r.arch][{Point{}, r.primitive}][r.metric].add(r);
      continue;
    }
    index_of(arches, r.arch);
    index_of(workloads[r.arch], r.workload);
    exec_of[r.arch] = r.exec;
    cpu_of[r.arch] = r.cpu_model;
    tables[{r.arch, r.workload}][{point_of(r), r.primitive}][r.metric].add(r);
  }
  std::vector<SummarySection> sections;
  if (all_arches.empty()) return sections;
  sort_arches(arches);
  sort_arches(all_arches);

  const Comparands comparands = comparands_of(rows);
  // The answer first, per arch; then the tables that back it.
  for (const std::string& arch : all_arches) {
    std::string verdict = format_verdict(arch, exec_of[arch], workloads[arch], tables,
                                         fairness_tables, find_or_null(counts, arch), comparands,
                                         ours);
    if (!verdict.empty())
      sections.push_back({SummarySection::Kind::verdict, arch, "", std::move(verdict)});
  }
  for (const std::string& arch : arches) {
    const std::string& exec = exec_of[arch];
    const bool emulated = exec == contract::kExecQemu;
    for (const std::string& workload : workloads[arch]) {
      const Table& table = tables[{arch, workload}];
      std::vector<Swept> swept = swept_in(table);
      std::vector<std::vector<std::string>> lines;
      bool has[2] = {false, false};
      bool has_floor = false;
      for (const auto& [key, metrics] : table) {
        const auto& [point, primitive] = key;
        // A run with more threads than CPUs measures the scheduler too: say so.
        const bool over = oversubscribed.contains({arch, workload, point.readers, point.updaters});
        std::vector<std::string> line = {
            primitive, std::to_string(point.readers),
            std::to_string(point.updaters) + (over ? " (oversubscribed)" : "")};
        for (Swept s : swept) line.push_back(value_text(s, coordinate(point, s)));
        for (int m = 0; m < 2; ++m) {
          std::optional<double> v = value_of(table, key, kMetrics[m]);
          std::optional<double> ref = value_of(table, {point, comparands.reference}, kMetrics[m]);
          has[m] |= v.has_value();
          line.push_back(v ? si_number(*v) : "-");
          line.push_back(v && ref && *ref > 0 ? ratio_text(*v / *ref) : "-");
        }
        // Only flat-out updates: a paced updater runs at its schedule, floor or not.
        std::optional<double> updates = value_of(table, key, kMetrics[1]);
        std::optional<double> floor =
            point.updater_delay_us > 0
                ? std::nullopt
                : value_of(table, {point, comparands.update_floor}, kMetrics[1]);
        has_floor |= floor.has_value();
        line.push_back(updates && floor && *floor > 0 ? ratio_text(*updates / *floor) : "-");
        lines.push_back(std::move(line));
      }
      const std::string versus = fmt::format("vs {}", comparands.reference);
      std::vector<std::string> header = {"primitive", "readers", "updaters"};
      for (Swept s : swept) header.push_back(column_name(s));
      const auto first_metric = static_cast<long>(header.size());
      header.insert(header.end(), {"reads/s", versus, "updates/s", versus,
                                   fmt::format("vs {}", comparands.update_floor)});
      // A metric this workload does not measure gets no columns, nor a floor it did not run.
      if (!has_floor) {
        header.pop_back();
        for (auto& line : lines) line.pop_back();
      }
      // Nor ratios to a reference the rows do not describe.
      for (int m = 1; m >= 0; --m) {
        const long columns = has[m] ? (comparands.reference.empty() ? 1 : 0) : 2;
        const auto at = first_metric + 2 * m + (has[m] ? 1 : 0);
        header.erase(header.begin() + at, header.begin() + at + columns);
        for (auto& line : lines) line.erase(line.begin() + at, line.begin() + at + columns);
      }
      std::set<std::size_t> numeric;
      for (std::size_t c = 1; c < header.size(); ++c) numeric.insert(c);
      const std::string how = emulated         ? std::string("emulated")
                              : exec == contract::kExecRemote ? fmt::format("remote, on {}", cpu_of[arch])
                                                 : exec;
      std::string out = fmt::format("{} ({}), workload {}{}\n", arch, how, workload,
                                    emulated ? ": timings are not hardware performance" : "");
      out += format_text_table(header, lines, numeric);
      out += format_starved(table, fairness_tables[{arch, workload}], swept);
      out += format_crossovers(table, swept, comparands.crossovers);
      out += format_memory_held(table, families);
      sections.push_back({SummarySection::Kind::workload, arch, workload, std::move(out)});
    }
  }
  for (const std::string& arch : all_arches) {
    const Table* arch_counts = find_or_null(counts, arch);
    if (arch_counts)
      sections.push_back(
          {SummarySection::Kind::profile, arch, "", format_insn_table(arch, *arch_counts)});
    if (!ours.empty())
      sections.push_back(
          {SummarySection::Kind::instructions, arch, "",
           format_raw_ratios(arch, exec_of[arch],
                             find_or_null(tables, std::pair{arch, std::string(kRawReadWorkload)}),
                             find_or_null(tables, std::pair{arch, std::string(kRawUpdateWorkload)}),
                             arch_counts, ours)});
  }
  return sections;
}

std::string format_summary(const std::vector<Row>& rows) {
  const std::vector<SummarySection> sections = summary_sections(rows);
  if (sections.empty())
    return "no reads_per_s, updates_per_s or instruction-count results to summarise\n";
  std::string out;
  bool tables = false;
  for (const SummarySection& s : sections) {
    if (s.kind == SummarySection::Kind::verdict) {
      out += s.text;
      continue;
    }
    if (!tables && !out.empty()) out += "The tables behind the verdict\n\n";
    tables = true;
    out += s.text + "\n";
  }
  return out;
}

}  // namespace rcubench::report
