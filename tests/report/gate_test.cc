// The gate's policy over a comparison (src/report/gate.h): which findings fail, which are
// suspects a paired run must confirm, what Bench-Accept accepts, what a bisection looks for
// and when a paired comparison cannot judge.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "report/error.h"
#include "report/file_io.h"
#include "report/gate.h"

namespace rcubench::report {
namespace {

using Ids = std::vector<std::string>;

SeriesResult result(std::string arch, std::string exec, std::string primitive, std::string metric,
                    Verdict verdict, bool gated = true) {
  SeriesResult r;
  r.key = {std::move(arch), std::move(exec), "read-side", std::move(primitive), 1, 0, "-",
           std::move(metric)};
  r.verdict = verdict;
  r.gated = gated;
  r.median_baseline = 100;
  r.median_current = 80;
  r.change = -0.2;
  r.detectable = -0.05;
  if (r.key.exec == contract::kExecInsnCount) {
    r.test = "count";
    r.unit = r.key.metric.ends_with("_fences") ? "fences" : "instructions";
    r.median_baseline = 40;
    r.median_current = 43;
  }
  return r;
}

Comparison comparison(std::vector<SeriesResult> results, CompareMode mode = CompareMode::history) {
  Comparison c;
  c.results = std::move(results);
  c.options.mode = mode;
  return c;
}

const std::string kNativeId = "x86_64/native/rcu-memb/read-side/1r0u/-/reads_per_s";

TEST(Gate, SeriesIdNamesEveryPartOfTheKey) {
  SeriesKey k{"aarch64", "qemu-insn-count", "read-path", "urcu-qsbr", 2, 1, "ab12cd34", "read_insns"};
  EXPECT_EQ(series_id(k), "aarch64/qemu-insn-count/urcu-qsbr/read-path/2r1u/ab12cd34/read_insns");
}

TEST(Gate, ANativeTimingRegressionIsTheOnlySuspect) {
  const GateOutcome g = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression),
                  // Emulated timings are information: never a finding.
                  result("aarch64", "qemu", "rcu-memb", "reads_per_s", Verdict::regression, false),
                  result("x86_64", "native", "arc-swap", "reads_per_s", Verdict::unchanged)}),
      {});
  EXPECT_EQ(g.status, GateStatus::fail);
  EXPECT_EQ(g.suspects(), Ids{kNativeId});
  EXPECT_EQ(g.unconfirmable(), Ids{});
  EXPECT_EQ(g.failing(), Ids{kNativeId});
  ASSERT_EQ(g.findings.size(), 1u);
  EXPECT_EQ(g.findings[0].kind, FindingKind::timing);
  EXPECT_EQ(g.findings[0].change_text(), "-20.0% (detectable -5.0%)");
}

TEST(Gate, CountsMissingSeriesAndBoardTimingsFailWithoutConfirmation) {
  const GateOutcome g = judge_gate(
      comparison({result("x86_64", "qemu-insn-count", "rcu-memb", "read_insns", Verdict::regression),
                  result("x86_64", "native", "arc-swap", "updates_per_s", Verdict::missing),
                  result("riscv64", "remote", "hazptr", "reads_per_s", Verdict::regression)}),
      {});
  EXPECT_EQ(g.status, GateStatus::fail);
  EXPECT_EQ(g.suspects(), Ids{});
  EXPECT_EQ(g.unconfirmable().size(), 3u);
  ASSERT_EQ(g.findings.size(), 3u);
  EXPECT_EQ(g.findings[0].kind, FindingKind::count);
  EXPECT_EQ(g.findings[0].change_text(), "+3 instructions (40 -> 43)");
  // A finding says what was counted.
  Finding fences = g.findings[0];
  fences.result.unit = "fences";
  EXPECT_EQ(fences.change_text(), "+3 fences (40 -> 43)");
  EXPECT_EQ(g.findings[1].kind, FindingKind::missing);
  EXPECT_EQ(g.findings[2].kind, FindingKind::timing);
  EXPECT_FALSE(g.findings[2].confirmable);  // a run here measures another machine
}

TEST(Gate, ImprovementsAndUngatedRegressionsPass) {
  const GateOutcome g = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::improvement),
                  result("x86_64", "native", "rcu-memb", "read_p99_ns", Verdict::regression, false)}),
      {});
  EXPECT_EQ(g.status, GateStatus::pass);
  EXPECT_TRUE(g.findings.empty());
}

TEST(Gate, BenchAcceptAcceptsOnlyTheSeriesItsPatternMatches) {
  const std::vector<GateAccept> accepts =
      parse_gate_accepts("*/rcu-memb/*/reads_per_s\tnew read path\t0123456789abcdef\n", "t");
  const GateOutcome g = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression),
                  result("x86_64", "native", "rcu-mb", "reads_per_s", Verdict::regression)}),
      accepts);
  ASSERT_EQ(g.findings.size(), 2u);
  EXPECT_EQ(g.findings[0].accepted_by, "0123456789ab (Bench-Accept: */rcu-memb/*/reads_per_s: new read path)");
  EXPECT_EQ(g.findings[1].accepted_by, "");
  EXPECT_EQ(g.failing(), Ids{"x86_64/native/rcu-mb/read-side/1r0u/-/reads_per_s"});
  EXPECT_EQ(g.status, GateStatus::fail);
  EXPECT_EQ(g.reason, "1 regression(s) (1 accepted by Bench-Accept)");

  // All accepted: the gate passes and says so.
  const GateOutcome all = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression)}),
      accepts);
  EXPECT_EQ(all.status, GateStatus::pass);
  EXPECT_EQ(all.reason, "no regression (1 accepted by Bench-Accept)");
  EXPECT_TRUE(all.suspects().empty());
}

TEST(Gate, MalformedAcceptLinesNameTheLine) {
  for (const char* bad : {"only a pattern\n", "p\treason\n", "\treason\tc\n", "p\t\tc\n", "p\tr\tc\textra\n"}) {
    try {
      parse_gate_accepts(std::string("*/x/*\tok\tc\n") + bad, "accepts.tsv");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("accepts.tsv:2:"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(parse_gate_accepts("", "t").empty());
}

TEST(Gate, BisectionByCountsOfOneArchFirstThenByTimingsNeverForMissing) {
  const GateOutcome counts = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression),
                  result("riscv64", "qemu-insn-count", "rcu-memb", "read_insns", Verdict::regression),
                  result("aarch64", "qemu-insn-count", "hand-bare", "read_insns", Verdict::regression)}),
      {});
  EXPECT_EQ(counts.bisect_by, "count");
  EXPECT_EQ(counts.bisect_arch, "riscv64");  // the first count's arch, and its counts only
  EXPECT_EQ(counts.bisect_ids, Ids{"riscv64/qemu-insn-count/rcu-memb/read-side/1r0u/-/read_insns"});

  const GateOutcome timings = judge_gate(
      comparison({result("x86_64", "native", "hand-bare", "reads_per_s", Verdict::regression),
                  result("x86_64", "native", "arc-swap", "updates_per_s", Verdict::missing)}),
      {});
  EXPECT_EQ(timings.bisect_by, "timing");
  EXPECT_EQ(timings.bisect_ids, Ids{"x86_64/native/hand-bare/read-side/1r0u/-/reads_per_s"});
  // hand-bare is measured by running bare.
  EXPECT_EQ(GateOutcome::primitives_to_run(timings.bisect_ids), "bare");

  const GateOutcome missing = judge_gate(
      comparison({result("x86_64", "native", "arc-swap", "updates_per_s", Verdict::missing)}), {});
  EXPECT_EQ(missing.status, GateStatus::fail);
  EXPECT_EQ(missing.bisect_by, "");
}

TEST(Gate, APairedComparisonThatCouldFlagNothingCannotJudge) {
  EXPECT_EQ(judge_gate(comparison({}, CompareMode::paired), {}).status, GateStatus::cannot_judge);
  const GateOutcome few = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::insufficient)},
                 CompareMode::paired),
      {});
  EXPECT_EQ(few.status, GateStatus::cannot_judge);
  EXPECT_NE(few.reason.find("insufficient"), std::string::npos);
  Comparison powerless = comparison(
      {result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::unchanged)}, CompareMode::paired);
  powerless.no_power = true;
  EXPECT_EQ(judge_gate(powerless, {}).status, GateStatus::cannot_judge);
  // A regression is a verdict, whatever else was insufficient.
  EXPECT_EQ(judge_gate(comparison({result("x86_64", "native", "rcu-memb", "reads_per_s",
                                          Verdict::insufficient),
                                   result("x86_64", "native", "rcu-mb", "reads_per_s",
                                          Verdict::regression)},
                                  CompareMode::paired),
                       {})
                .status,
            GateStatus::fail);
  // A history judges what it has (its runs accumulate).
  EXPECT_EQ(judge_gate(comparison({result("x86_64", "native", "rcu-memb", "reads_per_s",
                                          Verdict::insufficient)}),
                       {})
                .status,
            GateStatus::pass);
}

TEST(Gate, ThePairedRunConfirmsOnlyTheSuspectsItFlagsToo) {
  const Ids suspects{kNativeId, "x86_64/native/arc-swap/read-side/1r0u/-/reads_per_s"};
  const GateOutcome flagged = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression)},
                 CompareMode::paired),
      {});
  EXPECT_EQ(confirmed_suspects(suspects, flagged), Ids{kNativeId});
  // Negative control: an unchanged paired run confirms nothing.
  const GateOutcome unchanged = judge_gate(
      comparison({result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::unchanged)},
                 CompareMode::paired),
      {});
  EXPECT_EQ(confirmed_suspects(suspects, unchanged), Ids{});
}

TEST(Gate, WrittenListsReadBack) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gate_test_" + std::to_string(getpid()));
  const Comparison c = comparison(
      {result("x86_64", "native", "rcu-memb", "reads_per_s", Verdict::regression),
       result("x86_64", "qemu-insn-count", "bare", "read_insns", Verdict::regression)});
  const GateOutcome g = judge_gate(c, {});
  write_gate_dir(dir, c, g);
  EXPECT_EQ(read_id_list(dir / "suspects.txt"), g.suspects());
  EXPECT_EQ(read_id_list(dir / "unconfirmable.txt"), g.unconfirmable());
  EXPECT_EQ(read_id_list(dir / "failing.txt"), g.failing());
  const std::string gate = read_file(dir / "gate.txt");
  EXPECT_NE(gate.find("status=fail\n"), std::string::npos) << gate;
  EXPECT_NE(gate.find("suspect_primitives=rcu-memb\n"), std::string::npos) << gate;
  EXPECT_NE(gate.find("bisect_by=count\nbisect_arch=x86_64\nbisect_primitives=bare\n"),
            std::string::npos)
      << gate;
  std::filesystem::remove_all(dir);
  EXPECT_THROW(read_id_list(dir / "suspects.txt"), InputError);
}

}  // namespace
}  // namespace rcubench::report
