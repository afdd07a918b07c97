#include "report/bench_json.h"

#include "contract/context_keys.h"
#include "contract/metrics.h"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <stdexcept>

#include "report/compare.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/fingerprint.h"
#include "report/metrics.h"

namespace rcubench::report {
namespace {

using nlohmann::json;

// Google Benchmark's own numeric keys: bookkeeping, not measurements.
const std::set<std::string, std::less<>> kBookkeepingKeys = {
    "iterations", "repetitions", "repetition_index", "threads", "family_index",
    "per_family_instance_index"};

// The context keys every row carries, and where they go.
struct ContextKey {
  std::string_view key;
  std::string Row::*field;
};
const ContextKey kContextKeys[] = {
    {contract::kRunIdKey, &Row::run_id},       {"date", &Row::date},  // Google Benchmark's
    {contract::kCommitKey, &Row::commit},      {contract::kArchKey, &Row::arch},
    {contract::kExecKey, &Row::exec},          {contract::kCpuModelKey, &Row::cpu_model},
    {contract::kCompilerKey, &Row::compiler}, {contract::kBuildTypeKey, &Row::build_type},
};

// The optional context keys of the fingerprint; empty where absent (an older rcubench).
MachineText machine_text_of(const json& context, const Row& base) {
  auto optional_string = [&](std::string_view key) {
    auto it = context.find(key);
    return it != context.end() && it->is_string() && !it->get_ref<const std::string&>().empty()
               ? it->get<std::string>()
               : std::string();
  };
  return {base.cpu_model, base.compiler, optional_string(contract::kDepsKey),
          optional_string(contract::kKernelKey), optional_string(contract::kRunnerKey)};
}

}  // namespace


std::string null_nonfinite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      ++i;
      continue;
    }
    bool replaced = false;
    for (std::string_view word : {"-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan",
                                  "-inf", "inf"}) {
      if (text.substr(i).starts_with(word)) {
        out += "null";
        i += word.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

namespace {

// What each primitive is, by name, from the context (contract/primitive_meta.h).
using PrimitiveMetas = std::map<std::string, contract::PrimitiveMeta, std::less<>>;

// The context's primitive entries; InputError naming the file and key for a malformed one.
PrimitiveMetas primitive_metas_of(const json& context, const std::string& source) {
  PrimitiveMetas metas;
  for (const auto& [key, value] : context.items()) {
    if (!key.starts_with(contract::kPrimitiveContextPrefix)) continue;
    if (!value.is_string())
      throw InputError(fmt::format("{}: context.{} must be a string", source, key));
    try {
      contract::PrimitiveMeta m = contract::decode_primitive(
          std::string_view(key).substr(contract::kPrimitiveContextPrefix.size()),
          value.get_ref<const std::string&>());
      metas.emplace(m.name, std::move(m));
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("{}: context.{}", source, e.what()));
    }
  }
  return metas;
}

// Appends the rows of one benchmarks[] entry; `at` prefixes a message with the file and
// entry, `warn` records a skipped entry or value. Non-finite cv values, routine for
// counters that stay 0, are only counted, in `quiet_skips`.
template <class At, class Warn>
void add_entry_rows(const json& entry, const Row& base, const PrimitiveMetas& metas, At at,
                    Warn warn, std::vector<Row>& rows, std::size_t& quiet_skips) {
  if (entry.value("error_occurred", false)) {
    warn(at(fmt::format("skipped, the benchmark reported an error: {}",
                        entry.value("error_message", std::string("(no message)")))));
    return;
  }
  auto string_key = [&](const char* key) -> std::string {
    auto it = entry.find(key);
    if (it == entry.end() || !it->is_string() || it->template get_ref<const std::string&>().empty())
      throw InputError(at(fmt::format("\"{}\" missing or not a non-empty string", key)));
    return it->template get<std::string>();
  };
  Row row = base;
  bool relative = false;
  const std::string run_type = string_key("run_type");
  if (run_type == "aggregate") {
    row.aggregate = string_key("aggregate_name");
    if (row.aggregate == "BigO" || row.aggregate == "RMS") {
      warn(at("skipped, a complexity fit rather than a measurement"));
      return;
    }
    if (row.aggregate == kNotApplicable) throw InputError(at("aggregate_name '-' is reserved"));
    // Google Benchmark marks relative aggregates (cv) with aggregate_unit "percentage";
    // their values are fractions of the mean, whatever the metric.
    relative = entry.value("aggregate_unit", std::string()) == "percentage" ||
               row.aggregate == "cv";
  } else if (run_type == "iteration") {
    auto rep = entry.find("repetition_index");
    if (rep == entry.end() || !rep->is_number_integer() || rep->template get<long>() < 0)
      throw InputError(at("\"repetition_index\" missing or not a non-negative integer"));
    row.repetition = rep->template get<long>();
  } else {
    throw InputError(at(fmt::format("run_type '{}', want iteration or aggregate", run_type)));
  }
  const std::string run_name = string_key("run_name");
  std::optional<RunName> parsed = parse_run_name(run_name);
  if (!parsed)
    throw InputError(at(fmt::format(
        "run_name '{}' does not match <workload>/<primitive>/readers:<R>/updaters:<U>"
        "[/updater_delay_us:<D>/read_work:<W>/payload_bytes:<B>][/stall_us:<S>]"
        "[/params:<8 hex digits>]",
        run_name)));
  row.workload = parsed->workload;
  row.primitive = parsed->primitive;
  row.readers = parsed->readers;
  row.updaters = parsed->updaters;
  row.params = parsed->params;
  row.updater_delay_us = parsed->updater_delay_us;
  row.read_work = parsed->read_work;
  row.payload_bytes = parsed->payload_bytes;
  row.stall_us = parsed->stall_us;
  // A primitive the context does not describe (an older rcubench) has no family.
  if (auto meta = metas.find(row.primitive); meta != metas.end()) row.meta = meta->second;
  row.flavor = row.meta ? row.meta->flavor : std::string(kNotApplicable);

  const bool has_times = entry.contains("real_time") || entry.contains("cpu_time");
  const std::string time_unit = has_times ? string_key("time_unit") : "-";
  auto add = [&](const std::string& metric, const json& value) {
    double v = value.is_number() ? value.template get<double>() : NAN;
    if (!std::isfinite(v) && relative) {
      ++quiet_skips;  // 0/0: the cv of a counter that is 0 in every repetition
      return;
    }
    if (!std::isfinite(v)) {
      warn(at(fmt::format("{} skipped: not a finite number", metric)));
      return;
    }
    Row r = row;
    r.metric = metric;
    r.value = v;
    r.unit = relative ? "fraction" : metric_unit(metric, time_unit);
    rows.push_back(std::move(r));
  };
  for (const char* key : {"real_time", "cpu_time"}) {
    auto it = entry.find(key);
    if (it != entry.end() && (it->is_number() || it->is_null())) add(key, *it);
  }
  // Every other number is a counter (null stands for a non-finite one). Strings, booleans
  // and nested values (labels, flags, keys a later Google Benchmark adds) are not.
  for (const auto& [key, value] : entry.items()) {
    if (key == "real_time" || key == "cpu_time" || kBookkeepingKeys.contains(key)) continue;
    if ((value.is_number() && !value.is_boolean()) || value.is_null()) add(key, value);
  }
}

}  // namespace

std::vector<Row> rows_from_json(std::string_view text, const std::string& source,
                                std::vector<std::string>* warnings) {
  json doc;
  try {
    doc = json::parse(null_nonfinite(text));
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  if (!doc.is_object())
    throw InputError(fmt::format("{}: not a Google Benchmark JSON object", source));

  auto context = doc.find("context");
  if (context == doc.end() || !context->is_object())
    throw InputError(fmt::format("{}: no \"context\" object (not Google Benchmark JSON?)", source));
  Row base;
  for (const ContextKey& k : kContextKeys) {
    auto it = context->find(k.key);
    if (it == context->end())
      throw InputError(fmt::format("{}: context.{} is missing", source, k.key));
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      throw InputError(fmt::format("{}: context.{} must be a non-empty string", source, k.key));
    base.*k.field = it->get<std::string>();
  }
  base.fingerprint = fingerprint_of(machine_text_of(*context, base),
                                    base.exec == contract::kExecInsnCount);

  // The results contract's version; absent from an rcubench from before it.
  if (auto it = context->find(contract::kSchemaKey); it != context->end()) {
    const std::optional<long> v =
        it->is_string() ? contract::parse_count(it->get_ref<const std::string&>()) : std::nullopt;
    if (!v)
      throw InputError(fmt::format("{}: context.{} must be a decimal string", source,
                                   contract::kSchemaKey));
    check_schema(*v, fmt::format("{}: context.{}", source, contract::kSchemaKey));
    base.schema = v;
  }
  // One process of a multi-process run says which; a single-process run does not.
  if (auto it = context->find(contract::kProcessKey); it != context->end()) {
    std::optional<long> process =
        it->is_string() ? contract::parse_count(it->get_ref<const std::string&>()) : std::nullopt;
    if (!process)
      throw InputError(fmt::format(
          "{}: context.rcubench_process must be a decimal string (a process index >= 0)",
          source));
    base.process = process;
  }

  const PrimitiveMetas metas = primitive_metas_of(*context, source);

  auto benchmarks = doc.find("benchmarks");
  if (benchmarks == doc.end() || !benchmarks->is_array())
    throw InputError(fmt::format("{}: no \"benchmarks\" array", source));

  std::vector<Row> rows;
  std::size_t quiet_skips = 0;
  for (std::size_t i = 0; i < benchmarks->size(); ++i) {
    const json& entry = (*benchmarks)[i];
    auto at = [&](std::string_view what) {
      std::string name;
      if (auto it = entry.find("name"); entry.is_object() && it != entry.end() && it->is_string())
        name = it->get<std::string>();
      return fmt::format("{}: benchmarks[{}]{}: {}", source, i,
                         name.empty() ? "" : fmt::format(" '{}'", name), what);
    };
    auto warn = [&](std::string message) {
      if (warnings) warnings->push_back(std::move(message));
    };
    if (!entry.is_object()) throw InputError(at("not an object"));
    try {
      add_entry_rows(entry, base, metas, at, warn, rows, quiet_skips);
    } catch (const json::exception& e) {
      // A key of an unexpected type, e.g. a string where Google Benchmark writes a bool.
      throw InputError(at(e.what()));
    }
  }
  if (quiet_skips > 0 && warnings)
    warnings->push_back(fmt::format(
        "{}: {} non-finite cv value(s) skipped (the cv of a counter that is 0 in every "
        "repetition is 0/0)", source, quiet_skips));
  return rows;
}

std::vector<Row> read_benchmark_json(const std::filesystem::path& file,
                                     std::vector<std::string>* warnings) {
  return rows_from_json(read_file(file), file.string(), warnings);
}

}  // namespace rcubench::report

namespace rcubench::report {

namespace {

// The context object of a JSON file, or null when it has none.
json context_of_file(const std::filesystem::path& file) {
  json doc;
  try {
    doc = json::parse(null_nonfinite(read_file(file)));
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
  auto context = doc.find("context");
  if (!doc.is_object() || context == doc.end() || !context->is_object()) return nullptr;
  return std::move(*context);
}

}  // namespace

std::vector<contract::PrimitiveMeta> read_primitive_metas(const std::filesystem::path& file) {
  const json context = context_of_file(file);
  std::vector<contract::PrimitiveMeta> metas;
  if (context.is_null()) return metas;
  for (auto& [name, meta] : primitive_metas_of(context, file.string())) metas.push_back(meta);
  return metas;
}

std::vector<std::pair<MachineSlot, MachineText>> read_machine_texts(
    const std::filesystem::path& file) {
  const json ctx = context_of_file(file);
  if (ctx.is_null()) return {};
  const json* context = &ctx;
  Row base;
  for (const ContextKey& k : kContextKeys)
    if (auto it = context->find(k.key); it != context->end() && it->is_string())
      base.*k.field = it->get<std::string>();
  return {{MachineSlot{base.arch, base.exec}, machine_text_of(*context, base)}};
}

}  // namespace rcubench::report
