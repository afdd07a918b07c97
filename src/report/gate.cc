#include "report/gate.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "contract/primitive_meta.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/history_file.h"

namespace rcubench::report {

namespace fs = std::filesystem;

std::string series_id(const SeriesKey& k) {
  return fmt::format("{}/{}/{}/{}/{}r{}u/{}/{}", k.arch, k.exec, k.primitive, k.workload,
                     k.readers, k.updaters, k.params, k.metric);
}

std::vector<GateAccept> parse_gate_accepts(std::string_view text, std::string_view source) {
  std::vector<GateAccept> accepts;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (line.empty()) continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || t1 == 0 || t2 == t1 + 1 || t2 + 1 == line.size() ||
        line.find('\t', t2 + 1) != std::string_view::npos)
      throw InputError(fmt::format("{}:{}: want PATTERN<TAB>REASON<TAB>COMMIT, got '{}'", source,
                                   line_no, line));
    accepts.push_back({std::string(line.substr(0, t1)), std::string(line.substr(t1 + 1, t2 - t1 - 1)),
                       std::string(line.substr(t2 + 1))});
  }
  return accepts;
}

std::string_view finding_kind_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::count: return "count";
    case FindingKind::timing: return "timing";
    case FindingKind::missing: return "missing";
  }
  return "?";
}

std::string_view gate_status_name(GateStatus s) {
  switch (s) {
    case GateStatus::pass: return "pass";
    case GateStatus::fail: return "fail";
    case GateStatus::cannot_judge: return "cannot-judge";
  }
  return "?";
}

std::string Finding::change_text() const {
  const SeriesResult& r = result;
  switch (kind) {
    case FindingKind::missing: return "missing from the current run";
    case FindingKind::count:
      return fmt::format("{:+g} {} ({:g} -> {:g})", r.median_current - r.median_baseline, r.unit,
                         r.median_baseline, r.median_current);
    case FindingKind::timing:
      return fmt::format("{:+.1f}% (detectable {})", 100 * r.change,
                         std::isnan(r.detectable) ? "-" : fmt::format("{:+.1f}%", 100 * r.detectable));
  }
  return "?";
}

namespace {

std::vector<std::string> ids_where(const std::vector<Finding>& findings,
                                   bool (*keep)(const Finding&)) {
  std::vector<std::string> ids;
  for (const Finding& f : findings)
    if (f.accepted_by.empty() && keep(f)) ids.push_back(series_id(f.result.key));
  return ids;
}

// The primitive field of a series id.
std::string_view primitive_of_id(std::string_view id) {
  for (int field = 0; field < 2; ++field) id.remove_prefix(std::min(id.size(), id.find('/') + 1));
  return id.substr(0, id.find('/'));
}

}  // namespace

std::vector<std::string> GateOutcome::failing() const {
  return ids_where(findings, [](const Finding&) { return true; });
}
std::vector<std::string> GateOutcome::suspects() const {
  return ids_where(findings, [](const Finding& f) { return f.confirmable; });
}
std::vector<std::string> GateOutcome::unconfirmable() const {
  return ids_where(findings, [](const Finding& f) { return !f.confirmable; });
}

std::string GateOutcome::primitives_to_run(const std::vector<std::string>& ids) {
  std::set<std::string> names;
  for (const std::string& id : ids) names.emplace(contract::primitive_to_run(primitive_of_id(id)));
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ",") + n;
  return list;
}

GateOutcome judge_gate(const Comparison& c, const std::vector<GateAccept>& accepts) {
  GateOutcome g;
  std::size_t gated = 0, insufficient = 0;
  for (const SeriesResult& r : c.results) {
    if (!r.gated) continue;
    ++gated;
    insufficient += r.verdict == Verdict::insufficient;
    if (r.verdict != Verdict::regression && r.verdict != Verdict::missing) continue;
    Finding f;
    f.result = r;
    if (r.verdict == Verdict::missing)
      f.kind = FindingKind::missing;
    else if (r.test == "count")
      f.kind = FindingKind::count;
    f.confirmable = f.kind == FindingKind::timing && r.key.exec == contract::kExecNative;
    const std::string name = series_name(r.key.arch, r.key.primitive, r.key.workload, r.key.metric);
    for (const GateAccept& a : accepts)
      if (pattern_matches(a.pattern, name)) {
        f.accepted_by = fmt::format("{} (Bench-Accept: {}: {})", a.commit.substr(0, 12),
                                    a.pattern, a.reason);
        break;
      }
    g.findings.push_back(std::move(f));
  }

  const std::vector<std::string> failing = g.failing();
  const std::size_t accepted = g.findings.size() - failing.size();
  const std::string accepted_text =
      accepted ? fmt::format(" ({} accepted by Bench-Accept)", accepted) : std::string();
  const bool paired = c.options.mode == CompareMode::paired;
  if (!failing.empty()) {
    g.status = GateStatus::fail;
    g.reason = fmt::format("{} regression(s){}", failing.size(), accepted_text);
  } else if (paired && gated == 0) {
    g.status = GateStatus::cannot_judge;
    g.reason = "no gated series was compared";
  } else if (paired && insufficient > 0) {
    g.status = GateStatus::cannot_judge;
    g.reason = fmt::format("the paired timings had too few pairs to judge {} gated series "
                           "(insufficient)", insufficient);
  } else if (paired && c.no_power) {
    g.status = GateStatus::cannot_judge;
    g.reason = "the paired timings had too few pairs to flag any change (NO POWER)";
  } else {
    g.reason = "no regression" + accepted_text;
  }

  // Bisection: counts first (exact, cheap), one arch at a time; missing series never.
  for (const Finding& f : g.findings)
    if (f.accepted_by.empty() && f.kind == FindingKind::count) {
      g.bisect_by = "count";
      g.bisect_arch = f.result.key.arch;
      break;
    }
  for (const Finding& f : g.findings) {
    if (!f.accepted_by.empty() || f.kind == FindingKind::missing) continue;
    if (g.bisect_by == "count" && (f.kind != FindingKind::count || f.result.key.arch != g.bisect_arch))
      continue;
    if (g.bisect_by.empty()) g.bisect_by = "timing";
    g.bisect_ids.push_back(series_id(f.result.key));
  }
  return g;
}

std::vector<std::string> confirmed_suspects(const std::vector<std::string>& suspects,
                                            const GateOutcome& paired) {
  // A timing regression confirms a timing suspect; a series gone missing does not.
  std::set<std::string> flagged;
  for (const Finding& f : paired.findings)
    if (f.accepted_by.empty() && f.kind == FindingKind::timing)
      flagged.insert(series_id(f.result.key));
  std::vector<std::string> confirmed;
  for (const std::string& s : suspects)
    if (flagged.contains(s)) confirmed.push_back(s);
  return confirmed;
}

namespace {

std::string id_lines(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += id + "\n";
  return out;
}

// A value of gate.txt: one line, whatever the text.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string findings_markdown(const GateOutcome& g) {
  std::string failing, accepted;
  std::size_t n_failing = 0, n_accepted = 0;
  for (const Finding& f : g.findings) {
    const std::string line = fmt::format(
        "- `{}` {}r{}u ({}): {}",
        series_name(f.result.key.arch, f.result.key.primitive, f.result.key.workload,
                    f.result.key.metric),
        f.result.key.readers, f.result.key.updaters, finding_kind_name(f.kind), f.change_text());
    if (f.accepted_by.empty()) {
      failing += line + "\n";
      ++n_failing;
    } else {
      accepted += fmt::format("{} — accepted by {}\n", line, f.accepted_by);
      ++n_accepted;
    }
  }
  std::string out;
  if (n_failing) out += fmt::format("Regressions ({}):\n{}", n_failing, failing);
  if (n_accepted)
    out += fmt::format("{}Accepted regressions ({}):\n{}", out.empty() ? "" : "\n", n_accepted,
                       accepted);
  return out;
}

}  // namespace

void write_gate_dir(const fs::path& dir, const Comparison& c, const GateOutcome& g) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  // A confirmation of an earlier comparison here (confirm) is not this one's.
  for (const char* stale : {"confirm.txt", "confirmed.txt", "gate.md"}) fs::remove(dir / stale, ec);
  write_file_atomic(dir / "compare.txt", format_comparison(c, Format::table));
  write_file_atomic(dir / "compare.md", format_comparison(c, Format::markdown));
  write_file_atomic(dir / "compare.csv", format_comparison(c, Format::csv));
  std::string tsv = "id\tname\tkind\tconfirmable\taccepted\tchange\n";
  for (const Finding& f : g.findings)
    tsv += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", series_id(f.result.key),
                       series_name(f.result.key.arch, f.result.key.primitive,
                                   f.result.key.workload, f.result.key.metric),
                       finding_kind_name(f.kind), f.confirmable ? "yes" : "no",
                       f.accepted_by.empty() ? "-" : f.accepted_by, f.change_text());
  write_file_atomic(dir / "findings.tsv", tsv);
  write_file_atomic(dir / "findings.md", findings_markdown(g));
  const std::vector<std::string> failing = g.failing(), suspects = g.suspects(),
                                 unconfirmable = g.unconfirmable();
  write_file_atomic(dir / "failing.txt", id_lines(failing));
  write_file_atomic(dir / "suspects.txt", id_lines(suspects));
  write_file_atomic(dir / "unconfirmable.txt", id_lines(unconfirmable));
  write_file_atomic(dir / "bisect-ids.txt", id_lines(g.bisect_ids));
  write_file_atomic(
      dir / "gate.txt",
      fmt::format("status={}\nreason={}\nfindings={}\nfailing={}\nsuspects={}\nunconfirmable={}\n"
                  "suspect_primitives={}\nbisect_by={}\nbisect_arch={}\nbisect_primitives={}\n"
                  "verdict={}\ndetectable={}\n",
                  gate_status_name(g.status), one_line(g.reason), g.findings.size(),
                  failing.size(), suspects.size(), unconfirmable.size(),
                  GateOutcome::primitives_to_run(suspects), g.bisect_by, g.bisect_arch,
                  GateOutcome::primitives_to_run(g.bisect_ids), one_line(gate_verdict_line(c, g)),
                  one_line(detectable_line(c))));
}

std::string gate_verdict_line(const Comparison& c, const GateOutcome& g) {
  std::string line = verdict_line(c);
  // verdict_line ends in ": pass" or ": FAIL" by the comparison alone; the gate's status
  // also counts Bench-Accept and whether it could judge.
  line.erase(line.rfind(": "));
  return line + (g.status == GateStatus::fail   ? ": FAIL"
                 : g.status == GateStatus::pass ? ": pass"
                                                : ": cannot judge");
}

std::vector<std::string> read_id_list(const fs::path& file) {
  const std::string text = read_file(file);
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) ids.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return ids;
}

}  // namespace rcubench::report
