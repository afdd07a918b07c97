// The static site of a run (src/report/site.h), page by page, without a browser (the
// browser test: check_site_browser.sh).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/site.h"

namespace rcubench::report {
namespace {

namespace fs = std::filesystem;
const std::string kData = REPORT_TEST_DATA;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("site_test_" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

// Every value of `attr` ("href", "src") in the page.
std::vector<std::string> attributes(const std::string& html, const std::string& attr) {
  std::vector<std::string> out;
  const std::regex re(attr + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

TEST(Site, EscapesWhatHtmlReads) {
  EXPECT_EQ(html_escape("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
}

TEST(Site, EveryLinkResolvesAndEveryPrimitiveAppears) {
  TempDir dir;
  const std::vector<Row> rows = read_csv(kData + "/sample.csv");
  // One plot rendered, the others not: the page links the one and names the others.
  fs::create_directories(dir.path / "plots");
  write_file_atomic(dir.path / "plots" / "x86_64-headline.svg", "<svg/>");
  const std::vector<SitePage> pages = make_site(rows, {dir.path, std::nullopt, {}});
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages.front().file, "index.html");
  std::set<std::string> files;
  for (const SitePage& p : pages) files.insert(p.file);
  EXPECT_FALSE(files.contains("instructions.html")) << "sample.csv has no instruction counts";
  EXPECT_FALSE(files.contains("gate.html")) << "no gate given";

  std::set<std::string> images;
  for (const SitePage& p : pages) {
    for (const std::string& href : attributes(p.html, "href"))
      EXPECT_TRUE(files.contains(href)) << p.file << " links " << href;
    for (const std::string& src : attributes(p.html, "src")) {
      images.insert(src);
      EXPECT_TRUE(fs::exists((dir.path / "site" / src).lexically_normal())) << p.file << " shows " << src;
    }
    EXPECT_EQ(p.html.find("http"), std::string::npos) << p.file << ": nothing from the network";
    EXPECT_EQ(p.html.find("<script"), std::string::npos) << p.file;
  }
  EXPECT_EQ(images, std::set<std::string>{"../plots/x86_64-headline.svg"});
  const std::string& index = pages.front().html;
  for (const Row& r : rows)
    EXPECT_NE(index.find(html_escape(r.primitive)), std::string::npos) << r.primitive;
  // Where the numbers came from: the CPU (escaped: it holds quotes), compiler and commit.
  EXPECT_NE(index.find(html_escape(rows.front().cpu_model)), std::string::npos);
  EXPECT_NE(index.find(rows.front().compiler), std::string::npos);
  EXPECT_NE(index.find(rows.front().commit), std::string::npos);
}

TEST(Site, InstructionCountsGetAMatrixWithTheRawRatio) {
  TempDir dir;
  std::vector<Row> rows = read_csv(kData + "/sample.csv");
  // Counts of rcu-memb and its raw counterpart, as a counting run writes them.
  for (const Row& r : read_csv(kData + "/sample.csv"))
    if (r.primitive == "rcu-memb" && r.is_iteration()) {
      ASSERT_TRUE(r.meta && r.meta->raw == "urcu-memb");
      Row c = r;
      c.exec = "qemu-insn-count";
      c.metric = "read_insns";
      c.unit = "instructions";
      c.value = 9;
      rows.push_back(c);
      c.primitive = c.meta->name = "urcu-memb";
      c.meta->family = contract::Family::urcu;
      c.meta->raw = "-";
      c.value = 6;
      rows.push_back(c);
      break;
    }
  std::string html;
  for (const SitePage& p : make_site(rows, {dir.path, std::nullopt, {}}))
    if (p.file == "instructions.html") html = p.html;
  ASSERT_FALSE(html.empty());
  EXPECT_NE(html.find("<td class=\"num\">9.00</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("1.50x (urcu-memb)"), std::string::npos) << html;
  // The profile per arch as a table: rcu-memb's read in 9 instructions, nothing else counted.
  EXPECT_NE(html.find("profile per operation</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>rcu-memb</td><td class=\"num\">9</td><td class=\"num\">-/-</td>"),
            std::string::npos)
      << html;
}

TEST(Site, RegisteredPrimitivesThatDidNotRunAreNamed) {
  TempDir dir;
  const std::vector<Row> rows = read_csv(kData + "/sample.csv");
  contract::PrimitiveMeta absent{.name = "never-ran", .family = contract::Family::lock};
  const std::string index = make_site(rows, {dir.path, std::nullopt, {absent, *rows.front().meta}})
                                .front()
                                .html;
  EXPECT_NE(index.find("<li>never-ran (lock)</li>"), std::string::npos) << index;
  // One that ran is not listed as absent.
  EXPECT_EQ(index.find("<li>" + rows.front().primitive + " ("), std::string::npos);
}

TEST(Site, NamesAreEscapedInTextAndLinks) {
  TempDir dir;
  std::vector<Row> rows = read_csv(kData + "/sample.csv");
  for (Row& r : rows)
    if (r.workload == "read-side") r.workload = "a<b>&\"c d\"";
  const std::vector<SitePage> pages = make_site(rows, {dir.path, std::nullopt, {}});
  std::set<std::string> files;
  for (const SitePage& p : pages) files.insert(p.file);
  // Its page's file name holds none of them; every page's text has them escaped.
  EXPECT_TRUE(files.contains("workload-x86_64-a_b___c_d_.html")) << *files.begin();
  for (const SitePage& p : pages) {
    EXPECT_EQ(p.html.find("a<b>"), std::string::npos) << p.file;
    for (const std::string& href : attributes(p.html, "href"))
      EXPECT_TRUE(files.contains(href)) << p.file << " links " << href;
  }
  EXPECT_NE(pages.front().html.find("a&lt;b&gt;&amp;&quot;c d&quot;"), std::string::npos);
}

TEST(Site, AReplacedSiteIsWholeAndNoTemporaryIsLeft) {
  TempDir dir;
  const std::vector<Row> rows = read_csv(kData + "/sample.csv");
  write_site(rows, {dir.path, std::nullopt, {}});
  write_file_atomic(dir.path / "site" / "stale.html", "from an earlier site");
  write_site(rows, {dir.path, std::nullopt, {}});
  EXPECT_FALSE(fs::exists(dir.path / "site" / "stale.html")) << "the site is replaced whole";
  for (const auto& e : fs::directory_iterator(dir.path))
    EXPECT_FALSE(e.path().filename().string().starts_with(".")) << e.path();
}

TEST(Site, EmulatedTimingsSayTheyAreNotPerformance) {
  TempDir dir;
  std::vector<Row> rows = read_csv(kData + "/sample.csv");
  for (Row& r : rows)
    if (r.exec == "native") r.exec = "qemu";
  for (const SitePage& p : make_site(rows, {dir.path, std::nullopt, {}}))
    if (p.file.starts_with("workload-"))
      EXPECT_NE(p.html.find("not hardware performance"), std::string::npos) << p.file;
}

TEST(Site, TheGatePageShowsTheVerdictAfterConfirmation) {
  TempDir dir;
  const std::vector<Row> rows = read_csv(kData + "/sample.csv");
  const fs::path gate = dir.path / "gate";
  fs::create_directories(gate);
  write_file_atomic(gate / "gate.txt", "status=fail\nreason=1 regression(s)\nverdict=v\n"
                                       "detectable=Detectable change: reads_per_s -5.0%\n");
  write_file_atomic(gate / "compare.txt", "the table\n");
  write_file_atomic(gate / "findings.md", "Regressions (1):\n- `x/y/z/m` 1r0u (timing): -20.0%\n");
  auto gate_page = [&] {
    for (const SitePage& p : make_site(rows, {dir.path, gate, {}}))
      if (p.file == "gate.html") return p.html;
    return std::string();
  };
  std::string html = gate_page();
  EXPECT_NE(html.find("Gate: fail"), std::string::npos) << html;
  EXPECT_NE(html.find("-20.0%"), std::string::npos);
  EXPECT_NE(html.find("Detectable change: reads_per_s -5.0%"), std::string::npos);
  // A paired run that confirmed nothing passes the gate: the page says so, not "fail".
  write_file_atomic(gate / "confirm.txt", "Paired confirmation (r): 0 of 1 timing regression(s) "
                                          "confirmed.\nGate: passed (no timing regression "
                                          "confirmed by the paired run).\n");
  html = gate_page();
  EXPECT_NE(html.find("Gate: pass"), std::string::npos) << html;
  EXPECT_EQ(html.find("Gate: fail"), std::string::npos);
}

TEST(Site, AFailedSiteLeavesTheEarlierOne) {
  TempDir dir;
  const std::vector<Row> rows = read_csv(kData + "/sample.csv");
  const fs::path index = write_site(rows, {dir.path, std::nullopt, {}});
  EXPECT_EQ(index, dir.path / "site" / "index.html");
  const std::string before = read_file(index);
  // A gate directory without gate.txt: the new site cannot be made.
  EXPECT_THROW(write_site(rows, {dir.path, dir.path / "no-gate", {}}), InputError);
  EXPECT_EQ(read_file(index), before);
  EXPECT_THROW(make_site({}, {dir.path, std::nullopt, {}}), InputError);
}

TEST(Site, AHistorySiteColoursTheLastRunsChangeAndLinksEverySeries) {
  TempDir dir;
  HistoryTrends t;
  t.runs = {"r1", "r2"};
  t.machines = {"cpu / gcc (fp)"};
  TrendSeries s;
  s.key = {"x86_64", "native", "read-side", "rcu-memb", 1, 0, "-", "reads_per_s"};
  s.unit = "1/s";
  s.gated = true;
  s.points = {{"r1", "2026-12-01T04:00:00+00:00", "c1", 0, 100, NAN, NAN, NAN, Verdict::added, false},
              {"r2", "2026-12-02T04:00:00+00:00", "c2", 0, 70, 90, 110, -0.3, Verdict::regression, true}};
  t.series.push_back(s);
  // gp_p50_ns: lower is better, so 30 % more is 1/1.3 in the matrix.
  s.key.primitive = "rwlock-pthread";
  s.key.metric = "gp_p50_ns";
  s.unit = "ns";
  s.points[1].change = 0.3;
  t.series.push_back(s);
  const fs::path index = write_history_site(dir.path, {{"job", t}});
  EXPECT_EQ(index, dir.path / "index.html");
  const std::string job = read_file(dir.path / "job" / "index.html");
  EXPECT_NE(job.find(">0.700x</td>"), std::string::npos) << job;
  EXPECT_NE(job.find(">0.769x</td>"), std::string::npos) << job;
  EXPECT_NE(job.find("background:#ff"), std::string::npos) << "worse is red";
  for (const std::string& href : attributes(job, "href"))
    EXPECT_TRUE(fs::exists((dir.path / "job" / href).lexically_normal())) << href;
  const std::string page =
      read_file(dir.path / "job" / "trend-x86_64-read-side-rcu-memb-r1-u0-reads_per_s.html");
  EXPECT_NE(page.find("<td>regression</td><td>rebaseline</td>"), std::string::npos) << page;
  EXPECT_NE(page.find("-30.0%"), std::string::npos);
  EXPECT_THROW(write_history_site(dir.path, {}), InputError);
}

}  // namespace
}  // namespace rcubench::report
