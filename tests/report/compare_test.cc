// The regression gate, the history and the summary on rows built here.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "report/compare.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/history.h"
#include "report/summary.h"

namespace rcubench::report {
namespace {

namespace fs = std::filesystem;

struct Series {
  std::string arch = "x86_64", exec = "native", primitive = "rcu-memb", metric = "reads_per_s";
  std::string unit = "1/s", run_id = "run-1", date = "2026-11-28T04:05:12+00:00";
  std::string cpu_model = "cpu A";
  long readers = 1;
};

std::vector<Row> rows_of(const Series& s, const std::vector<double>& values) {
  std::vector<Row> rows;
  long rep = 0;
  for (double v : values) {
    rows.push_back(Row{.run_id = s.run_id, .date = s.date, .commit = "c", .arch = s.arch,
                       .exec = s.exec, .cpu_model = s.cpu_model, .compiler = "gcc 12.2.0",
                       .build_type = "release", .flavor = "-", .primitive = s.primitive,
                       .workload = "read-side", .readers = s.readers, .updaters = 0,
                       .repetition = rep++, .metric = s.metric, .value = v, .unit = s.unit});
  }
  return rows;
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
  EXPECT_NE(r.note.find("fewer than 9 repetitions: low power"), std::string::npos);
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
  EXPECT_EQ(only(compare_runs(rows_of(latency, kBase), rows_of(latency, kUp10), {})).verdict,
            Verdict::regression);
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
  EXPECT_FALSE(c.failed());
}

TEST(Compare, FormatsCarryEveryVerdict) {
  std::vector<Row> base = rows_of({}, kBase);
  std::vector<Row> cur = rows_of({}, kDown10);
  Comparison c = compare_runs(base, cur, {});
  const std::string csv = format_comparison(c, Format::csv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "verdict,gated,arch,exec,workload,primitive,readers,updaters,metric,unit,n_baseline,"
            "n_current,median_baseline,median_current,change,p_value,test,note");
  EXPECT_NE(csv.find("\nregression,yes,x86_64,native,read-side,rcu-memb,1,0,reads_per_s,1/s,6,6,"
                     "100.5,89.5,"),
            std::string::npos);
  const std::string md = format_comparison(c, Format::markdown);
  EXPECT_NE(md.find("## Regressions (1)"), std::string::npos);
  EXPECT_NE(md.find("| yes | x86_64 | native | read-side | rcu-memb |"), std::string::npos);
  EXPECT_NE(md.find("FAIL"), std::string::npos);
  const std::string table = format_comparison(c, Format::table);
  EXPECT_NE(table.find("Regressions (1):"), std::string::npos);
  EXPECT_NE(table.find("-10.9%"), std::string::npos);
  EXPECT_NE(table.find("1 regression(s) (1 gated)"), std::string::npos);
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
  std::vector<Row> back = read_csv(written[1]);
  EXPECT_EQ(back.size(), kDown10.size());
  EXPECT_EQ(back[0].run_id, b.run_id);

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
    Comparison c = compare_runs(rows_of(insn_series(arch), {29}), rows_of(insn_series(arch), {34}),
                                {});
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
  EXPECT_EQ(verdict(6, 7), Verdict::unchanged);       // one instruction
  EXPECT_EQ(verdict(6, 8), Verdict::regression);      // two
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

TEST(Compare, TimingsOfACountingRunAreNotGated) {
  Series timing = insn_series("x86_64");
  timing.metric = "real_time";
  timing.unit = "ms";
  Comparison c = compare_runs(rows_of(timing, kBase), rows_of(timing, kUp10), {});
  EXPECT_EQ(only(c).verdict, Verdict::regression);
  EXPECT_FALSE(only(c).gated);
  EXPECT_FALSE(c.failed());
  EXPECT_NE(only(c).note.find("only instruction counts are gated"), std::string::npos);
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

TEST(Summary, InstructionCountsAndRcuAgainstRawLiburcu) {
  Series rcu = insn_series("aarch64", "rcu-memb"), raw = insn_series("aarch64", "urcu-memb");
  std::vector<Row> rows = rows_of(rcu, {28, 28});
  for (const auto& more : {rows_of(raw, {28}), rows_of(insn_series("aarch64", "bare"), {5})})
    rows.insert(rows.end(), more.begin(), more.end());
  const std::string text = format_summary(rows);
  EXPECT_NE(text.find("aarch64 instruction counts (exact"), std::string::npos) << text;
  EXPECT_NE(text.find("28.00"), std::string::npos) << text;
  EXPECT_NE(text.find("5.00"), std::string::npos) << text;
  EXPECT_NE(text.find("rcu-memb / urcu-memb"), std::string::npos) << text;
  EXPECT_NE(text.find("1.000"), std::string::npos) << text;
  EXPECT_EQ(text.find("no reads_per_s"), std::string::npos) << text;
}

TEST(Summary, RatiosToRwlockAndEmulatedMarks) {
  Series rcu, rw, arm;
  rw.primitive = "rwlock-pthread";
  arm.arch = "aarch64";
  arm.exec = "qemu";
  std::vector<Row> rows = rows_of(rcu, {400, 410, 405});  // median 405
  for (const auto& more : {rows_of(rw, {30, 31, 32}), rows_of(arm, {20, 21, 22})})
    rows.insert(rows.end(), more.begin(), more.end());
  const std::string text = format_summary(rows);
  EXPECT_NE(text.find("x86_64 (native), workload read-side"), std::string::npos);
  EXPECT_NE(text.find("aarch64 (emulated), workload read-side: timings are not hardware "
                      "performance"),
            std::string::npos);
  EXPECT_NE(text.find("13.1x"), std::string::npos);  // 405 / 31 = 13.06
  EXPECT_NE(text.find("1.00x"), std::string::npos);   // rwlock-pthread against itself
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

}  // namespace
}  // namespace rcubench::report
