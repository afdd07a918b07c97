#include "report/csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <fmt/format.h>

#include "report/error.h"
#include "report/file_io.h"

namespace rcubench::report {

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_header() {
  std::string line;
  for (std::string_view column : kCsvColumns) {
    if (!line.empty()) line += ',';
    line += column;
  }
  return line + "\n";
}

std::string csv_line(const Row& r) {
  auto optional_count = [](const std::optional<long>& v) {
    return v ? std::to_string(*v) : std::string(kNotApplicable);
  };
  std::string line;
  for (std::string_view field :
       {std::string_view(r.run_id), std::string_view(r.date), std::string_view(r.commit),
        std::string_view(r.arch), std::string_view(r.exec), std::string_view(r.cpu_model),
        std::string_view(r.compiler), std::string_view(r.build_type),
        std::string_view(r.flavor), std::string_view(r.primitive),
        std::string_view(r.workload)}) {
    line += csv_field(field);
    line += ',';
  }
  // fmt's default format for a double is the shortest string that reads back exactly.
  auto optional_number = [](const std::optional<double>& v) {
    return v ? fmt::format("{}", *v) : std::string(kNotApplicable);
  };
  line += fmt::format("{},{},{},{},{},{},", r.readers, r.updaters, csv_field(r.params),
                      optional_number(r.updater_delay_us), optional_count(r.read_work),
                      optional_count(r.payload_bytes));
  line += fmt::format("{},{},{},{},{},{},{}\n", optional_count(r.repetition),
                      optional_count(r.process), csv_field(r.aggregate), csv_field(r.metric),
                      r.value, csv_field(r.unit), csv_field(r.fingerprint));
  return line;
}

std::string to_csv(const std::vector<Row>& rows) {
  std::string out = csv_header();
  for (const Row& row : rows) out += csv_line(row);
  return out;
}

std::vector<CsvRecord> split_csv(std::string_view text, const std::string& source) {
  std::vector<CsvRecord> records;
  std::size_t line = 1, i = 0;
  while (i < text.size()) {
    CsvRecord record{line, {}};
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        const std::size_t start_line = line;
        ++i;
        for (;;) {
          if (i >= text.size())
            throw InputError(fmt::format("{}:{}: unterminated quoted field", source, start_line));
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw InputError(
              fmt::format("{}:{}: text after a closing quote (a quote inside a field must be "
                          "doubled)", source, line));
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            throw InputError(fmt::format("{}:{}: quote inside an unquoted field", source, line));
          field += text[i++];
        }
      }
      record.fields.push_back(field);
      if (i >= text.size()) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // end of line: \n or \r\n
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        record_done = true;
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

namespace {

// The columns of a CSV from before the fingerprint (the last column), and of one from
// before the sweep columns too (updater_delay_us, read_work, payload_bytes follow params).
constexpr std::size_t kFirstSweepColumn = 14, kSweepColumns = 3;
static_assert(kCsvColumns[kFirstSweepColumn] == "updater_delay_us");
static_assert(kCsvColumns.back() == "fingerprint");
constexpr auto kCsvColumnsBeforeFingerprint = [] {
  std::array<std::string_view, kCsvColumns.size() - 1> columns{};
  for (std::size_t c = 0; c + 1 < kCsvColumns.size(); ++c) columns[c] = kCsvColumns[c];
  return columns;
}();
constexpr auto kCsvColumnsBeforeSweeps = [] {
  std::array<std::string_view, kCsvColumns.size() - 1 - kSweepColumns> columns{};
  for (std::size_t c = 0, out = 0; c + 1 < kCsvColumns.size(); ++c)
    if (c < kFirstSweepColumn || c >= kFirstSweepColumn + kSweepColumns)
      columns[out++] = kCsvColumns[c];
  return columns;
}();

long parse_count(const std::string& s, const std::string& where, std::string_view column) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw InputError(fmt::format("{}: {} '{}' is not a non-negative integer", where, column, s));
  return v;
}

}  // namespace

namespace {
bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}
}  // namespace

bool is_params_hash(std::string_view s) { return lower_hex(s, 8); }
bool is_fingerprint(std::string_view s) { return lower_hex(s, 12); }

std::vector<Row> parse_csv(std::string_view text, const std::string& source) {
  std::vector<CsvRecord> records = split_csv(text, source);
  if (records.empty()) throw InputError(fmt::format("{}: empty file, want a results CSV", source));
  {
    auto& header = records.front().fields;
    auto is_header = [&header](std::span<const std::string_view> columns) {
      return std::equal(header.begin(), header.end(), columns.begin(), columns.end());
    };
    // A CSV written before the sweep columns or the fingerprint existed (a history kept
    // over time) reads as one whose rows have none of them: told by its header.
    const bool before_sweeps = is_header(kCsvColumnsBeforeSweeps);
    if (before_sweeps || is_header(kCsvColumnsBeforeFingerprint)) {
      const std::size_t old_size = header.size();
      for (CsvRecord& rec : records) {
        if (rec.fields.size() != old_size) continue;
        if (before_sweeps)
          rec.fields.insert(rec.fields.begin() + kFirstSweepColumn, kSweepColumns,
                            std::string(kNotApplicable));
        rec.fields.emplace_back(kNotApplicable);
      }
      header.assign(kCsvColumns.begin(), kCsvColumns.end());
    }
    if (!is_header(kCsvColumns))
      throw InputError(fmt::format("{}:1: not a results CSV: the header must be '{}'", source,
                                   csv_header().substr(0, csv_header().size() - 1)));
  }
  std::vector<Row> rows;
  rows.reserve(records.size() - 1);
  for (std::size_t k = 1; k < records.size(); ++k) {
    const CsvRecord& rec = records[k];
    const std::string where = fmt::format("{}:{}", source, rec.line);
    const auto& f = rec.fields;
    if (f.size() == 1 && f[0].empty()) continue;  // a blank line
    if (f.size() != kCsvColumns.size())
      throw InputError(
          fmt::format("{}: {} fields, want {}", where, f.size(), kCsvColumns.size()));
    for (std::size_t c = 0; c < f.size(); ++c)
      if (f[c].empty())
        throw InputError(fmt::format("{}: empty {} (write '-' for not applicable)", where,
                                     kCsvColumns[c]));
    Row r;
    r.run_id = f[0], r.date = f[1], r.commit = f[2], r.arch = f[3], r.exec = f[4];
    r.cpu_model = f[5], r.compiler = f[6], r.build_type = f[7], r.flavor = f[8];
    r.primitive = f[9], r.workload = f[10];
    r.readers = parse_count(f[11], where, "readers");
    r.updaters = parse_count(f[12], where, "updaters");
    r.params = f[13];
    if (r.params != kNotApplicable && !is_params_hash(r.params))
      throw InputError(fmt::format("{}: params '{}' is not 8 lowercase hex digits or '-'", where,
                                   r.params));
    if (f[14] != kNotApplicable) {
      double delay = 0;
      auto [end, ec] = std::from_chars(f[14].data(), f[14].data() + f[14].size(), delay);
      if (ec != std::errc() || end != f[14].data() + f[14].size() || !std::isfinite(delay) ||
          delay < 0)
        throw InputError(fmt::format("{}: updater_delay_us '{}' is not a non-negative number",
                                     where, f[14]));
      r.updater_delay_us = delay;
    }
    if (f[15] != kNotApplicable) r.read_work = parse_count(f[15], where, "read_work");
    if (f[16] != kNotApplicable) r.payload_bytes = parse_count(f[16], where, "payload_bytes");
    if (f[17] != kNotApplicable) r.repetition = parse_count(f[17], where, "repetition");
    if (f[18] != kNotApplicable) r.process = parse_count(f[18], where, "process");
    r.aggregate = f[19], r.metric = f[20], r.unit = f[22];
    if (r.repetition.has_value() == (r.aggregate != kNotApplicable))
      throw InputError(fmt::format(
          "{}: exactly one of repetition and aggregate must be '-' (got '{}' and '{}')", where,
          f[17], f[19]));
    auto [end, ec] = std::from_chars(f[21].data(), f[21].data() + f[21].size(), r.value);
    if (ec != std::errc() || end != f[21].data() + f[21].size() || !std::isfinite(r.value))
      throw InputError(fmt::format("{}: value '{}' is not a finite number", where, f[21]));
    r.fingerprint = f[23];
    if (r.fingerprint != kNotApplicable && !is_fingerprint(r.fingerprint))
      throw InputError(fmt::format("{}: fingerprint '{}' is not 12 lowercase hex digits or '-'",
                                   where, f[23]));
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> read_csv(const std::filesystem::path& file) {
  return parse_csv(read_file(file), file.string());
}

}  // namespace rcubench::report
