#include "report/memory_series.h"

#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

#include "contract/run_name.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"

namespace rcubench::report {

std::vector<MemoryTrace> parse_memory_series(std::string_view text, const std::string& source) {
  const std::size_t eol = text.find('\n');
  const std::string_view magic = text.substr(0, eol);
  const bool v1 = magic == contract::kMemorySeriesMagicV1;
  if (magic != contract::kMemorySeriesMagic && !v1)
    throw InputError(fmt::format("{}:1: want '{}' (an rcubench --memory-series file)", source,
                                 contract::kMemorySeriesMagic));
  const std::string_view want_header =
      v1 ? contract::kMemorySeriesHeaderV1 : contract::kMemorySeriesHeader;
  const std::size_t columns = v1 ? 8 : 11;
  const std::string_view body = eol == std::string_view::npos ? "" : text.substr(eol + 1);
  std::vector<CsvRecord> records = split_csv(body, source);
  if (records.empty() || records[0].fields.empty())
    throw InputError(fmt::format("{}:2: want the header '{}'", source, want_header));
  std::string header;
  for (const std::string& f : records[0].fields) header += (header.empty() ? "" : ",") + f;
  if (header != want_header)
    throw InputError(fmt::format("{}:2: header '{}', want '{}'", source, header, want_header));
  std::vector<MemoryTrace> traces;
  // (process, run name) -> its trace's index.
  std::map<std::pair<std::optional<long>, std::string>, std::size_t> index;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& rec = records[i];
    const std::string where = fmt::format("{}:{}", source, rec.line + 1);
    const std::vector<std::string>& f = rec.fields;
    if (f.size() == 1 && f[0].empty()) continue;
    if (f.size() != columns)
      throw InputError(fmt::format("{}: {} fields, want {}", where, f.size(), columns));
    if (f[0].empty() || f[1].empty())
      throw InputError(fmt::format("{}: arch and exec must not be empty", where));
    std::optional<long> process;
    if (f[2] != kNotApplicable) {
      process = contract::parse_count(f[2]);
      if (!process)
        throw InputError(fmt::format("{}: process '{}' is not a non-negative integer or '-'",
                                     where, f[2]));
    }
    const std::optional<contract::RunName> name = contract::parse_run_name(f[3]);
    if (!name || !name->stall_us)
      throw InputError(
          fmt::format("{}: run_name '{}' is not a stalls run's name (no /stall_us:)", where, f[3]));
    const std::optional<long> bytes = contract::parse_count(f[4]);
    if (!bytes || *bytes == 0)
      throw InputError(fmt::format("{}: object_bytes '{}' is not a positive integer", where, f[4]));
    double t = 0;
    auto [tend, tec] = std::from_chars(f[5].data(), f[5].data() + f[5].size(), t);
    if (tec != std::errc() || tend != f[5].data() + f[5].size() || !std::isfinite(t) || t < 0)
      throw InputError(fmt::format("{}: t_s '{}' is not a non-negative number", where, f[5]));
    long objects = 0;
    auto [oend, oec] = std::from_chars(f[6].data(), f[6].data() + f[6].size(), objects);
    if (oec != std::errc() || oend != f[6].data() + f[6].size())
      throw InputError(fmt::format("{}: objects '{}' is not an integer", where, f[6]));
    if (f[7] != "0" && f[7] != "1")
      throw InputError(fmt::format("{}: stalled '{}' is not 0 or 1", where, f[7]));
    MemoryTrace::Sample sample{t, objects, f[7] == "1", {}, {}, {}};
    if (!v1) {
      auto count = [&](const std::string& field, const char* what) {
        const std::optional<long> n = contract::parse_count(field);
        if (!n)
          throw InputError(
              fmt::format("{}: {} '{}' is not a non-negative integer", where, what, field));
        return static_cast<std::uint64_t>(*n);
      };
      sample.updates = count(f[8], "updates");
      sample.reads = count(f[9], "reads");
      if (!f[10].empty()) {
        double ns = 0;
        auto [nend, nec] = std::from_chars(f[10].data(), f[10].data() + f[10].size(), ns);
        if (nec != std::errc() || nend != f[10].data() + f[10].size() || !std::isfinite(ns) ||
            ns <= 0)
          throw InputError(fmt::format(
              "{}: read_worst_ns '{}' is not a positive number or empty", where, f[10]));
        sample.read_worst_ns = ns;
      }
    }

    auto [it, added] = index.try_emplace({process, f[3]}, traces.size());
    if (added) {
      MemoryTrace trace;
      trace.arch = f[0], trace.exec = f[1], trace.run_name = f[3];
      trace.workload = name->workload, trace.primitive = name->primitive;
      trace.readers = name->readers, trace.updaters = name->updaters;
      trace.process = process;
      trace.stall_us = *name->stall_us;
      trace.object_bytes = static_cast<std::size_t>(*bytes);
      traces.push_back(std::move(trace));
    }
    MemoryTrace& trace = traces[it->second];
    if (std::tie(trace.arch, trace.exec) != std::tie(f[0], f[1]) ||
        trace.object_bytes != static_cast<std::size_t>(*bytes))
      throw InputError(fmt::format("{}: {} changes its arch, exec or object_bytes", where, f[3]));
    if (!trace.samples.empty() && t < trace.samples.back().t_s)
      throw InputError(fmt::format("{}: t_s {} goes back in time in {}", where, f[5], f[3]));
    if (!trace.samples.empty() && sample.updates &&
        (*sample.updates < *trace.samples.back().updates ||
         *sample.reads < *trace.samples.back().reads))
      throw InputError(fmt::format("{}: updates or reads go back in {}", where, f[3]));
    trace.samples.push_back(sample);
  }
  return traces;
}

std::vector<MemoryTrace> read_memory_series(const std::filesystem::path& file) {
  return parse_memory_series(read_file(file), file.string());
}

}  // namespace rcubench::report
