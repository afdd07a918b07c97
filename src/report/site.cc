#include "report/site.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>
#include <unistd.h>

#include "contract/run_name.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/metrics.h"
#include "report/plot_data.h"
#include "report/samples.h"
#include "report/stats.h"
#include "report/summary.h"

namespace rcubench::report {

namespace fs = std::filesystem;

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// The project's own style sheet, inline: a page needs nothing beside it.
constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem;
       color: #1d2125; background: #fff; }
nav { border-bottom: 1px solid #ccd; padding: .6rem 0; margin-bottom: 1rem; }
nav a { margin-right: 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
pre { background: #f5f6f8; padding: .6rem; overflow-x: auto; font-size: .8rem; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { border: 1px solid #ccd; padding: .2rem .5rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #eef0f4; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #dde; }
.emulated { color: #8a4b00; font-weight: bold; }
.pass { color: #17692f; font-weight: bold; } .fail { color: #b00020; font-weight: bold; }
.unjudged { color: #8a4b00; font-weight: bold; }
footer { margin-top: 2rem; font-size: .8rem; color: #555; }
)";

struct Target {
  std::string arch, exec;
  auto operator<=>(const Target&) const = default;
};

// What every page says the numbers came from, per arch and exec.
struct Provenance {
  std::string cpu_model, compiler, build_type, commit, date, fingerprint, run_id;
  std::set<std::string> flavors;
};

std::string exec_text(std::string_view exec) {
  if (exec == contract::kExecQemu) return "emulated (qemu): timings are not hardware performance";
  if (exec == contract::kExecInsnCount) return "emulated (qemu), exact instruction counts";
  if (exec == contract::kExecRemote) return "native, on a board over SSH";
  return "native";
}

std::string workload_file(const std::string& arch, const std::string& exec,
                          const std::string& workload, bool several_execs) {
  return fmt::format("workload-{}{}-{}.html", file_name_part(arch),
                     several_execs ? "-" + file_name_part(exec) : "", file_name_part(workload));
}

std::string page(const std::string& title, const std::string& nav, const std::string& body,
                 const std::string& footer) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<nav>{}</nav>\n<main>\n<h1>{}</h1>\n"
      "{}</main>\n<footer>{}</footer>\n</body>\n</html>\n",
      html_escape(title), kStyle, nav, html_escape(title), body, footer);
}

std::string pre(const std::string& text) { return "<pre>" + html_escape(text) + "</pre>\n"; }

std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::set<std::size_t>& numeric) {
  std::string out = "<table>\n<tr>";
  for (const std::string& h : header) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += fmt::format("<td{}>{}</td>", numeric.contains(i) ? " class=\"num\"" : "",
                         html_escape(row[i]));
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// A plot as the run rendered it: RUN/plots/<name>.svg, linked from RUN/site/.
std::string figure(const PlotFiles& p, const fs::path& run) {
  const fs::path svg = run / "plots" / (p.name + ".svg");
  std::error_code ec;
  if (!fs::is_regular_file(svg, ec))
    return fmt::format("<p>Plot {} was not rendered (plots/render.sh).</p>\n", html_escape(p.name));
  return fmt::format("<figure><img src=\"../plots/{}.svg\" alt=\"{}\"></figure>\n",
                     html_escape(p.name), html_escape(p.title));
}

std::string point_text(const Row& r) {
  std::string out;
  auto add = [&out](std::string_view name, std::string value) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, value);
  };
  if (r.updater_delay_us) add("updater_delay_us", contract::format_number(*r.updater_delay_us));
  if (r.read_work) add("read_work", std::to_string(*r.read_work));
  if (r.payload_bytes) add("payload_bytes", std::to_string(*r.payload_bytes));
  if (r.stall_us) add("stall_us", contract::format_number(*r.stall_us));
  return out.empty() ? "-" : out;
}

// Per primitive and point, the median and quartiles of the process samples of
// reads/s and updates/s: what the plots draw, as numbers.
std::string sample_table(const std::vector<const Row*>& rows) {
  using Key = std::tuple<std::string, long, long, std::string, std::string>;
  std::map<Key, ProcessSamples> samples;
  std::vector<std::string> order;
  for (const Row* r : rows) {
    const contract::Metric* m = contract::find_metric(r->metric);
    if (!r->is_iteration() || !m || m->use != contract::MetricUse::throughput) continue;
    index_of(order, r->primitive);
    samples[{r->primitive, r->readers, r->updaters, point_text(*r), r->metric}].add(*r);
  }
  std::vector<std::vector<std::string>> lines;
  for (const std::string& primitive : order)
    for (const auto& [key, s] : samples) {
      if (std::get<0>(key) != primitive) continue;
      const std::vector<double> v = s.values();
      lines.push_back({primitive, std::to_string(std::get<1>(key)), std::to_string(std::get<2>(key)),
                       std::get<3>(key), std::get<4>(key), si_number(quantile(v, 0.5)),
                       fmt::format("{} – {}", si_number(quantile(v, 0.25)), si_number(quantile(v, 0.75))),
                       std::to_string(v.size())});
    }
  if (lines.empty()) return "";
  return html_table({"primitive", "readers", "updaters", "parameters", "metric", "median",
                     "IQR (processes)", "processes"},
                    lines, {1, 2, 5, 6, 7});
}

// Instruction counts, primitive x arch, and each Rcu<P>'s count over its raw counterpart's.
std::string insn_matrix(const std::vector<Row>& rows, const std::vector<std::string>& arches) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> counts;
  std::vector<std::string> primitives;
  std::map<std::string, std::string> raw_of;
  for (const Row& r : rows) {
    if (r.exec != contract::kExecInsnCount || r.unit != "instructions" || !r.is_iteration())
      continue;
    index_of(primitives, r.primitive);
    counts[{r.metric, r.primitive, r.arch}].push_back(r.value);
    if (r.meta && contract::is_rcu_pointer(r.meta->family) && r.meta->raw != kNotApplicable)
      raw_of[r.primitive] = r.meta->raw;
  }
  std::string out;
  for (const char* metric : {"read_insns", "update_insns"}) {
    std::vector<std::string> header = {"primitive"};
    for (const std::string& a : arches) header.push_back(a);
    for (const std::string& a : arches) header.push_back(a + ": / raw");
    std::vector<std::vector<std::string>> lines;
    auto value = [&](const std::string& p, const std::string& a) -> std::optional<double> {
      auto it = counts.find({metric, p, a});
      if (it == counts.end()) return std::nullopt;
      return quantile(it->second, 0.5);
    };
    for (const std::string& p : primitives) {
      std::vector<std::string> line = {p};
      bool any = false;
      for (const std::string& a : arches) {
        auto v = value(p, a);
        any |= v.has_value();
        line.push_back(v ? fmt::format("{:.2f}", *v) : "-");
      }
      if (!any) continue;
      for (const std::string& a : arches) {
        auto raw = raw_of.find(p);
        auto v = value(p, a);
        auto r = raw == raw_of.end() ? std::nullopt : value(raw->second, a);
        line.push_back(v && r && *r > 0 ? fmt::format("{} ({})", ratio_text(*v / *r), raw->second)
                                        : "-");
      }
      lines.push_back(std::move(line));
    }
    if (lines.empty()) continue;
    std::set<std::size_t> numeric;
    for (std::size_t i = 1; i < header.size(); ++i) numeric.insert(i);
    out += fmt::format("<h2>{} per operation</h2>\n", metric);
    out += html_table(header, lines, numeric);
  }
  return out;
}

std::string read_if_exists(const fs::path& f) {
  std::error_code ec;
  return fs::is_regular_file(f, ec) ? read_file(f) : std::string();
}

std::string gate_body(const fs::path& gate) {
  std::string status, reason, verdict, detectable;
  const std::string text = read_file(gate / "gate.txt");
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.starts_with("status=")) status = line.substr(7);
    if (line.starts_with("reason=")) reason = line.substr(7);
    if (line.starts_with("verdict=")) verdict = line.substr(8);
    if (line.starts_with("detectable=")) detectable = line.substr(11);
    start = end + 1;
  }
  // After a paired confirmation (rcubench-report confirm), its verdict is the gate's.
  const std::string confirm = read_if_exists(gate / "confirm.txt");
  if (const std::size_t at = confirm.rfind("Gate: "); at != std::string::npos) {
    const std::string line = confirm.substr(at, confirm.find('\n', at) - at);
    status = line.find("FAILED") != std::string::npos ? "fail" : "pass";
    reason = line.substr(6);
  }
  std::string out = fmt::format("<p class=\"{}\">Gate: {} — {}</p>\n",
                                status == "fail" || status == "pass" ? status : "unjudged",
                                html_escape(status), html_escape(reason));
  out += "<p>" + html_escape(verdict) + "</p>\n";
  if (!detectable.empty()) out += "<p>" + html_escape(detectable) + "</p>\n";
  const std::string findings = read_if_exists(gate / "findings.md");
  if (!findings.empty()) out += "<h2>Findings</h2>\n" + pre(findings);
  if (!confirm.empty()) out += "<h2>Paired confirmation</h2>\n" + pre(confirm);
  out += "<h2>Every series</h2>\n" + pre(read_file(gate / "compare.txt"));
  return out;
}

}  // namespace

std::vector<SitePage> make_site(const std::vector<Row>& rows, const SiteInputs& in) {
  // What ran where.
  std::map<Target, Provenance> provenance;
  std::vector<std::string> arches;
  std::map<std::string, std::vector<std::string>> execs_of;  // timed execs per arch
  std::map<Target, std::vector<std::string>> workloads;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const Row*>> by_workload;
  std::set<std::string> primitives;
  for (const Row& r : rows) {
    Provenance& p = provenance[{r.arch, r.exec}];
    if (p.run_id.empty())
      p = {r.cpu_model, r.compiler, r.build_type, r.commit, r.date, r.fingerprint, r.run_id, {}};
    if (r.flavor != kNotApplicable) p.flavors.insert(r.flavor);
    index_of(arches, r.arch);
    primitives.insert(r.primitive);
    if (r.exec == contract::kExecInsnCount) continue;
    index_of(execs_of[r.arch], r.exec);
    index_of(workloads[{r.arch, r.exec}], r.workload);
    by_workload[{r.arch, r.exec, r.workload}].push_back(&r);
  }
  if (rows.empty()) throw InputError("no results to make a site of");
  sort_arches(arches);

  std::vector<std::string> warnings;
  const std::vector<PlotFiles> plots = make_plots(rows, &warnings, in.memory);
  const std::vector<SummarySection> sections = summary_sections(rows);
  // The run's own name (its run_id: a run is assembled under another directory name).
  std::vector<std::string> run_ids;
  for (const Row& r : rows) index_of(run_ids, r.run_id);
  std::string run_name;
  for (const std::string& id : run_ids) run_name += (run_name.empty() ? "" : ", ") + id;

  // Navigation: every page from every page.
  std::vector<std::pair<std::string, std::string>> links = {{"index.html", "Overview"}};
  for (const std::string& arch : arches)
    for (const std::string& exec : execs_of[arch])
      for (const std::string& w : workloads[{arch, exec}])
        links.push_back({workload_file(arch, exec, w, execs_of[arch].size() > 1),
                         fmt::format("{}{} {}", arch, exec == contract::kExecNative ? "" : " (" + exec + ")", w)});
  const bool has_counts = std::any_of(rows.begin(), rows.end(), [](const Row& r) {
    return r.exec == contract::kExecInsnCount;
  });
  if (has_counts) links.push_back({"instructions.html", "Instructions"});
  if (in.gate) links.push_back({"gate.html", "Gate"});
  // One line per arch, its workloads by name.
  std::string nav = "<a href=\"index.html\">Overview</a>";
  if (has_counts) nav += "<a href=\"instructions.html\">Instructions</a>";
  if (in.gate) nav += "<a href=\"gate.html\">Gate</a>";
  for (const std::string& arch : arches)
    for (const std::string& exec : execs_of[arch]) {
      nav += fmt::format("<br>{} ({}):", html_escape(arch), html_escape(exec));
      for (const std::string& w : workloads[{arch, exec}])
        nav += fmt::format(" <a href=\"{}\">{}</a>",
                           html_escape(workload_file(arch, exec, w, execs_of[arch].size() > 1)),
                           html_escape(w));
    }

  // Provenance, on every page.
  std::vector<std::vector<std::string>> machine_rows;
  for (const auto& [t, p] : provenance) {
    std::string flavors;
    for (const std::string& f : p.flavors) flavors += (flavors.empty() ? "" : " ") + f;
    machine_rows.push_back({t.arch, exec_text(t.exec), p.cpu_model, p.compiler, p.build_type,
                            p.commit, flavors.empty() ? "-" : flavors, p.date, p.fingerprint});
  }
  const std::string machines =
      html_table({"arch", "how", "CPU", "compiler", "build", "commit", "flavors", "date",
                  "fingerprint"},
                 machine_rows, {});
  const std::string footer = fmt::format(
      "Run {} — made by rcubench-report from this run's results.csv; the plots are the run's "
      "own (plots/). Emulated timings are not hardware performance.",
      html_escape(run_name));

  std::vector<SitePage> pages;
  // Overview.
  {
    std::string body = "<h2>Where it ran</h2>\n" + machines;
    for (const SummarySection& s : sections)
      if (s.kind == SummarySection::Kind::verdict)
        body += fmt::format("<h2>Verdict: {}</h2>\n", html_escape(s.arch)) + pre(s.text);
    for (const PlotFiles& p : plots)
      if (p.workload.empty()) body += fmt::format("<h2>Headline: {}</h2>\n", html_escape(p.arch)) + figure(p, in.run);
    body += "<h2>Pages</h2>\n<ul>\n";
    for (std::size_t i = 1; i < links.size(); ++i)
      body += fmt::format("<li><a href=\"{}\">{}</a></li>\n", html_escape(links[i].first),
                          html_escape(links[i].second));
    body += "</ul>\n<h2>Primitives in this run</h2>\n<p>";
    for (const std::string& p : primitives) body += html_escape(p) + " ";
    body += "</p>\n";
    std::string absent;
    for (const contract::PrimitiveMeta& m : in.registered)
      if (!primitives.contains(m.name))
        absent += fmt::format("<li>{} ({})</li>\n", html_escape(m.name),
                              html_escape(contract::family_name(m.family)));
    if (!absent.empty())
      body += "<p>Registered in this rcubench but not measured in this run (no workload of "
              "the run's configs ran them: a primitive may refuse a workload's payload, see "
              "<code>rcubench --list</code>):</p>\n<ul>\n" + absent + "</ul>\n";
    pages.push_back({"index.html", "rcubench run " + run_name, page("rcubench run " + run_name, nav, body, footer)});
  }
  // A page per workload.
  for (const std::string& arch : arches)
    for (const std::string& exec : execs_of[arch])
      for (const std::string& w : workloads[{arch, exec}]) {
        const std::string title = fmt::format("{} — {} ({})", w, arch, exec_text(exec));
        std::string body;
        if (exec == contract::kExecQemu)
          body += "<p class=\"emulated\">Emulated under qemu: these timings are not hardware "
                  "performance.</p>\n";
        for (const PlotFiles& p : plots)
          if (p.arch == arch && p.exec == exec && p.workload == w) body += figure(p, in.run);
        body += "<h2>Samples</h2>\n<p>Per point, over processes: the median of each process's "
                "repetitions, then their median and interquartile range.</p>\n";
        body += sample_table(by_workload[{arch, exec, w}]);
        for (const SummarySection& s : sections)
          if (s.kind == SummarySection::Kind::workload && s.arch == arch && s.workload == w)
            body += "<h2>Summary, crossovers and starved threads</h2>\n" + pre(s.text);
        pages.push_back({workload_file(arch, exec, w, execs_of[arch].size() > 1), title,
                         page(title, nav, body, footer)});
      }
  if (has_counts) {
    std::string body =
        "<p>Exact counts under qemu with the project's plugin, per operation (docs/"
        "instruction-counts.md); not timings.</p>\n" + insn_matrix(rows, arches);
    const auto tables = profile_tables(rows);
    for (const std::string& arch : arches) {
      auto found = std::ranges::find(tables, arch, &std::pair<std::string, ProfileTable>::first);
      if (found == tables.end()) continue;
      const ProfileTable& table = found->second;
      std::set<std::size_t> numeric;
      for (std::size_t c = 1; c < table.header.size(); ++c) numeric.insert(c);
      body += fmt::format(
                  "<h2>{}: profile per operation</h2>\n<p>Read path, then update path: "
                  "instructions, loads/stores, atomic read-modify-writes, fences (full: "
                  "ordering stores before loads), acquires/releases; shared: writes per read "
                  "to 64-byte lines a second reader also touches (*: the two readers "
                  "contended, so it is not exact and not gated).</p>\n",
                  html_escape(arch)) +
              html_table(table.header, table.lines, numeric);
    }
    for (const SummarySection& s : sections)
      if (s.kind == SummarySection::Kind::instructions && !s.text.empty())
        body += fmt::format("<h2>{}: Rcu&lt;P&gt; against raw liburcu</h2>\n", html_escape(s.arch)) +
                pre(s.text);
    pages.push_back({"instructions.html", "Instruction counts", page("Instruction counts", nav, body, footer)});
  }
  if (in.gate)
    pages.push_back({"gate.html", "Regression gate", page("Regression gate", nav, gate_body(*in.gate), footer)});
  return pages;
}

namespace {

// Writes `pages` (file names relative to `dir`, which may hold a subdirectory) into `dir`,
// replacing an earlier one only once every page is written.
void replace_dir_with(const fs::path& dir, const std::vector<SitePage>& pages) {
  // Names of this process's own: two writers of one site never share a directory.
  const fs::path parent = dir.parent_path();
  const std::string stem = fmt::format(".{}.{}", dir.filename().string(), getpid());
  const fs::path tmp = parent / (stem + ".tmp"), old = parent / (stem + ".old");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) throw InputError(fmt::format("{}: cannot create: {}", tmp.string(), ec.message()));
  try {
    for (const SitePage& p : pages) write_file_atomic(tmp / p.file, p.html);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  // The old site aside, the new one in its place; the old one back if that fails.
  const bool had_old = fs::exists(dir, ec);
  if (had_old) fs::rename(dir, old, ec);
  if (!ec) fs::rename(tmp, dir, ec);
  if (ec) {
    std::error_code ignored;
    if (had_old && !fs::exists(dir, ignored)) fs::rename(old, dir, ignored);
    fs::remove_all(tmp, ignored);
    throw InputError(fmt::format("{}: cannot replace: {}", dir.string(), ec.message()));
  }
  fs::remove_all(old, ec);
}

std::string verdict_cell(Verdict v) { return std::string(verdict_name(v)); }

// A cell's background for a change that is better (> 1) or worse (< 1) by `ratio`.
std::string change_colour(double ratio) {
  if (!std::isfinite(ratio)) return "#ffffff";
  const double x = std::clamp((ratio - 1) / 0.2, -1.0, 1.0);  // saturated at 20 %
  const int fade = static_cast<int>(255 - 120 * std::abs(x));
  return x < 0 ? fmt::format("#ff{:02x}{:02x}", fade, fade) : fmt::format("#{:02x}ff{:02x}", fade, fade);
}

std::vector<SitePage> history_pages(const HistorySiteInput& h, const std::string& nav_top,
                                    const fs::path& plots_dir) {
  const HistoryTrends& t = h.trends;
  const std::string footer =
      "Each run judged as the regression gate's history mode judges it: against the band of "
      "the run medians of its machine recorded before it (docs/regression-gate.md).";
  const std::string nav = nav_top + fmt::format("<a href=\"index.html\">{}</a>", html_escape(h.name));
  std::vector<SitePage> pages;
  const std::string last_run = t.runs.empty() ? "" : t.runs.back();

  // The matrix: per primitive and arch, the geometric mean over its gated series of the
  // last run's median over its baseline's, oriented so that > 1 is better.
  std::map<std::pair<std::string, std::string>, std::vector<double>> logs;
  std::vector<std::string> primitives, arches;
  std::map<std::string, std::size_t> regressions;  // per run
  for (const TrendSeries& s : t.series) {
    for (const TrendPoint& p : s.points)
      if (s.gated && p.verdict == Verdict::regression) ++regressions[p.run_id];
    if (!s.gated || s.points.empty() || s.points.back().run_id != last_run) continue;
    // Instructions stand for a counting run's path: its other counts (loads, fences, ...)
    // would outnumber a primitive's timings and dilute them, and most are 0 (no ratio).
    if (s.key.exec == contract::kExecInsnCount && s.unit != "instructions") continue;
    const double change = s.points.back().change;
    if (!std::isfinite(change) || change <= -1) continue;
    const Direction d = metric_direction(s.key.metric, s.unit);
    if (d == Direction::unknown) continue;
    const double ratio = d == Direction::higher_is_better ? 1 + change : 1 / (1 + change);
    index_of(primitives, s.key.primitive);
    index_of(arches, s.key.arch);
    logs[{s.key.primitive, s.key.arch}].push_back(std::log(ratio));
  }
  sort_arches(arches);
  std::string body;
  if (!last_run.empty()) {
    body += fmt::format("<h2>The last run against its baseline: {}</h2>\n", html_escape(last_run));
    body += "<p>Per primitive and arch, the geometric mean over its gated series (of a "
            "counting run, its instruction counts) of the run "
            "median over the baseline median, so that above 1 is better whatever the "
            "metric (green better, red worse, saturated at 20 %).</p>\n<table>\n<tr><th>primitive</th>";
    for (const std::string& a : arches) body += "<th>" + html_escape(a) + "</th>";
    body += "</tr>\n";
    for (const std::string& p : primitives) {
      body += "<tr><td>" + html_escape(p) + "</td>";
      for (const std::string& a : arches) {
        auto it = logs.find({p, a});
        if (it == logs.end()) {
          body += "<td class=\"num\">-</td>";
          continue;
        }
        double sum = 0;
        for (double l : it->second) sum += l;
        const double g = std::exp(sum / static_cast<double>(it->second.size()));
        body += fmt::format("<td class=\"num\" style=\"background:{}\">{:.3f}x</td>",
                            change_colour(g), g);
      }
      body += "</tr>\n";
    }
    body += "</table>\n";
  }
  std::vector<std::vector<std::string>> run_rows;
  for (const std::string& r : t.runs)
    run_rows.push_back({r, std::to_string(regressions[r])});
  body += "<h2>Runs</h2>\n" + html_table({"run", "gated regressions"}, run_rows, {1});
  body += "<h2>Series</h2>\n<ul>\n";
  for (const TrendPlot& p : trend_plots(t, {})) {
    const TrendSeries& s = *p.series;
    // A page for each gated series and each series with a plot (the information metrics
    // are many, and each CSV holds them all).
    std::error_code ec;
    const bool plotted = fs::is_regular_file(plots_dir / (p.name + ".svg"), ec);
    if (!s.gated && !plotted) continue;
    body += fmt::format("<li><a href=\"{}.html\">{}</a></li>\n", html_escape(p.name),
                        html_escape(fmt::format("{} {} {} {} {}r{}u {} {}", s.key.arch, s.key.exec,
                                                s.key.workload, s.key.primitive, s.key.readers,
                                                s.key.updaters, s.key.params, s.key.metric)));
    std::string page_body;
    if (plotted)
      page_body += fmt::format("<figure><img src=\"../{}/{}.svg\" alt=\"trend\"></figure>\n",
                               html_escape(plots_dir.filename().string()), html_escape(p.name));
    else
      page_body += "<p>No trend plot rendered for this series (plots/render.sh --trend draws "
                   "the metrics it is given).</p>\n";
    std::vector<std::vector<std::string>> lines;
    for (const TrendPoint& q : s.points)
      lines.push_back({q.run_id, q.date, q.commit, t.machines[q.machine], si_number(q.median, 4),
                       std::isnan(q.band_low) ? "-"
                                              : fmt::format("{} .. {}", si_number(q.band_low, 4),
                                                            si_number(q.band_high, 4)),
                       std::isnan(q.change) ? "-" : fmt::format("{:+.1f}%", 100 * q.change),
                       verdict_cell(q.verdict), q.rebaseline ? "rebaseline" : ""});
    page_body += html_table({"run", "date", "commit", "machine", "median", "band", "change",
                             "verdict", ""},
                            lines, {4, 6});
    const std::string title = fmt::format("Trend: {} {} {} {}r{}u {}", s.key.arch, s.key.workload,
                                          s.key.primitive, s.key.readers, s.key.updaters,
                                          s.key.metric);
    pages.push_back({p.name + ".html", title, page(title, nav, page_body, footer)});
  }
  body += "</ul>\n";
  const std::string title = "History " + h.name;
  pages.insert(pages.begin(), {"index.html", title, page(title, nav, body, footer)});
  return pages;
}

}  // namespace

fs::path write_site(const std::vector<Row>& rows, const SiteInputs& in) {
  replace_dir_with(in.run / "site", make_site(rows, in));
  return in.run / "site" / "index.html";
}

fs::path write_history_site(const fs::path& out, const std::vector<HistorySiteInput>& histories) {
  if (histories.empty()) throw InputError("history-site: no history given");
  const std::string nav_top = "<a href=\"../index.html\">Histories</a>";
  std::string list;
  for (const HistorySiteInput& h : histories) {
    // The pages replace the history's directory whole; its plots are rendered beside it,
    // in plots-<name>/ (scripts/history site).
    replace_dir_with(out / h.name, history_pages(h, nav_top, out / ("plots-" + h.name)));
    list += fmt::format("<li><a href=\"{0}/index.html\">{0}</a>: {1} runs, {2} series</li>\n",
                        html_escape(h.name), h.trends.runs.size(), h.trends.series.size());
  }
  write_file_atomic(out / "index.html",
                    page("rcubench histories", "<a href=\"index.html\">Histories</a>",
                         "<ul>\n" + list + "</ul>\n", "From the recorded runs of each history."));
  return out / "index.html";
}

}  // namespace rcubench::report
