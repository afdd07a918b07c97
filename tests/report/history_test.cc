// The compact, fingerprinted history: fingerprints, the compact files, their verdicts
// against whole results CSVs, their size, and accepts by pattern.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "report/compare.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/fingerprint.h"
#include "report/history.h"
#include "report/history_file.h"
#include "report/run_input.h"
#include "report/trend.h"

namespace rcubench::report {
namespace {

namespace fs = std::filesystem;

Row row(const std::string& run_id, const std::string& date, const std::string& primitive,
        const std::string& metric, double value, long process, long repetition = 0) {
  Row r;
  r.run_id = run_id, r.date = date, r.commit = "c0ffee", r.arch = "x86_64", r.exec = "native";
  r.cpu_model = "cpu A (2 CPUs)", r.compiler = "gcc 12.2.0", r.build_type = "release";
  r.fingerprint = "0123456789ab";
  r.flavor = "memb", r.primitive = primitive, r.workload = "read-side";
  r.readers = 1, r.updaters = 0;
  r.params = "3fa2c1d0", r.read_work = 0, r.metric = metric;
  r.unit = metric == "read_insns" ? "instructions" : "1/s";
  r.repetition = repetition, r.process = process, r.value = value;
  return r;
}

Row count_row(const std::string& run_id, const std::string& date, double value, long rep) {
  Row r = row(run_id, date, "rcu-memb-defer", "read_insns", value, 0, rep);
  r.exec = "qemu-insn-count", r.process = std::nullopt, r.cpu_model = "any CPU";
  r.fingerprint = "ba9876543210", r.workload = "read-path", r.params = "-";
  return r;
}

// Run k: two timed primitives, 10 processes of 3 repetitions, and an instruction count
// whose repetitions differ (a deferred free's path) in some runs.
std::vector<Row> run_rows(int k, double rcu_scale = 1, double rwlock_scale = 1) {
  std::vector<Row> rows;
  const std::string id = fmt::format("r{:02d}", k);
  const std::string date = fmt::format("2026-11-{:02d}T04:00:00+00:00", k);
  std::mt19937_64 rng(static_cast<unsigned>(k));
  std::uniform_real_distribution<double> noise(0.97, 1.03);
  for (long p = 0; p < 10; ++p)
    for (long rep = 0; rep < 3; ++rep) {
      rows.push_back(row(id, date, "rcu-memb", "reads_per_s", 4e8 * rcu_scale * noise(rng), p, rep));
      rows.push_back(
          row(id, date, "rwlock-pthread", "reads_per_s", 3e7 * rwlock_scale * noise(rng), p, rep));
    }
  for (long rep = 0; rep < 3; ++rep)
    rows.push_back(count_row(id, date, k % 3 == 0 ? 40.0 + rep : 41.0, rep));
  return rows;
}

class HistoryDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rcubench-history-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::string compare_csv(const fs::path& history, const std::vector<Row>& current,
                        std::vector<std::string>* notes = nullptr) {
  CompareOptions o;
  o.mode = CompareMode::history;
  std::vector<std::string> n;
  Comparison c = compare_runs(baseline_from_history_dir(history, current, 10, &n), current, o);
  if (notes) *notes = n;
  return format_comparison(c, Format::csv);
}

TEST(Fingerprint, CountsIgnoreTheHostAndOldRunsHaveNone) {
  MachineText m{"cpu A (2 CPUs)", "gcc 12.2.0", "liburcu 0.13.2", "6.1.0-13-amd64", "-"};
  const std::string timed = fingerprint_of(m, false), counted = fingerprint_of(m, true);
  EXPECT_TRUE(is_fingerprint(timed)) << timed;
  EXPECT_TRUE(is_fingerprint(counted)) << counted;
  EXPECT_NE(timed, counted);
  MachineText other_host = m;
  other_host.cpu_model = "cpu B (64 CPUs)", other_host.kernel = "6.5", other_host.runner = "ubuntu";
  EXPECT_NE(fingerprint_of(other_host, false), timed);
  EXPECT_EQ(fingerprint_of(other_host, true), counted);  // counts: compiler and deps only
  MachineText other_deps = m;
  other_deps.deps = "liburcu 0.14.0";
  EXPECT_NE(fingerprint_of(other_deps, true), counted);
  EXPECT_NE(fingerprint_of(other_deps, false), timed);
  MachineText old = m;
  old.kernel.clear();  // an rcubench from before rcubench_kernel
  EXPECT_EQ(fingerprint_of(old, false), "-");
  EXPECT_EQ(fingerprint_text(m, true), "compiler=gcc 12.2.0\ndeps=liburcu 0.13.2\n");
}

TEST(Fingerprint, CsvColumnWrittenAndReadOldFilesToo) {
  const Row r = row("r1", "2026-11-01T00:00:00Z", "rcu-memb", "reads_per_s", 5, 0);
  const std::string text = to_csv({r});
  EXPECT_TRUE(text.starts_with(csv_header()));
  EXPECT_NE(csv_header().find(",unit,fingerprint,"), std::string::npos);
  EXPECT_EQ(parse_csv(text, "t").at(0).fingerprint, "0123456789ab");
  // A file from before the fingerprint column: read as "-".
  std::string old_header = csv_header();
  old_header.erase(old_header.rfind(",fingerprint"), 12);
  std::string old_line = csv_line(r);
  old_line.erase(old_line.rfind(",0123456789ab"), 13);
  const std::vector<Row> old = parse_csv(old_header + old_line, "old");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].fingerprint, "-");
  EXPECT_EQ(old[0].value, 5);
  EXPECT_THROW(parse_csv(csv_header() + old_line, "short"), InputError);
  std::string bad = text;
  bad.replace(bad.rfind("0123456789ab"), 12, "xyz");
  EXPECT_THROW(parse_csv(bad, "bad"), InputError);
}

TEST(History, DifferentFingerprintsAreNeverCompared) {
  std::vector<Row> history;
  for (int k = 1; k <= 6; ++k) {
    std::vector<Row> rows = run_rows(k);
    history.insert(history.end(), rows.begin(), rows.end());
  }
  std::vector<Row> current = run_rows(20, 0.0025);  // a 99.75 % drop
  for (Row& r : current)
    if (r.exec == "native") r.fingerprint = "fedcba987654";  // same CPU model, other kernel
  std::vector<std::string> notes;
  std::vector<Row> base = baseline_from_history(history, current, 10, &notes);
  for (const Row& r : base) EXPECT_EQ(r.exec, "qemu-insn-count");
  const std::string all = fmt::format("{}", fmt::join(notes, "\n"));
  EXPECT_NE(all.find("fingerprint fedcba987654: no earlier run of this machine in the history; "
                     "6 run(s) of x86_64 (native) on other machines not compared"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("6 comparable run(s) in the history; baseline from 6 run(s)"),
            std::string::npos)
      << all;
  // The same fingerprint: compared, and the drop is a regression.
  CompareOptions o;
  o.mode = CompareMode::history;
  Comparison c = compare_runs(baseline_from_history(history, run_rows(20, 0.0025), 10), run_rows(20, 0.0025), o);
  EXPECT_TRUE(c.failed());
}

TEST_F(HistoryDir, CompactRoundTripGivesTheVerdictsOfTheWholeCsv) {
  const fs::path old_dir = dir_ / "old", new_dir = dir_ / "new";
  fs::create_directories(old_dir);
  for (int k = 1; k <= 12; ++k) {
    const std::vector<Row> rows = run_rows(k, k == 9 ? 0.9 : 1);
    write_file_atomic(old_dir / fmt::format("r{:02d}.csv", k), to_csv(rows));  // as before
    record_runs(new_dir, rows);
  }
  const std::string compact = read_file(new_dir / "r03.csv");
  EXPECT_TRUE(compact.starts_with("# rcubench-history v1\n# machines\n")) << compact;
  // Round trip: the series as summarized, exactly.
  const std::vector<HistoryRun> parsed = read_history_file(new_dir / "r03.csv");
  const std::vector<HistoryRun> direct = summarize_runs(run_rows(3));
  ASSERT_EQ(parsed.size(), 1u);
  ASSERT_EQ(parsed[0].series.size(), direct[0].series.size());
  for (std::size_t i = 0; i < direct[0].series.size(); ++i) {
    EXPECT_EQ(parsed[0].series[i].median, direct[0].series[i].median);
    EXPECT_EQ(parsed[0].series[i].values, direct[0].series[i].values);
    EXPECT_EQ(parsed[0].series[i].n, direct[0].series[i].n);
  }
  EXPECT_EQ(direct[0].series.back().values, (std::vector<double>{40, 41, 42}));

  for (const auto& current :
       {run_rows(20), run_rows(20, 0.8), run_rows(20, 1, 1.3), run_rows(21, 0.95, 0.9)}) {
    const std::vector<Row>& plain = current;
    std::vector<Row> with_count = current;
    for (Row& r : with_count)
      if (r.unit == "instructions") r.value += 2;  // 41 -> 43: beyond 1 instruction
    for (const std::vector<Row>* cur : {&plain, static_cast<const std::vector<Row>*>(&with_count)}) {
      // The baseline the whole rows gave before compact files existed...
      std::vector<std::string> notes;
      CompareOptions o;
      o.mode = CompareMode::history;
      std::vector<Row> whole;
      for (int k = 1; k <= 12; ++k) {
        const std::vector<Row> rows = run_rows(k, k == 9 ? 0.9 : 1);
        whole.insert(whole.end(), rows.begin(), rows.end());
      }
      const std::string before =
          format_comparison(compare_runs(baseline_from_history(whole, *cur, 10), *cur, o),
                            Format::csv);
      // ... equals what old files and compact files give now.
      EXPECT_EQ(compare_csv(old_dir, *cur), compare_csv(new_dir, *cur));
      const std::string now = compare_csv(new_dir, *cur);
      // Verdict and figures of every gated series: the samples column of a missing series
      // aside (none here), the outputs agree line by line.
      EXPECT_EQ(now, before);
    }
  }
}

// A counting run's series keep their repetitions in a compact history, information ones
// too: whether shared-line writes are gated depends on every repetition of
// read_shared_insns (compare.cc), which a median would hide.
TEST(History, CountingRunSeriesKeepTheirRepetitions) {
  std::vector<Row> rows;
  auto add = [&](const char* metric, const char* unit, std::vector<double> repetitions) {
    for (std::size_t k = 0; k < repetitions.size(); ++k) {
      Row r = count_row("r01", "2026-11-01T04:00:00+00:00", repetitions[k], static_cast<long>(k));
      r.primitive = "rwlock-pthread", r.metric = metric, r.unit = unit;
      rows.push_back(r);
    }
  };
  add("read_insns", "instructions", {73, 73, 73});
  add("read_shared_insns", "instructions", {73, 73, 75.5});  // contended once
  add("read_shared_writes", "writes", {2, 2, 2.25});
  const std::vector<Row> back = rows_of_run(summarize_runs(rows).at(0));
  std::vector<double> shared;
  for (const Row& r : back)
    if (r.metric == "read_shared_insns") shared.push_back(r.value);
  std::ranges::sort(shared);
  EXPECT_EQ(shared, (std::vector<double>{73, 73, 75.5}));
  // Against that history, the shared-line writes are information, as against the CSV.
  CompareOptions o;
  o.mode = CompareMode::history;
  const std::vector<Row>& whole = rows;
  for (const std::vector<Row>* baseline : {&whole, &back})
    for (const SeriesResult& r : compare_runs(*baseline, rows, o).results)
      if (r.key.metric == "read_shared_writes") {
        EXPECT_FALSE(r.gated);
        EXPECT_NE(r.note.find("contended"), std::string::npos) << r.note;
      }
}

// A stalls run's series keep their stall length through a compact file, so a history's
// summary keeps its points apart; files from before the column are still read.
TEST_F(HistoryDir, CompactFilesKeepTheStallLength_OldOnesStillRead) {
  std::vector<Row> rows;
  for (double stall : {0.0, 50000.0})
    for (long p = 0; p < 2; ++p) {
      Row r = row("r01", "2026-11-01T04:00:00+00:00", "rcu-memb-defer", "held_peak_bytes",
                  stall > 0 ? 8e6 : 4e6, p);
      r.workload = "stalls", r.updaters = 1, r.unit = "bytes", r.stall_us = stall;
      r.params = stall > 0 ? "0badc0de" : "5ca1ab1e";
      rows.push_back(r);
    }
  rows.push_back(row("r01", "2026-11-01T04:00:00+00:00", "rcu-memb", "reads_per_s", 1e8, 0));
  const std::string compact = format_history_run(summarize_runs(rows).at(0));
  write_file_atomic(dir_ / "r01.csv", compact);
  const std::vector<HistoryRun> back = read_history_file(dir_ / "r01.csv");
  ASSERT_EQ(back.size(), 1u);
  std::map<std::string, std::optional<double>> stall_of;
  for (const SeriesSummary& s : back[0].series) stall_of[s.primitive + "/" + s.params] = s.stall_us;
  EXPECT_EQ(stall_of["rcu-memb-defer/0badc0de"], 50000.0);
  EXPECT_EQ(stall_of["rcu-memb-defer/5ca1ab1e"], 0.0);
  EXPECT_EQ(stall_of["rcu-memb/3fa2c1d0"], std::nullopt);
  for (const Row& r : rows_of_run(back[0]))
    if (r.metric == "held_peak_bytes") EXPECT_EQ(*r.stall_us, r.value > 5e6 ? 50000.0 : 0.0);
  // The same file without the column, as written before it: read, with no stall lengths.
  const std::string header_with =
      "payload_bytes,stall_us,metric,unit,n,median,min,max,values\n";
  std::string old = compact;
  ASSERT_NE(old.find(header_with), std::string::npos) << old;
  old.replace(old.find(header_with), header_with.size(),
              "payload_bytes,metric,unit,n,median,min,max,values\n");
  for (const char* stall : {",50000,held", ",0,held", ",-,reads"}) {
    const std::size_t at = old.find(stall);
    ASSERT_NE(at, std::string::npos) << stall << " in " << old;
    old.erase(at, old.find(',', at + 1) - at);
  }
  write_file_atomic(dir_ / "old.csv", old);
  const std::vector<HistoryRun> old_back = read_history_file(dir_ / "old.csv");
  ASSERT_EQ(old_back.at(0).series.size(), 3u);
  for (const SeriesSummary& s : old_back[0].series) EXPECT_EQ(s.stall_us, std::nullopt);
  // A bad stall length is one error naming the file and line.
  std::string bad = compact;
  bad.replace(bad.find(",50000,held"), 11, ",-5,held");
  write_file_atomic(dir_ / "bad.csv", bad);
  try {
    read_history_file(dir_ / "bad.csv");
    ADD_FAILURE() << "a negative stall_us was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("stall_us '-5' is negative"), std::string::npos)
        << e.what();
  }
}

TEST(History, CompactRunOfTheCiShapeStaysUnder500KB) {
  // The CI config's shape: 3,151 series, most of x86_64 with 10 processes, values at full
  // precision (the worst case for their text).
  std::vector<Row> rows;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> value(1e3, 1e9);
  const char* metrics[] = {"reads_per_s", "updates_per_s", "read_ns", "read_p50_ns",
                           "read_p99_ns", "read_p999_ns", "read_max_ns", "gp_p50_ns",
                           "gp_p99_ns", "backlog_peak_bytes", "min_thread_reads_per_s",
                           "read_fairness", "retries_per_update", "real_time", "cpu_time",
                           "update_p99_ns", "read_samples"};
  std::size_t series = 0;
  for (int s = 0; series < 3151; ++s)
    for (const char* m : metrics) {
      if (series++ == 3151) break;
      const char* arch = s % 3 == 0 ? "x86_64" : s % 3 == 1 ? "aarch64" : "riscv64";
      const long processes = s % 3 == 0 ? 10 : 2;
      for (long p = 0; p < processes; ++p) {
        Row r = row("20261128T040512Z-e994f8f3aaad", "2026-11-28T04:05:12+00:00",
                    fmt::format("rcu-memb-batch-{}", s / 3), m, value(rng), p);
        r.arch = arch, r.exec = s % 3 == 0 ? "native" : "qemu";
        r.workload = "update-fraction", r.readers = 1 + s % 2, r.updaters = 1;
        r.updater_delay_us = 1000, r.payload_bytes = 4096;
        rows.push_back(std::move(r));
      }
    }
  const std::string whole = to_csv(rows);
  std::vector<HistoryRun> runs = summarize_runs(rows);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].series.size(), 3151u);
  const std::string compact = format_history_run(runs[0]);
  EXPECT_LE(compact.size(), 500u * 1000) << "whole CSV: " << whole.size();
  EXPECT_LT(compact.size() * 5, whole.size());
}

TEST_F(HistoryDir, AcceptByPatternRebaselinesTheMatchingSeriesOnly) {
  // Runs 1..5 at the old speed of rcu-memb; run 6, recorded with an accept, and 7 at the
  // new, 30 % slower one (an intended change); rwlock-pthread unchanged throughout.
  for (int k = 1; k <= 7; ++k) {
    std::vector<HistoryAccept> accepts;
    if (k == 6) accepts.push_back(parse_accept("x86_64/rcu-memb/*/reads_per_s: new algorithm"));
    record_runs(dir_, run_rows(k, k >= 6 ? 0.7 : 1), {}, accepts);
  }
  EXPECT_NE(read_file(dir_ / "r06.csv").find("x86_64/rcu-memb/*/reads_per_s,new algorithm,c0ffee"),
            std::string::npos);
  const std::vector<Row> current = run_rows(20, 0.7);
  std::vector<std::string> notes;
  const std::vector<Row> base = baseline_from_history_dir(dir_, current, 10, &notes);
  std::set<std::string> rcu_runs, rwlock_runs;
  for (const Row& r : base) {
    if (r.primitive == "rcu-memb") rcu_runs.insert(r.run_id);
    if (r.primitive == "rwlock-pthread") rwlock_runs.insert(r.run_id);
  }
  EXPECT_EQ(rcu_runs, (std::set<std::string>{"r06", "r07"}));
  EXPECT_EQ(rwlock_runs.size(), 7u);
  const std::string all = fmt::format("{}", fmt::join(notes, "\n"));
  EXPECT_NE(all.find("series matching 'x86_64/rcu-memb/*/reads_per_s' start afresh at run r06 "
                     "(commit c0ffee: new algorithm); 5 earlier run(s) left out for them"),
            std::string::npos)
      << all;
  // Not a regression (too few runs since the accept), and rwlock-pthread still judged.
  CompareOptions o;
  o.mode = CompareMode::history;
  Comparison c = compare_runs(base, current, o);
  EXPECT_FALSE(c.failed());
  for (const SeriesResult& r : c.results) {
    if (r.key.primitive == "rcu-memb") {
      EXPECT_EQ(r.verdict, Verdict::insufficient);
    }
    if (r.key.primitive == "rwlock-pthread") {
      EXPECT_EQ(r.verdict, Verdict::unchanged);
    }
  }
}

TEST_F(HistoryDir, AcceptOfAnotherPatternChangesNothing) {
  for (int k = 1; k <= 7; ++k) {
    std::vector<HistoryAccept> accepts;
    if (k == 6) accepts.push_back(parse_accept("aarch64/rcu-memb/*: another arch"));
    record_runs(dir_, run_rows(k, k >= 6 ? 0.7 : 1), {}, accepts);
  }
  const std::vector<Row> current = run_rows(20, 0.7);
  const std::vector<Row> base = baseline_from_history_dir(dir_, current, 10);
  std::set<std::string> rcu_runs;
  for (const Row& r : base)
    if (r.primitive == "rcu-memb") rcu_runs.insert(r.run_id);
  EXPECT_EQ(rcu_runs.size(), 7u);
  CompareOptions o;
  o.mode = CompareMode::history;
  EXPECT_TRUE(compare_runs(base, current, o).failed());  // the drop is still a regression
}

TEST(History, PatternsAndMalformedAccepts) {
  EXPECT_TRUE(pattern_matches("x86_64/*/reads_per_s", "x86_64/rcu-memb/read-side/reads_per_s"));
  EXPECT_TRUE(pattern_matches("*", "aarch64/bare/read-side/reads_per_s"));
  EXPECT_FALSE(pattern_matches("x86_64/rcu-qsbr/*", "x86_64/rcu-memb/read-side/reads_per_s"));
  const HistoryAccept a = parse_accept("x86_64/rcu-*/*: faster: by design");
  EXPECT_EQ(a.pattern, "x86_64/rcu-*/*");
  EXPECT_EQ(a.reason, "faster: by design");
  for (const char* bad : {"no separator", ": no pattern", "pattern:", "pattern: ", "p:reason",
                          "p: two\nlines"})
    EXPECT_THROW(parse_accept(bad), InputError) << bad;
}


// The trend of each series is the gate's judgement of each run when it was recorded.
TEST_F(HistoryDir, TrendJudgesEachRunAsTheGateDidWhenItWasRecorded) {
  // Runs 1..7 at one speed, run 8 with rcu-memb 30 % slower.
  for (int k = 1; k <= 8; ++k) record_runs(dir_, run_rows(k, k == 8 ? 0.7 : 1));
  const HistoryTrends t = history_trends(dir_, 50, 10);
  ASSERT_EQ(t.runs.size(), 8u);
  EXPECT_EQ(t.runs.front(), "r01");
  const TrendSeries* rcu = nullptr;
  for (const TrendSeries& s : t.series)
    if (s.key.primitive == "rcu-memb" && s.key.metric == "reads_per_s") rcu = &s;
  ASSERT_NE(rcu, nullptr);
  ASSERT_EQ(rcu->points.size(), 8u);
  // No band while fewer than 5 runs precede; then the band, and run 8 outside it.
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(std::isnan(rcu->points[i].band_low)) << i;
  EXPECT_FALSE(std::isnan(rcu->points[5].band_low));
  EXPECT_EQ(rcu->points[6].verdict, Verdict::unchanged);
  EXPECT_EQ(rcu->points[7].verdict, Verdict::regression);
  EXPECT_LT(rcu->points[7].median, rcu->points[7].band_low);
  // The same verdict as compare against the history of the runs before it.
  CompareOptions o;
  o.mode = CompareMode::history;
  const std::vector<Row> eighth = run_rows(8, 0.7);
  std::set<std::string> later;
  const Comparison c =
      compare_runs(baseline_from_history_dir(dir_, eighth, 10, nullptr, later), eighth, o);
  bool found = false;
  for (const SeriesResult& r : c.results)
    if (r.key == rcu->key) {
      found = true;
      EXPECT_EQ(r.verdict, rcu->points[7].verdict);
      EXPECT_DOUBLE_EQ(r.band_low, rcu->points[7].band_low);
    }
  ASSERT_TRUE(found);
  // Judged before the later runs existed: run 6's band is of runs 1..5 only.
  const std::vector<Row> sixth = run_rows(6);
  const Comparison c6 = compare_runs(
      baseline_from_history_dir(dir_, sixth, 10, nullptr, {"r07", "r08"}), sixth, o);
  found = false;
  for (const SeriesResult& r : c6.results)
    if (r.key == rcu->key) {
      found = true;
      EXPECT_DOUBLE_EQ(r.band_low, rcu->points[5].band_low);
    }
  ASSERT_TRUE(found);
}

TEST_F(HistoryDir, TrendMarksTheRebaselinesAndPlotsWhatTheGateKeys) {
  for (int k = 1; k <= 7; ++k) {
    std::vector<HistoryAccept> accepts;
    if (k == 6) accepts.push_back(parse_accept("x86_64/rcu-memb/*/reads_per_s: new algorithm"));
    record_runs(dir_, run_rows(k, k >= 6 ? 0.7 : 1), {}, accepts);
  }
  const HistoryTrends t = history_trends(dir_, 50, 10);
  for (const TrendSeries& s : t.series) {
    if (s.key.metric != "reads_per_s") continue;
    ASSERT_EQ(s.points.size(), 7u);
    // The accept of run 6 rebaselines rcu-memb there, and nothing else.
    for (std::size_t i = 0; i < 7; ++i)
      EXPECT_EQ(s.points[i].rebaseline, s.key.primitive == "rcu-memb" && i == 5)
          << s.key.primitive << " " << i;
    // rcu-memb: run 6 regressed against the old baseline (and was accepted); run 7 is
    // judged against the new one, which has too few runs yet. rwlock-pthread: unchanged.
    if (s.key.primitive == "rcu-memb") {
      EXPECT_EQ(s.points[5].verdict, Verdict::regression);
      EXPECT_EQ(s.points[6].verdict, Verdict::insufficient);
    } else {
      EXPECT_EQ(s.points[5].verdict, Verdict::unchanged);
      EXPECT_EQ(s.points[6].verdict, Verdict::unchanged);
    }
  }
  const std::vector<TrendPlot> plots = trend_plots(t, {"reads_per_s"});
  ASSERT_EQ(plots.size(), 2u);
  EXPECT_EQ(plots[0].name, "trend-x86_64-read-side-rcu-memb-r1-u0-reads_per_s");
  EXPECT_NE(plots[0].vars.find("has_rebaseline = 1"), std::string::npos) << plots[0].vars;
  EXPECT_NE(plots[1].vars.find("has_rebaseline = 0"), std::string::npos) << plots[1].vars;
  // One line per run: time, median, band ("?" before there is one), machine, rebaseline,
  // verdict.
  EXPECT_NE(plots[0].data.find("\n1793505600 "), std::string::npos) << plots[0].data;  // 2026-11-01T04:00Z
  EXPECT_NE(plots[0].data.find(" ? ? 1 0 0\n"), std::string::npos) << plots[0].data;
  EXPECT_NE(plots[0].data.find(" 1 1 1\n"), std::string::npos) << plots[0].data;

  // Series that differ only in params (an edited config) get the params in their names.
  std::vector<Row> edited = run_rows(8);
  for (Row& r : edited) r.params = "0badc0de";
  record_runs(dir_, edited);
  std::set<std::string> names;
  for (const TrendPlot& p : trend_plots(history_trends(dir_, 50, 10), {"reads_per_s"}))
    names.insert(p.name);
  EXPECT_TRUE(names.contains("trend-x86_64-read-side-rcu-memb-r1-u0-0badc0de-reads_per_s"));
  EXPECT_EQ(names.size(), 4u);
  // And --runs keeps the last ones only.
  EXPECT_EQ(history_trends(dir_, 3, 10).runs, (std::vector<std::string>{"r06", "r07", "r08"}));
}

}  // namespace
}  // namespace rcubench::report
