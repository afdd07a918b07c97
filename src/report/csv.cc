#include "report/csv.h"

#include "contract/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <stdexcept>
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
  line += fmt::format("{},{},{},{},{},{},{},", r.readers, r.updaters, csv_field(r.params),
                      optional_number(r.updater_delay_us), optional_count(r.read_work),
                      optional_count(r.payload_bytes), optional_number(r.stall_us));
  line += fmt::format("{},{},{},{},{},{},{},", optional_count(r.repetition),
                      optional_count(r.process), csv_field(r.aggregate), csv_field(r.metric),
                      r.value, csv_field(r.unit), csv_field(r.fingerprint));
  if (r.meta) {
    line += fmt::format("{},{},{},{},{},{},", contract::family_name(r.meta->family),
                        csv_field(r.meta->raw), r.meta->headline ? "yes" : "no",
                        csv_field(r.meta->label), r.meta->rank, contract::role_name(r.meta->role));
  } else {
    line += fmt::format("{0},{0},{0},{0},{0},{0},", kNotApplicable);
  }
  return line + optional_count(r.schema) + "\n";
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

long parse_count(const std::string& s, const std::string& where, std::string_view column) {
  const std::optional<long> v = contract::parse_count(s);
  if (!v)
    throw InputError(fmt::format("{}: {} '{}' is not a non-negative integer", where, column, s));
  return *v;
}

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// Where each of kCsvColumns is in a file with this header; kNoColumn for an optional column
// the file lacks. Throws for a missing required column, an unknown or a repeated one.
std::array<std::size_t, kCsvColumns.size()> column_positions(const std::vector<std::string>& header,
                                                              const std::string& source) {
  std::array<std::size_t, kCsvColumns.size()> at;
  at.fill(kNoColumn);
  auto fail = [&](const std::string& what) {
    throw InputError(fmt::format("{}:1: not a results CSV: {} (want the header '{}')", source,
                                 what, csv_header().substr(0, csv_header().size() - 1)));
  };
  for (std::size_t h = 0; h < header.size(); ++h) {
    auto known = std::find(kCsvColumns.begin(), kCsvColumns.end(), header[h]);
    if (known == kCsvColumns.end()) fail(fmt::format("unknown column '{}'", header[h]));
    std::size_t& slot = at[known - kCsvColumns.begin()];
    if (slot != kNoColumn) fail(fmt::format("column '{}' appears twice", header[h]));
    slot = h;
  }
  for (std::size_t c = 0; c < kCsvColumns.size(); ++c)
    if (at[c] == kNoColumn &&
        std::find(kOptionalCsvColumns.begin(), kOptionalCsvColumns.end(), kCsvColumns[c]) ==
            kOptionalCsvColumns.end())
      fail(fmt::format("no column '{}'", kCsvColumns[c]));
  // What a primitive is takes all of its columns, or none (a file from before them).
  std::size_t present = 0;
  for (std::string_view column : kPrimitiveCsvColumns)
    present += at[std::find(kCsvColumns.begin(), kCsvColumns.end(), column) - kCsvColumns.begin()] !=
               kNoColumn;
  if (present != 0 && present != std::size(kPrimitiveCsvColumns))
    for (std::string_view column : kPrimitiveCsvColumns)
      if (at[std::find(kCsvColumns.begin(), kCsvColumns.end(), column) - kCsvColumns.begin()] ==
          kNoColumn)
        fail(fmt::format("no column '{}' (the primitive columns come all together or not at all)",
                         column));
  return at;
}

}  // namespace

bool is_fingerprint(std::string_view s) { return lower_hex(s, 12); }

void check_schema(long version, std::string_view where) {
  if (version < 1 || version > contract::kSchemaVersion)
    throw InputError(fmt::format("{}: results contract version {}: this report reads versions 1 "
                                 "to {} (a newer rcubench wrote it: rebuild the report tool)",
                                 where, version, contract::kSchemaVersion));
}

std::vector<Row> parse_csv(std::string_view text, const std::string& source) {
  std::vector<CsvRecord> records = split_csv(text, source);
  if (records.empty()) throw InputError(fmt::format("{}: empty file, want a results CSV", source));
  const auto at = column_positions(records.front().fields, source);
  const std::size_t width = records.front().fields.size();
  std::vector<Row> rows;
  rows.reserve(records.size() - 1);
  for (std::size_t k = 1; k < records.size(); ++k) {
    const CsvRecord& rec = records[k];
    const std::string where = fmt::format("{}:{}", source, rec.line);
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // a blank line
    if (rec.fields.size() != width)
      throw InputError(fmt::format("{}: {} fields, want {}", where, rec.fields.size(), width));
    for (std::size_t c = 0; c < rec.fields.size(); ++c)
      if (rec.fields[c].empty())
        throw InputError(fmt::format("{}: empty {} (write '-' for not applicable)", where,
                                     records.front().fields[c]));
    // The field of a column by name; "-" where the file has no such column.
    const std::string not_applicable(kNotApplicable);
    auto field = [&](std::string_view column) -> const std::string& {
      const std::size_t c =
          std::find(kCsvColumns.begin(), kCsvColumns.end(), column) - kCsvColumns.begin();
      return at[c] == kNoColumn ? not_applicable : rec.fields[at[c]];
    };
    auto optional_count = [&](std::string_view column) -> std::optional<long> {
      const std::string& f = field(column);
      if (f == kNotApplicable) return std::nullopt;
      return parse_count(f, where, column);
    };
    Row r;
    r.run_id = field("run_id"), r.date = field("date"), r.commit = field("commit");
    r.arch = field("arch"), r.exec = field("exec"), r.cpu_model = field("cpu_model");
    r.compiler = field("compiler"), r.build_type = field("build_type");
    r.flavor = field("flavor"), r.primitive = field("primitive"), r.workload = field("workload");
    r.readers = parse_count(field("readers"), where, "readers");
    r.updaters = parse_count(field("updaters"), where, "updaters");
    r.params = field("params");
    if (r.params != kNotApplicable && !is_params_hash(r.params))
      throw InputError(fmt::format("{}: params '{}' is not 8 lowercase hex digits or '-'", where,
                                   r.params));
    auto optional_us = [&](const char* column) -> std::optional<double> {
      const std::string& d = field(column);
      if (d == kNotApplicable) return std::nullopt;
      double us = 0;
      auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), us);
      if (ec != std::errc() || end != d.data() + d.size() || !std::isfinite(us) || us < 0)
        throw InputError(
            fmt::format("{}: {} '{}' is not a non-negative number", where, column, d));
      return us;
    };
    r.updater_delay_us = optional_us("updater_delay_us");
    r.stall_us = optional_us("stall_us");
    r.read_work = optional_count("read_work");
    r.payload_bytes = optional_count("payload_bytes");
    r.repetition = optional_count("repetition");
    r.process = optional_count("process");
    r.aggregate = field("aggregate"), r.metric = field("metric"), r.unit = field("unit");
    if (r.repetition.has_value() == (r.aggregate != kNotApplicable))
      throw InputError(fmt::format(
          "{}: exactly one of repetition and aggregate must be '-' (got '{}' and '{}')", where,
          field("repetition"), r.aggregate));
    const std::string& value = field("value");
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), r.value);
    if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(r.value))
      throw InputError(fmt::format("{}: value '{}' is not a finite number", where, value));
    r.fingerprint = field("fingerprint");
    if (r.fingerprint != kNotApplicable && !is_fingerprint(r.fingerprint))
      throw InputError(fmt::format("{}: fingerprint '{}' is not 12 lowercase hex digits or '-'",
                                   where, r.fingerprint));
    r.schema = optional_count("schema");
    if (r.schema) check_schema(*r.schema, where);
    if (field("family") == kNotApplicable) {
      for (std::string_view column : kPrimitiveCsvColumns)
        if (field(column) != kNotApplicable)
          throw InputError(fmt::format("{}: family '-' but {} '{}' (an undescribed primitive has "
                                       "'-' in every primitive column)",
                                       where, column, field(column)));
    } else {
      const std::string& family = field("family");
      contract::PrimitiveMeta m;
      m.name = r.primitive, m.flavor = r.flavor;
      const auto parsed = contract::parse_family(family);
      if (!parsed) throw InputError(fmt::format("{}: unknown family '{}'", where, family));
      m.family = *parsed;
      m.raw = field("raw"), m.label = field("label");
      const std::string& headline = field("headline");
      if (headline != "yes" && headline != "no")
        throw InputError(fmt::format("{}: headline '{}' is not yes or no", where, headline));
      m.headline = headline == "yes";
      m.rank = parse_count(field("family_rank"), where, "family_rank");
      const auto role = contract::parse_role(field("role"));
      if (!role) throw InputError(fmt::format("{}: unknown role '{}'", where, field("role")));
      m.role = *role;
      try {
        (void)contract::encode_primitive(m);  // the contract's rules on every field
      } catch (const std::invalid_argument& e) {
        throw InputError(fmt::format("{}: {}", where, e.what()));
      }
      r.meta = std::move(m);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> read_csv(const std::filesystem::path& file) {
  return parse_csv(read_file(file), file.string());
}

}  // namespace rcubench::report
