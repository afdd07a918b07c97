// The regression gate, the history and the summary on rows built here.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <string>
#include <unistd.h>
#include <tuple>
#include <vector>

#include "report/compare.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/history.h"
#include "report/run_input.h"
#include "report/summary.h"
#include "described_rows.h"

namespace rcubench::report {
namespace {

// The summary of rows as rcubench writes them: each registered primitive described.
std::string summary_of(const std::vector<Row>& rows) {
  return format_summary(testing::described(rows));
}

namespace fs = std::filesystem;

struct Series {
  std::string arch = "x86_64", exec = "native", primitive = "rcu-memb", metric = "reads_per_s";
  std::string unit = "1/s", run_id = "run-1", date = "2026-11-28T04:05:12+00:00";
  std::string cpu_model = "cpu A", workload = "read-side", params = "-";
  long readers = 1, updaters = 0;
  std::optional<double> updater_delay_us;
  std::optional<long> read_work, payload_bytes;
  std::optional<double> stall_us;
  bool in_process = false;  // repetitions of one process instead of one value per process
};

// One row per value: by default value k is process k's only repetition.
std::vector<Row> rows_of(const Series& s, const std::vector<double>& values) {
  std::vector<Row> rows;
  long k = 0;
  for (double v : values) {
    Row r{.run_id = s.run_id,
          .date = s.date,
          .commit = "c",
          .arch = s.arch,
          .exec = s.exec,
          .cpu_model = s.cpu_model,
          .compiler = "gcc 12.2.0",
          .build_type = "release",
          .flavor = "-",
          .primitive = s.primitive,
          .workload = s.workload,
          .readers = s.readers,
          .updaters = s.updaters,
          .params = s.params,
          .updater_delay_us = s.updater_delay_us,
          .read_work = s.read_work,
          .payload_bytes = s.payload_bytes,
          .stall_us = s.stall_us,
          .repetition = s.in_process ? k : 0,
          .process = std::nullopt,
          .metric = s.metric,
          .value = v,
          .unit = s.unit};
    if (!s.in_process) r.process = k;
    ++k;
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> joined(std::initializer_list<std::vector<Row>> parts) {
  std::vector<Row> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const std::vector<double> kBase = {100, 102, 98, 101, 99, 103};
const std::vector<double> kDown10 = {90, 91, 89, 92, 88, 87};  // medians 100.5 -> 89.5
const std::vector<double> kUp10 = {110, 111, 109, 112, 108, 113};

const SeriesResult& only(const Comparison& c) {
  EXPECT_EQ(c.results.size(), 1u);
  return c.results.front();
}

TEST(Compare, ThroughputDropIsAGatedRegression) {
  Comparison c = compare_runs(rows_of({}, kBase), rows_of({}, kDown10), {});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_TRUE(r.gated);
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(r.test, "exact");
  EXPECT_NEAR(r.p_value, 2.0 / 924, 1e-12);  // 6 vs 6 fully separated: 2 / C(12, 6)
  EXPECT_DOUBLE_EQ(r.median_baseline, 100.5);
  EXPECT_DOUBLE_EQ(r.median_current, 89.5);
  EXPECT_NEAR(r.change, -11 / 100.5, 1e-12);
  EXPECT_DOUBLE_EQ(r.p_adjusted, r.p_value);  // a family of one
  EXPECT_EQ(c.family_size, 1u);
  EXPECT_EQ(r.note, "-");
}

TEST(Compare, ThroughputRiseIsAnImprovement) {
  Comparison c = compare_runs(rows_of({}, kBase), rows_of({}, kUp10), {});
  EXPECT_EQ(only(c).verdict, Verdict::improvement);
  EXPECT_FALSE(c.failed());
}

TEST(Compare, LatencyDirectionIsReversed) {
  Series latency;
  latency.metric = "read_p99_ns";
  latency.unit = "ns";
  const Comparison c = compare_runs(rows_of(latency, kBase), rows_of(latency, kUp10), {});
  EXPECT_EQ(only(c).verdict, Verdict::regression);
  // Not the read-side workload's primary metric: information, tested uncorrected.
  EXPECT_FALSE(only(c).gated);
  EXPECT_FALSE(c.failed());
  EXPECT_NE(only(c).note.find("not the workload's primary metric"), std::string::npos);
  EXPECT_EQ(only(compare_runs(rows_of(latency, kBase), rows_of(latency, kDown10), {})).verdict,
            Verdict::improvement);
}

TEST(Compare, EmulatedRegressionIsReportedButNotGated) {
  Series emulated;
  emulated.arch = "riscv64";
  emulated.exec = "qemu";
  Comparison c = compare_runs(rows_of(emulated, kBase), rows_of(emulated, kDown10), {});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_FALSE(r.gated);
  EXPECT_FALSE(c.failed());
  EXPECT_NE(r.note.find(kEmulatedReason), std::string::npos);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("riscv64 ran under qemu: emulated: timings are not hardware "
                            "performance, not gated"),
            std::string::npos);
  const std::string table = format_comparison(c, Format::table);
  EXPECT_NE(table.find("not gated"), std::string::npos);
  EXPECT_NE(table.find(": pass"), std::string::npos);
}

// A board's run (scripts/bench --remote) is hardware performance: gated like a native one.
TEST(Compare, RemoteRegressionIsGatedLikeNative) {
  Series board;
  board.arch = "aarch64";
  board.exec = "remote";
  Comparison c = compare_runs(rows_of(board, kBase), rows_of(board, kDown10), {});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_TRUE(r.gated);
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(r.note.find("not gated"), std::string::npos);
  // Negative control: an exec value the gate does not know stays ungated.
  board.exec = "somewhere";
  EXPECT_FALSE(only(compare_runs(rows_of(board, kBase), rows_of(board, kDown10), {})).gated);
}

TEST(Compare, FewerThanFiveRepetitionsIsInsufficientNeverARegression) {
  const std::vector<double> four = {10, 11, 12, 13};  // a 90 % drop
  Comparison c = compare_runs(rows_of({}, kBase), rows_of({}, four), {});
  EXPECT_EQ(only(c).verdict, Verdict::insufficient);
  EXPECT_FALSE(c.failed());
  c = compare_runs(rows_of({}, four), rows_of({}, kBase), {});
  EXPECT_EQ(only(c).verdict, Verdict::insufficient);
  // Five on each side is enough: 2/252 < 0.05.
  c = compare_runs(rows_of({}, {100, 101, 102, 103, 104}), rows_of({}, {50, 51, 52, 53, 54}), {});
  EXPECT_EQ(only(c).verdict, Verdict::regression);
}

TEST(Compare, InProcessRepetitionsAreOneSample) {
  // Six repetitions in one process, a 90 % drop: one sample per side, never a regression.
  Series single;
  single.in_process = true;
  Comparison c =
      compare_runs(rows_of(single, kBase), rows_of(single, {10, 11, 12, 13, 14, 15}), {});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.verdict, Verdict::insufficient);
  EXPECT_EQ(r.n_baseline, 1u);
  EXPECT_EQ(r.n_current, 1u);
  EXPECT_NE(r.note.find("in-process repetitions of one process are one sample"), std::string::npos);
  EXPECT_FALSE(c.failed());
  // Six such runs on each side are six samples: each run's median.
  std::vector<Row> base, cur;
  for (int run = 0; run < 6; ++run) {
    Series b = single, n = single;
    b.run_id = "base-" + std::to_string(run);
    n.run_id = "cur-" + std::to_string(run);
    base = joined({base, rows_of(b, {100.0 + run, 200, 0})});  // median 100 + run
    cur = joined({cur, rows_of(n, {50.0 + run, 90, 10})});     // median 50 + run
  }
  const SeriesResult& six = only(c = compare_runs(base, cur, {}));
  EXPECT_EQ(six.n_baseline, 6u);
  EXPECT_DOUBLE_EQ(six.median_baseline, 102.5);
  EXPECT_DOUBLE_EQ(six.median_current, 52.5);
  EXPECT_EQ(six.verdict, Verdict::regression);
}

TEST(Compare, AProcessSampleIsTheMedianOfItsRepetitions) {
  // Processes 0..5, three repetitions each; one wild repetition per process moves nothing.
  auto run = [](const std::string& id, double level) {
    std::vector<Row> rows;
    for (long k = 0; k < 6; ++k)
      for (long rep = 0; rep < 3; ++rep) {
        Series s;
        s.run_id = id;
        std::vector<Row> one = rows_of(s, {rep == 2 ? level * 10 : level + k});
        one[0].process = k;
        one[0].repetition = rep;
        rows.push_back(one[0]);
      }
    return rows;
  };
  const Comparison c = compare_runs(run("a", 100), run("b", 100), {});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.n_baseline, 6u);
  // Process k's sample is the median of 100 + k, 100 + k and 1000: 100 + k.
  EXPECT_DOUBLE_EQ(r.median_baseline, 102.5);
  EXPECT_EQ(r.verdict, Verdict::unchanged);
  EXPECT_DOUBLE_EQ(r.p_value, 1);  // identical, tied samples: exact p = 1
}

TEST(Compare, SignificantButSmallIsUnchanged) {
  const std::vector<double> base = {100.0, 100.1, 100.2, 100.3, 100.4, 100.5};
  const std::vector<double> cur = {98.0, 98.1, 98.2, 98.3, 98.4, 98.5};  // -2 %
  const Comparison c = compare_runs(rows_of({}, base), rows_of({}, cur), {});
  const SeriesResult& r = only(c);
  EXPECT_LT(r.p_value, 0.05);
  EXPECT_EQ(r.verdict, Verdict::unchanged);
  EXPECT_NE(r.note.find("below the 5% minimum effect"), std::string::npos);
  CompareOptions sensitive;
  sensitive.min_effect = 0.01;
  EXPECT_EQ(only(compare_runs(rows_of({}, base), rows_of({}, cur), sensitive)).verdict,
            Verdict::regression);
}

TEST(Compare, LargeButNotSignificantIsUnchanged) {
  // Medians 100 -> 80 but the samples overlap widely.
  const std::vector<double> base = {60, 100, 140, 70, 130, 100};
  const std::vector<double> cur = {50, 80, 135, 65, 125, 80};
  const Comparison c = compare_runs(rows_of({}, base), rows_of({}, cur), {});
  const SeriesResult& r = only(c);
  EXPECT_GE(r.p_value, 0.05);
  EXPECT_LE(r.change, -0.05);
  EXPECT_EQ(r.verdict, Verdict::unchanged);
}

TEST(Compare, AlphaIsHonoured) {
  CompareOptions strict;
  strict.alpha = 0.001;  // 2/924 = 0.0022 is no longer enough
  EXPECT_EQ(only(compare_runs(rows_of({}, kBase), rows_of({}, kDown10), strict)).verdict,
            Verdict::unchanged);
}

TEST(Compare, MetricWithoutDirectionIsChangedNotRegressed) {
  Series odd;
  odd.metric = "mystery";
  odd.unit = "-";
  Comparison c = compare_runs(rows_of(odd, kBase), rows_of(odd, kDown10), {});
  EXPECT_EQ(only(c).verdict, Verdict::changed);
  EXPECT_FALSE(c.failed());
}

TEST(Compare, AggregatesAreIgnoredAndSeriesAreMatchedByKey) {
  std::vector<Row> base = rows_of({}, kBase);
  std::vector<Row> cur = rows_of({}, kBase);
  Row agg = cur.front();
  agg.repetition.reset();
  agg.aggregate = "median";
  agg.value = 1;  // would be a huge drop if it counted
  cur.push_back(agg);
  Series other;
  other.readers = 2;
  std::vector<Row> only_cur = rows_of(other, kBase);
  cur.insert(cur.end(), only_cur.begin(), only_cur.end());
  Series gone;
  gone.primitive = "mutex";
  std::vector<Row> only_base = rows_of(gone, kBase);
  base.insert(base.end(), only_base.begin(), only_base.end());

  Comparison c = compare_runs(base, cur, {});
  ASSERT_EQ(c.results.size(), 3u);
  int unchanged = 0, added = 0, missing = 0;
  for (const SeriesResult& r : c.results) {
    if (r.verdict == Verdict::missing) {
      EXPECT_NE(r.note.find("gated series missing from the current run"), std::string::npos);
    }
  }
  for (const SeriesResult& r : c.results) {
    unchanged += r.verdict == Verdict::unchanged;
    added += r.verdict == Verdict::added && r.key.readers == 2;
    missing += r.verdict == Verdict::missing && r.key.primitive == "mutex";
    if (r.verdict == Verdict::unchanged) {
      EXPECT_EQ(r.n_current, 6u);
    }
  }
  EXPECT_EQ(unchanged, 1);
  EXPECT_EQ(added, 1);
  EXPECT_EQ(missing, 1);
  // A gated series that did not run fails the gate, loudly and first.
  EXPECT_TRUE(c.failed());
  const std::string table = format_comparison(c, Format::table);
  EXPECT_EQ(table.find("MISSING from the current run (1):"), 0u);
  EXPECT_NE(table.find("1 missing"), std::string::npos);
}

TEST(Compare, MissingInformationSeriesDoesNotFail) {
  Series latency;
  latency.metric = "read_p99_ns";
  latency.unit = "ns";
  const Comparison c =
      compare_runs(joined({rows_of({}, kBase), rows_of(latency, kBase)}), rows_of({}, kBase), {});
  ASSERT_EQ(c.results.size(), 2u);
  EXPECT_FALSE(c.failed());
}

TEST(Compare, EditedParametersAreANewSeriesNotARegression) {
  Series before, after;
  before.params = "00000001";
  after.params = "00000002";
  const Comparison c = compare_runs(rows_of(before, kBase), rows_of(after, kDown10), {});
  ASSERT_EQ(c.results.size(), 2u);
  for (const SeriesResult& r : c.results) {
    EXPECT_EQ(r.verdict, r.key.params == "00000001" ? Verdict::missing : Verdict::added);
    if (r.verdict == Verdict::missing) {
      EXPECT_NE(r.note.find("replaced by params 00000002"), std::string::npos) << r.note;
    }
  }
  EXPECT_FALSE(c.failed());
}

// The contract's two rules about counts, which the gate, the summary and rcubench's own
// table all call: which metrics are exact counts, and when shared-line writes are exact.
TEST(Contract, ExactCountsAndWhenSharedWritesAreExact) {
  for (const char* m : {"read_insns", "update_rmws", "read_acquires", "read_shared_writes"})
    EXPECT_TRUE(contract::is_exact_count(m)) << m;
  for (const char* m : {"read_shared_insns", "read_llsc_retries", "reads_per_s", "no_such"})
    EXPECT_FALSE(contract::is_exact_count(m)) << m;
  EXPECT_TRUE(is_insn_count(contract::kExecInsnCount, "read_rmws", "rmws"));
  EXPECT_FALSE(is_insn_count(contract::kExecInsnCount, "read_shared_insns", "instructions"));
  EXPECT_TRUE(is_insn_count(contract::kExecInsnCount, "future_insns", "instructions"));
  EXPECT_FALSE(is_insn_count(contract::kExecNative, "read_insns", "instructions"));
  using V = std::vector<double>;
  EXPECT_TRUE(contract::shared_writes_exact(V{25, 25}, V{25, 25, 25}));
  EXPECT_FALSE(contract::shared_writes_exact(V{25, 25}, V{25, 27}));  // contended once
  EXPECT_FALSE(contract::shared_writes_exact(V{25, 26}, V{25, 25}));  // one reader not exact
  EXPECT_FALSE(contract::shared_writes_exact(V{}, V{25}));
  EXPECT_FALSE(contract::shared_writes_exact(V{25}, V{}));
}

TEST(Compare, PrimaryMetricsAreGatedTheRestIsInformation) {
  EXPECT_EQ(primary_metric(0, false), "reads_per_s");
  EXPECT_EQ(primary_metric(1, false), "updates_per_s");
  EXPECT_EQ(primary_metric(1, true), "gp_p50_ns");
  auto gated = [](const std::string& workload, long updaters, const std::string& metric,
                  bool grace_periods) {
    std::vector<Row> rows;
    for (const char* m : {"reads_per_s", "updates_per_s", "read_p99_ns", "gp_p50_ns"}) {
      if (std::string(m) == "gp_p50_ns" && !grace_periods) continue;
      Series s;
      s.workload = workload;
      s.updaters = updaters;
      s.metric = m;
      s.unit = std::string(m).ends_with("_ns") ? "ns" : "1/s";
      rows = joined({rows, rows_of(s, kBase)});
    }
    for (const SeriesResult& r : compare_runs(rows, rows, {}).results)
      if (r.key.metric == metric) return r.gated;
    ADD_FAILURE() << metric;
    return false;
  };
  EXPECT_TRUE(gated("read-side", 0, "reads_per_s", false));
  EXPECT_FALSE(gated("read-side", 0, "updates_per_s", false));
  EXPECT_FALSE(gated("read-side", 0, "read_p99_ns", false));
  EXPECT_TRUE(gated("update-side", 1, "updates_per_s", false));
  EXPECT_FALSE(gated("update-side", 1, "reads_per_s", false));
  EXPECT_TRUE(gated("grace-periods", 1, "gp_p50_ns", true));
  EXPECT_FALSE(gated("grace-periods", 1, "updates_per_s", true));
}

TEST(Compare, HolmControlsTheFamilyOfGatedSeries) {
  // One series 6 against 6 fully separated (p = 2/924 = 0.00216) among n - 1 unchanged
  // ones: Holm multiplies the smallest p by n. 20 series: 0.043, a regression; 30: 0.065,
  // not significant, and the note says that six processes cannot reach the level.
  auto run = [](int series) {
    std::vector<Row> base, cur;
    for (int i = 0; i < series; ++i) {
      Series s;
      s.primitive = fmt::format("p{}", i);
      base = joined({base, rows_of(s, kBase)});
      cur = joined({cur, rows_of(s, i == 0 ? kDown10 : kBase)});
    }
    return compare_runs(base, cur, {});
  };
  Comparison c = run(20);
  EXPECT_EQ(c.family_size, 20u);
  const SeriesResult* first = &c.results.front();
  EXPECT_EQ(first->key.primitive, "p0");
  EXPECT_NEAR(first->p_value, 2.0 / 924, 1e-12);
  EXPECT_NEAR(first->p_adjusted, 20 * 2.0 / 924, 1e-12);
  EXPECT_EQ(first->verdict, Verdict::regression);
  EXPECT_TRUE(c.failed());
  c = run(30);
  first = &c.results.front();
  EXPECT_NEAR(first->p_adjusted, 30 * 2.0 / 924, 1e-12);
  EXPECT_EQ(first->verdict, Verdict::unchanged);
  EXPECT_FALSE(c.failed());
  EXPECT_NE(first->note.find("low power"), std::string::npos) << first->note;
  EXPECT_NE(verdict_line(c).find("Holm family-wise error 0.05"), std::string::npos);
}

TEST(Compare, ZeroBaselineIsNeverAnInfiniteChange) {
  const Comparison c = compare_runs(rows_of({}, {0, 0, 0, 0, 0, 0}), rows_of({}, kBase), {});
  const SeriesResult& r = only(c);
  EXPECT_TRUE(std::isnan(r.change));
  EXPECT_EQ(r.verdict, Verdict::improvement);  // judged by the test and the sign
  EXPECT_NE(r.note.find("baseline median is 0"), std::string::npos);
  const std::string table = format_comparison(c, Format::table);
  EXPECT_EQ(table.find("+inf"), std::string::npos);
  EXPECT_EQ(table.find("nan"), std::string::npos);
}

// Paired mode: process k of the current run against process k of the baseline.
CompareOptions paired() {
  CompareOptions o;
  o.mode = CompareMode::paired;
  return o;
}

TEST(ComparePaired, ConsistentSlowdownAcrossNoisyPairsIsARegression) {
  // The machine state moves each pair by up to 2x, the pairing cancels it: the current
  // side is 20 % slower in every pair, W+ = 0 of 8 pairs, p = 2/256.
  const std::vector<double> base = {100, 200, 150, 60, 180, 90, 120, 75};
  std::vector<double> cur;
  for (double v : base) cur.push_back(v * 0.8);
  Comparison c = compare_runs(rows_of({}, base), rows_of({}, cur), paired());
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.test, "signed-rank");
  EXPECT_EQ(r.n_baseline, 8u);
  EXPECT_DOUBLE_EQ(r.p_value, 2.0 / 256);
  EXPECT_NEAR(r.change, -0.2, 1e-12);  // the median ratio - 1
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_TRUE(c.failed());
  // Unpaired, the same samples overlap too much for the rank-sum test.
  EXPECT_EQ(only(compare_runs(rows_of({}, base), rows_of({}, cur), {})).verdict,
            Verdict::unchanged);
}

TEST(ComparePaired, UnpairedProcessesAreDroppedWithANote) {
  const std::vector<double> base = {100, 200, 150, 60, 180, 90, 120};
  std::vector<double> cur = {101, 199, 151, 59, 181, 89, 121, 500};  // process 7 has no pair
  Comparison c = compare_runs(rows_of({}, base), rows_of({}, cur), paired());
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.n_current, 7u);
  EXPECT_NE(r.note.find("1 unpaired process(es) dropped"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::unchanged);
}

TEST(ComparePaired, TooFewPairsOrNoProcessIndexIsInsufficient) {
  Comparison c = compare_runs(rows_of({}, {1, 2, 3, 4, 5}), rows_of({}, {9, 9, 9, 9, 9}), paired());
  EXPECT_EQ(only(c).verdict, Verdict::insufficient);  // five pairs reach p = 1/16 at best
  Series single;
  single.in_process = true;
  c = compare_runs(rows_of(single, kBase), rows_of(single, kDown10), paired());
  EXPECT_EQ(only(c).verdict, Verdict::insufficient);
  EXPECT_NE(only(c).note.find("without process indices cannot be paired"), std::string::npos);
}

// The detectable change: the smallest worse change the series's own spread lets its test
// flag as the only change of the family.
TEST(ComparePaired, DetectableChangeFollowsTheSpreadOfThePairs) {
  // 10 pairs whose log ratios are +-0.1 (a 10 % spread): a drop is flagged only once it
  // puts every pair below 1 with room to spare (W+ = 0 needs exp(-0.1) * (1 - x) < 1 for
  // the +0.1 pairs, i.e. x > 9.5 %, and p = 2/1024 < 0.05).
  std::vector<double> base, cur;
  for (int k = 0; k < 10; ++k) {
    base.push_back(100 + 10 * k);
    cur.push_back((100 + 10 * k) * std::exp(k % 2 ? 0.1 : -0.1));
  }
  const SeriesResult r = only(compare_runs(rows_of({}, base), rows_of({}, cur), paired()));
  EXPECT_EQ(r.verdict, Verdict::unchanged);
  EXPECT_LT(r.detectable, -0.095);
  EXPECT_GT(r.detectable, -0.11);
  // Only the spread counts, not the change this run shows: the same pairs 30 % slower.
  std::vector<double> slower = cur;
  for (double& v : slower) v *= 0.7;
  const SeriesResult r30 = only(compare_runs(rows_of({}, base), rows_of({}, slower), paired()));
  EXPECT_EQ(r30.verdict, Verdict::regression);
  EXPECT_DOUBLE_EQ(r30.detectable, r.detectable);
  // Pairs that agree exactly: the minimum effect is what limits.
  EXPECT_DOUBLE_EQ(only(compare_runs(rows_of({}, base), rows_of({}, base), paired())).detectable,
                   -0.05);
  // A lower-is-better metric is worse when it rises.
  Series latency;
  latency.metric = "gp_p50_ns";
  latency.unit = "ns";
  latency.updaters = 1;
  const SeriesResult up = only(compare_runs(rows_of(latency, base), rows_of(latency, cur), paired()));
  EXPECT_GT(up.detectable, 0.095);
  EXPECT_LT(up.detectable, 0.12);
}

TEST(Compare, DetectableChangeIsNaNWithoutPowerAndForInformation) {
  // Six pairs reach p = 2/64 at best: below 0.05 alone, not among 2 gated series.
  const std::vector<double> six = {100, 110, 120, 130, 140, 150};
  EXPECT_FALSE(std::isnan(only(compare_runs(rows_of({}, six), rows_of({}, six), paired())).detectable));
  Series other;
  other.primitive = "arc-swap";
  const Comparison two = compare_runs(joined({rows_of({}, six), rows_of(other, six)}),
                                      joined({rows_of({}, six), rows_of(other, six)}), paired());
  for (const SeriesResult& r : two.results) EXPECT_TRUE(std::isnan(r.detectable));
  ASSERT_EQ(two.notes.size(), 1u);
  EXPECT_NE(two.notes[0].find("NO POWER: none of the 2 tested gated series"), std::string::npos);
  EXPECT_TRUE(compare_runs(rows_of({}, six), rows_of({}, six), paired()).notes.empty());
  // Information series and instruction counts carry none.
  Series emulated;
  emulated.exec = "qemu";
  EXPECT_TRUE(std::isnan(only(compare_runs(rows_of(emulated, kBase), rows_of(emulated, kBase), {})).detectable));
  // Runs mode, 6 against 6 processes: samples within 5 % of each other separate at the
  // minimum effect; samples that spread over 100 .. 150 need a drop that leaves at most 5
  // of the 36 (current, baseline) pairs the right way round (p = 2 * 19/924 = 0.041),
  // short of putting all of them below 100 (a third).
  EXPECT_DOUBLE_EQ(only(compare_runs(rows_of({}, kBase), rows_of({}, kBase), {})).detectable, -0.05);
  const SeriesResult wide = only(compare_runs(rows_of({}, six), rows_of({}, six), {}));
  EXPECT_LT(wide.detectable, -0.15);
  EXPECT_GT(wide.detectable, -1.0 / 3);
}

// History mode: the current run's median against the band of the history's run medians.
std::vector<Row> history_runs(const std::vector<double>& medians, const Series& like = {}) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < medians.size(); ++i) {
    Series s = like;
    s.run_id = fmt::format("h{:02}", i);
    s.date = fmt::format("2026-11-{:02}T00:00:00+00:00", i + 1);
    s.in_process = true;  // old single-process runs serve as history too
    rows = joined({rows, rows_of(s, {medians[i] - 1, medians[i], medians[i] + 1})});
  }
  return rows;
}

CompareOptions history_mode() {
  CompareOptions o;
  o.mode = CompareMode::history;
  return o;
}

TEST(HistoryBand, OutsideTheBandAndLargeIsARegression) {
  // Run medians 100, 102, 98, 101, 99: median 100, MAD 1, band 100 +- 5 x 1.4826 = 7.4 ...
  // but at least 5 x 1 % of 100 = 5: 92.6 .. 107.4.
  const std::vector<Row> history = history_runs({100, 102, 98, 101, 99});
  Series cur;
  cur.run_id = "now";
  cur.date = "2026-12-01T00:00:00+00:00";
  auto judge = [&](std::vector<double> values) {
    return compare_runs(history, rows_of(cur, values), history_mode());
  };
  Comparison c = judge({80, 81, 79});
  const SeriesResult& r = only(c);
  EXPECT_EQ(r.test, "band");
  EXPECT_EQ(r.n_baseline, 5u);
  EXPECT_DOUBLE_EQ(r.median_baseline, 100);
  EXPECT_EQ(r.verdict, Verdict::regression);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(r.note.find("band 92.59 .. 107.4"), std::string::npos) << r.note;
  EXPECT_NEAR(r.detectable, -(1 - 92.5869 / 100), 1e-4);  // just below the band
  EXPECT_EQ(only(judge({94, 94, 94})).verdict, Verdict::unchanged);  // inside the band
  EXPECT_EQ(only(judge({110, 110})).verdict, Verdict::improvement);
  // A noisy history needs a bigger change: run medians 100 +- 10.
  c = compare_runs(history_runs({100, 110, 90, 105, 95}), rows_of(cur, {80}), history_mode());
  EXPECT_EQ(only(c).verdict, Verdict::unchanged);
}

TEST(HistoryBand, QuietHistoryHasAFloorAndTheMinimumEffectCounts) {
  Series cur;
  cur.run_id = "now";
  cur.date = "2026-12-01T00:00:00+00:00";
  const std::vector<Row> quiet = history_runs({100, 100, 100, 100, 100});
  // MAD 0: the floor keeps the band at 100 +- 5; 96 is inside.
  EXPECT_EQ(only(compare_runs(quiet, rows_of(cur, {96}), history_mode())).verdict,
            Verdict::unchanged);
  CompareOptions narrow = history_mode();
  narrow.band_k = 2;  // band 98 .. 102: 96 is outside, but below the 5 % minimum effect
  const Comparison c = compare_runs(quiet, rows_of(cur, {96}), narrow);
  EXPECT_EQ(only(c).verdict, Verdict::unchanged);
  EXPECT_NE(only(c).note.find("below the 5% minimum effect"), std::string::npos);
  // Four history runs are too few (a spread from so few is not to be trusted).
  EXPECT_EQ(
      only(compare_runs(history_runs({100, 100, 100, 100}), rows_of(cur, {50}), history_mode())).verdict,
      Verdict::insufficient);
}

TEST(HistoryBand, DriftIsReportedNotGated) {
  // Run medians 100, 101, 99, then 90, 91, 89 and the current 90: inside the wide band
  // (median 95, MAD 5), but the scan finds the step at the fourth run (score 10 / 1.48).
  Series cur;
  cur.run_id = "now";
  cur.date = "2026-12-01T00:00:00+00:00";
  const Comparison c =
      compare_runs(history_runs({100, 101, 99, 90, 91, 89}), rows_of(cur, {90}), history_mode());
  EXPECT_EQ(only(c).verdict, Verdict::unchanged);
  EXPECT_FALSE(c.failed());
  ASSERT_EQ(c.drifts.size(), 1u);
  EXPECT_EQ(c.drifts[0].first_run_after, "h03");
  EXPECT_EQ(c.drifts[0].runs_before, 3u);
  EXPECT_EQ(c.drifts[0].runs_after, 4u);
  EXPECT_NEAR(c.drifts[0].shift, -0.1, 1e-12);
  EXPECT_NE(only(c).note.find("drift -10.0% from h03"), std::string::npos) << only(c).note;
  EXPECT_NE(format_comparison(c, Format::table).find("Drift over the history"), std::string::npos);
  // The same step in an information series (not the primary metric) is not listed.
  Series latency = cur;
  latency.metric = "read_p99_ns";
  latency.unit = "ns";
  const Comparison info = compare_runs(history_runs({100, 101, 99, 90, 91, 89}, latency),
                                       rows_of(latency, {90}), history_mode());
  EXPECT_TRUE(info.drifts.empty());
}

TEST(Compare, FormatsCarryEveryVerdict) {
  std::vector<Row> base = rows_of({}, kBase);
  std::vector<Row> cur = rows_of({}, kDown10);
  Comparison c = compare_runs(base, cur, {});
  const std::string csv = format_comparison(c, Format::csv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "verdict,gated,arch,exec,workload,primitive,readers,updaters,params,metric,unit,"
            "n_baseline,n_current,median_baseline,median_current,change,detectable,p_value,"
            "p_adjusted,test,note");
  EXPECT_NE(csv.find("\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,-,reads_per_s,1/s,6,"
                     "6,100.5,89.5,"),
            std::string::npos);
  EXPECT_EQ(detectable_line(compare_runs(base, base, {})),
            "Detectable change of the gated series (median over series; the smallest worse "
            "change their spread lets the gate flag): reads_per_s -5.0% (1 series)");
  const std::string md = format_comparison(c, Format::markdown);
  EXPECT_NE(md.find("## Regressions (1)"), std::string::npos);
  EXPECT_NE(md.find("| yes | x86_64 | native | read-side | rcu-memb |"), std::string::npos);
  EXPECT_NE(md.find("FAIL"), std::string::npos);
  const std::string table = format_comparison(c, Format::table);
  EXPECT_NE(table.find("Regressions (1):"), std::string::npos);
  EXPECT_NE(table.find("-10.9%"), std::string::npos);
  EXPECT_NE(table.find("1 gated series: 1 regression(s)"), std::string::npos);
}

TEST(History, Iso8601Dates) {
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601("1970-01-02T00:00:01"), 86401);
  // 2026-01-01 is 20454 days after 1970-01-01 (56 years, 14 leap days); Nov 28 is 331
  // days later: 20785 * 86400 + 4:05:12.
  EXPECT_EQ(parse_iso8601("2026-11-28T04:05:12+00:00"), 20785LL * 86400 + 14712);
  EXPECT_EQ(parse_iso8601("2026-11-28T06:05:12+02:00"), 20785LL * 86400 + 14712);
  EXPECT_EQ(parse_iso8601("2026-11-28T04:05:12.123-0100"), 20785LL * 86400 + 14712 + 3600);
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_iso8601("2026-13-28T04:05:12Z"));
  EXPECT_FALSE(parse_iso8601("2026-11-28T04:05:12 trailing"));
}

TEST(History, BaselineIsTheLastNRunsOfTheSameMachine) {
  std::vector<Row> history;
  auto add_run = [&](const std::string& id, const std::string& date, const std::string& cpu,
                     double value) {
    Series s;
    s.run_id = id;
    s.date = date;
    s.cpu_model = cpu;
    std::vector<Row> rows = rows_of(s, {value, value, value, value, value});
    history.insert(history.end(), rows.begin(), rows.end());
  };
  // Listed out of order; dates decide. Offsets count: r3 (01:00Z) is before r2 (02:00Z).
  add_run("r4", "2026-11-04T00:00:00+00:00", "cpu A", 4);
  add_run("r1", "2026-11-01T00:00:00+00:00", "cpu A", 1);
  add_run("r2", "2026-11-03T02:00:00+00:00", "cpu A", 2);
  add_run("r3", "2026-11-03T03:00:00+02:00", "cpu A", 3);
  add_run("other", "2026-11-05T00:00:00+00:00", "cpu B", 99);  // another machine
  Series cur;
  cur.run_id = "now";
  cur.date = "2026-11-06T00:00:00+00:00";
  std::vector<Row> current = rows_of(cur, kBase);
  add_run("now", cur.date, "cpu A", 1000);  // the current run, already recorded

  std::vector<std::string> notes;
  std::vector<Row> base = baseline_from_history(history, current, 2, &notes);
  std::set<std::string> ids;
  for (const Row& r : base) ids.insert(r.run_id);
  EXPECT_EQ(ids, (std::set<std::string>{"r2", "r4"}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("baseline from 2 run(s): r2, r4"), std::string::npos);

  base = baseline_from_history(history, current, 10, nullptr);
  ids.clear();
  for (const Row& r : base) ids.insert(r.run_id);
  EXPECT_EQ(ids, (std::set<std::string>{"r1", "r2", "r3", "r4"}));

  cur.cpu_model = "cpu C";
  notes.clear();
  EXPECT_TRUE(baseline_from_history(history, rows_of(cur, kBase), 5, &notes).empty());
  EXPECT_NE(notes[0].find("no earlier run of this machine"), std::string::npos);
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rcubench-report-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

using Record = TempDir;

TEST_F(Record, OneFilePerRunNeverRewritten) {
  Series a, b;
  a.run_id = "20261128T040512Z-e994f8f3aaad";
  b.run_id = "20261129T000000Z-0123456789ab";
  std::vector<Row> rows = rows_of(a, kBase);
  std::vector<Row> more = rows_of(b, kDown10);
  rows.insert(rows.end(), more.begin(), more.end());
  std::vector<fs::path> written = record_runs(dir_ / "history", rows);
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0], dir_ / "history" / (a.run_id + ".csv"));
  // Compact: one series of six processes, its median kept.
  std::vector<HistoryRun> back = read_history_file(written[1]);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].run_id, b.run_id);
  ASSERT_EQ(back[0].series.size(), 1u);
  EXPECT_EQ(back[0].series[0].n, kDown10.size());
  EXPECT_EQ(back[0].series[0].median, 89.5);

  // Again, with one new run beside an old one: refused as a whole, nothing touched.
  Series c;
  c.run_id = "20261130T000000Z-ffffffffffff";
  std::vector<Row> again = rows_of(c, kBase);
  std::vector<Row> old = rows_of(a, kUp10);
  again.insert(again.end(), old.begin(), old.end());
  const std::string before = read_file(written[0]);
  EXPECT_THROW(record_runs(dir_ / "history", again), InputError);
  EXPECT_EQ(read_file(written[0]), before);
  EXPECT_FALSE(fs::exists(dir_ / "history" / (c.run_id + ".csv")));
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "history")) files += e.is_regular_file();
  EXPECT_EQ(files, 2);  // no temporary files left behind
}

TEST_F(Record, RunIdMustBeAFileName) {
  for (const char* bad : {"../escape", "a/b", ".hidden", "with space"}) {
    Series s;
    s.run_id = bad;
    EXPECT_THROW(record_runs(dir_, rows_of(s, kBase)), InputError) << bad;
  }
}

using HistoryAccept = TempDir;

TEST_F(HistoryAccept, RunsBeforeTheAcceptedRunLeaveTheBaseline) {
  std::vector<Row> history;
  for (int day = 1; day <= 5; ++day) {
    Series s;
    s.run_id = fmt::format("r{}", day);
    s.date = fmt::format("2026-11-0{}T00:00:00+00:00", day);
    history = joined({history, rows_of(s, {100.0 * day})});
  }
  record_runs(dir_, history);
  Series cur;
  cur.run_id = "now";
  cur.date = "2026-11-09T00:00:00+00:00";
  const std::vector<Row> current = rows_of(cur, kBase);

  EXPECT_TRUE(accept_run(dir_, "r3"));
  EXPECT_TRUE(fs::exists(dir_ / "r3.accepted"));
  EXPECT_FALSE(accept_run(dir_, "r3"));                 // once is enough: nothing rewritten
  EXPECT_THROW(accept_run(dir_, "r9"), InputError);     // not recorded
  EXPECT_THROW(accept_run(dir_, "../r3"), InputError);  // not a run_id
  EXPECT_EQ(accepted_runs(dir_), std::vector<std::string>{"r3"});

  std::vector<std::string> notes;
  std::vector<Row> base =
      baseline_from_history(load_history(dir_), current, 10, &notes, accepted_runs(dir_));
  std::set<std::string> ids;
  for (const Row& r : base) ids.insert(r.run_id);
  EXPECT_EQ(ids, (std::set<std::string>{"r3", "r4", "r5"}));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("2 run(s) before the accepted run r3 left out"), std::string::npos);
  // A later acceptance moves the start again; another machine's runs are untouched.
  EXPECT_TRUE(accept_run(dir_, "r5"));
  base = baseline_from_history(load_history(dir_), current, 10, nullptr, accepted_runs(dir_));
  ids.clear();
  for (const Row& r : base) ids.insert(r.run_id);
  EXPECT_EQ(ids, (std::set<std::string>{"r5"}));
  cur.cpu_model = "cpu B";
  EXPECT_TRUE(baseline_from_history(load_history(dir_), rows_of(cur, kBase), 10, nullptr,
                                    accepted_runs(dir_))
                  .empty());
}

using AtomicWrite = TempDir;

TEST_F(AtomicWrite, ReplacesWholeAndRefusesExisting) {
  fs::create_directories(dir_);
  write_file_atomic(dir_ / "f.txt", "one");
  write_file_atomic(dir_ / "f.txt", "two");
  EXPECT_EQ(read_file(dir_ / "f.txt"), "two");
  EXPECT_FALSE(write_file_new(dir_ / "f.txt", "three"));
  EXPECT_EQ(read_file(dir_ / "f.txt"), "two");
  EXPECT_TRUE(write_file_new(dir_ / "g.txt", "new"));
  EXPECT_EQ(read_file(dir_ / "g.txt"), "new");
  EXPECT_THROW(write_file_atomic(dir_ / "missing-dir" / "f.txt", "x"), InputError);
}

// Exact instruction counts: gated on every arch, emulated included, by a tolerance of
// max(1 instruction, 0.5 %, either side's spread) instead of a rank test.
Series insn_series(const std::string& arch, const std::string& primitive = "urcu-memb") {
  Series s;
  s.arch = arch;
  s.exec = "qemu-insn-count";
  s.primitive = primitive;
  s.metric = "read_insns";
  s.unit = "instructions";
  return s;
}

TEST(Compare, PlantedInstructionsAreAGatedRegressionOnEveryArch) {
  for (const char* arch : {"x86_64", "aarch64", "riscv64"}) {
    Comparison c =
        compare_runs(rows_of(insn_series(arch), {29}), rows_of(insn_series(arch), {34}), {});
    const SeriesResult& r = only(c);
    EXPECT_EQ(r.verdict, Verdict::regression) << arch;
    EXPECT_TRUE(r.gated) << arch;
    EXPECT_TRUE(c.failed()) << arch;
    EXPECT_EQ(r.test, "count");
    EXPECT_NE(r.note.find("+5.00 instructions per operation (29.00 -> 34.00)"), std::string::npos)
        << r.note;
    EXPECT_EQ(r.note.find("emulated"), std::string::npos) << r.note;
  }
}

TEST(Compare, IdenticalInstructionCountsPassWithOneSample) {
  Comparison c = compare_runs(rows_of(insn_series("aarch64"), {28, 28}),
                              rows_of(insn_series("aarch64"), {28}), {});
  EXPECT_EQ(only(c).verdict, Verdict::unchanged);
  EXPECT_FALSE(c.failed());
}

TEST(Compare, InstructionToleranceIsOneInstructionOrHalfAPercent) {
  auto verdict = [](double base, double cur) {
    return only(compare_runs(rows_of(insn_series("riscv64"), {base}),
                             rows_of(insn_series("riscv64"), {cur}), {}))
        .verdict;
  };
  EXPECT_EQ(verdict(6, 7), Verdict::unchanged);   // one instruction
  EXPECT_EQ(verdict(6, 8), Verdict::regression);  // two
  EXPECT_EQ(verdict(6, 4), Verdict::improvement);
  EXPECT_EQ(verdict(1000, 1005), Verdict::unchanged);   // 0.5 %
  EXPECT_EQ(verdict(1000, 1006), Verdict::regression);  // 0.6 %
}

TEST(Compare, InstructionToleranceWidensToTheObservedSpread) {
  Series deferred = insn_series("x86_64", "rcu-memb-defer");
  deferred.metric = "update_insns";
  // A path that does not repeat exactly (a deferred free's hand-off) spreads over 20
  // instructions: a move of 15 is inside that, a move of 40 is not.
  auto verdict = [&](std::vector<double> cur) {
    return only(compare_runs(rows_of(deferred, {800, 810, 820}), rows_of(deferred, cur), {}))
        .verdict;
  };
  EXPECT_EQ(verdict({825}), Verdict::unchanged);
  EXPECT_EQ(verdict({850}), Verdict::regression);
  EXPECT_EQ(verdict({790, 860}), Verdict::unchanged);  // the current side spreads over 70
}

TEST(Compare, InstructionToleranceIgnoresTheSpreadBetweenHistoryRuns) {
  // The counting pass: one process, three repetitions of each count.
  auto run = [](const std::string& id, int day, std::vector<double> counts) {
    Series s = insn_series("x86_64");
    s.run_id = id;
    s.date = fmt::format("2026-11-{:02}T00:00:00+00:00", day);
    s.in_process = true;
    return rows_of(s, counts);
  };
  // Eight runs at 100, one at 130 (a regression, later reverted), one at 100 again: the
  // runs differ because their commits do, not because the path fails to repeat. Each run
  // repeats its count exactly, so the tolerance stays one instruction and 125 fails.
  std::vector<Row> history;
  const std::vector<double> counts = {100, 100, 100, 100, 100, 100, 100, 100, 130, 100};
  for (std::size_t i = 0; i < counts.size(); ++i)
    history = joined({history, run(fmt::format("h{:02}", i), static_cast<int>(i) + 1,
                                   {counts[i], counts[i], counts[i]})});
  auto judge = [&](double count) {
    return only(compare_runs(history, run("now", 30, {count, count, count}), history_mode()));
  };
  const SeriesResult r = judge(125);
  EXPECT_EQ(r.verdict, Verdict::regression) << r.note;
  EXPECT_NE(r.note.find("+25.00 instructions per operation (100.00 -> 125.00), beyond the "
                        "tolerance of 1.00"),
            std::string::npos)
      << r.note;
  EXPECT_EQ(judge(101).verdict, Verdict::unchanged);
  // A run whose own repetitions spread (over 20 here) still widens it.
  history = joined({history, run("h10", 11, {90, 100, 110})});
  EXPECT_EQ(judge(115).verdict, Verdict::unchanged);
  EXPECT_EQ(judge(125).verdict, Verdict::regression);
}

// The rest of the profile is gated like the instruction count; one more atomic, fence,
// acquire, release or shared-line write per operation is a finding (layout does not move
// them), where a load or a store more is inside the one-access tolerance.
TEST(Compare, ProfileCountsAreGatedAndOneMoreFenceIsAFinding) {
  auto judge = [](const char* metric, const char* unit, double base, double cur) {
    Series s = insn_series("aarch64", "bare");
    s.metric = metric;
    s.unit = unit;
    return only(compare_runs(rows_of(s, {base}), rows_of(s, {cur}), {}));
  };
  for (auto [metric, unit] : {std::pair{"read_acquires", "acquires"}, {"read_fences", "fences"},
                              {"read_full_fences", "fences"}, {"update_rmws", "rmws"},
                              {"update_releases", "releases"}}) {
    const SeriesResult r = judge(metric, unit, 0, 1);
    EXPECT_EQ(r.verdict, Verdict::regression) << metric;
    EXPECT_TRUE(r.gated) << metric;
    EXPECT_NE(r.note.find(fmt::format("+1.00 {} per operation (0.00 -> 1.00)", unit)),
              std::string::npos)
        << r.note;
    EXPECT_EQ(judge(metric, unit, 2, 2.25).verdict, Verdict::unchanged) << metric;
  }
  EXPECT_EQ(judge("read_loads", "loads", 3, 4).verdict, Verdict::unchanged);
  EXPECT_EQ(judge("read_loads", "loads", 3, 5).verdict, Verdict::regression);
  EXPECT_TRUE(judge("update_stores", "stores", 3, 5).gated);
  // Information, not gated: retries depend on contention, and so do the instructions of
  // two readers at once.
  for (auto [metric, unit] : {std::pair{"read_shared_retries", "retries"},
                              {"read_shared_insns", "instructions"}, {"update_llsc_retries", "retries"}}) {
    const SeriesResult r = judge(metric, unit, 0, 5);
    EXPECT_FALSE(r.gated) << metric;
    EXPECT_NE(r.note.find("only its exact counts are gated"), std::string::npos) << r.note;
  }
}

// Shared-line writes are exact, and gated, only where the two readers ran the one-reader
// path: where they contended (more instructions per read), they follow the interleaving.
TEST(Compare, SharedLineWritesAreGatedOnlyWhereTheReadersDidNotContend) {
  auto side = [](double writes, double shared_insns) {
    Series s = insn_series("x86_64", "rwlock-pthread");
    std::vector<Row> rows = rows_of(s, {73, 73});  // read_insns
    s.metric = "read_shared_insns";
    rows = joined({rows, rows_of(s, {shared_insns, shared_insns})});
    s.metric = "read_shared_writes";
    s.unit = "writes";
    return joined({rows, rows_of(s, {writes, writes})});
  };
  auto shared = [](const Comparison& c) {
    for (const SeriesResult& r : c.results)
      if (r.key.metric == "read_shared_writes") return r;
    ADD_FAILURE() << "no read_shared_writes";
    return SeriesResult{};
  };
  const SeriesResult exact = shared(compare_runs(side(2, 73), side(3, 73), {}));
  EXPECT_TRUE(exact.gated);
  EXPECT_EQ(exact.verdict, Verdict::regression) << exact.note;
  for (auto [base, cur] : {std::pair{73.0, 75.5}, {75.5, 73.0}, {75.5, 75.5}}) {
    const SeriesResult contended = shared(compare_runs(side(2, base), side(3, cur), {}));
    EXPECT_FALSE(contended.gated) << base << " " << cur;
    EXPECT_NE(contended.note.find("the two readers contended"), std::string::npos)
        << contended.note;
  }
}

TEST(Compare, TimingsOfACountingRunAreNotGated) {
  Series timing = insn_series("x86_64");
  timing.metric = "real_time";
  timing.unit = "ms";
  Comparison c = compare_runs(rows_of(timing, kBase), rows_of(timing, kUp10), {});
  EXPECT_EQ(only(c).verdict, Verdict::regression);
  EXPECT_FALSE(only(c).gated);
  EXPECT_FALSE(c.failed());
  EXPECT_NE(only(c).note.find("only its exact counts are gated"), std::string::npos);
}

TEST(History, InstructionCountsOfAnyHostCpuFormTheBaseline) {
  Series earlier = insn_series("riscv64"), now = insn_series("riscv64");
  earlier.run_id = "r1";
  earlier.date = "2026-11-01T00:00:00+00:00";
  earlier.cpu_model = "host CPU A";
  now.run_id = "r2";
  now.date = "2026-11-02T00:00:00+00:00";
  now.cpu_model = "host CPU B";
  std::vector<Row> base = baseline_from_history(rows_of(earlier, {30}), rows_of(now, {30}), 5);
  ASSERT_EQ(base.size(), 1u);
  EXPECT_EQ(base[0].run_id, "r1");
  // Timings stay per CPU model.
  earlier.exec = now.exec = "native";
  EXPECT_TRUE(baseline_from_history(rows_of(earlier, {30}), rows_of(now, {30}), 5).empty());
}

TEST(Summary, OversubscribedRunsAreMarked) {
  Series fits, over, flag;
  over.readers = 3;
  flag.readers = 3;
  flag.metric = "oversubscribed";
  flag.unit = "-";
  std::vector<Row> rows =
      joined({rows_of(fits, {400, 410, 405}), rows_of(over, {90, 91, 92}), rows_of(flag, {1})});
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("0 (oversubscribed)"), std::string::npos) << text;
  EXPECT_EQ(text.find("oversubscribed"), text.rfind("oversubscribed")) << text;  // once only
}

std::vector<std::string> cells_of(const std::string& text, const std::string& start,
                                  const std::string& from);

TEST(Summary, InstructionCountsAndRcuAgainstRawLiburcu) {
  Series rcu = insn_series("aarch64", "rcu-memb"), raw = insn_series("aarch64", "urcu-memb");
  std::vector<Row> rows = rows_of(rcu, {28, 28});
  for (const auto& more : {rows_of(raw, {28}), rows_of(insn_series("aarch64", "bare"), {5})})
    rows.insert(rows.end(), more.begin(), more.end());
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("aarch64 exact profile per operation"), std::string::npos) << text;
  EXPECT_EQ(cells_of(text, "rcu-memb", "exact profile").at(1), "28") << text;
  EXPECT_EQ(cells_of(text, "bare", "exact profile").at(1), "5") << text;
  EXPECT_NE(text.find("rcu-memb / urcu-memb"), std::string::npos) << text;
  EXPECT_NE(text.find("1.000"), std::string::npos) << text;
  EXPECT_EQ(text.find("no reads_per_s"), std::string::npos) << text;
}

// The cells of the table line of `text` that starts with `start`, the first such line
// after `from` (cells are two spaces or more apart); none if there is no such line.
std::vector<std::string> cells_of(const std::string& text, const std::string& start,
                                  const std::string& from) {
  const std::size_t after = text.find(from);
  const std::size_t at = after == std::string::npos ? after : text.find("\n" + start, after);
  if (at == std::string::npos) return {};
  const std::string line = text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t gap = line.find("  ", i);
    const std::size_t end = gap == std::string::npos ? line.size() : gap;
    if (end > i) cells.push_back(line.substr(i, end - i));
    i = line.find_first_not_of(' ', end);
    if (i == std::string::npos) break;
  }
  return cells;
}

// One line per primitive of the profile: instructions, loads/stores, RMWs, fences (with
// the full ones), acquires/releases and shared-line writes of the read path, the same
// but shared of the update path; whole numbers as such, the rest to two decimals.
TEST(Summary, ProfileTableHasOneLinePerPrimitive) {
  std::vector<Row> rows;
  auto add = [&](const char* metric, const char* unit, double value,
                 const char* primitive = "rwlock-pthread") {
    Series s = insn_series("riscv64", primitive);
    s.metric = metric;
    s.unit = unit;
    rows = joined({rows, rows_of(s, {value})});
  };
  add("read_insns", "instructions", 73);
  add("read_loads", "loads", 18);
  add("read_stores", "stores", 8);
  add("read_rmws", "rmws", 2);
  add("read_fences", "fences", 2);
  add("read_full_fences", "fences", 1);
  add("read_acquires", "acquires", 1);
  add("read_releases", "releases", 0);
  add("read_shared_writes", "writes", 2.25);
  add("read_shared_retries", "retries", 4);  // information: not in the table
  add("read_shared_insns", "instructions", 75.5);  // more than one reader's: contended
  add("update_insns", "instructions", 142);
  add("update_rmws", "rmws", 3);
  add("read_insns", "instructions", 7, "hazptr");
  add("read_shared_insns", "instructions", 7, "hazptr");
  add("read_shared_writes", "writes", 0, "hazptr");
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("riscv64 exact profile per operation"), std::string::npos) << text;
  EXPECT_EQ(cells_of(text, "rwlock-pthread", "exact profile"),
            (std::vector<std::string>{"rwlock-pthread", "73", "18/8", "2", "2 (1 full)", "1/0",
                                      "2.25*", "142", "-/-", "3", "-", "-/-"}))
      << text;
  EXPECT_EQ(cells_of(text, "hazptr", "exact profile"),
            (std::vector<std::string>{"hazptr", "7", "-/-", "-", "-", "-/-", "0", "-", "-/-",
                                      "-", "-", "-/-"}))
      << text;
}


const std::string kRawTitle = "Rcu<P> against raw liburcu of the same flavor";
using Cells = std::vector<std::string>;

// rcu-qsbr against urcu-qsbr, read side, 1 reader. Inside each process the ratios are
// 0.50, 3.00 and 0.70, whose median is 0.70x; process 3 ran urcu-qsbr only and has no
// ratio. The ratio of the medians over the processes would be 600 / 150 = 4.00x.
TEST(Summary, RawLiburcuTimeRatioIsTakenInsideEachProcess) {
  Series rcu, raw;
  rcu.primitive = "rcu-qsbr";
  raw.primitive = "urcu-qsbr";
  std::vector<Row> rows = joined({rows_of(rcu, {50, 600, 700}), rows_of(raw, {100, 200, 1000, 9})});
  const std::string text = summary_of(rows);
  const Cells want = {"rcu-qsbr / urcu-qsbr", "-", "0.70x [0.50x..3.00x] n=3", "-", "-"};
  EXPECT_EQ(cells_of(text, "rcu-qsbr / urcu-qsbr", "x86_64 (native), " + kRawTitle), want) << text;

  // Median aggregate rows alone (no iterations) pair by process the same way.
  for (Row& r : rows) {
    r.repetition.reset();
    r.aggregate = "median";
  }
  const std::string aggregates = summary_of(rows);
  EXPECT_EQ(cells_of(aggregates, "rcu-qsbr / urcu-qsbr", kRawTitle), want) << aggregates;
}

// Reads at 1 reader and at the largest reader count, updates of the synchronous flavor
// only, instruction ratios beside them.
TEST(Summary, RawLiburcuRatiosAtOneAndMostReadersAndForUpdates) {
  std::vector<Row> rows;
  auto add = [&rows](const char* primitive, const char* workload, long readers, long updaters,
                     const char* metric, const std::vector<double>& values) {
    Series s;
    s.primitive = primitive;
    s.workload = workload;
    s.readers = readers;
    s.updaters = updaters;
    s.metric = metric;
    auto more = rows_of(s, values);
    rows.insert(rows.end(), more.begin(), more.end());
  };
  add("rcu-memb", "read-side", 1, 0, "reads_per_s", {90, 100});
  add("urcu-memb", "read-side", 1, 0, "reads_per_s", {100, 100});  // 0.90, 1.00
  add("rcu-memb", "read-side", 2, 0, "reads_per_s", {1, 1});       // between: not shown
  add("urcu-memb", "read-side", 2, 0, "reads_per_s", {9, 9});
  add("rcu-memb", "read-side", 4, 0, "reads_per_s", {200, 320});
  add("urcu-memb", "read-side", 4, 0, "reads_per_s", {400, 400});  // 0.50, 0.80
  add("rcu-memb-defer", "read-side", 4, 0, "reads_per_s", {400, 400});
  add("rcu-memb", "update-side", 1, 1, "updates_per_s", {30, 60});
  add("urcu-memb", "update-side", 1, 1, "updates_per_s", {20, 20});  // 1.50, 3.00
  add("rcu-memb-defer", "update-side", 1, 1, "updates_per_s", {900, 900});
  for (auto [primitive, update] :
       {std::pair{"rcu-memb", 1100.0}, {"urcu-memb", 1000.0}, {"rcu-memb-defer", 800.0}}) {
    Series count = insn_series("x86_64", primitive);
    auto reads = rows_of(count, {8});
    count.metric = "update_insns";
    rows = joined({rows, reads, rows_of(count, {update})});
  }
  const std::string text = summary_of(rows);
  EXPECT_EQ(cells_of(text, "ratio", kRawTitle),
            (Cells{"ratio", "read insns", "reads/s 1 reader", "reads/s 4 readers", "update insns",
                   "updates/s"}))
      << text;
  EXPECT_NE(text.find("updates/s (update-side, 1 reader and 1 updater)"), std::string::npos)
      << text;
  EXPECT_EQ(cells_of(text, "rcu-memb / urcu-memb", kRawTitle),
            (Cells{"rcu-memb / urcu-memb", "1.000", "0.95x [0.90x..1.00x] n=2",
                   "0.65x [0.50x..0.80x] n=2", "1.100", "2.25x [1.50x..3.00x] n=2"}))
      << text;
  // The deferred variant reads through the same path: its reads against urcu-memb (no
  // 1-reader run: "-"); it frees later than raw liburcu: no update ratio.
  EXPECT_EQ(
      cells_of(text, "rcu-memb-defer / urcu-memb", kRawTitle),
      (Cells{"rcu-memb-defer / urcu-memb", "1.000", "-", "1.00x [1.00x..1.00x] n=2", "n/a", "n/a"}))
      << text;
  EXPECT_NE(text.find("n/a: -defer and -batch free after a grace period"), std::string::npos)
      << text;
}

// An emulated arch's time ratios are marked; an arch without timings or without counts
// keeps its rows, with "-"; a ratio from one process says so.
TEST(Summary, RawLiburcuRatiosMarkEmulationMissingDataAndSingleProcesses) {
  Series rcu, raw, arm_rcu, arm_raw;
  rcu.primitive = arm_rcu.primitive = "rcu-qsbr";
  raw.primitive = arm_raw.primitive = "urcu-qsbr";
  arm_rcu.arch = arm_raw.arch = "aarch64";
  arm_rcu.exec = arm_raw.exec = "qemu";
  std::vector<Row> rows =
      joined({rows_of(rcu, {40, 42}), rows_of(raw, {100, 100}), rows_of(arm_rcu, {8, 9}),
              rows_of(arm_raw, {10, 10}), rows_of(insn_series("riscv64", "rcu-qsbr"), {8}),
              rows_of(insn_series("riscv64", "urcu-qsbr"), {6})});
  const std::string text = summary_of(rows);
  const std::string x86 = "x86_64 (native), " + kRawTitle + "\n";
  const std::string arm =
      "aarch64 (emulated), " + kRawTitle + ": time ratios are not hardware performance\n";
  const std::string riscv = "riscv64 (no timings), " + kRawTitle + "\n";
  for (const std::string& title : {x86, arm, riscv})
    EXPECT_NE(text.find(title), std::string::npos) << title << text;
  EXPECT_EQ(cells_of(text, "rcu-qsbr / urcu-qsbr", x86),
            (Cells{"rcu-qsbr / urcu-qsbr", "-", "0.41x [0.40x..0.42x] n=2", "-", "-"}))
      << text;
  EXPECT_EQ(cells_of(text, "rcu-qsbr / urcu-qsbr", arm),
            (Cells{"rcu-qsbr / urcu-qsbr", "-", "0.85x [0.80x..0.90x] n=2", "-", "-"}))
      << text;
  EXPECT_EQ(cells_of(text, "rcu-qsbr / urcu-qsbr", riscv),
            (Cells{"rcu-qsbr / urcu-qsbr", "1.333", "-", "-", "-"}))
      << text;
  EXPECT_NE(text.find("-: not in the results for one side on this arch"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("n=1"), std::string::npos) << text;

  // One process, three in-process repetitions: one sample, said so.
  rcu.in_process = raw.in_process = true;
  const std::string single =
      summary_of(joined({rows_of(rcu, {40, 50, 60}), rows_of(raw, {100, 100, 100})}));
  EXPECT_EQ(cells_of(single, "rcu-qsbr / urcu-qsbr", kRawTitle),
            (Cells{"rcu-qsbr / urcu-qsbr", "-", "0.50x n=1", "-", "-"}))
      << single;
  EXPECT_NE(single.find("n=1: from one process only (fewer than 2)"), std::string::npos) << single;
}

// A stalls sweep: the memory each primitive held per stall length, and per stall who held
// the most and the least, and whose updaters waited instead.
TEST(Summary, StallsNameWhoHoldsMemoryAndWhoseUpdatersWait) {
  std::vector<Row> rows;
  auto add = [&rows](const char* primitive, double stall, const char* metric, const char* unit,
                     const std::vector<double>& values) {
    Series s;
    s.workload = "stalls";
    s.primitive = primitive;
    s.updaters = 1;
    s.stall_us = stall;
    s.metric = metric;
    s.unit = unit;
    auto more = rows_of(s, values);
    rows.insert(rows.end(), more.begin(), more.end());
  };
  for (double stall : {0.0, 10000.0}) {
    const bool stalled = stall > 0;
    add("rcu-memb-defer", stall, "held_peak_bytes", "bytes",
        {stalled ? 8.0 * 1024 * 1024 : 4096, stalled ? 8.0 * 1024 * 1024 : 4096});
    add("rcu-memb-defer", stall, "held_mean_bytes", "bytes", {1024, 1024});
    add("rcu-memb-defer", stall, "updates_per_s", "1/s", {2e6, 2e6});
    add("hazptr", stall, "held_peak_bytes", "bytes", {8192, 8192});
    add("hazptr", stall, "held_mean_bytes", "bytes", {4096, 4096});
    add("hazptr", stall, "updates_per_s", "1/s", {1e6, 1e6});
    add("rwlock-pthread", stall, "held_peak_bytes", "bytes", {0, 0});
    add("rwlock-pthread", stall, "held_mean_bytes", "bytes", {0, 0});
    // Its second copy: always one object, nothing retired.
    add("left-right", stall, "held_peak_bytes", "bytes", {64, 64});
    add("left-right", stall, "held_mean_bytes", "bytes", {64, 64});
    add("left-right", stall, "updates_per_s", "1/s", {stalled ? 1e5 : 2e5, stalled ? 1e5 : 2e5});
    // A synchronous free: little held, but the updater waits out the stall.
    add("rcu-memb", stall, "held_peak_bytes", "bytes", {64, 64});
    add("rcu-memb", stall, "held_mean_bytes", "bytes", {60, 60});
    add("rcu-memb", stall, "updates_per_s", "1/s", {stalled ? 4e5 : 2e6, stalled ? 4e5 : 2e6});
    add("rwlock-pthread", stall, "updates_per_s", "1/s", {stalled ? 1e4 : 3e6, stalled ? 1e4 : 3e6});
    // The p99 update latency: the locks' and rcu-memb's wait out most of the stall.
    add("rcu-memb", stall, "update_p99_ns", "ns", {stalled ? 9.8e6 : 5e4, stalled ? 9.8e6 : 5e4});
    add("rwlock-pthread", stall, "update_p99_ns", "ns",
        {stalled ? 9.9e6 : 1e3, stalled ? 9.9e6 : 1e3});
    add("hazptr", stall, "update_p99_ns", "ns", {4e6, 4e6});  // less than half the stall
    // A paced updater that catches up after the stall: its updates/s do not fall, but the
    // updates it held up waited.
    add("atomic-shared-ptr", stall, "held_peak_bytes", "bytes", {256, 256});
    add("atomic-shared-ptr", stall, "held_mean_bytes", "bytes", {100, 100});
    add("atomic-shared-ptr", stall, "updates_per_s", "1/s", {1e4, 1e4});
    add("atomic-shared-ptr", stall, "update_p99_ns", "ns",
        {stalled ? 9.5e6 : 2e3, stalled ? 9.5e6 : 2e3});
    // Updates/s while reader 0 stalls against outside (stalled runs only): a batched free
    // whose overflow waits for the grace period stops during the stall, though over the
    // whole run its updates/s stay at 0.9x; what rcu-memb and the lock do is said so too.
    add("rcu-memb-batch", stall, "held_peak_bytes", "bytes", {512 * 1024, 512 * 1024});
    add("rcu-memb-batch", stall, "held_mean_bytes", "bytes", {256 * 1024, 256 * 1024});
    add("rcu-memb-batch", stall, "updates_per_s", "1/s", {stalled ? 4.5e6 : 5e6, stalled ? 4.5e6 : 5e6});
    // A synchronous free so slow that its one object is held the whole run (a constant
    // count, as rcu-signal's): an RCU primitive retires, so its updaters waited.
    add("rcu-signal", stall, "held_peak_bytes", "bytes", {64, 64});
    add("rcu-signal", stall, "held_mean_bytes", "bytes", {64, 64});
    add("rcu-signal", stall, "updates_per_s", "1/s", {stalled ? 700 : 1100, stalled ? 700 : 1100});
    // The update-side floor: in the table, not among the primitives each stall compares.
    add("bare-update", stall, "held_peak_bytes", "bytes", {16, 16});
    add("bare-update", stall, "held_mean_bytes", "bytes", {8, 8});
    add("bare-update", stall, "updates_per_s", "1/s", {1e7, 1e7});
    if (stalled) {
      add("rcu-signal", stall, "stall_updates_ratio", "fraction", {0, 0});
      add("rcu-memb-batch", stall, "stall_updates_ratio", "fraction", {0.2, 0.2});
      add("rcu-memb", stall, "stall_updates_ratio", "fraction", {0.01, 0.01});
      add("rwlock-pthread", stall, "stall_updates_ratio", "fraction", {0, 0});
      add("rcu-memb-defer", stall, "stall_updates_ratio", "fraction", {0.9, 0.9});
    }
  }
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("memory held while reader 0 stalls"), std::string::npos) << text;
  EXPECT_NE(text.find("stall_us"), std::string::npos) << text;
  EXPECT_NE(text.find("at a 10 ms stall: most held: rcu-memb-defer 8 MiB at the peak; least: "
                      "hazptr 8 KiB (1024x less); updaters wait instead: atomic-shared-ptr "
                      "(updates/s 1.00x of no stall, update p99 9.5 ms), rcu-memb "
                      "(updates/s 0.01x while it stalls, update p99 9.8 ms), rcu-memb-batch "
                      "(updates/s 0.20x while it stalls), rcu-signal (updates/s 0x while it "
                      "stalls); "
                      "nothing retired (a constant count): left-right 64 B (updates/s 0.50x of "
                      "no stall), rwlock-pthread 0 (updates/s 0x while it stalls, update p99 "
                      "9.9 ms)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n10 ms     bare-update "), std::string::npos) << text;
  // The peak against no stall: rcu-memb-defer's 8 MiB against 4 KiB.
  // and its updates/s while it stalls against outside.
  EXPECT_NE(text.find("10 ms     rcu-memb-defer       8 MiB      2048.0x    1 KiB         2M        "
                      "1.00x          0.90x"),
            std::string::npos)
      << text;
  // No stall: no line of its own.
  EXPECT_EQ(text.find("at a no stall"), std::string::npos) << text;
}

// An update-fraction sweep: each delay its own row (not pooled), and the crossovers
// between rcu-memb and rwlock-pthread named from the process samples.
TEST(Summary, SweepPointsStayApartAndCrossoversAreNamed) {
  std::vector<Row> rows;
  auto add = [&rows](const char* primitive, double delay, const std::vector<double>& values) {
    Series s;
    s.workload = "update-fraction";
    s.primitive = primitive;
    s.updaters = 1;
    s.updater_delay_us = delay;
    auto more = rows_of(s, values);
    rows.insert(rows.end(), more.begin(), more.end());
  };
  add("rcu-memb", 1, {100, 101, 99, 100, 102});
  add("rwlock-pthread", 1, {300, 310, 290, 305, 295});
  add("rcu-memb", 10, {150, 151, 149, 150, 152});
  add("rwlock-pthread", 10, {200, 210, 190, 205, 195});
  add("rcu-memb", 100, {200, 230, 170, 210, 190});  // overlaps: even
  add("rwlock-pthread", 100, {200, 220, 180, 205, 195});
  add("rcu-memb", 1000, {400, 410, 390, 405, 395});
  add("rwlock-pthread", 1000, {100, 110, 90, 105, 95});
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("updater_delay_us"), std::string::npos) << text;
  for (const char* point : {"  1 us  ", "  10 us  ", "  100 us  ", "  1 ms  "})
    EXPECT_NE(text.find(point), std::string::npos) << point << "\n" << text;
  EXPECT_NE(text.find("0.33x"), std::string::npos) << text;  // 100 / 300 at 1 us: not pooled
  EXPECT_NE(text.find("reads/s rcu-memb vs rwlock-pthread: rwlock-pthread ahead at 1 us .. "
                      "10 us (0.33x .. 0.75x); even at 100 us (1.00x); rcu-memb ahead at 1 ms "
                      "(4.00x); the lead changes between 10 us and 1 ms"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("untested"), std::string::npos) << text;
  EXPECT_EQ(text.find("arc-swap"), std::string::npos) << text;  // not in the run
  // updates/s of 0 on both sides (a workload without updaters): no crossover line.
  for (const char* primitive : {"rcu-memb", "rwlock-pthread"})
    for (double delay : {1, 10}) {
      Series zero;
      zero.workload = "update-fraction";
      zero.primitive = primitive;
      zero.updaters = 1;
      zero.updater_delay_us = delay;
      zero.metric = "updates_per_s";
      auto more = rows_of(zero, {0, 0, 0, 0, 0});
      rows.insert(rows.end(), more.begin(), more.end());
    }
  const std::string zeros = summary_of(rows);
  EXPECT_EQ(zeros.find("updates/s rcu-memb"), std::string::npos) << zeros;
  EXPECT_EQ(zeros.find("untested"), std::string::npos) << zeros;

  // rcu-memb ahead everywhere: no change of lead. Two processes a side: untested.
  rows.clear();
  add("rcu-memb", 1, {400, 410});
  add("rwlock-pthread", 1, {100, 110});
  add("rcu-memb", 10, {500, 510});
  add("rwlock-pthread", 10, {100, 110});
  const std::string ahead = summary_of(rows);
  EXPECT_NE(ahead.find("rcu-memb ahead at every updater_delay_us swept, 1 us .. 10 us (3.86x .. "
                       "4.81x)"),
            std::string::npos)
      << ahead;
  EXPECT_EQ(ahead.find("the lead changes"), std::string::npos) << ahead;
  EXPECT_NE(ahead.find("untested: points with fewer than 4 processes"), std::string::npos) << ahead;
}

// A reader-preferring lock that keeps its paced writer out, and an unfair reader pair.
TEST(Summary, StarvedThreadsAreListed) {
  Series reads, updates, fair, writer_ok;
  for (Series* s : {&reads, &updates, &fair, &writer_ok}) {
    s->workload = "reader-heavy";
    s->primitive = "rwlock-pthread";
    s->readers = 2;
    s->updaters = 1;
    s->updater_delay_us = 100;  // 10,000 updates/s scheduled
  }
  updates.metric = "updates_per_s";
  fair.metric = "read_fairness";
  fair.unit = "fraction";
  std::vector<Row> rows = joined({rows_of(reads, {5e6, 5e6, 5e6}), rows_of(updates, {90, 110, 100}),
                                  rows_of(fair, {0.2, 0.25, 0.3})});
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("starved threads"), std::string::npos) << text;
  EXPECT_NE(text.find("rwlock-pthread, 2 readers, 1 updaters: slowest reader at 0.25x of the "
                      "fastest; updaters kept 1 % of their schedule (one update per 100 us each)"),
            std::string::npos)
      << text;
  // Kept schedule, even readers: nothing to say.
  writer_ok.primitive = "rcu-memb";
  updates.primitive = fair.primitive = "rcu-memb";
  rows = joined({rows_of(writer_ok, {5e6}), rows_of(updates, {9900}), rows_of(fair, {0.9})});
  EXPECT_EQ(summary_of(rows).find("starved"), std::string::npos) << summary_of(rows);
}

TEST(Summary, ProcessIsTheSampleUnit) {
  // Process 0 ran 5 repetitions at 100, process 1 and 2 one each at 10: pooled, the
  // median would be 100; over the processes' medians it is 10.
  Series s;
  std::vector<Row> rows = rows_of(s, {10, 10, 100, 100, 100, 100, 100});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    rows[k].process = k < 2 ? static_cast<long>(k + 1) : 0;
    rows[k].repetition = static_cast<long>(k);
  }
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("  10\n"), std::string::npos) << text;  // no ratio column: no rwlock
  EXPECT_EQ(text.find("  100"), std::string::npos) << text;
}

// Where a workload ran the update-side floor, updates/s get a column as its share, at the
// same point only; a workload without the floor gets no such column.
TEST(Summary, UpdatesAsAShareOfTheUpdateFloor) {
  Series batch, floor, rw, other_point, reads;
  for (Series* s : {&batch, &floor, &rw, &other_point}) {
    s->workload = "update-side";
    s->metric = "updates_per_s";
    s->updaters = 1;
  }
  batch.primitive = "rcu-memb-batch";
  floor.primitive = "bare-update";
  rw.primitive = "rwlock-pthread";
  other_point.primitive = "rcu-memb-batch";
  other_point.updaters = 2;  // No floor at 2 updaters.
  std::vector<Row> rows = rows_of(batch, {5e6, 6e6, 7e6});  // median 6M
  for (const auto& more : {rows_of(floor, {19e6, 20e6, 21e6}), rows_of(rw, {3e6, 3e6, 3e6}),
                           rows_of(other_point, {4e6, 4e6, 4e6}), rows_of(reads, {1, 2, 3})})
    rows.insert(rows.end(), more.begin(), more.end());
  const std::string text = summary_of(rows);
  const auto updates = text.find("workload update-side");
  const auto read_side = text.find("workload read-side");
  ASSERT_NE(updates, std::string::npos);
  ASSERT_NE(read_side, std::string::npos);
  const std::string update_table = text.substr(updates, text.find("\n\n", updates) - updates);
  EXPECT_NE(update_table.find("vs bare-update"), std::string::npos) << update_table;
  EXPECT_NE(update_table.find("0.30x"), std::string::npos) << update_table;  // 6M / 20M
  EXPECT_NE(update_table.find("0.15x"), std::string::npos) << update_table;  // 3M / 20M
  const std::string read_table = text.substr(read_side, text.find("\n\n", read_side) - read_side);
  EXPECT_EQ(read_table.find("bare-update"), std::string::npos) << read_table;
  // A paced updater runs at its schedule, floor or not: no column.
  std::vector<Row> paced = rows;
  for (Row& r : paced) r.updater_delay_us = 100;
  const std::string paced_text = summary_of(paced);
  EXPECT_EQ(paced_text.find("vs bare-update"), std::string::npos) << paced_text;
  // The 2-updater line has no floor beside it: its last column is "-".
  const auto four = update_table.find(" 4M ");
  ASSERT_NE(four, std::string::npos) << update_table;
  const auto start = update_table.rfind('\n', four) + 1;
  const std::string line = update_table.substr(start, update_table.find('\n', four) - start);
  EXPECT_EQ(line.substr(line.find_last_not_of(' ')), "-") << line;
}

TEST(Summary, RatiosToRwlockAndEmulatedMarks) {
  Series rcu, rw, arm, board;
  rw.primitive = "rwlock-pthread";
  arm.arch = "aarch64";
  arm.exec = "qemu";
  board.arch = "riscv64";
  board.exec = "remote";
  board.cpu_model = "sifive,u74-mc [mvendorid 0x489 marchid 0x8000000000000007 mimpid 0x4210427] (4 CPUs)";
  std::vector<Row> rows = rows_of(rcu, {400, 410, 405});  // median 405
  for (const auto& more :
       {rows_of(rw, {30, 31, 32}), rows_of(arm, {20, 21, 22}), rows_of(board, {50, 51, 52})})
    rows.insert(rows.end(), more.begin(), more.end());
  const std::string text = summary_of(rows);
  EXPECT_NE(text.find("x86_64 (native), workload read-side"), std::string::npos);
  EXPECT_NE(text.find("aarch64 (emulated), workload read-side: timings are not hardware "
                      "performance"),
            std::string::npos);
  // A board's run is hardware performance, labelled by the board's CPU.
  EXPECT_NE(text.find("riscv64 (remote, on sifive,u74-mc [mvendorid 0x489 marchid "
                      "0x8000000000000007 mimpid 0x4210427] (4 CPUs)), workload read-side\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("13.1x"), std::string::npos);  // 405 / 31 = 13.06
  EXPECT_NE(text.find("1.00x"), std::string::npos);  // rwlock-pthread against itself
  EXPECT_EQ(si_number(4.05e8), "405M");
  EXPECT_EQ(si_number(1234), "1.23k");
  EXPECT_EQ(si_number(999.6), "1k");
  EXPECT_EQ(si_number(999.4), "999");
  EXPECT_EQ(si_number(4.005e8, 4), "400.5M");
  EXPECT_EQ(si_number(99995, 4), "100k");
  EXPECT_EQ(si_number(-2.5e6), "-2.5M");
  EXPECT_EQ(si_number(12), "12");
  EXPECT_EQ(ratio_text(0.01464), "0.015x");
  EXPECT_EQ(ratio_text(3.5), "3.50x");
  EXPECT_EQ(ratio_text(164.35), "164.3x");
}

// The summary answers first: per arch, the headline Rcu<P> against each headline rival,
// workload by workload, then against raw liburcu and in instructions; the tables follow.
TEST(Summary, VerdictFirst) {
  std::vector<Row> rows;
  // read-side at 1 and 2 readers, 4 processes (the fewest the rank-sum test can tell apart): rcu-memb 10x rwlock-pthread everywhere;
  // against arc-swap ahead at 1 reader, behind at 2.
  auto add = [&](const std::string& primitive, long readers, std::vector<double> values,
                 const std::string& workload = "read-side", const char* metric = "reads_per_s",
                 long updaters = 0) {
    Series s;
    s.primitive = primitive, s.readers = readers, s.workload = workload, s.metric = metric;
    s.updaters = updaters;
    for (const Row& r : rows_of(s, values)) rows.push_back(r);
  };
  add("rcu-memb", 1, {100, 101, 102, 101});
  add("rcu-memb", 2, {200, 201, 202, 201});
  add("rwlock-pthread", 1, {10, 10.1, 10.2, 10.1});
  add("rwlock-pthread", 2, {2, 2.01, 2.02, 2.01});
  add("arc-swap", 1, {50, 50.5, 51, 50.5});
  add("arc-swap", 2, {400, 404, 408, 404});
  add("urcu-memb", 1, {200, 202, 204, 202});  // in each process, rcu-memb at 0.5x
  // update-side: rwlock-pthread's updaters starve.
  add("rcu-memb", 1, {5, 5.1, 5.2, 5.1}, "update-side", "updates_per_s", 1);
  add("rwlock-pthread", 1, {50, 51, 52, 51}, "update-side", "updates_per_s", 1);
  add("rwlock-pthread", 1, {0.1, 0.1, 0.1, 0.1}, "update-side", "update_fairness", 1);
  // reader-heavy: within 5 %: even.
  add("rcu-memb", 1, {100, 101, 102, 101}, "reader-heavy");
  add("rwlock-pthread", 1, {99, 100, 101, 100}, "reader-heavy");
  // Exact instruction counts of the same arch.
  for (const auto& [primitive, metric, value] :
       {std::tuple{"rcu-memb", "read_insns", 7.0}, std::tuple{"rwlock-pthread", "read_insns", 52.0},
        std::tuple{"arc-swap", "read_insns", 21.0}, std::tuple{"urcu-memb", "read_insns", 7.0},
        std::tuple{"rcu-memb", "update_insns", 700.0},
        std::tuple{"rwlock-pthread", "update_insns", 140.0}}) {
    Series s;
    s.exec = "qemu-insn-count", s.primitive = primitive, s.metric = metric;
    s.unit = "instructions", s.workload = "read-path";
    for (const Row& r : rows_of(s, {value, value})) rows.push_back(r);
  }
  // read-length: medians apart (1.92x), samples interleaved: no clear lead.
  add("rcu-memb", 1, {10, 200, 12, 190}, "read-length");
  add("rwlock-pthread", 1, {50, 55, 45, 60}, "read-length");
  const std::string text = summary_of(rows);
  ASSERT_TRUE(text.starts_with("Verdict, x86_64 (native): rcu-memb against rwlock-pthread and "
                               "arc-swap\n"))
      << text;
  const std::size_t tables = text.find("The tables behind the verdict\n");
  ASSERT_NE(tables, std::string::npos) << text;
  const std::string verdict = text.substr(0, tables);
  auto has = [&](const std::string& line) {
    EXPECT_NE(verdict.find(line), std::string::npos) << "no '" << line << "' in\n" << verdict;
  };
  has("  read-side          reads/s   vs rwlock-pthread    ahead at all 2 points (10.0x .. 100.0x)\n");
  has("  read-side          reads/s   vs arc-swap          ahead at 1 and behind at 1 of 2 "
      "points (0.50x .. 2.00x)\n");
  has("  update-side        updates/s vs rwlock-pthread    behind at its one point (0.1x)\n");
  has("  read-length        reads/s   vs rwlock-pthread    no clear lead at its one point (1.92x): "
      "the processes disagree\n");
  has("  reader-heavy       reads/s   vs rwlock-pthread    even at its one point (1.01x)\n");
  has("  rcu-memb / urcu-memb: reads/s 0.50x (1 reader), read instructions 1.00x\n");
  has("  instructions per read: rcu-memb 7, rwlock-pthread 52, arc-swap 21\n");
  has("  instructions per update: rcu-memb 700, rwlock-pthread 140\n");
  has("  starved threads in 1 run: rwlock-pthread (the tables say where)\n");
  EXPECT_EQ(verdict.find("vs arc-swap          ahead at its one point"), std::string::npos)
      << "update-side has no arc-swap: no line for it\n" << verdict;
  EXPECT_LE(std::ranges::count(verdict, '\n'), 40);

  // Emulated timings get no verdict on speed; undescribed results (an older rcubench) none.
  std::vector<Row> emulated = rows;
  for (Row& r : emulated) r.exec = "qemu";
  const std::string qemu = summary_of(emulated);
  EXPECT_NE(qemu.find("Verdict, x86_64 (qemu): rcu-memb against rwlock-pthread and arc-swap\n"
                      "  timings emulated under QEMU: no verdict on speed"),
            std::string::npos)
      << qemu;
  EXPECT_EQ(qemu.find("vs rwlock-pthread    ahead"), std::string::npos) << qemu;
  EXPECT_EQ(qemu.find("starved threads in"), std::string::npos) << qemu;  // under QEMU: noise
  EXPECT_EQ(format_summary(rows).find("Verdict"), std::string::npos);
}

}  // namespace
}  // namespace rcubench::report
