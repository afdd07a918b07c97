#include "report/history.h"

#include <algorithm>
#include <climits>
#include <fmt/format.h>
#include <map>
#include <set>

#include "report/compare.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/run_input.h"

namespace rcubench::report {
namespace fs = std::filesystem;

MachineKey machine_of(const Row& r) {
  // Instruction counts do not depend on the host's CPU: any host's counts are comparable.
  const bool counted = r.exec == contract::kExecInsnCount;
  return {r.arch, r.exec, counted ? std::string(kAnyCpu) : r.cpu_model, r.compiler,
          r.fingerprint};
}

std::string describe(const MachineKey& k) {
  return fmt::format("{} ({}), cpu '{}', {}, fingerprint {}", k.arch, k.exec, k.cpu_model,
                     k.compiler, k.fingerprint);
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool usable_file_name(std::string_view id) {
  if (id.empty() || id.front() == '.' || id.size() > 200) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '+';
  });
}

}  // namespace

std::optional<long long> parse_iso8601(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
      s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  long long offset = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    const bool colon = i + 3 < s.size() && s[i + 3] == ':';
    if (!digits(s, i + 1, 2, oh) || !digits(s, i + (colon ? 4 : 3), 2, om)) return std::nullopt;
    offset = (oh * 60LL + om) * 60 * (s[i] == '-' ? -1 : 1);
    i += colon ? 6 : 5;
  }
  if (i != s.size()) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600LL + mi * 60LL + sec - offset;
}

std::vector<fs::path> record_runs(const fs::path& history, const std::vector<Row>& rows,
                                  const std::map<MachineSlot, MachineText>& texts,
                                  const std::vector<HistoryAccept>& accepts) {
  if (rows.empty()) throw InputError("nothing to record: the run has no rows");
  for (const Row& r : rows)
    if (!usable_file_name(r.run_id))
      throw InputError(fmt::format(
          "run_id '{}' is not usable as a file name (letters, digits, '-', '_', '.', '+')",
          r.run_id));
  std::vector<HistoryRun> runs = summarize_runs(rows, texts);
  if (runs.empty()) throw InputError("nothing to record: the run has no iteration rows");
  std::error_code ec;
  fs::create_directories(history, ec);
  if (ec || !fs::is_directory(history))
    throw InputError(fmt::format("{}: cannot create the history directory: {}",
                                 history.string(), ec.message()));
  for (const HistoryRun& run : runs)
    if (fs::exists(history / (run.run_id + ".csv")))
      throw InputError(fmt::format("{}: run {} is already recorded; history files are never "
                                   "rewritten", (history / (run.run_id + ".csv")).string(),
                                   run.run_id));
  std::vector<fs::path> written;
  for (HistoryRun& run : runs) {
    for (HistoryAccept a : accepts) {
      a.commit = run.machines.front().commit;
      run.accepts.push_back(std::move(a));
    }
    fs::path file = history / (run.run_id + ".csv");
    // Checked again, atomically: a concurrent record of the same run loses here.
    if (!write_file_new(file, format_history_run(run)))
      throw InputError(fmt::format("{}: run {} is already recorded; history files are never "
                                   "rewritten", file.string(), run.run_id));
    written.push_back(file);
  }
  return written;
}

HistoryAccept parse_accept(std::string_view text) {
  const std::size_t sep = text.find(": ");
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
  };
  if (sep == std::string_view::npos || trim(text.substr(0, sep)).empty() ||
      trim(text.substr(sep + 2)).empty() ||
      text.find_first_of("\n\r") != std::string_view::npos)
    throw InputError(fmt::format("--accept '{}': want 'PATTERN: REASON' (a series glob such as "
                                 "'x86_64/rcu-memb/*/reads_per_s', ': ', then why)", text));
  return {trim(text.substr(0, sep)), trim(text.substr(sep + 2)), ""};
}

bool accept_run(const fs::path& history, const std::string& run_id) {
  const fs::path recorded = history / (run_id + ".csv");
  if (!usable_file_name(run_id) || !fs::is_regular_file(recorded))
    throw InputError(fmt::format("{}: run '{}' is not recorded in this history (record it "
                                 "first)", history.string(), run_id));
  return write_file_new(history / (run_id + std::string(kAcceptedExtension)),
                        fmt::format("accepted run {}\n", run_id));
}

namespace {

struct RunInfo {
  long long time = LLONG_MIN;
  std::set<MachineKey> machines;
};

struct Selection {
  std::set<std::pair<std::string, MachineKey>> chosen;  // (run_id, machine)
  // Per chosen (run_id, machine): the patterns of later accepts that leave it out.
  std::map<std::pair<std::string, MachineKey>, std::vector<std::string>> left_out;

  bool keeps(const Row& r) const {
    const std::pair<std::string, MachineKey> at{r.run_id, machine_of(r)};
    if (!chosen.contains(at)) return false;
    auto it = left_out.find(at);
    if (it == left_out.end()) return true;
    const std::string name = series_name(r);
    return std::none_of(it->second.begin(), it->second.end(),
                        [&](const std::string& p) { return pattern_matches(p, name); });
  }
};

// For each machine of the current run, its last `last_n` runs from the latest accepted
// one on; a note per machine says how many comparable runs there were.
Selection select_runs(const std::map<std::string, RunInfo>& runs,
                      const std::set<MachineKey>& machines, int last_n,
                      std::vector<std::string>* notes, const std::vector<std::string>& accepted,
                      const std::vector<RunAccept>& pattern_accepts) {
  Selection sel;
  for (const MachineKey& m : machines) {
    std::vector<std::pair<long long, std::string>> candidates;
    std::size_t other_fingerprints = 0;
    for (const auto& [id, info] : runs) {
      if (info.machines.contains(m)) {
        candidates.emplace_back(info.time, id);
        continue;
      }
      for (const MachineKey& k : info.machines)
        if (k.arch == m.arch && k.exec == m.exec) {
          ++other_fingerprints;
          break;
        }
    }
    std::sort(candidates.begin(), candidates.end());
    std::map<std::string, std::size_t> position;
    for (std::size_t k = 0; k < candidates.size(); ++k) position[candidates[k].second] = k;
    const std::size_t comparable = candidates.size();
    // The latest accepted run of this machine starts the baseline.
    std::size_t first = 0;
    for (std::size_t k = 0; k < candidates.size(); ++k)
      if (std::find(accepted.begin(), accepted.end(), candidates[k].second) != accepted.end())
        first = k;
    if (first > 0) {
      if (notes)
        notes->push_back(fmt::format("{}: {} run(s) before the accepted run {} left out",
                                     describe(m), first, candidates[first].second));
      candidates.erase(candidates.begin(), candidates.begin() + static_cast<long>(first));
    }
    const std::size_t keep = std::min(candidates.size(), static_cast<std::size_t>(last_n));
    std::vector<std::string> ids;
    for (std::size_t k = candidates.size() - keep; k < candidates.size(); ++k) {
      sel.chosen.emplace(candidates[k].second, m);
      ids.push_back(candidates[k].second);
    }
    const std::string others =
        other_fingerprints == 0
            ? std::string()
            : fmt::format("; {} run(s) of {} ({}) on other machines not compared",
                          other_fingerprints, m.arch, m.exec);
    if (notes) {
      if (ids.empty())
        notes->push_back(fmt::format("{}: no earlier run of this machine in the history{}",
                                     describe(m), others));
      else
        notes->push_back(fmt::format("{}: {} comparable run(s) in the history; baseline from {} "
                                     "run(s): {}{}",
                                     describe(m), comparable, ids.size(), fmt::join(ids, ", "),
                                     others));
    }
    // Accepts by pattern: the runs before the accepting one leave the matching series.
    for (const RunAccept& a : pattern_accepts) {
      auto at = position.find(a.run_id);
      if (at == position.end()) continue;
      std::size_t left = 0;
      for (const std::string& id : ids)
        if (position[id] < at->second) {
          sel.left_out[{id, m}].push_back(a.accept.pattern);
          ++left;
        }
      if (notes && left > 0)
        notes->push_back(fmt::format(
            "{}: series matching '{}' start afresh at run {} (commit {}: {}); {} earlier run(s) "
            "left out for them",
            describe(m), a.accept.pattern, a.run_id, a.accept.commit, a.accept.reason, left));
    }
  }
  return sel;
}

void note_time(RunInfo& info, const std::string& date) {
  if (auto t = parse_iso8601(date); t && (info.time == LLONG_MIN || *t < info.time))
    info.time = *t;
}

// The run ids of the current run's rows, and the machines they ran on.
std::pair<std::set<std::string>, std::set<MachineKey>> runs_and_machines_of(
    const std::vector<Row>& current) {
  std::pair<std::set<std::string>, std::set<MachineKey>> out;
  for (const Row& r : current) {
    out.first.insert(r.run_id);
    out.second.insert(machine_of(r));
  }
  return out;
}

}  // namespace

std::vector<Row> baseline_from_history(const std::vector<Row>& history,
                                       const std::vector<Row>& current, int last_n,
                                       std::vector<std::string>* notes,
                                       const std::vector<std::string>& accepted,
                                       const std::vector<RunAccept>& pattern_accepts) {
  const auto [current_ids, machines] = runs_and_machines_of(current);
  // Each history run's time: its earliest parsable date (arches of one run start at
  // different times); runs without one sort first, by run_id.
  std::map<std::string, RunInfo> runs;
  for (const Row& r : history) {
    if (current_ids.contains(r.run_id)) continue;
    RunInfo& info = runs[r.run_id];
    note_time(info, r.date);
    info.machines.insert(machine_of(r));
  }
  const Selection sel = select_runs(runs, machines, last_n, notes, accepted, pattern_accepts);
  std::vector<Row> baseline;
  for (const Row& r : history)
    if (sel.keeps(r)) baseline.push_back(r);
  return baseline;
}

std::vector<Row> baseline_from_history_dir(const fs::path& dir, const std::vector<Row>& current,
                                           int last_n, std::vector<std::string>* notes,
                                           const std::set<std::string>& later) {
  const auto [current_ids, machines] = runs_and_machines_of(current);
  std::vector<HistoryRun> history = load_history_runs(dir, /*metadata_only=*/true);
  std::map<std::string, RunInfo> runs;
  std::vector<RunAccept> pattern_accepts;
  for (const HistoryRun& run : history) {
    if (current_ids.contains(run.run_id) || later.contains(run.run_id)) continue;
    RunInfo& info = runs[run.run_id];
    for (const RunMachine& m : run.machines) {
      note_time(info, m.date);
      Row key;  // machine_of() decides the key, the same as for full rows
      key.arch = m.arch, key.exec = m.exec, key.cpu_model = m.cpu_model;
      key.compiler = m.compiler, key.fingerprint = m.fingerprint;
      info.machines.insert(machine_of(key));
    }
    for (const HistoryAccept& a : run.accepts) pattern_accepts.push_back({run.run_id, a});
  }
  const Selection sel =
      select_runs(runs, machines, last_n, notes, accepted_runs(dir), pattern_accepts);
  std::set<std::string> wanted;
  for (const auto& [id, m] : sel.chosen) wanted.insert(id);
  std::vector<Row> baseline;
  for (HistoryRun& run : history) {
    if (!wanted.contains(run.run_id)) continue;
    load_series(run);
    for (Row& r : rows_of_run(run))
      if (sel.keeps(r)) baseline.push_back(std::move(r));
  }
  return baseline;
}

}  // namespace rcubench::report
