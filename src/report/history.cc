#include "report/history.h"

#include <algorithm>
#include <climits>
#include <fmt/format.h>
#include <map>
#include <set>

#include "report/compare.h"
#include "report/error.h"
#include "report/file_io.h"

namespace rcubench::report {
namespace fs = std::filesystem;

MachineKey machine_of(const Row& r) {
  // Instruction counts do not depend on the host's CPU: any host's counts are comparable.
  const bool counted = r.exec == kInsnCountExec;
  return {r.arch, r.exec, counted ? std::string(kAnyCpu) : r.cpu_model, r.compiler};
}

std::string describe(const MachineKey& k) {
  return fmt::format("{} ({}), cpu '{}', {}", k.arch, k.exec, k.cpu_model, k.compiler);
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

std::vector<fs::path> record_runs(const fs::path& history, const std::vector<Row>& rows) {
  if (rows.empty()) throw InputError("nothing to record: the run has no rows");
  std::vector<std::string> order;  // run_ids in first-seen order
  std::map<std::string, std::string> content;
  for (const Row& r : rows) {
    auto [it, fresh] = content.try_emplace(r.run_id, csv_header());
    if (fresh) {
      if (!usable_file_name(r.run_id))
        throw InputError(fmt::format(
            "run_id '{}' is not usable as a file name (letters, digits, '-', '_', '.', '+')",
            r.run_id));
      order.push_back(r.run_id);
    }
    it->second += csv_line(r);
  }
  std::error_code ec;
  fs::create_directories(history, ec);
  if (ec || !fs::is_directory(history))
    throw InputError(fmt::format("{}: cannot create the history directory: {}",
                                 history.string(), ec.message()));
  for (const std::string& id : order)
    if (fs::exists(history / (id + ".csv")))
      throw InputError(fmt::format("{}: run {} is already recorded; history files are never "
                                   "rewritten", (history / (id + ".csv")).string(), id));
  std::vector<fs::path> written;
  for (const std::string& id : order) {
    fs::path file = history / (id + ".csv");
    // Checked again, atomically: a concurrent record of the same run loses here.
    if (!write_file_new(file, content[id]))
      throw InputError(fmt::format("{}: run {} is already recorded; history files are never "
                                   "rewritten", file.string(), id));
    written.push_back(file);
  }
  return written;
}

bool accept_run(const fs::path& history, const std::string& run_id) {
  const fs::path recorded = history / (run_id + ".csv");
  if (!usable_file_name(run_id) || !fs::is_regular_file(recorded))
    throw InputError(fmt::format("{}: run '{}' is not recorded in this history (record it "
                                 "first)", history.string(), run_id));
  return write_file_new(history / (run_id + std::string(kAcceptedExtension)),
                        fmt::format("accepted run {}\n", run_id));
}

std::vector<Row> baseline_from_history(const std::vector<Row>& history,
                                       const std::vector<Row>& current, int last_n,
                                       std::vector<std::string>* notes,
                                       const std::vector<std::string>& accepted) {
  std::set<std::string> current_ids;
  std::set<MachineKey> machines;
  for (const Row& r : current) {
    current_ids.insert(r.run_id);
    machines.insert(machine_of(r));
  }
  // Each history run's time: its earliest parsable date (arches of one run start at
  // different times); runs without one sort first, by run_id.
  struct RunInfo {
    long long time = LLONG_MIN;
    std::set<MachineKey> machines;
  };
  std::map<std::string, RunInfo> runs;
  for (const Row& r : history) {
    if (current_ids.contains(r.run_id)) continue;
    RunInfo& info = runs[r.run_id];
    if (auto t = parse_iso8601(r.date); t && (info.time == LLONG_MIN || *t < info.time))
      info.time = *t;
    info.machines.insert(machine_of(r));
  }
  std::set<std::pair<std::string, MachineKey>> chosen;  // (run_id, machine)
  for (const MachineKey& m : machines) {
    std::vector<std::pair<long long, std::string>> candidates;
    for (const auto& [id, info] : runs)
      if (info.machines.contains(m)) candidates.emplace_back(info.time, id);
    std::sort(candidates.begin(), candidates.end());
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
      chosen.emplace(candidates[k].second, m);
      ids.push_back(candidates[k].second);
    }
    if (notes) {
      if (ids.empty())
        notes->push_back(fmt::format("{}: no earlier run of this machine in the history",
                                     describe(m)));
      else
        notes->push_back(fmt::format("{}: baseline from {} run(s): {}", describe(m), ids.size(),
                                     fmt::join(ids, ", ")));
    }
  }
  std::vector<Row> baseline;
  for (const Row& r : history)
    if (chosen.contains({r.run_id, machine_of(r)})) baseline.push_back(r);
  return baseline;
}

}  // namespace rcubench::report
