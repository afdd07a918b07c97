#include "report/compare.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "report/mann_whitney.h"
#include "report/metrics.h"
#include "report/summary.h"
#include "report/text_table.h"

namespace rcubench::report {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::regression: return "regression";
    case Verdict::improvement: return "improvement";
    case Verdict::changed: return "changed";
    case Verdict::unchanged: return "unchanged";
    case Verdict::insufficient: return "insufficient";
    case Verdict::added: return "new";
    case Verdict::missing: return "missing";
  }
  return "?";
}

bool Comparison::failed() const {
  return std::any_of(results.begin(), results.end(), [](const SeriesResult& r) {
    return r.gated && r.verdict == Verdict::regression;
  });
}

namespace {

struct Samples {
  std::vector<double> values;
  std::string unit;
};

std::map<SeriesKey, Samples> series_of(const std::vector<Row>& rows) {
  std::map<SeriesKey, Samples> out;
  for (const Row& r : rows) {
    if (!r.is_iteration()) continue;
    Samples& s = out[SeriesKey{r.arch, r.exec, r.workload, r.primitive, r.readers, r.updaters,
                               r.metric}];
    s.values.push_back(r.value);
    if (s.unit.empty()) s.unit = r.unit;
  }
  return out;
}

double relative_change(double base, double cur) {
  if (base == cur) return 0;
  if (base == 0) return std::copysign(INFINITY, cur);
  return (cur - base) / std::abs(base);
}

void add_note(std::string& note, std::string_view more) {
  if (note.empty() || note == "-") note = std::string(more);
  else note = fmt::format("{}; {}", note, more);
}

double spread(const std::vector<double>& v) {
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo;
}

// Exact counts need no test: any difference of medians beyond the tolerance is real. The
// tolerance is the larger of the fixed one and what either side's own repetitions spread
// over, so a path that does not repeat exactly is gated only as tightly as it repeats.
void judge_insn_count(SeriesResult& r, const std::vector<double>& base,
                      const std::vector<double>& cur, const CompareOptions& o) {
  const double tolerance =
      std::max({o.insn_tolerance_absolute, o.insn_tolerance_fraction * std::abs(r.median_baseline),
                spread(base), spread(cur)});
  const double delta = r.median_current - r.median_baseline;
  r.test = "count";
  if (std::abs(delta) > tolerance) {
    r.verdict = delta > 0 ? Verdict::regression : Verdict::improvement;
    add_note(r.note, fmt::format("{:+.2f} instructions per operation ({:.2f} -> {:.2f}), "
                                 "beyond the tolerance of {:.2f}",
                                 delta, r.median_baseline, r.median_current, tolerance));
  } else {
    r.verdict = Verdict::unchanged;
    if (delta != 0)
      add_note(r.note, fmt::format("{:+.2f} instructions, within the tolerance of {:.2f}",
                                   delta, tolerance));
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
  for (const auto& [k, s] : base) keys.insert(k);
  for (const auto& [k, s] : cur) keys.insert(k);

  std::set<std::string> emulated;
  for (const SeriesKey& key : keys) {
    SeriesResult r;
    r.key = key;
    auto b = base.find(key);
    auto n = cur.find(key);
    r.p_value = NAN;
    r.median_baseline = r.median_current = NAN;
    if (b != base.end()) {
      r.n_baseline = b->second.values.size();
      r.median_baseline = median(b->second.values);
      r.unit = b->second.unit;
    }
    if (n != cur.end()) {
      r.n_current = n->second.values.size();
      r.median_current = median(n->second.values);
      r.unit = n->second.unit;
    }
    // Only native timings are hardware performance; emulated (and undetermined) ones are
    // reported but can never fail the gate. Instruction counts are exact on every arch,
    // emulated or not: they are gated everywhere.
    const bool insn_count = key.exec == kInsnCountExec && r.unit == "instructions";
    r.gated = key.exec == "native" || insn_count;
    if (key.exec == kInsnCountExec) {
      if (!insn_count) add_note(r.note, "counting run: only instruction counts are gated");
    } else if (key.exec == "qemu") {
      add_note(r.note, kEmulatedReason);
      emulated.insert(key.arch);
    } else if (!r.gated) {
      add_note(r.note, fmt::format("exec mode '{}' is not native, not gated", key.exec));
    }

    if (b == base.end() || n == cur.end()) {
      r.verdict = b == base.end() ? Verdict::added : Verdict::missing;
      r.change = NAN;
    } else {
      r.change = relative_change(r.median_baseline, r.median_current);
      if (insn_count) {
        judge_insn_count(r, b->second.values, n->second.values, o);
      } else if (r.n_baseline < o.min_repetitions || r.n_current < o.min_repetitions) {
        r.verdict = Verdict::insufficient;
        add_note(r.note, fmt::format("fewer than {} repetitions", o.min_repetitions));
      } else {
        const MannWhitney mw = mann_whitney_u(n->second.values, b->second.values);
        r.p_value = mw.p_value;
        r.test = mw.exact ? "exact" : "normal";
        const bool significant = mw.p_value < o.alpha;
        const bool large = std::abs(r.change) >= o.min_effect;
        if (significant && large) {
          switch (metric_direction(key.metric, r.unit)) {
            case Direction::higher_is_better:
              r.verdict = r.change > 0 ? Verdict::improvement : Verdict::regression;
              break;
            case Direction::lower_is_better:
              r.verdict = r.change < 0 ? Verdict::improvement : Verdict::regression;
              break;
            case Direction::unknown:
              r.verdict = Verdict::changed;
              add_note(r.note, "metric has no better direction");
              break;
          }
        } else {
          r.verdict = Verdict::unchanged;
          if (significant)
            add_note(r.note, fmt::format("significant but below the {:g}% minimum effect",
                                         o.min_effect * 100));
        }
        if (std::min(r.n_baseline, r.n_current) < o.warn_repetitions)
          add_note(r.note, fmt::format("fewer than {} repetitions: low power",
                                       o.warn_repetitions));
      }
    }
    if (r.note.empty()) r.note.push_back('-');  // no note
    c.results.push_back(std::move(r));
  }
  for (const std::string& arch : emulated)
    c.notes.push_back(fmt::format("{} ran under qemu: {}", arch, kEmulatedReason));
  if (base.empty()) c.notes.push_back("the baseline has no series: nothing to compare against");
  return c;
}

namespace {

constexpr Verdict kSectionOrder[] = {Verdict::regression, Verdict::improvement,
                                     Verdict::changed,    Verdict::unchanged,
                                     Verdict::insufficient, Verdict::added,
                                     Verdict::missing};

std::string_view section_title(Verdict v) {
  switch (v) {
    case Verdict::regression: return "Regressions";
    case Verdict::improvement: return "Improvements";
    case Verdict::changed: return "Changed (no better direction)";
    case Verdict::unchanged: return "Unchanged";
    case Verdict::insufficient: return "Insufficient repetitions";
    case Verdict::added: return "Only in the current run";
    case Verdict::missing: return "Only in the baseline";
  }
  return "?";
}

std::string number(double v) { return std::isnan(v) ? "-" : si_number(v, 4); }

std::string percent(double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "+inf" : "-inf";
  return fmt::format("{:+.1f}%", v * 100);
}

std::string p_text(double p) { return std::isnan(p) ? "-" : fmt::format("{:.3g}", p); }

std::vector<std::string> display_row(const SeriesResult& r) {
  const SeriesKey& k = r.key;
  return {std::string(verdict_name(r.verdict)), r.gated ? "yes" : "no", k.arch, k.exec,
          k.workload, k.primitive, std::to_string(k.readers), std::to_string(k.updaters),
          k.metric, r.unit.empty() ? "-" : r.unit, std::to_string(r.n_baseline),
          std::to_string(r.n_current), number(r.median_baseline), number(r.median_current),
          percent(r.change), p_text(r.p_value), r.test, r.note};
}

const std::vector<std::string> kHeader = {
    "verdict", "gated", "arch", "exec", "workload", "primitive", "readers", "updaters",
    "metric", "unit", "n_baseline", "n_current", "median_baseline", "median_current",
    "change", "p_value", "test", "note"};
// Numeric columns of the table (the header without "verdict").
const std::set<std::size_t> kRightAligned = {5, 6, 9, 10, 11, 12, 13, 14};

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace

std::string verdict_line(const Comparison& c) {
  std::map<Verdict, std::size_t> counts;
  std::size_t gated_regressions = 0;
  for (const SeriesResult& r : c.results) {
    ++counts[r.verdict];
    if (r.verdict == Verdict::regression && r.gated) ++gated_regressions;
  }
  std::string line = fmt::format("{} series: {} regression(s) ({} gated), {} improvement(s)",
                                 c.results.size(), counts[Verdict::regression],
                                 gated_regressions, counts[Verdict::improvement]);
  for (Verdict v : {Verdict::changed, Verdict::unchanged, Verdict::insufficient,
                    Verdict::added, Verdict::missing})
    line += fmt::format(", {} {}", counts[v], verdict_name(v));
  line += fmt::format(" (alpha {:g}, minimum effect {:g}%)", c.options.alpha,
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
    for (Verdict v : kSectionOrder)
      for (const SeriesResult& r : c.results)
        if (r.verdict == v) {
          std::vector<std::string> fields = display_row(r);
          // Machine-readable numbers: full precision, change as a fraction.
          for (auto [i, v] : {std::pair{12, r.median_baseline}, {13, r.median_current},
                              {14, r.change}, {15, r.p_value}})
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
  for (Verdict v : kSectionOrder) {
    std::vector<std::vector<std::string>> rows;
    for (const SeriesResult& r : c.results) {
      if (r.verdict != v) continue;
      std::vector<std::string> row = display_row(r);
      row.erase(row.begin());  // the section says the verdict
      rows.push_back(std::move(row));
    }
    if (rows.empty()) continue;
    std::vector<std::string> header(kHeader.begin() + 1, kHeader.end());
    if (md) {
      out += fmt::format("## {} ({})\n\n", section_title(v), rows.size());
      auto line = [&](const std::vector<std::string>& cells) {
        out += "|";
        for (const std::string& cell : cells) out += fmt::format(" {} |", markdown_cell(cell));
        out += "\n";
      };
      line(header);
      out += "|";
      for (std::size_t i = 0; i < header.size(); ++i)
        out += kRightAligned.contains(i) ? " ---: |" : " --- |";
      out += "\n";
      for (const auto& row : rows) line(row);
      out += "\n";
    } else {
      out += fmt::format("{} ({}):\n", section_title(v), rows.size());
      out += format_text_table(header, rows, kRightAligned);
      out += "\n";
    }
  }
  const std::string verdict = verdict_line(c);
  out += md ? fmt::format("**{}**\n", verdict.substr(0, verdict.size() - 1)) : verdict;
  return out;
}

}  // namespace rcubench::report
