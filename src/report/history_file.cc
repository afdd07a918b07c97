#include "report/history_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fnmatch.h>
#include <fstream>
#include <tuple>

#include "report/compare.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/history.h"
#include "report/mann_whitney.h"
#include "report/metrics.h"
#include "report/samples.h"

namespace rcubench::report {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMachinesMark = "# machines", kAcceptsMark = "# accepts",
                           kSeriesMark = "# series";
constexpr std::string_view kMachinesHeader =
    "run_id,date,commit,arch,exec,cpu_model,compiler,build_type,fingerprint,kernel,runner,deps";
constexpr std::string_view kAcceptsHeader = "pattern,reason,commit";
// The series' columns; files written before stalls runs lack `stall_us` and are still read.
constexpr std::string_view kSeriesHeader =
    "arch,exec,workload,primitive,readers,updaters,params,updater_delay_us,read_work,"
    "payload_bytes,stall_us,metric,unit,n,median,min,max,values";
constexpr std::string_view kSeriesHeaderNoStall =
    "arch,exec,workload,primitive,readers,updaters,params,updater_delay_us,read_work,"
    "payload_bytes,metric,unit,n,median,min,max,values";
constexpr std::size_t kMachineFields = 12, kAcceptFields = 3, kSeriesFields = 18;

std::string dash_if_empty(const std::string& s) {
  return s.empty() ? std::string(kNotApplicable) : s;
}

using SeriesId = std::tuple<std::string, std::string, std::string, std::string, long, long,
                            std::string, std::string>;  // arch exec workload primitive r u params metric

}  // namespace

std::vector<HistoryRun> summarize_runs(const std::vector<Row>& rows,
                                       const std::map<MachineSlot, MachineText>& texts) {
  struct Building {
    std::map<MachineSlot, RunMachine> machines;
    std::map<SeriesId, std::pair<const Row*, ProcessSamples>> series;
  };
  std::vector<std::string> order;
  std::map<std::string, Building> runs;
  for (const Row& r : rows) {
    if (!r.is_iteration()) continue;
    auto [it, fresh] = runs.try_emplace(r.run_id);
    if (fresh) order.push_back(r.run_id);
    Building& b = it->second;
    auto [m, new_machine] = b.machines.try_emplace(MachineSlot{r.arch, r.exec});
    RunMachine& machine = m->second;
    if (new_machine) {
      machine = {r.run_id, r.date,     r.commit,     r.arch,       r.exec,
                 r.cpu_model, r.compiler, r.build_type, r.fingerprint};
      if (auto t = texts.find(m->first); t != texts.end()) {
        machine.kernel = dash_if_empty(t->second.kernel);
        machine.runner = dash_if_empty(t->second.runner);
        machine.deps = dash_if_empty(t->second.deps);
      }
    } else {
      for (auto [mine, theirs, what] :
           {std::tuple{&machine.commit, &r.commit, "commit"},
            std::tuple{&machine.cpu_model, &r.cpu_model, "cpu_model"},
            std::tuple{&machine.compiler, &r.compiler, "compiler"},
            std::tuple{&machine.build_type, &r.build_type, "build_type"},
            std::tuple{&machine.fingerprint, &r.fingerprint, "fingerprint"}})
        if (*mine != *theirs)
          throw InputError(fmt::format(
              "run {}: the rows of {} ({}) differ in {} ('{}', '{}'): not one machine's run",
              r.run_id, r.arch, r.exec, what, *mine, *theirs));
      // The arch's start: its earliest date (processes start one after another).
      auto t = parse_iso8601(r.date), mine = parse_iso8601(machine.date);
      if (t && (!mine || *t < *mine)) machine.date = r.date;
    }
    auto& [first, samples] = b.series[SeriesId{r.arch, r.exec, r.workload, r.primitive,
                                               r.readers, r.updaters, r.params, r.metric}];
    if (!first) first = &r;
    samples.add(r);
  }
  std::vector<HistoryRun> out;
  for (const std::string& id : order) {
    Building& b = runs[id];
    HistoryRun run;
    run.run_id = id;
    for (auto& [slot, m] : b.machines) run.machines.push_back(std::move(m));
    for (const auto& [key, entry] : b.series) {
      const Row& r = *entry.first;
      SeriesSummary s{r.arch,   r.exec,   r.workload, r.primitive, r.readers,
                      r.updaters, r.params, r.metric,   r.unit};
      s.updater_delay_us = r.updater_delay_us;
      s.read_work = r.read_work;
      s.payload_bytes = r.payload_bytes;
      s.stall_us = r.stall_us;
      // The gate's samples (compare.cc): repetitions for a counting run's series (its exact
      // counts, and the two-reader instructions that say whether its shared-line writes
      // are exact), process medians else.
      const bool counted = r.exec == contract::kExecInsnCount;
      std::vector<double> v = counted ? entry.second.repetitions() : entry.second.values();
      s.n = v.size();
      s.median = median(v);
      auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      s.min = *lo;
      s.max = *hi;
      if (counted && s.min != s.max) s.values = std::move(v);
      run.series.push_back(std::move(s));
    }
    out.push_back(std::move(run));
  }
  return out;
}

std::string format_history_run(const HistoryRun& run) {
  std::string out = fmt::format("{}\n{}\n{}\n", kHistoryMagic, kMachinesMark, kMachinesHeader);
  for (const RunMachine& m : run.machines) {
    bool first = true;
    for (const std::string* f : {&m.run_id, &m.date, &m.commit, &m.arch, &m.exec, &m.cpu_model,
                                 &m.compiler, &m.build_type, &m.fingerprint, &m.kernel, &m.runner,
                                 &m.deps}) {
      if (!first) out += ',';
      first = false;
      out += csv_field(dash_if_empty(*f));
    }
    out += '\n';
  }
  out += fmt::format("{}\n{}\n", kAcceptsMark, kAcceptsHeader);
  for (const HistoryAccept& a : run.accepts)
    out += fmt::format("{},{},{}\n", csv_field(a.pattern), csv_field(a.reason),
                       csv_field(dash_if_empty(a.commit)));
  out += fmt::format("{}\n{}\n", kSeriesMark, kSeriesHeader);
  auto opt = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string(kNotApplicable); };
  for (const SeriesSummary& s : run.series) {
    // fmt's "{}" of a double is the shortest text that reads back exactly.
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},", csv_field(s.arch),
                       csv_field(s.exec), csv_field(s.workload), csv_field(s.primitive),
                       s.readers, s.updaters, csv_field(s.params), opt(s.updater_delay_us),
                       opt(s.read_work), opt(s.payload_bytes), opt(s.stall_us),
                       csv_field(s.metric), csv_field(s.unit), s.n, s.median, s.min, s.max);
    if (s.values.empty())
      out += kNotApplicable;
    else
      out += fmt::format("{}", fmt::join(s.values, ";"));
    out += '\n';
  }
  return out;
}

namespace {

// A compact file's lines, split into fields: a line without quotes by its commas (the
// series, nearly every line: fast), one with them as RFC 4180 says.
class LineReader {
 public:
  LineReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  bool next() {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line_ = text_.substr(pos_, end - pos_);
    if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  std::string_view line() const { return line_; }
  std::string where() const { return fmt::format("{}:{}", source_, number_); }

  // The current line's fields; views into the text, or into `storage_` when quoted.
  const std::vector<std::string_view>& fields() {
    fields_.clear();
    if (line_.find('"') == std::string_view::npos) {
      for (std::size_t start = 0;;) {
        std::size_t comma = line_.find(',', start);
        fields_.push_back(line_.substr(start, comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      return fields_;
    }
    std::vector<CsvRecord> records = split_csv(line_, where());
    storage_ = records.empty() ? std::vector<std::string>{} : std::move(records.front().fields);
    for (const std::string& f : storage_) fields_.push_back(f);
    return fields_;
  }

 private:
  std::string_view text_, line_;
  std::string source_;
  std::size_t pos_ = 0, number_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<std::string> storage_;
};

double number(std::string_view s, const LineReader& in, std::string_view what) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    throw InputError(fmt::format("{}: {} '{}' is not a finite number", in.where(), what, s));
  return v;
}

long count(std::string_view s, const LineReader& in, std::string_view what) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw InputError(fmt::format("{}: {} '{}' is not a non-negative integer", in.where(), what, s));
  return v;
}

void expect_line(LineReader& in, std::string_view want) {
  if (!in.next() || in.line() != want)
    throw InputError(fmt::format("{}: want '{}' (a compact history file, {})", in.where(), want,
                                 kHistoryMagic.substr(2)));
}

void check_fields(const LineReader& in, std::size_t have, std::size_t want) {
  if (have != want)
    throw InputError(fmt::format("{}: {} fields, want {}", in.where(), have, want));
}

// Reads the series section from the line after its header to the end; `with_stall`: the
// header has the stall_us column.
void read_series(LineReader& in, HistoryRun& run, bool with_stall) {
  while (in.next()) {
    if (in.line().empty()) continue;
    std::vector<std::string_view> f = in.fields();
    check_fields(in, f.size(), with_stall ? kSeriesFields : kSeriesFields - 1);
    std::optional<std::string_view> stall;
    if (with_stall) {
      stall = f[10];
      f.erase(f.begin() + 10);
    }
    SeriesSummary s;
    s.arch = f[0], s.exec = f[1], s.workload = f[2], s.primitive = f[3];
    s.readers = count(f[4], in, "readers");
    s.updaters = count(f[5], in, "updaters");
    s.params = f[6];
    if (f[7] != kNotApplicable) s.updater_delay_us = number(f[7], in, "updater_delay_us");
    if (f[8] != kNotApplicable) s.read_work = count(f[8], in, "read_work");
    if (f[9] != kNotApplicable) s.payload_bytes = count(f[9], in, "payload_bytes");
    if (stall && *stall != kNotApplicable) {
      s.stall_us = number(*stall, in, "stall_us");
      if (*s.stall_us < 0)
        throw InputError(fmt::format("{}: stall_us '{}' is negative", in.where(), *stall));
    }
    s.metric = f[10], s.unit = f[11];
    s.n = static_cast<std::size_t>(count(f[12], in, "n"));
    if (s.n == 0) throw InputError(fmt::format("{}: n is 0", in.where()));
    s.median = number(f[13], in, "median");
    s.min = number(f[14], in, "min");
    s.max = number(f[15], in, "max");
    if (f[16] != kNotApplicable) {
      for (std::size_t start = 0;;) {
        std::size_t semi = f[16].find(';', start);
        s.values.push_back(number(f[16].substr(start, semi - start), in, "value"));
        if (semi == std::string_view::npos) break;
        start = semi + 1;
      }
      if (s.values.size() != s.n)
        throw InputError(fmt::format("{}: {} values, but n is {}", in.where(), s.values.size(), s.n));
    }
    run.series.push_back(std::move(s));
  }
}

// Parses a compact file's text up to its series (metadata_only) or to its end.
HistoryRun parse_compact(std::string_view text, const fs::path& file, bool metadata_only) {
  LineReader in(text, file.string());
  HistoryRun run;
  run.file = file;
  expect_line(in, kHistoryMagic);
  expect_line(in, kMachinesMark);
  expect_line(in, kMachinesHeader);
  bool series_next = false, with_stall = true;
  enum { machines, accepts } section = machines;
  while (in.next()) {
    if (in.line() == kAcceptsMark) {
      expect_line(in, kAcceptsHeader);
      section = accepts;
      continue;
    }
    if (in.line() == kSeriesMark) {
      if (!in.next() || (in.line() != kSeriesHeader && in.line() != kSeriesHeaderNoStall))
        throw InputError(fmt::format("{}: want '{}' (a compact history file, {})", in.where(),
                                     kSeriesHeader, kHistoryMagic.substr(2)));
      with_stall = in.line() == kSeriesHeader;
      series_next = true;
      break;
    }
    if (in.line().empty()) continue;
    const auto& f = in.fields();
    if (section == machines) {
      check_fields(in, f.size(), kMachineFields);
      RunMachine m{std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3]),
                   std::string(f[4]), std::string(f[5]), std::string(f[6]), std::string(f[7]),
                   std::string(f[8]), std::string(f[9]), std::string(f[10]), std::string(f[11])};
      if (!run.run_id.empty() && m.run_id != run.run_id)
        throw InputError(fmt::format("{}: run_id '{}', want '{}': one run per file", in.where(),
                                     m.run_id, run.run_id));
      run.run_id = m.run_id;
      run.machines.push_back(std::move(m));
    } else {
      check_fields(in, f.size(), kAcceptFields);
      run.accepts.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
    }
  }
  if (run.machines.empty() || !series_next)
    throw InputError(fmt::format("{}: a compact history file needs its machines and a '{}' "
                                 "section", file.string(), kSeriesMark));
  run.series_loaded = !metadata_only;
  if (!metadata_only) read_series(in, run, with_stall);
  return run;
}

// The metadata part of a compact file: its lines up to the series header.
std::string read_head(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read", file.string()));
  std::string head, line;
  while (std::getline(in, line)) {
    head += line;
    head += '\n';
    if (line == kSeriesMark) {
      if (std::getline(in, line)) head += line + '\n';
      break;
    }
  }
  return head;
}

}  // namespace

std::vector<HistoryRun> read_history_file(const fs::path& file, bool metadata_only) {
  if (metadata_only) {
    std::string head = read_head(file);
    if (head.starts_with(kHistoryMagic)) return {parse_compact(head, file, true)};
  }
  const std::string text = read_file(file);
  if (text.starts_with(kHistoryMagic)) return {parse_compact(text, file, metadata_only)};
  // A whole results CSV, as `record` wrote them before the compact format.
  std::vector<HistoryRun> runs = summarize_runs(parse_csv(text, file.string()));
  for (HistoryRun& r : runs) r.file = file;
  return runs;
}

void load_series(HistoryRun& run) {
  if (run.series_loaded) return;
  HistoryRun full = parse_compact(read_file(run.file), run.file, false);
  run.series = std::move(full.series);
  run.series_loaded = true;
}

RunMachines::RunMachines(const HistoryRun& run) : run_(run) {
  for (const RunMachine& m : run.machines) by_slot_[{m.arch, m.exec}] = &m;
}

const RunMachine& RunMachines::of(const SeriesSummary& s) const {
  auto m = by_slot_.find(MachineSlot{s.arch, s.exec});
  if (m == by_slot_.end())
    throw InputError(fmt::format("{}: series of {} ({}) without its machine line",
                                 run_.file.string(), s.arch, s.exec));
  return *m->second;
}

std::vector<Row> rows_of_run(const HistoryRun& run) {
  const RunMachines machines(run);
  std::vector<Row> rows;
  rows.reserve(run.series.size());
  for (const SeriesSummary& s : run.series) {
    const RunMachine& machine = machines.of(s);
    Row r;
    r.run_id = run.run_id;
    r.date = machine.date, r.commit = machine.commit, r.arch = s.arch, r.exec = s.exec;
    r.cpu_model = machine.cpu_model, r.compiler = machine.compiler;
    r.build_type = machine.build_type, r.fingerprint = machine.fingerprint;
    r.flavor = std::string(kNotApplicable);  // the compact history keeps no primitive columns
    r.primitive = s.primitive, r.workload = s.workload;
    r.readers = s.readers, r.updaters = s.updaters, r.params = s.params;
    r.updater_delay_us = s.updater_delay_us, r.read_work = s.read_work;
    r.payload_bytes = s.payload_bytes;
    r.stall_us = s.stall_us;
    r.metric = s.metric, r.unit = s.unit;
    r.repetition = 0;
    if (s.exec != contract::kExecInsnCount) {
      r.value = s.median;
      rows.push_back(std::move(r));
      continue;
    }
    // Counts whose repetitions agree were stored as their one value.
    for (std::size_t k = 0; k < s.n; ++k) {
      Row c = r;
      c.repetition = static_cast<long>(k);
      c.value = s.values.empty() ? s.median : s.values[k];
      rows.push_back(std::move(c));
    }
  }
  return rows;
}

std::string series_name(std::string_view arch, std::string_view primitive,
                        std::string_view workload, std::string_view metric) {
  return fmt::format("{}/{}/{}/{}", arch, primitive, workload, metric);
}

bool pattern_matches(const std::string& pattern, const std::string& name) {
  // No FNM_PATHNAME: `*` crosses `/`, as in bash's [[ name == pattern ]].
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

}  // namespace rcubench::report
