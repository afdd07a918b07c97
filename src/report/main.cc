// rcubench-report: results of rcubench runs as CSV, summaries, a regression gate and a
// history of runs. Exit status: 0 ok, 1 the gate failed, 2 bad input.
#include <algorithm>
#include <cmath>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/bench_json.h"
#include "report/compare.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/gate.h"
#include "report/history.h"
#include "report/plot_data.h"
#include "report/run_input.h"
#include "report/site.h"
#include "report/summary.h"
#include "report/trend.h"

namespace fs = std::filesystem;
using namespace rcubench::report;

namespace {

constexpr std::string_view kUsage = R"(usage:
  rcubench-report csv [-o OUT.csv] FILE.json...
      Google Benchmark JSON of rcubench -> one long-format CSV (docs/csv.md),
      to OUT.csv (replaced only when complete) or standard output.
  rcubench-report compare --baseline B --current C [--paired] [--alpha 0.05]
                          [--min-effect 0.05] [--last N] [--band-k 5]
                          [--format table|csv|markdown] [--out FILE]
                          [--write DIR] [--accepts FILE]
      Regression gate (docs/regression-gate.md). B and C are run directories
      (results.csv or *.json), results CSV or JSON files: process samples compared by
      a rank-sum test, or with --paired (B and C ran interleaved) process k of C
      against process k of B by a signed-rank test; Holm's correction over the gated
      series. B may be a history directory: the current run's median against the
      band of the last N run medians (default 10) of the same machine.
      --write DIR: also the gate's files in DIR (table, markdown, CSV, the findings,
      their classification as suspects or not, the bisection plan, gate.txt; see
      src/report/gate.h). --accepts FILE: Bench-Accept trailers, lines
      PATTERN<TAB>REASON<TAB>COMMIT; a regression of a matching series is accepted.
      Exit 1 if a gated series regressed or is missing (and is not accepted), 0
      otherwise.
  rcubench-report confirm --gate DIR [--paired-run RUN]
      The timing suspects in DIR (compare --write, against a history) judged by the
      paired A/B run RUN (scripts/bench --ab; its comparison goes to RUN/gate/): a
      suspect fails the gate only if RUN flags it too, instruction counts and missing
      series fail by themselves. Writes DIR/confirmed.txt, DIR/confirm.txt and
      DIR/gate.md (the comparison and the verdict). Exit 1 if the gate fails, 2 if RUN
      cannot judge (too few pairs, or a suspect it did not measure).
  rcubench-report record --history DIR RUN [--accept 'PATTERN: REASON']...
      Adds the run (directory, CSV or JSON) to DIR as <run_id>.csv, compact (per series
      its median, count, min and max; docs/regression-gate.md); never overwrites.
      Refuses a run scripts/bench left incomplete (<name>.incomplete). Each --accept is
      recorded with the run: from it on, the series whose ARCH/PRIMITIVE/WORKLOAD/METRIC
      matches the glob PATTERN (* crosses /) start a new baseline.
  rcubench-report accept --history DIR RUN
      Rebaselines: RUN (a run_id recorded in DIR, or a run directory or file whose
      runs are recorded) starts the baseline of its machines; earlier runs no longer
      count.
  rcubench-report summary RUN
      Reads/s and updates/s per primitive against rwlock-pthread, per arch and workload.
  rcubench-report plot-data RUN OUTDIR [--memory FILE]...
      The plots of a run (directory, CSV or JSON) reduced for gnuplot (docs/plots.md):
      OUTDIR/plots.txt lists them, one "<name> <kind>" a line; <name>.gp and <name>.dat
      hold each one's layout and its medians and quartiles of the process samples.
      --memory: rcubench --memory-series files, for the stalls workloads' memory held
      over time. plots/render.sh draws them.
  rcubench-report site RUN [--gate DIR]
      The run as a static site, RUN/site/index.html and its pages (src/report/site.h):
      opened from disk, nothing fetched, no script. RUN's plots (plots/render.sh) are
      linked. --gate DIR adds the gate's verdict (a directory compare --write wrote).
      Replaces an earlier RUN/site only when complete; prints the path of index.html.
  rcubench-report history-site OUTDIR HISTORY... [--runs N]
      Histories as a site (src/report/site.h): OUTDIR/index.html, per history
      OUTDIR/<name>/ with its runs, a primitive x arch matrix of the last run's change
      and a page per series; the trend plots are linked from OUTDIR/plots-<name>/
      (plots/render.sh --trend HISTORY OUTDIR/plots-<name>). Prints index.html's path.
  rcubench-report trend-data HISTORY OUTDIR [METRIC...] [--runs N]
      The trend of each series (of METRIC..., default all) over the last N runs of a
      history (default 50), each run judged as compare's history mode judges it against
      the runs of its machine before it: OUTDIR/trends.txt lists them; <name>.dat holds
      per run its date, median, band, machine, rebaseline and verdict, <name>.gp its
      title and machines. plots/render.sh --trend draws them.
Exit status: 0 ok, 1 the gate failed (a gated series regressed or is missing), 2 bad
input or usage.
)";

[[noreturn]] void usage_error(std::string_view message) {
  throw InputError(fmt::format("{}\n{}", message, kUsage));
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) fmt::print(stderr, "rcubench-report: warning: {}\n", w);
}

void emit(const std::optional<fs::path>& out, const std::string& text) {
  if (out) {
    write_file_atomic(*out, text);
  } else {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (std::fflush(stdout) != 0) throw InputError("cannot write to standard output");
  }
}

// Options of the form --name VALUE or --name=VALUE; `args` loses the ones it matched.
struct Args {
  std::vector<std::string> rest;
  explicit Args(std::vector<std::string> a) : rest(std::move(a)) {}

  // A flag without a value: true if given (once).
  bool flag(std::string_view name) {
    bool seen = false;
    for (std::size_t i = 0; i < rest.size();) {
      if (rest[i] == "--") break;
      if (rest[i] == name) {
        if (seen) usage_error(fmt::format("{} given twice", name));
        seen = true;
        rest.erase(rest.begin() + static_cast<long>(i));
      } else if (rest[i].starts_with(std::string(name) + "=")) {
        usage_error(fmt::format("{} takes no value", name));
      } else {
        ++i;
      }
    }
    return seen;
  }

  // Every value of a repeatable option, in order.
  std::vector<std::string> take_all(std::string_view name) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < rest.size();) {
      const std::string& a = rest[i];
      if (a == "--") break;
      if (a == name) {
        if (i + 1 >= rest.size()) usage_error(fmt::format("{} needs a value", name));
        values.push_back(rest[i + 1]);
        rest.erase(rest.begin() + static_cast<long>(i), rest.begin() + static_cast<long>(i) + 2);
      } else if (a.starts_with(std::string(name) + "=")) {
        values.push_back(a.substr(name.size() + 1));
        rest.erase(rest.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    return values;
  }

  std::optional<std::string> take(std::string_view name, std::string_view short_name = "") {
    std::optional<std::string> value;
    for (std::size_t i = 0; i < rest.size();) {
      const std::string& a = rest[i];
      if (a == "--") break;
      if (a == name || (!short_name.empty() && a == short_name)) {
        if (i + 1 >= rest.size()) usage_error(fmt::format("{} needs a value", name));
        if (value) usage_error(fmt::format("{} given twice", name));
        value = rest[i + 1];
        rest.erase(rest.begin() + static_cast<long>(i), rest.begin() + static_cast<long>(i) + 2);
      } else if (a.starts_with(std::string(name) + "=")) {
        if (value) usage_error(fmt::format("{} given twice", name));
        value = a.substr(name.size() + 1);
        rest.erase(rest.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    return value;
  }

  // The remaining arguments, which must not look like options.
  std::vector<std::string> operands() {
    std::vector<std::string> out;
    bool dashdash = false;
    for (const std::string& a : rest) {
      if (!dashdash && a == "--") { dashdash = true; continue; }
      if (!dashdash && a.size() > 1 && a[0] == '-')
        usage_error(fmt::format("unknown option '{}'", a));
      out.push_back(a);
    }
    return out;
  }
};

double number_option(const std::string& name, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= lo && v <= hi))
    usage_error(fmt::format("{} '{}': want a number in [{}, {}]", name, text, lo, hi));
  return v;
}

// A whole number option in [lo, hi].
long whole_option(const std::string& name, const std::string& text, long lo, long hi) {
  const double v = number_option(name, text, static_cast<double>(lo), static_cast<double>(hi));
  if (v != std::floor(v)) usage_error(fmt::format("{} '{}': want a whole number", name, text));
  return static_cast<long>(v);
}

int cmd_csv(Args args) {
  std::optional<std::string> out = args.take("--out", "-o");
  std::vector<std::string> files = args.operands();
  if (files.empty()) usage_error("csv: no JSON files given");
  std::vector<Row> rows;
  std::vector<std::string> warnings;
  for (const std::string& f : files) {
    std::vector<Row> more = read_benchmark_json(f, &warnings);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  print_warnings(warnings);
  emit(out ? std::optional<fs::path>(*out) : std::nullopt, to_csv(rows));
  return 0;
}

// The options compare and confirm share, and the comparison they make.
struct CompareRequest {
  CompareOptions options;
  bool paired = false;
  int last = 10;  // history runs
};

CompareRequest compare_request(Args& args) {
  CompareRequest q;
  q.paired = args.flag("--paired");
  if (auto a = args.take("--alpha")) q.options.alpha = number_option("--alpha", *a, 1e-12, 0.5);
  if (auto m = args.take("--min-effect"))
    q.options.min_effect = number_option("--min-effect", *m, 0, 100);
  if (auto k = args.take("--band-k")) q.options.band_k = number_option("--band-k", *k, 0.5, 100);
  if (auto n = args.take("--last")) q.last = static_cast<int>(whole_option("--last", *n, 1, 1000000));
  return q;
}

Comparison compare_inputs(const std::string& baseline, const std::string& current,
                          CompareRequest q) {
  std::vector<std::string> warnings;
  std::vector<Row> cur = load_run(current, &warnings);
  std::vector<Row> base;
  std::vector<std::string> notes;
  if (is_history_dir(baseline)) {
    if (q.paired) usage_error("compare: --paired needs a run as baseline, not a history");
    q.options.mode = CompareMode::history;
    base = baseline_from_history_dir(baseline, cur, q.last, &notes);
  } else {
    base = load_run(baseline, &warnings);
    if (q.paired) {
      q.options.mode = CompareMode::paired;
      // Process k of one side pairs with process k of the other: one run per side.
      for (const auto& [rows, name] : {std::pair{&base, baseline}, std::pair{&cur, current}}) {
        std::set<std::string> ids;
        for (const Row& r : *rows) ids.insert(r.run_id);
        if (ids.size() > 1)
          throw InputError(fmt::format("{}: --paired wants one run per side, this holds {}",
                                       name, ids.size()));
      }
    }
    // A run directory as baseline is taken as it is; say so when its machine differs.
    std::set<MachineKey> base_machines, cur_machines;
    for (const Row& r : base) base_machines.insert(machine_of(r));
    for (const Row& r : cur) cur_machines.insert(machine_of(r));
    for (const MachineKey& m : cur_machines) {
      bool same = base_machines.contains(m);
      bool same_arch = false;
      for (const MachineKey& b : base_machines) same_arch |= b.arch == m.arch && b.exec == m.exec;
      if (!same && same_arch)
        notes.push_back(fmt::format("{}: the baseline ran on another machine (CPU model, "
                                    "compiler or fingerprint)", describe(m)));
    }
  }
  print_warnings(warnings);
  Comparison c = compare_runs(base, cur, q.options);
  c.notes.insert(c.notes.begin(), notes.begin(), notes.end());
  return c;
}

int cmd_compare(Args args) {
  std::optional<std::string> baseline = args.take("--baseline");
  std::optional<std::string> current = args.take("--current");
  const CompareRequest request = compare_request(args);
  Format format = Format::table;
  if (auto f = args.take("--format")) {
    if (*f == "table") format = Format::table;
    else if (*f == "csv") format = Format::csv;
    else if (*f == "markdown") format = Format::markdown;
    else usage_error(fmt::format("--format '{}': want table, csv or markdown", *f));
  }
  std::optional<std::string> out = args.take("--out", "-o");
  std::optional<std::string> write_dir = args.take("--write");
  std::optional<std::string> accepts_file = args.take("--accepts");
  if (!args.operands().empty()) usage_error("compare: unexpected operands");
  if (!baseline || !current) usage_error("compare: --baseline and --current are required");
  // Read before anything is compared or written: a bad file changes nothing.
  std::vector<GateAccept> accepts;
  if (accepts_file) accepts = parse_gate_accepts(read_file(*accepts_file), *accepts_file);

  const Comparison c = compare_inputs(*baseline, *current, request);
  const GateOutcome gate = judge_gate(c, accepts);
  if (write_dir) write_gate_dir(*write_dir, c, gate);
  emit(out ? std::optional<fs::path>(*out) : std::nullopt, format_comparison(c, format));
  if (format == Format::csv || out) {
    // The notes and the verdict still reach the terminal or CI log.
    for (const std::string& n : c.notes) fmt::print(stderr, "rcubench-report: {}\n", n);
    fmt::print(stderr, "rcubench-report: {}", verdict_line(c));
  }
  return gate.status == GateStatus::fail ? 1 : 0;
}

// The confirmation of a gate's timing suspects by a paired run: a suspect fails the gate
// only if the paired comparison flags it too; the other findings fail by themselves.
int cmd_confirm(Args args) {
  std::optional<std::string> gate_dir = args.take("--gate");
  std::optional<std::string> paired_run = args.take("--paired-run");
  if (!args.operands().empty()) usage_error("confirm: unexpected operands");
  if (!gate_dir) usage_error("confirm: --gate DIR (what compare --write wrote) is required");
  const fs::path dir = *gate_dir;
  const std::vector<std::string> suspects = read_id_list(dir / "suspects.txt");
  const std::vector<std::string> unconfirmable = read_id_list(dir / "unconfirmable.txt");
  if (!suspects.empty() && !paired_run)
    usage_error(fmt::format("confirm: {} holds suspects: --paired-run RUN (scripts/bench --ab) "
                            "is required", (dir / "suspects.txt").string()));

  std::vector<std::string> lines, confirmed;
  if (!suspects.empty()) {
    const fs::path run = *paired_run;
    CompareRequest paired;
    paired.paired = true;
    const Comparison pc = compare_inputs((run / "a").string(), (run / "b").string(), paired);
    const GateOutcome pg = judge_gate(pc, {});
    write_gate_dir(run / "gate", pc, pg);
    // A paired run that could flag nothing, or did not measure a suspect, confirms
    // nothing either way: no verdict (exit 2), never a pass.
    if (pg.status == GateStatus::cannot_judge)
      throw InputError(fmt::format("the paired run {} cannot judge the suspects: {}",
                                   run.string(), pg.reason));
    std::set<std::string> measured;
    for (const SeriesResult& r : pc.results)
      if (r.verdict != Verdict::missing) measured.insert(series_id(r.key));
    for (const std::string& s : suspects)
      if (!measured.contains(s))
        throw InputError(fmt::format("the paired run {} did not measure the suspect {}",
                                     run.string(), s));
    confirmed = confirmed_suspects(suspects, pg);
    lines.push_back(fmt::format("Paired confirmation ({}): {} of {} timing regression(s) confirmed.",
                                run.string(), confirmed.size(), suspects.size()));
    for (const std::string& s : confirmed) lines.push_back("- confirmed regression: " + s);
    for (const std::string& s : suspects)
      if (std::find(confirmed.begin(), confirmed.end(), s) == confirmed.end())
        lines.push_back("- not confirmed (the paired run saw no regression): " + s);
  }
  for (const std::string& s : unconfirmable) lines.push_back("- failure needing no confirmation: " + s);
  const bool failed = !confirmed.empty() || !unconfirmable.empty();
  lines.push_back(failed ? "Gate: FAILED."
                         : "Gate: passed (no timing regression confirmed by the paired run).");

  std::string text, markdown = read_file(dir / "compare.md") + "\n";
  for (const std::string& l : lines) {
    text += l + "\n";
    markdown += l + "\n\n";
  }
  std::string confirmed_text;
  for (const std::string& s : confirmed) confirmed_text += s + "\n";
  write_file_atomic(dir / "confirmed.txt", confirmed_text);
  write_file_atomic(dir / "confirm.txt", text);
  write_file_atomic(dir / "gate.md", markdown);
  emit(std::nullopt, text);
  return failed ? 1 : 0;
}

// scripts/bench assembles a run under .<name>.incomplete and renames it to <name> only
// when it is complete; a failed run stays <name>.incomplete. Neither, nor a file in one,
// may enter a history, where it would become the baseline of the runs after it.
void refuse_incomplete_run(const std::string& run) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(run), ec);  // through symlinks
  if (ec) resolved = fs::absolute(run).lexically_normal();
  for (const fs::path& part : resolved)
    if (part.string().ends_with(".incomplete"))
      throw InputError(fmt::format("{}: an incomplete run ('{}': scripts/bench renames a run "
                                   "only when it is complete); not recorded",
                                   run, part.string()));
}

// The JSON files of a run (a directory's, in name order), or the run itself if it is one.
std::vector<fs::path> run_json_files(const fs::path& run) {
  std::error_code ec;
  if (fs::is_directory(run, ec)) return files_with_extension(run, ".json");
  if (run.extension() == ".json") return {run};
  return {};
}

// The fingerprint's text fields of a run's JSON files (a results CSV carries only the
// hash): per (arch, exec), from the first file that has them.
std::map<MachineSlot, MachineText> machine_texts(const fs::path& run) {
  std::map<MachineSlot, MachineText> texts;
  for (const fs::path& f : run_json_files(run))
    for (auto& [slot, text] : read_machine_texts(f)) texts.try_emplace(slot, std::move(text));
  return texts;
}

int cmd_record(Args args) {
  std::optional<std::string> history = args.take("--history");
  std::vector<HistoryAccept> accepts;
  for (const std::string& a : args.take_all("--accept")) accepts.push_back(parse_accept(a));
  std::vector<std::string> operands = args.operands();
  if (!history) usage_error("record: --history DIR is required");
  if (operands.size() != 1) usage_error("record: give exactly one run directory or file");
  refuse_incomplete_run(operands[0]);
  std::vector<std::string> warnings;
  std::vector<Row> rows = load_run(operands[0], &warnings);
  print_warnings(warnings);
  for (const fs::path& f : record_runs(*history, rows, machine_texts(operands[0]), accepts))
    fmt::print("recorded {}\n", f.string());
  return 0;
}

int cmd_trend_data(Args args) {
  std::optional<std::string> last = args.take("--runs");
  std::vector<std::string> operands = args.operands();
  if (operands.size() < 2)
    usage_error("trend-data: give a history directory, an output directory and any metrics");
  if (!is_history_dir(operands[0]))
    throw InputError(fmt::format("{}: not a history directory", operands[0]));
  std::size_t max_runs = 50;
  if (last) max_runs = static_cast<std::size_t>(whole_option("--runs", *last, 1, 1000000));
  const fs::path dir = operands[1];
  const std::vector<std::string> metrics(operands.begin() + 2, operands.end());
  const HistoryTrends trends = history_trends(operands[0], max_runs, CompareRequest{}.last);
  const std::vector<TrendPlot> plots = trend_plots(trends, metrics);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  std::string list;
  for (const TrendPlot& p : plots) {
    write_file_atomic(dir / (p.name + ".gp"), p.vars);
    write_file_atomic(dir / (p.name + ".dat"), p.data);
    list += p.name + "\n";
  }
  // The list last: whoever reads it finds every file it names.
  write_file_atomic(dir / "trends.txt", list);
  return 0;
}

int cmd_accept(Args args) {
  std::optional<std::string> history = args.take("--history");
  std::vector<std::string> operands = args.operands();
  if (!history) usage_error("accept: --history DIR is required");
  if (operands.size() != 1) usage_error("accept: give exactly one run_id, run directory or file");
  if (!is_history_dir(*history))
    throw InputError(fmt::format("{}: not a history directory", *history));
  // A run_id recorded in the history, or a run whose run_ids are.
  std::vector<std::string> ids;
  if (fs::exists(fs::path(*history) / (operands[0] + ".csv"))) {
    ids.push_back(operands[0]);
  } else {
    std::vector<std::string> warnings;
    std::set<std::string> seen;
    for (const Row& r : load_run(operands[0], &warnings))
      if (seen.insert(r.run_id).second) ids.push_back(r.run_id);
    print_warnings(warnings);
  }
  for (const std::string& id : ids)  // all recorded, or nothing is marked
    if (!fs::exists(fs::path(*history) / (id + ".csv")))
      throw InputError(fmt::format("{}: run '{}' is not recorded in this history (record it "
                                   "first)", *history, id));
  for (const std::string& id : ids) {
    if (accept_run(*history, id))
      fmt::print("accepted {}: earlier runs of its machines leave the baseline\n", id);
    else
      fmt::print("{} was accepted already\n", id);
  }
  return 0;
}

int cmd_plot_data(Args args) {
  std::vector<MemoryTrace> memory;
  for (const std::string& file : args.take_all("--memory"))
    for (MemoryTrace& t : read_memory_series(file)) memory.push_back(std::move(t));
  std::vector<std::string> operands = args.operands();
  if (operands.size() != 2)
    usage_error("plot-data: give a run directory or file and an output directory");
  std::vector<std::string> warnings, notes;
  std::vector<Row> rows = load_run(operands[0], &warnings);
  print_warnings(warnings);
  const std::vector<PlotFiles> plots = make_plots(rows, &notes, memory);
  if (plots.empty())
    throw InputError(fmt::format("{}: no timed results to plot (instruction counts have no plots)",
                                 operands[0]));
  const fs::path dir = operands[1];
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  for (const PlotFiles& p : plots) {
    write_file_atomic(dir / (p.name + ".gp"), p.vars);
    write_file_atomic(dir / (p.name + ".dat"), p.data);
  }
  // The list last: whoever reads it finds every file it names.
  write_file_atomic(dir / "plots.txt", plot_manifest(plots));
  for (const std::string& n : notes) fmt::print(stderr, "rcubench-report: note: {}\n", n);
  return 0;
}

int cmd_site(Args args) {
  std::optional<std::string> gate = args.take("--gate");
  std::vector<std::string> operands = args.operands();
  if (operands.size() != 1) usage_error("site: give exactly one run directory");
  const fs::path run = operands[0];
  std::error_code ec;
  if (!fs::is_directory(run, ec))
    throw InputError(fmt::format("{}: not a run directory", run.string()));
  if (gate && !fs::is_regular_file(fs::path(*gate) / "gate.txt", ec))
    throw InputError(fmt::format("--gate {}: no gate.txt (write it with compare --write)", *gate));
  std::vector<std::string> warnings;
  std::vector<Row> rows = load_run(run, &warnings);
  print_warnings(warnings);
  SiteInputs in{run, gate ? std::optional<fs::path>(*gate) : std::nullopt, {}};
  // Every registered primitive, run or not, as the bench's JSON says.
  std::set<std::string> seen;
  for (const fs::path& f : run_json_files(run))
    for (rcubench::contract::PrimitiveMeta& m : read_primitive_metas(f))
      if (seen.insert(m.name).second) in.registered.push_back(std::move(m));
  // The memory series beside the JSON (scripts/bench: <arch>.p<K>.memory.csv).
  std::vector<fs::path> series;
  for (const fs::directory_entry& e : fs::directory_iterator(run, ec))
    if (e.is_regular_file() && e.path().filename().string().ends_with(".memory.csv"))
      series.push_back(e.path());
  std::sort(series.begin(), series.end());
  for (const fs::path& f : series)
    for (MemoryTrace& t : read_memory_series(f)) in.memory.push_back(std::move(t));
  fmt::print("{}\n", write_site(rows, in).string());
  return 0;
}

int cmd_history_site(Args args) {
  std::optional<std::string> runs = args.take("--runs");
  std::vector<std::string> operands = args.operands();
  if (operands.size() < 2) usage_error("history-site: give an output directory and histories");
  std::size_t max_runs = 50;
  if (runs) max_runs = static_cast<std::size_t>(whole_option("--runs", *runs, 1, 1000000));
  std::vector<HistorySiteInput> histories;
  std::set<std::string> names;
  for (auto it = operands.begin() + 1; it != operands.end(); ++it) {
    if (!is_history_dir(*it)) throw InputError(fmt::format("{}: not a history directory", *it));
    std::error_code ec;
    const std::string name = fs::weakly_canonical(fs::absolute(*it), ec).filename().string();
    if (ec || name.empty() || name == "." || name == "..")
      throw InputError(fmt::format("{}: cannot name this history (give its directory)", *it));
    if (!names.insert(name).second)
      throw InputError(fmt::format("{}: a second history named '{}'", *it, name));
    histories.push_back({name, history_trends(*it, max_runs, CompareRequest{}.last)});
  }
  fmt::print("{}\n", write_history_site(operands[0], histories).string());
  return 0;
}

int cmd_summary(Args args) {
  std::vector<std::string> operands = args.operands();
  if (operands.size() != 1) usage_error("summary: give exactly one run directory or file");
  std::vector<std::string> warnings;
  std::vector<Row> rows = load_run(operands[0], &warnings);
  print_warnings(warnings);
  emit(std::nullopt, format_summary(rows));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool command_help = false;
  try {
    if (args.empty()) usage_error("no command given");
    const std::string command = args.front();
    args.erase(args.begin());
    for (const std::string& a : args)
      if (a == "-h" || a == "--help") command_help = true;
    if (command_help || command == "-h" || command == "--help" || command == "help") {
      fmt::print("{}", kUsage);
      return 0;
    }
    if (command == "csv") return cmd_csv(Args(args));
    if (command == "compare") return cmd_compare(Args(args));
    if (command == "confirm") return cmd_confirm(Args(args));
    if (command == "record") return cmd_record(Args(args));
    if (command == "accept") return cmd_accept(Args(args));
    if (command == "summary") return cmd_summary(Args(args));
    if (command == "site") return cmd_site(Args(args));
    if (command == "history-site") return cmd_history_site(Args(args));
    if (command == "plot-data") return cmd_plot_data(Args(args));
    if (command == "trend-data") return cmd_trend_data(Args(args));
    usage_error(fmt::format("unknown command '{}'", command));
  } catch (const InputError& e) {
    fmt::print(stderr, "rcubench-report: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "rcubench-report: error: {}\n", e.what());
    return 2;
  }
}
