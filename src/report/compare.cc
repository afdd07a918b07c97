#include "report/compare.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "report/history.h"
#include "report/mann_whitney.h"
#include "report/metrics.h"
#include "report/samples.h"
#include "report/stats.h"
#include "report/summary.h"
#include "report/text_table.h"

namespace rcubench::report {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::regression:
      return "regression";
    case Verdict::improvement:
      return "improvement";
    case Verdict::changed:
      return "changed";
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::insufficient:
      return "insufficient";
    case Verdict::added:
      return "new";
    case Verdict::missing:
      return "missing";
  }
  return "?";
}

bool Comparison::failed() const {
  return std::any_of(results.begin(), results.end(), [](const SeriesResult& r) {
    return r.gated && (r.verdict == Verdict::regression || r.verdict == Verdict::missing);
  });
}

namespace {

struct SeriesData {
  ProcessSamples samples;
  std::string unit;
  std::map<std::string, std::vector<double>> by_run;  // run_id -> its rows' values
};

SeriesKey key_of(const Row& r) {
  return {r.arch, r.exec, r.workload, r.primitive, r.readers, r.updaters, r.params, r.metric};
}

// The workload instance a series belongs to: its key without the metric.
SeriesKey scenario_of(SeriesKey k) {
  k.metric.clear();
  return k;
}

std::map<SeriesKey, SeriesData> series_of(const std::vector<Row>& rows) {
  std::map<SeriesKey, SeriesData> out;
  for (const Row& r : rows) {
    if (!r.is_iteration()) continue;
    SeriesData& s = out[key_of(r)];
    s.samples.add(r);
    s.by_run[r.run_id].push_back(r.value);
    if (s.unit.empty()) s.unit = r.unit;
  }
  return out;
}

// A zero baseline has no relative change (never an infinite one): NaN.
double relative_change(double base, double cur) {
  if (base == cur) return 0;
  if (base == 0) return NAN;
  return (cur - base) / std::abs(base);
}

void add_note(std::string& note, std::string_view more) {
  if (note.empty() || note == "-")
    note = std::string(more);
  else
    note = fmt::format("{}; {}", note, more);
}

// The widest max - min of the repetitions within one run. Only repetitions of one build
// show how far a path fails to repeat; runs of other commits differ by their code (a
// regression recorded and reverted), which must not widen the tolerance.
double repetition_spread(const SeriesData& s) {
  double widest = 0;
  for (const auto& [run, v] : s.by_run) {
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    widest = std::max(widest, *hi - *lo);
  }
  return widest;
}

// Whether a read path's shared-line writes are exact on `side`: in each run
// (contract::shared_writes_exact).
bool shared_writes_exact(const std::map<SeriesKey, SeriesData>& side, const SeriesKey& key) {
  SeriesKey shared = key, single = key;
  shared.metric = contract::kSharedReadInsns;
  single.metric = contract::kReadInsns;
  auto s = side.find(shared), one = side.find(single);
  if (s == side.end() || one == side.end()) return false;
  for (const auto& [run, values] : s->second.by_run) {
    auto it = one->second.by_run.find(run);
    if (it == one->second.by_run.end() || !contract::shared_writes_exact(it->second, values))
      return false;
  }
  return true;
}

// Exact counts need no test: any difference of medians beyond the tolerance is real. The
// tolerance is the larger of the fixed one and what either side's repetitions spread over
// within a run, so a path that does not repeat exactly is gated only as tightly as it
// repeats.
void judge_insn_count(SeriesResult& r, const SeriesData& base, const SeriesData& cur,
                      const CompareOptions& o) {
  // Layout moves a path's instructions, and with them its loads and stores, by one now
  // and then (docs/instruction-counts.md); not its atomics, fences or shared lines.
  const bool layout_moves = r.unit == "instructions" || r.unit == "loads" || r.unit == "stores";
  const double tolerance = std::max(
      {layout_moves ? o.insn_tolerance_absolute : o.order_tolerance_absolute,
       o.insn_tolerance_fraction * std::abs(r.median_baseline), repetition_spread(base),
       repetition_spread(cur)});
  const double delta = r.median_current - r.median_baseline;
  r.test = "count";
  if (std::abs(delta) > tolerance) {
    r.verdict = delta > 0 ? Verdict::regression : Verdict::improvement;
    add_note(r.note, fmt::format("{:+.2f} {} per operation ({:.2f} -> {:.2f}), "
                                 "beyond the tolerance of {:.2f}",
                                 delta, r.unit, r.median_baseline, r.median_current, tolerance));
  } else {
    r.verdict = Verdict::unchanged;
    if (delta != 0)
      add_note(r.note, fmt::format("{:+.2f} {}, within the tolerance of {:.2f}", delta, r.unit,
                                   tolerance));
  }
}

constexpr std::string_view kNotIndependent =
    "in-process repetitions of one process are one sample, not independent samples";

// Verdict of a significant (or outside-the-band) change by the metric's direction; a
// change below the minimum effect is "unchanged". A NaN change (zero baseline) has no
// size: the sign of the difference of medians decides.
void judge_change(SeriesResult& r, bool significant, const CompareOptions& o) {
  const bool sized = !std::isnan(r.change);
  const bool large = !sized || std::abs(r.change) >= o.min_effect;
  if (!significant || !large) {
    r.verdict = Verdict::unchanged;
    if (significant)
      add_note(r.note,
               fmt::format("significant but below the {:g}% minimum effect", o.min_effect * 100));
    return;
  }
  if (!sized) add_note(r.note, "baseline median is 0: no relative change, judged by the test");
  const bool up = sized ? r.change > 0 : r.median_current > r.median_baseline;
  switch (metric_direction(r.key.metric, r.unit)) {
    case Direction::higher_is_better:
      r.verdict = up ? Verdict::improvement : Verdict::regression;
      break;
    case Direction::lower_is_better:
      r.verdict = up ? Verdict::regression : Verdict::improvement;
      break;
    case Direction::unknown:
      r.verdict = Verdict::changed;
      add_note(r.note, "metric has no better direction");
      break;
  }
}

// Smallest two-sided p-values the tests can reach: when one is above Holm's smallest
// threshold alpha / m, no change of any size can be found with this many samples.
double smallest_rank_sum_p(std::size_t m, std::size_t n) {
  double ways = 1;  // C(m + n, m)
  for (std::size_t i = 1; i <= m; ++i) ways = ways * static_cast<double>(n + i) / i;
  return std::min(1.0, 2 / ways);
}
double smallest_signed_rank_p(std::size_t n) {
  return std::min(1.0, 2 / std::pow(2.0, static_cast<double>(n)));
}

// Runs in time order: each run's earliest parsable date, then run_id.
std::vector<std::string> runs_in_time_order(const std::vector<Row>& rows) {
  std::map<std::string, long long> time;
  for (const Row& r : rows) {
    auto [it, fresh] = time.try_emplace(r.run_id, LLONG_MIN);
    if (auto t = parse_iso8601(r.date); t && (it->second == LLONG_MIN || *t < it->second))
      it->second = *t;
  }
  std::vector<std::pair<long long, std::string>> order;
  for (const auto& [id, t] : time) order.emplace_back(t, id);
  std::sort(order.begin(), order.end());
  std::vector<std::string> ids;
  for (auto& [t, id] : order) ids.push_back(std::move(id));
  return ids;
}

// The samples a test ran on, kept for the detectable change (runs mode: the processes
// of each side; paired mode: the log ratios of the pairs).
struct Tested {
  std::size_t result = 0;  // index into Comparison::results
  std::vector<double> base, cur, log_ratios;
};

// Runs mode: the rank-sum test of the process samples of the two sides.
void test_runs(SeriesResult& r, const SeriesData& b, const SeriesData& c, const CompareOptions& o,
               Tested& tested) {
  std::vector<double> base = b.samples.values(), cur = c.samples.values();
  r.n_baseline = base.size();
  r.n_current = cur.size();
  r.median_baseline = median(base);
  r.median_current = median(cur);
  r.change = relative_change(r.median_baseline, r.median_current);
  if (base.size() < o.min_samples || cur.size() < o.min_samples) {
    r.verdict = Verdict::insufficient;
    add_note(r.note, fmt::format("fewer than {} process samples", o.min_samples));
    if (b.samples.in_process_only() || c.samples.in_process_only())
      add_note(r.note, kNotIndependent);
    return;
  }
  const MannWhitney mw = mann_whitney_u(cur, base);
  r.p_value = mw.p_value;
  r.test = mw.exact ? "exact" : "normal";
  tested.base = std::move(base);
  tested.cur = std::move(cur);
}

// Paired mode: process k of the current side against process k of the baseline, by the
// signed-rank test of the log ratios.
void test_paired(SeriesResult& r, const SeriesData& b, const SeriesData& c, const CompareOptions& o,
                 Tested& tested) {
  // Process index -> sample; runs without process indices cannot be paired.
  std::map<long, double> base, cur;
  std::size_t unpaired = 0, in_process = 0;
  for (auto [side, out] : {std::pair{&b, &base}, std::pair{&c, &cur}})
    for (const auto& [id, v] : side->samples.medians()) {
      if (id.second == kInProcess)
        ++in_process;
      else
        (*out)[id.second] = v;
    }
  std::vector<double> log_ratios, paired_base, paired_cur;
  std::size_t non_positive = 0;
  for (const auto& [k, v] : base) {
    auto it = cur.find(k);
    if (it == cur.end()) {
      ++unpaired;
      continue;
    }
    if (!(v > 0) || !(it->second > 0)) {
      ++non_positive;
      continue;
    }
    log_ratios.push_back(std::log(it->second / v));
    paired_base.push_back(v);
    paired_cur.push_back(it->second);
  }
  for (const auto& [k, v] : cur) unpaired += !base.contains(k);
  r.n_baseline = r.n_current = log_ratios.size();
  r.median_baseline = median(paired_base);
  r.median_current = median(paired_cur);
  r.change = log_ratios.empty() ? NAN : std::exp(median(log_ratios)) - 1;
  if (unpaired > 0) add_note(r.note, fmt::format("{} unpaired process(es) dropped", unpaired));
  if (non_positive > 0)
    add_note(r.note,
             fmt::format("{} pair(s) with a value <= 0 dropped (no log ratio)", non_positive));
  if (in_process > 0)
    add_note(r.note, fmt::format("{} run(s) without process indices cannot be paired", in_process));
  if (log_ratios.size() < o.min_pairs) {
    r.verdict = Verdict::insufficient;
    add_note(r.note, fmt::format("fewer than {} process pairs", o.min_pairs));
    return;
  }
  const SignedRank sr = wilcoxon_signed_rank(log_ratios);
  r.p_value = sr.p_value;
  r.test = "signed-rank";
  if (sr.zeros > 0) add_note(r.note, fmt::format("{} identical pair(s) dropped", sr.zeros));
  tested.log_ratios = std::move(log_ratios);
}

// SeriesResult::detectable for a tested series. The current samples are first centred
// on the baseline (the pairs' log ratios on 0, the processes scaled to the baseline's
// median), so only their spread counts, not the change this run shows; then all of them
// are moved by the same factor: the smallest change from min_effect up, in steps of 0.5
// percentage points, whose p-value is below `threshold`. Up to a 95 % drop or a 20-fold
// rise; NaN beyond.
double detectable_by_test(const SeriesResult& r, const Tested& t, double threshold,
                          const CompareOptions& o) {
  const Direction direction = metric_direction(r.key.metric, r.unit);
  if (direction == Direction::unknown) return NAN;
  const bool drop = direction == Direction::higher_is_better;
  const double limit = drop ? 0.95 : 19;
  const bool paired = !t.log_ratios.empty();
  std::vector<double> centred = paired ? t.log_ratios : t.cur;
  if (paired) {
    const double mid = median(centred);
    for (double& d : centred) d -= mid;
  } else {
    const double mid = median(centred);
    if (!(mid > 0) || !(r.median_baseline > 0)) return NAN;
    for (double& v : centred) v *= r.median_baseline / mid;
  }
  std::vector<double> moved;
  for (double x = o.min_effect; x <= limit + 1e-9; x += 0.005) {
    const double f = drop ? 1 - x : 1 + x;  // the worse direction
    moved = centred;
    for (double& v : moved) paired ? v += std::log(f) : v *= f;
    const double p =
        paired ? wilcoxon_signed_rank(moved).p_value : mann_whitney_u(moved, t.base).p_value;
    if (p < threshold) return drop ? -x : x;
  }
  return NAN;
}

// SeriesResult::detectable in history mode: the current median just outside the band.
double detectable_by_band(const SeriesResult& r, const Band& band, const CompareOptions& o) {
  const double m = r.median_baseline;
  if (!(m > 0)) return NAN;
  switch (metric_direction(r.key.metric, r.unit)) {
    case Direction::higher_is_better:
      return band.low() > 0 ? -std::max(o.min_effect, 1 - band.low() / m) : NAN;
    case Direction::lower_is_better:
      return std::max(o.min_effect, band.high() / m - 1);
    case Direction::unknown:
      break;
  }
  return NAN;
}

// History mode: each history run's median against the current run's, by the robust band.
void judge_history(SeriesResult& r, const SeriesData& b, const SeriesData& c,
                   const std::vector<std::string>& run_order, const CompareOptions& o,
                   std::vector<Drift>& drifts) {
  std::map<std::string, std::vector<double>> per_run;
  for (const auto& [id, v] : b.samples.medians()) per_run[id.first].push_back(v);
  std::vector<double> run_medians;
  std::vector<std::string> run_ids;
  for (const std::string& id : run_order)
    if (auto it = per_run.find(id); it != per_run.end()) {
      run_medians.push_back(median(it->second));
      run_ids.push_back(id);
    }
  const std::vector<double> cur = c.samples.values();
  r.n_baseline = run_medians.size();
  r.n_current = cur.size();
  r.median_baseline = median(run_medians);
  r.median_current = median(cur);
  r.change = relative_change(r.median_baseline, r.median_current);
  r.test = "band";
  if (run_medians.size() < o.min_history_runs) {
    r.verdict = Verdict::insufficient;
    add_note(r.note, fmt::format("fewer than {} history runs", o.min_history_runs));
    return;
  }
  const Band band = robust_band(run_medians, o.band_k, o.band_floor);
  r.band_low = band.low();
  r.band_high = band.high();
  const bool outside = r.median_current < band.low() || r.median_current > band.high();
  add_note(r.note,
           fmt::format("band {} .. {}", si_number(band.low(), 4), si_number(band.high(), 4)));
  judge_change(r, outside, o);
  if (r.gated) r.detectable = detectable_by_band(r, band, o);

  // Drift over the history and the current run, in time order; of the gated series
  // only, since the information metrics (tail latencies above all) wander too much for
  // a list of them to be read.
  if (!r.gated) return;
  std::vector<double> sequence = run_medians;
  std::vector<std::string> ids = run_ids;
  sequence.push_back(r.median_current);
  ids.push_back("the current run");
  const ChangePoint cp =
      median_shift_scan(sequence, o.drift_min_runs, o.drift_k, o.min_effect, o.band_floor);
  if (cp.found) {
    drifts.push_back(Drift{r.key, ids[cp.index], cp.index, sequence.size() - cp.index, cp.before,
                           cp.after, cp.shift, cp.score});
    add_note(r.note,
             fmt::format("drift {:+.1f}% from {} on (not gated)", cp.shift * 100, ids[cp.index]));
  }
}

}  // namespace

Comparison compare_runs(const std::vector<Row>& baseline, const std::vector<Row>& current,
                        const CompareOptions& o) {
  Comparison c;
  c.options = o;
  const auto base = series_of(baseline);
  const auto cur = series_of(current);
  std::set<SeriesKey> keys;
  std::set<SeriesKey> grace_period_scenarios;  // scenarios with gp_ counters
  for (const auto* side : {&base, &cur})
    for (const auto& [k, s] : *side) {
      keys.insert(k);
      if (k.metric.starts_with("gp_")) grace_period_scenarios.insert(scenario_of(k));
    }
  const std::vector<std::string> run_order =
      o.mode == CompareMode::history ? runs_in_time_order(baseline) : std::vector<std::string>{};

  std::set<std::string> emulated;
  std::vector<Tested> to_judge;  // results with a p-value still to be judged
  for (const SeriesKey& key : keys) {
    SeriesResult r;
    r.key = key;
    auto b = base.find(key);
    auto n = cur.find(key);
    r.p_value = r.p_adjusted = NAN;
    r.median_baseline = r.median_current = r.change = NAN;
    r.unit = (n != cur.end() ? n->second : b->second).unit;
    // Only native and remote timings are hardware performance, and of those only each
    // workload's primary metric is gated; emulated (and undetermined) ones are information.
    // Instruction counts are exact on every arch, emulated or not: gated everywhere.
    const bool insn_count = is_insn_count(key.exec, key.metric, r.unit);
    const bool primary =
        key.metric ==
        primary_metric(key.updaters, grace_period_scenarios.contains(scenario_of(key)));
    r.gated = (is_hardware_exec(key.exec) && primary) || insn_count;
    if (key.exec == contract::kExecInsnCount) {
      if (!insn_count) add_note(r.note, "counting run: only its exact counts are gated");
      if (key.metric == contract::kSharedWrites &&
          !((b == base.end() || shared_writes_exact(base, key)) &&
            (n == cur.end() || shared_writes_exact(cur, key)))) {
        r.gated = false;
        add_note(r.note, "information: the two readers contended, so their writes follow "
                         "the interleaving (read_shared_insns differs from read_insns)");
      }
    } else if (key.exec == contract::kExecQemu) {
      add_note(r.note, kEmulatedReason);
      emulated.insert(key.arch);
    } else if (!is_hardware_exec(key.exec)) {
      add_note(r.note, fmt::format("exec mode '{}' is not hardware performance, not gated", key.exec));
    } else if (!primary) {
      add_note(r.note, "information: not the workload's primary metric");
    }

    if (b == base.end() || n == cur.end()) {
      r.verdict = b == base.end() ? Verdict::added : Verdict::missing;
      // Its samples as the side's mode would count them: rows for instruction counts.
      const SeriesData& side = b == base.end() ? n->second : b->second;
      const std::vector<double> samples =
          insn_count ? side.samples.repetitions() : side.samples.values();
      (b == base.end() ? r.n_current : r.n_baseline) = samples.size();
      (b == base.end() ? r.median_current : r.median_baseline) = median(samples);
      // The same scenario and metric under other parameters: an edited config, a new
      // series rather than a failed benchmark.
      const auto& own_side = b == base.end() ? cur : base;
      const auto& other_side = b == base.end() ? base : cur;
      std::string other_params;
      for (const auto& [k, s] : other_side) {
        SeriesKey same = k;
        same.params = key.params;
        if (k.params != key.params && same == key && !own_side.contains(k)) other_params = k.params;
      }
      if (!other_params.empty()) {
        r.gated = false;
        add_note(r.note, fmt::format("{} params {}: the workload's parameters changed",
                                     r.verdict == Verdict::missing ? "replaced by" : "replaces",
                                     other_params));
      } else if (r.verdict == Verdict::missing && r.gated) {
        add_note(r.note,
                 "gated series missing from the current run: the benchmark failed "
                 "or was not run");
      }
    } else if (insn_count) {
      const std::vector<double>& b_counts = b->second.samples.repetitions();
      const std::vector<double>& c_counts = n->second.samples.repetitions();
      r.n_baseline = b_counts.size();
      r.n_current = c_counts.size();
      r.median_baseline = median(b_counts);
      r.median_current = median(c_counts);
      r.change = relative_change(r.median_baseline, r.median_current);
      judge_insn_count(r, b->second, n->second, o);
    } else if (o.mode == CompareMode::history) {
      judge_history(r, b->second, n->second, run_order, o, c.drifts);
    } else {
      Tested tested{.result = c.results.size()};
      if (o.mode == CompareMode::paired)
        test_paired(r, b->second, n->second, o, tested);
      else
        test_runs(r, b->second, n->second, o, tested);
      if (!std::isnan(r.p_value)) to_judge.push_back(std::move(tested));
    }
    c.results.push_back(std::move(r));
  }

  // Holm over the gated tests; the other tests stand alone at alpha.
  std::vector<double> gated_p(c.results.size(), NAN);
  for (const Tested& t : to_judge)
    if (c.results[t.result].gated) gated_p[t.result] = c.results[t.result].p_value;
  const std::vector<double> adjusted = holm_adjust(gated_p);
  for (const Tested& t : to_judge) c.family_size += c.results[t.result].gated;
  std::size_t powerless = 0;  // gated series no change of any size could be flagged in
  for (const Tested& t : to_judge) {
    SeriesResult& r = c.results[t.result];
    r.p_adjusted = adjusted[t.result];
    const double p = r.gated ? r.p_adjusted : r.p_value;
    judge_change(r, p < o.alpha, o);
    if (r.gated) {
      const double reach = r.test == "signed-rank" ? smallest_signed_rank_p(r.n_current)
                                                   : smallest_rank_sum_p(r.n_baseline, r.n_current);
      if (reach * static_cast<double>(c.family_size) < o.alpha) {
        r.detectable = detectable_by_test(r, t, o.alpha / static_cast<double>(c.family_size), o);
      } else {  // No change of any size can be flagged: detectable stays NaN.
        ++powerless;
        add_note(r.note, fmt::format("low power: {} samples reach p = {:.2g} at best, Holm "
                                     "needs below {:.2g} for the first of {} series",
                                     std::min(r.n_baseline, r.n_current), reach,
                                     o.alpha / static_cast<double>(c.family_size), c.family_size));
      }
    } else {
      add_note(r.note, "p not corrected for multiplicity");
    }
  }
  c.no_power = powerless > 0 && powerless == c.family_size;
  if (c.no_power)
    c.notes.push_back(fmt::format(
        "NO POWER: none of the {} tested gated series could be flagged whatever its change; "
        "too few {} for a family this large (docs/regression-gate.md)",
        c.family_size, o.mode == CompareMode::paired ? "pairs" : "processes"));
  for (SeriesResult& r : c.results)
    if (r.note.empty()) r.note.push_back('-');  // no note

  for (const std::string& arch : emulated)
    c.notes.push_back(fmt::format("{} ran under qemu: {}", arch, kEmulatedReason));
  if (base.empty()) c.notes.push_back("the baseline has no series: nothing to compare against");
  return c;
}

namespace {

// Output sections in order: the missing series first (loud), the gated series by
// verdict, the new ones, then everything not gated as information.
struct Section {
  std::string_view title;
  bool with_verdict;  // the section holds several verdicts: show the column
  bool (*holds)(const SeriesResult&);
};
constexpr Section kSections[] = {
    {"MISSING from the current run", false,
     [](const SeriesResult& r) { return r.verdict == Verdict::missing; }},
    {"Regressions", false,
     [](const SeriesResult& r) { return r.gated && r.verdict == Verdict::regression; }},
    {"Improvements", false,
     [](const SeriesResult& r) { return r.gated && r.verdict == Verdict::improvement; }},
    {"Changed (no better direction)", false,
     [](const SeriesResult& r) { return r.gated && r.verdict == Verdict::changed; }},
    {"Unchanged", false,
     [](const SeriesResult& r) { return r.gated && r.verdict == Verdict::unchanged; }},
    {"Insufficient samples", false,
     [](const SeriesResult& r) { return r.gated && r.verdict == Verdict::insufficient; }},
    {"Only in the current run", false,
     [](const SeriesResult& r) { return r.verdict == Verdict::added; }},
    {"Information (not gated)", true,
     [](const SeriesResult& r) {
       return !r.gated && r.verdict != Verdict::missing && r.verdict != Verdict::added;
     }},
};

std::string number(double v) { return std::isnan(v) ? "-" : si_number(v, 4); }

std::string percent(double v) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:+.1f}%", v * 100);
}

std::string p_text(double p) { return std::isnan(p) ? "-" : fmt::format("{:.3g}", p); }

std::vector<std::string> display_row(const SeriesResult& r) {
  const SeriesKey& k = r.key;
  return {std::string(verdict_name(r.verdict)),
          r.gated ? "yes" : "no",
          k.arch,
          k.exec,
          k.workload,
          k.primitive,
          std::to_string(k.readers),
          std::to_string(k.updaters),
          k.params.empty() ? "-" : k.params,
          k.metric,
          r.unit.empty() ? "-" : r.unit,
          std::to_string(r.n_baseline),
          std::to_string(r.n_current),
          number(r.median_baseline),
          number(r.median_current),
          percent(r.change),
          percent(r.detectable),
          p_text(r.p_value),
          p_text(r.p_adjusted),
          r.test,
          r.note};
}

const std::vector<std::string> kHeader = {
    "verdict",    "gated",           "arch",           "exec",
    "workload",   "primitive",       "readers",        "updaters",
    "params",     "metric",          "unit",           "n_baseline",
    "n_current",  "median_baseline", "median_current", "change",
    "detectable", "p_value",         "p_adjusted",     "test",
    "note"};
// Numeric columns (indices into kHeader).
const std::set<std::size_t> kNumeric = {6, 7, 11, 12, 13, 14, 15, 16, 17, 18};

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  return out;
}

// A table in text or markdown; `title` with the row count.
void append_table(std::string& out, bool md, std::string_view title,
                  const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::set<std::size_t>& right_aligned) {
  if (md) {
    out += fmt::format("## {} ({})\n\n", title, rows.size());
    auto line = [&](const std::vector<std::string>& cells) {
      out += "|";
      for (const std::string& cell : cells) out += fmt::format(" {} |", markdown_cell(cell));
      out += "\n";
    };
    line(header);
    out += "|";
    for (std::size_t i = 0; i < header.size(); ++i)
      out += right_aligned.contains(i) ? " ---: |" : " --- |";
    out += "\n";
    for (const auto& row : rows) line(row);
    out += "\n";
  } else {
    out += fmt::format("{} ({}):\n", title, rows.size());
    out += format_text_table(header, rows, right_aligned);
    out += "\n";
  }
}

std::string method_text(const CompareOptions& o) {
  switch (o.mode) {
    case CompareMode::runs:
      return fmt::format("rank-sum test of process samples, Holm family-wise error {:g}", o.alpha);
    case CompareMode::paired:
      return fmt::format("paired signed-rank test of process pairs, Holm family-wise error {:g}",
                         o.alpha);
    case CompareMode::history:
      return fmt::format(
          "history band median +- {:g} x 1.4826 MAD of run medians (at least "
          "{:g}% of the median)",
          o.band_k, o.band_k * o.band_floor * 100);
  }
  return "?";
}

}  // namespace

std::string detectable_line(const Comparison& c) {
  std::map<std::string, std::vector<double>> by_metric;
  std::map<std::string, std::size_t> none;
  for (const SeriesResult& r : c.results) {
    if (!r.gated || r.test == "count" || r.verdict == Verdict::insufficient ||
        r.verdict == Verdict::missing || r.verdict == Verdict::added)
      continue;
    if (std::isnan(r.detectable))
      ++none[r.key.metric];
    else
      by_metric[r.key.metric].push_back(r.detectable);
    by_metric[r.key.metric];  // every metric gets its entry
  }
  if (by_metric.empty()) return "";
  std::string line =
      "Detectable change of the gated series (median over series; the smallest "
      "worse change their spread lets the gate flag):";
  const char* sep = " ";
  for (const auto& [metric, values] : by_metric) {
    line += fmt::format("{}{} {} ({} series", sep, metric,
                        values.empty() ? "-" : percent(median(values)), values.size());
    if (auto n = none.find(metric); n != none.end())
      line += fmt::format("; {} more could show no change at all", n->second);
    line += ")";
    sep = "; ";
  }
  return line;
}

std::string verdict_line(const Comparison& c) {
  std::map<Verdict, std::size_t> gated;
  std::size_t n_gated = 0, info = 0, info_regressions = 0;
  for (const SeriesResult& r : c.results) {
    if (r.gated) {
      ++n_gated;
      ++gated[r.verdict];
    } else {
      ++info;
      info_regressions += r.verdict == Verdict::regression;
    }
  }
  std::string line = fmt::format("{} gated series: {} regression(s), {} improvement(s)", n_gated,
                                 gated[Verdict::regression], gated[Verdict::improvement]);
  for (Verdict v : {Verdict::changed, Verdict::unchanged, Verdict::insufficient, Verdict::added,
                    Verdict::missing})
    line += fmt::format(", {} {}", gated[v], verdict_name(v));
  line += fmt::format("; {} not gated ({} regression(s) as information)", info, info_regressions);
  if (c.options.mode != CompareMode::history) line += fmt::format("; {} tested", c.family_size);
  line += fmt::format(" ({}, minimum effect {:g}%)", method_text(c.options),
                      c.options.min_effect * 100);
  return line + (c.failed() ? ": FAIL\n" : ": pass\n");
}

std::string format_comparison(const Comparison& c, Format format) {
  if (format == Format::csv) {
    std::string out;
    auto line = [&](const std::vector<std::string>& fields) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
      }
      out += '\n';
    };
    line(kHeader);
    for (const Section& section : kSections)
      for (const SeriesResult& r : c.results)
        if (section.holds(r)) {
          std::vector<std::string> fields = display_row(r);
          // Machine-readable numbers: full precision, change as a fraction.
          for (auto [i, v] : {std::pair{13, r.median_baseline},
                              {14, r.median_current},
                              {15, r.change},
                              {16, r.detectable},
                              {17, r.p_value},
                              {18, r.p_adjusted}})
            fields[i] = std::isnan(v) ? "-" : fmt::format("{}", v);
          line(fields);
        }
    return out;
  }

  std::string out;
  const bool md = format == Format::markdown;
  out += md ? "# Benchmark comparison\n\n" : "";
  for (const std::string& note : c.notes) out += md ? fmt::format("- {}\n", note) : note + "\n";
  if (!c.notes.empty()) out += "\n";
  for (const Section& section : kSections) {
    std::vector<std::vector<std::string>> rows;
    for (const SeriesResult& r : c.results) {
      if (!section.holds(r)) continue;
      std::vector<std::string> row = display_row(r);
      if (!section.with_verdict) row.erase(row.begin());
      rows.push_back(std::move(row));
    }
    if (rows.empty()) continue;
    std::vector<std::string> header = kHeader;
    std::set<std::size_t> right = kNumeric;
    if (!section.with_verdict) {
      header.erase(header.begin());
      right.clear();
      for (std::size_t i : kNumeric) right.insert(i - 1);
    }
    append_table(out, md, section.title, header, rows, right);
  }
  if (!c.drifts.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const Drift& d : c.drifts)
      rows.push_back({d.key.arch, d.key.exec, d.key.workload, d.key.primitive,
                      std::to_string(d.key.readers), std::to_string(d.key.updaters), d.key.params,
                      d.key.metric, d.first_run_after, std::to_string(d.runs_before),
                      std::to_string(d.runs_after), number(d.before), number(d.after),
                      percent(d.shift), fmt::format("{:.1f}", d.score)});
    append_table(out, md, "Drift over the history (information, not gated)",
                 {"arch", "exec", "workload", "primitive", "readers", "updaters", "params",
                  "metric", "from_run", "runs_before", "runs_after", "median_before",
                  "median_after", "shift", "score"},
                 rows, {4, 5, 9, 10, 11, 12, 13, 14});
  }
  const std::string detectable = detectable_line(c);
  if (!detectable.empty()) out += md ? fmt::format("{}\n\n", detectable) : detectable + "\n";
  const std::string verdict = verdict_line(c);
  out += md ? fmt::format("**{}**\n", verdict.substr(0, verdict.size() - 1)) : verdict;
  return out;
}

}  // namespace rcubench::report
