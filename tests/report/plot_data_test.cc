// The plots' reduction of the CSV: quartiles of process samples, the fallback to in-process
// repetitions, which column a workload sweeps, label spreading, ticks, and the plots made
// from rows built here.
#include "report/plot_data.h"
#include "report/plot/layout.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "report/csv.h"
#include "report/error.h"
#include "report/memory_series.h"
#include "report/plot/layout.h"
#include "report/plot/model.h"
#include "report/samples.h"
#include "report/stats.h"
#include "described_rows.h"

namespace rcubench::report {
namespace {

// A row of a timed run: process k (none if k < 0), value v.
Row row(std::string primitive, std::string metric, double value, long process = 0, long readers = 1,
        long updaters = 0) {
  Row r;
  r.run_id = "run-1";
  r.date = "2026-11-28T04:05:12+00:00";
  r.commit = "c0ffee";
  r.arch = "x86_64";
  r.exec = "native";
  r.cpu_model = "cpu A (2 CPUs)";
  r.compiler = "gcc 12.2.0";
  r.build_type = "release";
  r.primitive = std::move(primitive);
  r.workload = "read-side";
  r.readers = readers;
  r.updaters = updaters;
  r.repetition = 0;
  if (process >= 0) r.process = process;
  r.metric = std::move(metric);
  r.value = value;
  r.unit = "1/s";
  return testing::describe(r);
}

std::vector<const Row*> pointers(const std::vector<Row>& rows) {
  std::vector<const Row*> out;
  for (const Row& r : rows) out.push_back(&r);
  return out;
}

TEST(PlotQuantile, InterpolatesBetweenOrderStatistics) {
  // Positions q (n - 1) in {1, 2, 3, 4}: 0.75 -> 1.75, 1.5 -> 2.5, 2.25 -> 3.25.
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0), 1);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 1), 4);
  EXPECT_DOUBLE_EQ(quantile({7}, 0.25), 7);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(PlotSummary, OneSamplePerProcessTheMedianOfItsRepetitions) {
  // Process 0: 10, 12, 100 -> 12; process 1: 20; process 2: 30, 32 -> 31. The samples are
  // {12, 20, 31}, whatever the number of repetitions behind each.
  ProcessSamples s;
  for (auto [process, v] :
       {std::pair{0L, 10.0}, {0L, 12.0}, {0L, 100.0}, {1L, 20.0}, {2L, 30.0}, {2L, 32.0}})
    s.add(row("rcu-memb", "reads_per_s", v, process));
  const PointSummary p = summarize(s);
  EXPECT_EQ(p.n, 3u);
  EXPECT_FALSE(p.repetitions);
  EXPECT_DOUBLE_EQ(p.median, 20);
  EXPECT_DOUBLE_EQ(p.q1, 16);    // 12 + 0.5 * (20 - 12)
  EXPECT_DOUBLE_EQ(p.q3, 25.5);  // 20 + 0.5 * (31 - 20)
}

TEST(PlotSummary, OneProcessFallsBackToItsRepetitionsMarked) {
  ProcessSamples one_process;
  for (double v : {5.0, 1.0, 3.0, 7.0}) one_process.add(row("rcu-memb", "reads_per_s", v, 0));
  PointSummary p = summarize(one_process);
  EXPECT_TRUE(p.repetitions);
  EXPECT_EQ(p.n, 4u);
  EXPECT_DOUBLE_EQ(p.median, 4);
  EXPECT_DOUBLE_EQ(p.q1, 2.5);
  EXPECT_DOUBLE_EQ(p.q3, 5.5);

  // A run without process indices is one sample too: its repetitions stand in.
  ProcessSamples in_process;
  for (double v : {5.0, 1.0, 3.0}) in_process.add(row("rcu-memb", "reads_per_s", v, -1));
  p = summarize(in_process);
  EXPECT_TRUE(p.repetitions);
  EXPECT_EQ(p.n, 3u);
  EXPECT_DOUBLE_EQ(p.median, 3);

  // Two such runs are two samples: no fallback.
  Row other = row("rcu-memb", "reads_per_s", 9, -1);
  other.run_id = "run-2";
  in_process.add(other);
  p = summarize(in_process);
  EXPECT_FALSE(p.repetitions);
  EXPECT_EQ(p.n, 2u);
  EXPECT_DOUBLE_EQ(p.median, 6);  // samples 3 and 9

  // A single value has no spread, and is no fallback either.
  ProcessSamples single;
  single.add(row("rcu-memb", "reads_per_s", 8, 0));
  p = summarize(single);
  EXPECT_FALSE(p.repetitions);
  EXPECT_EQ(p.n, 1u);
  EXPECT_DOUBLE_EQ(p.q1, 8);
  EXPECT_DOUBLE_EQ(p.q3, 8);
}

TEST(PlotSweep, TheColumnWithTwoOrMoreValues) {
  std::vector<Row> rows;
  for (long r : {1, 2, 4}) rows.push_back(row("rcu-memb", "reads_per_s", 1, 0, r, 0));
  Sweep s = find_sweep(pointers(rows));
  ASSERT_TRUE(s.x);
  EXPECT_EQ(*s.x, SweepColumn::readers);
  EXPECT_TRUE(s.split.empty());

  rows.clear();
  for (double d : {1.0, 10.0, 100.0}) {
    rows.push_back(row("rcu-memb", "updates_per_s", 1, 0, 1, 1));
    rows.back().updater_delay_us = d;
  }
  s = find_sweep(pointers(rows));
  ASSERT_TRUE(s.x);
  EXPECT_EQ(*s.x, SweepColumn::updater_delay_us);
  EXPECT_EQ(column_name(*s.x), "updater_delay_us");

  // One point: no x, a bar chart.
  rows = {row("rcu-memb", "reads_per_s", 1, 0), row("rcu-memb", "reads_per_s", 2, 1)};
  EXPECT_FALSE(find_sweep(pointers(rows)).x);

  // A row without the column ("-") adds no value: 64 and "-" are one value.
  rows[0].payload_bytes = 64;
  EXPECT_FALSE(find_sweep(pointers(rows)).x);
  EXPECT_TRUE(std::isnan(column_value(rows[1], SweepColumn::payload_bytes)));
}

TEST(PlotSweep, TheMostValuesIsX_TheOthersSplit) {
  std::vector<Row> rows;
  for (long r : {1, 2})
    for (long u : {0, 1, 2}) rows.push_back(row("rcu-memb", "reads_per_s", 1, 0, r, u));
  Sweep s = find_sweep(pointers(rows));
  ASSERT_TRUE(s.x);
  EXPECT_EQ(*s.x, SweepColumn::updaters);
  EXPECT_EQ(s.split, std::vector<SweepColumn>{SweepColumn::readers});

  // A tie goes to the earlier column: readers before updaters.
  rows.clear();
  for (long r : {1, 2})
    for (long u : {1, 2}) rows.push_back(row("rcu-memb", "reads_per_s", 1, 0, r, u));
  s = find_sweep(pointers(rows));
  EXPECT_EQ(*s.x, SweepColumn::readers);
  EXPECT_EQ(s.split, std::vector<SweepColumn>{SweepColumn::updaters});
}

TEST(PlotLabels, SpreadApartAsLittleAsNeeded) {
  // Far apart: unchanged.
  std::vector<double> y = spread_labels({0.1, 0.5, 0.9}, 0.05);
  EXPECT_DOUBLE_EQ(y[0], 0.1);
  EXPECT_DOUBLE_EQ(y[1], 0.5);
  EXPECT_DOUBLE_EQ(y[2], 0.9);
  // Two at one height move apart by the gap, symmetrically, in the order given.
  y = spread_labels({0.5, 0.5}, 0.1);
  EXPECT_NEAR(y[0], 0.45, 1e-12);
  EXPECT_NEAR(y[1], 0.55, 1e-12);
  // Crossing: each keeps its side.
  y = spread_labels({0.52, 0.5}, 0.1);
  EXPECT_GT(y[0], y[1]);
  EXPECT_NEAR(y[0] - y[1], 0.1, 1e-12);
  // At the top: pushed down to stay inside.
  y = spread_labels({1.0, 0.99, 0.98}, 0.05);
  EXPECT_NEAR(*std::max_element(y.begin(), y.end()), 1.0, 1e-12);
  EXPECT_NEAR(*std::min_element(y.begin(), y.end()), 0.9, 1e-12);
  // Too many to fit at the gap: evenly over [0, 1].
  y = spread_labels({0.5, 0.5, 0.5}, 0.8);
  std::sort(y.begin(), y.end());
  EXPECT_NEAR(y[0], 0, 1e-12);
  EXPECT_NEAR(y[1], 0.5, 1e-12);
  EXPECT_NEAR(y[2], 1, 1e-12);
  // Never closer than the gap.
  y = spread_labels({0.3, 0.31, 0.32, 0.33, 0.7, 0.71}, 0.04);
  std::sort(y.begin(), y.end());
  for (std::size_t i = 1; i < y.size(); ++i) EXPECT_GE(y[i] - y[i - 1], 0.04 - 1e-12);
}

std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const Tick& t : ticks) out.push_back(t.label);
  return out;
}

TEST(PlotTicks, DecadesOr125AndUnits) {
  // Less than three decades: 2 and 5 between the powers of ten.
  EXPECT_EQ(labels(axis_ticks(4e6, 6e8, true, "1/s")),
            (std::vector<std::string>{"5M", "10M", "20M", "50M", "100M", "200M", "500M"}));
  // Many decades: powers of ten only.
  EXPECT_EQ(labels(axis_ticks(1, 1e6, true, "1/s")),
            (std::vector<std::string>{"1", "10", "100", "1k", "10k", "100k", "1M"}));
  // Linear: 1-2-5 steps from the first multiple.
  EXPECT_EQ(labels(axis_ticks(0, 10, false, "objects")),
            (std::vector<std::string>{"0", "2", "4", "6", "8", "10"}));
  // Times and sizes say their unit.
  EXPECT_EQ(labels(axis_ticks(100, 20000, true, "ns")),
            (std::vector<std::string>{"100 ns", "200 ns", "500 ns", "1 µs", "2 µs", "5 µs", "10 µs",
                                      "20 µs"}));
  const std::vector<std::string> bytes = labels(axis_ticks(64, 65536, true, "bytes"));
  EXPECT_EQ(bytes.front(), "64 B");
  EXPECT_EQ(bytes.back(), "64 KiB");
  EXPECT_LE(bytes.size(), 9u);
  EXPECT_EQ(short_value(1500, "us"), "1.5 ms");
  EXPECT_EQ(short_value(2.5e6, "1/s"), "2.5M");
  EXPECT_EQ(short_value(1024, "count"), "1024");
}

// --- Whole plots ---------------------------------------------------------------------------

// The text of `array NAME[N] = [...]` in a plot's variables, split at ", ".
std::vector<std::string> gp_array(const std::string& vars, const std::string& name) {
  const std::size_t at = vars.find("array " + name + "[");
  if (at == std::string::npos) return {};
  const std::size_t open = vars.find("= [", at) + 3, close = vars.find("]\n", open);
  // Items are separated by ", " outside a quoted string (where \ escapes the next character).
  std::vector<std::string> out(1);
  const std::string items = vars.substr(open, close - open);
  bool quoted = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (quoted && items[i] == '\\') {
      out.back() += items.substr(i++, 2);
    } else if (!quoted && items.compare(i, 2, ", ") == 0) {
      out.emplace_back();
      ++i;
    } else {
      quoted ^= items[i] == '"';
      out.back() += items[i];
    }
  }
  return out;
}

// Rows of a read-side sweep (readers 1, 2, 4) over three processes, with the main comparison's
// primitives, the references, and more RCU flavors than one panel holds.
std::vector<Row> read_side_rows() {
  std::vector<Row> rows;
  const std::vector<std::string> prims = {
      "rcu-memb",       "rcu-qsbr",       "rcu-bp",       "rcu-mb",
      "rcu-signal",     "urcu-memb",      "urcu-qsbr",    "rcu-memb-defer",
      "rcu-memb-batch", "rwlock-pthread", "shared-mutex", "arc-swap",
      "hazptr",         "bare",           "hand-bare",    "timer"};
  for (std::size_t i = 0; i < prims.size(); ++i)
    for (long readers : {1, 2, 4})
      for (long process : {0, 1, 2})
        rows.push_back(row(prims[i], "reads_per_s",
                           1e6 * static_cast<double>((i + 1) * readers) + process, process, readers,
                           0));
  return rows;
}

TEST(PlotMake, ReadSideSweep_HeadlineAndFamilyPanels) {
  const std::vector<Row> rows = read_side_rows();
  std::vector<std::string> notes;
  const std::vector<PlotFiles> plots = make_plots(rows, &notes);
  EXPECT_EQ(plot_manifest(plots), "x86_64-headline lines\nx86_64-read-side-reads lines\n");

  // The headline: the main comparison's primitives and the references, nothing else.
  const PlotFiles& headline = plots[0];
  EXPECT_EQ(gp_array(headline.vars, "s_label"),
            (std::vector<std::string>{"\"rcu-memb\"", "\"rcu-qsbr\"", "\"rwlock-pthread\"",
                                      "\"arc-swap\"", "\"bare (unsynchronised floor)\"",
                                      "\"hand-written loop (yardstick)\""}));
  EXPECT_NE(headline.vars.find("x86_64 (native): reads/s per reader thread"), std::string::npos);
  EXPECT_NE(headline.vars.find("the median of 3 processes"), std::string::npos);
  // Per reader thread: rcu-memb at 2 readers has samples 2e6 + {0, 1, 2}, divided by 2.
  EXPECT_NE(headline.data.find("\n2 1000000.5 1000000.25 1000000.75 3\n"), std::string::npos)
      << headline.data;

  // The sweep: panels by family, each line's colour and dash unique within its panel, the
  // references in every panel.
  const PlotFiles& sweep = plots[1];
  const auto colors = gp_array(sweep.vars, "s_color"), dashes = gp_array(sweep.vars, "s_dash");
  const auto names = gp_array(sweep.vars, "s_label"), panels = gp_array(sweep.vars, "p_series");
  ASSERT_GE(panels.size(), 2u);
  for (const std::string& members : panels) {
    std::set<std::string> styles;
    std::size_t n = 0, references = 0;
    std::istringstream in(members.substr(1, members.size() - 2));
    for (std::size_t i; in >> i; ++n) {
      styles.insert(colors.at(i - 1) + dashes.at(i - 1));
      references += names.at(i - 1).starts_with("\"bare") ||
                    names.at(i - 1).starts_with("\"hand-written") ||
                    names.at(i - 1).starts_with("\"timer");
    }
    EXPECT_EQ(styles.size(), n) << members;
    EXPECT_EQ(references, 3u) << members;
    EXPECT_LE(n - references, 12u);
  }
  EXPECT_NE(sweep.vars.find("xlabel_text = \"reader threads\""), std::string::npos);
  // A panel of several families names each of them, in lines that fit over the panel
  // (gnuplot strings: quoted, a line break written \n).
  std::string titles;
  for (const std::string& t : gp_array(sweep.vars, "p_title"))
    titles += t.substr(1, t.size() - 2) + "\\n";
  for (const char* family : {"Rcu<P> flavors, synchronous free", "locks", "hazard pointers"})
    EXPECT_NE(titles.find(family), std::string::npos) << family << " in " << titles;
  for (std::size_t from = 0, to; (to = titles.find("\\n", from)) != std::string::npos;
       from = to + 2)
    EXPECT_LE(to - from, rcubench::report::plot::kPanelTitleChars) << titles;
}

// The update-side floor is a reference with a label and a style of its own, beside the
// updaters it bounds.
TEST(PlotMake, UpdateFloorIsALabelledReference) {
  std::vector<Row> rows;
  for (std::string p : {"rcu-memb-batch", "rwlock-pthread", "bare-update"})
    for (long readers : {1, 2})
      for (long process : {0, 1, 2}) {
        Row r = row(p, "updates_per_s", 1e6 * static_cast<double>(readers) + process, process,
                    readers, 1);
        r.workload = "update-side";
        rows.push_back(r);
      }
  std::vector<std::string> notes;
  const std::vector<PlotFiles> plots = make_plots(rows, &notes);
  ASSERT_FALSE(plots.empty());
  const auto names = gp_array(plots[0].vars, "s_label");
  const auto colors = gp_array(plots[0].vars, "s_color"), dashes = gp_array(plots[0].vars, "s_dash");
  const auto it = std::find(names.begin(), names.end(),
                            "\"bare-update (unsynchronised update floor)\"");
  ASSERT_NE(it, names.end()) << plots[0].vars;
  std::set<std::string> styles;
  for (std::size_t i = 0; i < names.size(); ++i) styles.insert(colors.at(i) + dashes.at(i));
  EXPECT_EQ(styles.size(), names.size());
}

// Rows of a stalls workload: held bytes and updates/s of two primitives at three stall
// lengths over two processes.
std::vector<Row> stalls_rows() {
  std::vector<Row> rows;
  for (const std::string p : {"rcu-memb-defer", "hazptr"})
    for (double stall : {0.0, 1000.0, 10000.0})
      for (long process : {0, 1}) {
        const double held = p == "hazptr" ? 128 : 64 * (1 + stall);
        for (const auto& [metric, value, unit] :
             {std::tuple{"held_peak_bytes", held, "bytes"}, {"held_mean_bytes", held / 2, "bytes"},
              {"updates_per_s", 1e6 - stall, "1/s"}}) {
          Row r = row(p, metric, value, process, 1, 1);
          r.workload = "stalls";
          r.stall_us = stall;
          r.unit = unit;
          rows.push_back(r);
        }
      }
  return rows;
}

// A memory-series file of two processes, three stall lengths, two primitives, 12 ms each:
// hazptr's updater goes on through the stall (ms 2 and 3) at 1,000 updates a millisecond,
// rcu-memb-defer's stops for a millisecond; no reader times a batch at ms 3.
std::string memory_series_text() {
  std::string text =
      "# rcubench-memory-series v2\narch,exec,process,run_name,object_bytes,t_s,objects,stalled,"
      "updates,reads,read_worst_ns\n";
  for (long process : {1, 0})
    for (const std::string p : {"rcu-memb-defer", "hazptr"})
      for (const char* stall : {"0", "1000", "10000"})
        for (int ms = 0; ms < 12; ++ms)
          text += fmt::format(
              "x86_64,native,{},stalls/{}/readers:1/updaters:1/updater_delay_us:0/read_work:0/"
              "payload_bytes:64/stall_us:{}/params:0badc0de,64,{},{},{},{},{},{}\n",
              process, p, stall, ms * 0.001, p == "hazptr" ? 1 : ms * 100 + process,
              ms == 2 || ms == 3 ? 1 : 0,
              p == "hazptr" || ms <= 2 ? ms * 1000 : (ms - 1) * 1000, ms * 5000,
              ms == 3 ? "" : fmt::format("{}", 2.5 + ms));
  return text;
}

TEST(MemorySeries, ReadsEveryRunOfEveryProcess_RefusesWhatIsNotOne) {
  const std::vector<MemoryTrace> traces = parse_memory_series(memory_series_text(), "m.csv");
  ASSERT_EQ(traces.size(), 12u);
  EXPECT_EQ(traces[0].process, 1);
  EXPECT_EQ(traces[0].primitive, "rcu-memb-defer");
  EXPECT_EQ(traces[0].workload, "stalls");
  EXPECT_EQ(traces[0].stall_us, 0);
  EXPECT_EQ(traces[0].object_bytes, 64u);
  EXPECT_EQ(traces[0].readers, 1);
  ASSERT_EQ(traces[0].samples.size(), 12u);
  EXPECT_EQ(traces[0].samples[4], (MemoryTrace::Sample{0.004, 401, false, 3000, 20000, 6.5}));
  EXPECT_TRUE(traces[0].samples[2].stalled);
  EXPECT_FALSE(traces[0].samples[3].read_worst_ns);
  auto error = [](const std::string& text) {
    try {
      parse_memory_series(text, "m.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string good = memory_series_text();
  const std::string header = good.substr(0, good.find("x86_64"));
  const std::string line =
      "x86_64,native,0,stalls/hazptr/readers:1/updaters:1/stall_us:5/params:0badc0de,64,0.5,3,0,"
      "7,9,\n";
  EXPECT_EQ(error(header + line), "");
  // Version 1 files (no updates, reads or latency) are still read; their eight columns only.
  const std::string v1_header =
      "# rcubench-memory-series v1\narch,exec,process,run_name,object_bytes,t_s,objects,stalled\n";
  const std::string v1_line = line.substr(0, line.rfind(",7,9,"));
  EXPECT_EQ(error(v1_header + v1_line + "\n"), "");
  const auto v1 = parse_memory_series(v1_header + v1_line + "\n", "m.csv");
  ASSERT_EQ(v1.size(), 1u);
  EXPECT_EQ(v1[0].samples.at(0), (MemoryTrace::Sample{0.5, 3, false, {}, {}, {}}));
  EXPECT_NE(error(v1_header + line).find("m.csv:3: 11 fields, want 8"), std::string::npos);
  EXPECT_NE(error("arch,exec\n").find("m.csv:1: want '# rcubench-memory-series v2'"),
            std::string::npos);
  EXPECT_NE(error("# rcubench-memory-series v2\na,b\n").find("m.csv:2: header 'a,b'"),
            std::string::npos);
  EXPECT_NE(error(header.substr(0, header.find('\n') + 1) + v1_header.substr(v1_header.find('\n') + 1) + line)
                .find("m.csv:2: header 'arch,exec,process,run_name,object_bytes,t_s,objects,stalled'"),
            std::string::npos);
  std::string bad_updates = line;
  bad_updates.replace(bad_updates.rfind(",7,"), 3, ",-7,");
  EXPECT_NE(error(header + bad_updates).find("m.csv:3: updates '-7' is not a non-negative integer"),
            std::string::npos);
  std::string bad_latency = line;
  bad_latency.replace(bad_latency.rfind(",\n"), 2, ",0\n");
  EXPECT_NE(error(header + bad_latency).find("m.csv:3: read_worst_ns '0' is not a positive"),
            std::string::npos);
  std::string fewer_reads = line;
  fewer_reads.replace(fewer_reads.find(",0.5,"), 5, ",0.75,");
  fewer_reads.replace(fewer_reads.rfind(",9,"), 3, ",8,");
  EXPECT_NE(error(header + line + fewer_reads).find("m.csv:4: updates or reads go back"),
            std::string::npos);
  std::string no_stall = line;
  no_stall.replace(no_stall.find("/stall_us:5"), 11, "");
  EXPECT_NE(error(header + no_stall).find("m.csv:3: run_name"), std::string::npos);
  std::string bad_time = line;
  bad_time.replace(bad_time.find(",0.5,"), 5, ",-1,");
  EXPECT_NE(error(header + bad_time).find("m.csv:3: t_s '-1'"), std::string::npos);
  std::string bad_count = line;
  bad_count.replace(bad_count.rfind(",3,"), 3, ",3x,");
  EXPECT_NE(error(header + bad_count).find("m.csv:3: objects '3x'"), std::string::npos);
  std::string back_in_time = line;
  back_in_time.replace(back_in_time.find(",0.5,"), 5, ",0.25,");
  EXPECT_NE(error(header + line + back_in_time).find("m.csv:4: t_s 0.25 goes back in time"),
            std::string::npos);
  EXPECT_NE(error(header + "x86_64,native,0\n").find("m.csv:3: 3 fields, want 11"),
            std::string::npos);
  std::string bad_flag = line;
  bad_flag.replace(bad_flag.rfind(",0"), 2, ",2");
  EXPECT_NE(error(header + bad_flag).find("m.csv:3: stalled '2' is not 0 or 1"),
            std::string::npos);
}

// A stalls workload gets the memory held against the stall length and, with its memory
// series, the memory held over time: one process (the first), one stall length (the
// longest up to 10 ms), a line per primitive in bytes.
TEST(PlotMake, StallsDrawTheMemoryHeld_AgainstTheStallAndOverTime) {
  const std::vector<Row> rows = stalls_rows();
  std::vector<std::string> notes;
  const std::vector<PlotFiles> without = make_plots(rows, &notes);
  EXPECT_NE(plot_manifest(without).find("x86_64-stalls-held lines\n"), std::string::npos)
      << plot_manifest(without);
  EXPECT_EQ(plot_manifest(without).find("held-over-time"), std::string::npos);
  const PlotFiles& held = *std::find_if(without.begin(), without.end(),
                                        [](const PlotFiles& p) { return p.name == "x86_64-stalls-held"; });
  EXPECT_NE(held.vars.find("how long reader 0 stays inside one read-side section"),
            std::string::npos);
  EXPECT_NE(held.vars.find("'no stall'"), std::string::npos) << held.vars;

  const std::vector<MemoryTrace> memory = parse_memory_series(memory_series_text(), "m.csv");
  const std::vector<PlotFiles> with = make_plots(rows, &notes, memory);
  auto it = std::find_if(with.begin(), with.end(), [](const PlotFiles& p) {
    return p.name == "x86_64-stalls-held-over-time";
  });
  ASSERT_NE(it, with.end()) << plot_manifest(with);
  EXPECT_EQ(it->kind, "lines");
  EXPECT_NE(it->title.find("memory held over time, reader 0 stalling 10 ms at a time"),
            std::string::npos)
      << it->title;
  EXPECT_NE(it->vars.find("process 0 of the run"), std::string::npos);
  EXPECT_EQ(gp_array(it->vars, "s_label"),
            (std::vector<std::string>{"\"rcu-memb-defer\"", "\"hazptr\""}))
      << it->vars;
  // Process 0's rcu-memb-defer at 10 ms: 400 objects of 64 bytes at 4 ms.
  EXPECT_NE(it->data.find("\n4 25600 25600 25600 1\n"), std::string::npos) << it->data;
  EXPECT_EQ(it->data.find(" 25664 "), std::string::npos);  // process 1's (401 objects)
  // The stall, shaded: samples at 2 and 3 ms, half a millisecond either side.
  EXPECT_NE(it->vars.find("nbands = 1\nband_label = \"reader 0 stalled\"\n"), std::string::npos);
  EXPECT_NE(it->vars.find("array band_from[1] = [1.5]\narray band_to[1] = [3.5]\n"),
            std::string::npos)
      << it->vars;

  // What the stall costs the others over time, from the same samples: the updates/s of each
  // 5 ms window against the primitive's own median over the windows without a stall
  // (1,000 a millisecond: from 9 ms on), on a linear axis, and the slowest read a sample.
  auto progress = std::find_if(with.begin(), with.end(), [](const PlotFiles& p) {
    return p.name == "x86_64-stalls-progress-over-time";
  });
  ASSERT_NE(progress, with.end()) << plot_manifest(with);
  EXPECT_NE(progress->title.find("updates/s and the slowest reads over time"), std::string::npos)
      << progress->title;
  EXPECT_NE(progress->vars.find("npanels = 2"), std::string::npos) << progress->vars;
  // rcu-memb-defer's window ending at 5 ms holds 4,000 updates (one millisecond stopped):
  // 0.8; hazptr's every window: 1.
  EXPECT_NE(progress->data.find("\n5 0.8 0.8 0.8 1\n"), std::string::npos) << progress->data;
  EXPECT_NE(progress->data.find("\n5 1 1 1 1\n"), std::string::npos) << progress->data;
  EXPECT_EQ(progress->data.find("\n4 1 1 1 1\n"), std::string::npos);  // no full window yet
  // The slowest reads: 2.5 + ms ns, none at 3 ms, where the line breaks (a blank line).
  EXPECT_NE(progress->data.find("\n2 4.5 4.5 4.5 1\n\n4 6.5 6.5 6.5 1\n"), std::string::npos)
      << progress->data;
  EXPECT_EQ(progress->data.find("\n3 "), std::string::npos);
  // A version 1 series has neither: no such plot, the memory held still drawn.
  std::string v1 = memory_series_text();
  v1.replace(0, v1.find('\n'), "# rcubench-memory-series v1");
  std::string v1_text;
  for (std::size_t at = 0; at < v1.size();) {
    std::size_t eol = v1.find('\n', at);
    std::string line = v1.substr(at, eol - at);
    if (line.rfind("#", 0) != 0)
      for (int k = 0; k < 3; ++k) line.erase(line.rfind(','));
    v1_text += line + "\n";
    at = eol + 1;
  }
  const std::vector<PlotFiles> old_series =
      make_plots(rows, &notes, parse_memory_series(v1_text, "v1.csv"));
  EXPECT_NE(plot_manifest(old_series).find("held-over-time"), std::string::npos);
  EXPECT_EQ(plot_manifest(old_series).find("progress-over-time"), std::string::npos);
}

// The timelines draw every primitive of the run, in panels by family as the plot against
// the stall does (a panel of ten liburcu-based lines, then the locks with hazptr), a row
// of panels per metric; the shading of the stalls in every panel.
TEST(PlotMake, StallTimelinesDrawEveryPrimitiveInFamilyPanels) {
  const std::vector<std::string> copies = {
      "rcu-qsbr-defer", "rcu-mb-defer", "rcu-bp-defer", "rcu-signal-defer", "rcu-memb-batch",
      "rcu-qsbr-batch", "rcu-mb-batch", "rcu-bp-batch", "rcu-signal-batch", "rwlock-pthread",
      "shared-mutex", "mutex"};
  std::vector<Row> rows = stalls_rows();
  std::string text = memory_series_text();
  const std::string memb_text = text;
  for (const std::string& copy : copies) {
    for (const Row& r : stalls_rows())
      if (r.primitive == "rcu-memb-defer") {
        Row q = r;
        q.primitive = copy;
        rows.push_back(testing::describe(q));
      }
    for (std::size_t at = 0;
         (at = memb_text.find("stalls/rcu-memb-defer/", at)) != std::string::npos;) {
      const std::size_t bol = memb_text.rfind('\n', at) + 1, eol = memb_text.find('\n', at) + 1;
      std::string line = memb_text.substr(bol, eol - bol);
      line.replace(line.find("rcu-memb-defer"), 14, copy);
      text += line;
      at = eol;
    }
  }
  std::vector<std::string> notes;
  const std::vector<PlotFiles> plots =
      make_plots(rows, &notes, parse_memory_series(text, "m.csv"));
  auto plot = [&](const std::string& name) {
    auto it = std::find_if(plots.begin(), plots.end(),
                           [&](const PlotFiles& p) { return p.name == name; });
    EXPECT_NE(it, plots.end()) << name << " in " << plot_manifest(plots);
    return it == plots.end() ? PlotFiles{} : *it;
  };
  std::set<std::string> every{"\"rcu-memb-defer\"", "\"hazptr\""};
  for (const std::string& copy : copies) every.insert(fmt::format("\"{}\"", copy));
  for (const auto& [name, metrics] :
       {std::pair<std::string, std::size_t>{"x86_64-stalls-held-over-time", 1},
        {"x86_64-stalls-progress-over-time", 2}}) {
    const PlotFiles timeline = plot(name);
    const auto labels = gp_array(timeline.vars, "s_label");  // a line a panel
    EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()), every) << name;
    EXPECT_EQ(labels.size(), every.size() * metrics) << name;  // once a metric
    EXPECT_NE(timeline.vars.find(fmt::format("npanels = {}\n", 2 * metrics)), std::string::npos)
        << timeline.vars;
    const auto titles = gp_array(timeline.vars, "p_title");
    ASSERT_FALSE(titles.empty()) << name;
    EXPECT_NE(titles[0].find("deferred (-defer) and batched (-batch)"), std::string::npos)
        << titles[0];
    EXPECT_NE(titles[1].find("locks; reference counting, hazard pointers"), std::string::npos)
        << titles[1];
    EXPECT_NE(timeline.vars.find("nbands = 1\n"), std::string::npos) << name;
  }
}

// A panel that must show a drop to zero keeps a linear axis however far apart its values
// are; the same values elsewhere get a log one (and lose the zero).
TEST(PlotLayout, ALinearOnlyPanelKeepsItsZeros) {
  auto panel_with = [](bool linear_only) {
    plot::Panel p;
    p.unit = "x";
    p.linear_only = linear_only;
    plot::Series s;
    for (double v : {0.0, 0.001, 1.0}) s.points.push_back({v, {v, v, v, 1, false}});
    p.series.push_back(s);
    return p;
  };
  plot::Panel free = panel_with(false), linear = panel_with(true);
  plot::set_y_scale({&free}, false);
  plot::set_y_scale({&linear}, false);
  EXPECT_TRUE(free.ylog);
  EXPECT_FALSE(linear.ylog);
  EXPECT_EQ(linear.ymin, 0);
}

TEST(PlotMake, OnePointIsABarChart_OneProcessSaysSo) {
  std::vector<Row> rows;
  for (std::string p :
       {"rcu-memb-batch", "rwlock-pthread", "rcu-memb", "urcu-memb", "rcu-memb-defer", "arc-swap"})
    for (double v : {100.0, 300.0, 200.0}) {
      rows.push_back(row(p, "updates_per_s", v, 0, 1, 1));
      rows.back().workload = "update-side";
    }
  const std::vector<PlotFiles> plots = make_plots(rows, nullptr);
  EXPECT_EQ(plot_manifest(plots), "x86_64-update-side-updates bars\n");
  // A flavor's variants side by side (synchronous, deferred, batched, raw liburcu), then
  // the locks, then the rest; a tick per bar.
  const std::string& vars = plots[0].vars;
  const std::size_t line = vars.find("array p_xtics");
  ASSERT_NE(line, std::string::npos);
  const std::string spec = vars.substr(line, vars.find('\n', line) - line);
  const std::vector<std::string> order = {"'rcu-memb'",  "'rcu-memb-defer'", "'rcu-memb-batch'",
                                          "'urcu-memb'", "'rwlock-pthread'", "'arc-swap'"};
  std::size_t at = 0;
  for (const std::string& name : order) {
    const std::size_t found = spec.find(name + " ", at);
    ASSERT_NE(found, std::string::npos) << name << " in " << spec;
    at = found;
  }
  // Median 200, quartiles 150 and 250 of the three repetitions of the one process.
  EXPECT_NE(plots[0].data.find(" 200 150 250 3 "), std::string::npos) << plots[0].data;
  EXPECT_NE(plots[0].vars.find("one process only"), std::string::npos);
}

TEST(PlotMake, EmulatedTitles_CountsHaveNoPlots_SplitNames) {
  std::vector<Row> rows;
  for (long r : {1, 2})
    for (long u : {0, 1}) {
      rows.push_back(row("rcu-memb", "reads_per_s", 5e6, 0, r, u));
      rows.back().arch = "aarch64";
      rows.back().exec = "qemu";
      rows.back().workload = "mixed";
    }
  Row count = row("rcu-memb", "read_insns", 28, 0);
  count.exec = "qemu-insn-count";
  count.unit = "instructions";
  count.workload = "read-path";
  rows.push_back(count);
  const std::vector<PlotFiles> plots = make_plots(rows, nullptr);
  std::set<std::string> names;
  for (const PlotFiles& p : plots) names.insert(p.name);
  // Readers and updaters take two values each: x is readers, a plot per updater count.
  EXPECT_TRUE(names.contains("aarch64-mixed-reads-updaters0")) << plot_manifest(plots);
  EXPECT_TRUE(names.contains("aarch64-mixed-reads-updaters1")) << plot_manifest(plots);
  for (const PlotFiles& p : plots) {
    EXPECT_FALSE(p.name.starts_with("x86_64")) << "instruction counts have no plots";
    EXPECT_NE(p.vars.find("aarch64 (emulated)"), std::string::npos);
    EXPECT_NE(p.vars.find("timings are not hardware performance"), std::string::npos);
  }
  EXPECT_TRUE(make_plots({count}, nullptr).empty());
}

// A board's run (exec remote) is hardware performance: titled as such, never "emulated".
TEST(PlotMake, RemoteTitlesAreHardware) {
  std::vector<Row> rows;
  for (long r : {1, 2}) {
    rows.push_back(row("rcu-memb", "reads_per_s", 5e6, 0, r, 0));
    rows.back().arch = "riscv64";
    rows.back().exec = "remote";
  }
  const std::vector<PlotFiles> plots = make_plots(rows, nullptr);
  ASSERT_FALSE(plots.empty());
  for (const PlotFiles& p : plots) {
    EXPECT_NE(p.vars.find("riscv64 (remote)"), std::string::npos) << p.vars;
    EXPECT_EQ(p.vars.find("not hardware performance"), std::string::npos) << p.vars;
    EXPECT_EQ(p.vars.find("host CPU"), std::string::npos) << p.vars;
  }
}

TEST(PlotMake, LogAxesWhereTheyFit_ZeroAtTheLeft) {
  std::vector<Row> rows;
  for (double d : {0.0, 1.0, 10.0, 100.0, 1000.0})
    for (long process : {0, 1}) {
      rows.push_back(row("rcu-memb-defer", "backlog_peak_objects", 1e4 / (d + 1), process, 1, 1));
      rows.back().updater_delay_us = d;
      rows.back().workload = "backlog";
      rows.back().unit = "objects";
    }
  const std::vector<PlotFiles> plots = make_plots(rows, nullptr);
  ASSERT_EQ(plot_manifest(plots), "x86_64-backlog-backlog lines\n");
  const std::string& vars = plots[0].vars;
  EXPECT_NE(vars.find("xlog = 1"), std::string::npos);
  // 0 one step (x10) left of 1, labelled as what it means.
  EXPECT_NE(vars.find("'flat out' 0.1"), std::string::npos) << vars;
  EXPECT_EQ(gp_array(vars, "p_ylog"), std::vector<std::string>{"1"});
}

TEST(PlotMake, UpdatersThatMeasureGracePeriodsCountThem) {
  std::vector<Row> rows;
  for (long readers : {1, 2})
    for (std::string metric : {"updates_per_s", "gp_p50_ns"}) {
      rows.push_back(row("rcu-memb", metric, 1e4, 0, readers, 1));
      rows.back().workload = "grace-periods";
    }
  std::vector<PlotFiles> plots = make_plots(rows, nullptr);
  EXPECT_EQ(plot_manifest(plots),
            "x86_64-grace-periods-updates lines\nx86_64-grace-periods-gp-latency lines\n");
  EXPECT_NE(plots[0].vars.find("grace periods/s, all updaters versus reader threads"),
            std::string::npos);
  // A primitive that updates without grace-period counters: these are updates.
  rows.push_back(row("rwlock-pthread", "updates_per_s", 1e6, 0, 1, 1));
  rows.back().workload = "grace-periods";
  plots = make_plots(rows, nullptr);
  EXPECT_NE(plots[0].vars.find("updates/s, all updaters"), std::string::npos);
}

}  // namespace
}  // namespace rcubench::report
