#include "workload/config.h"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "workload/run_context.h"

namespace rcubench {
namespace {

// Where a node is, as "file:line:column" (or just the file when unknown).
std::string where(const std::string& path, const toml::source_region& source) {
  if (source.begin.line == 0) return path;
  return fmt::format("{}:{}:{}", path, source.begin.line, source.begin.column);
}

// The settings one scenario resolves to, before its sweep: every value of each list, in
// ascending order; `params` holds the parameters that are never lists.
struct Settings {
  std::vector<int> readers{1};
  std::vector<int> updaters{0};
  std::vector<double> updater_delay_us{WorkloadParams{}.updater_delay_us};
  std::vector<std::uint32_t> read_work{WorkloadParams{}.read_work};
  std::vector<std::size_t> payload_bytes{WorkloadParams{}.payload_bytes};
  std::vector<double> stall_us{WorkloadParams{}.stall_us};
  std::optional<toml::source_region> stall_us_at;  // where stall_us was set, if it was
  // The sweepable parameters set to more than one value, and where.
  std::map<std::string, toml::source_region> swept;
  std::vector<std::string> primitives;
  WorkloadParams params;
  std::string description;
};

class Reader {
 public:
  Reader(std::string path, std::span<const PrimitiveInfo> registry, int cpus)
      : path_(std::move(path)), registry_(registry), cpus_(cpus) {}

  [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const {
    throw ConfigError(fmt::format("{}: {}", where(path_, at), message));
  }

  // Applies every key of `table` (the global table or a scenario) onto `s`.
  void apply(const toml::table& table, const std::string& table_name, bool is_scenario,
             Settings& s) const {
    for (const auto& [key, node] : table) {
      std::string k(key.str());
      auto at = key.source();
      if (k == "readers" || k == "updaters") {
        (k == "readers" ? s.readers : s.updaters) =
            thread_counts(node, table_name, k, k == "readers" ? 1 : 0);
      } else if (k == "primitives") {
        s.primitives = string_list(node, table_name, k);
      } else if (k == "duration_s") {
        s.params.duration_s = positive_number(node, table_name, k);
      } else if (k == "payload_bytes") {
        s.payload_bytes = sweepable<std::size_t>(node, table_name, k, s, [&](const auto& e) {
          return static_cast<std::size_t>(integer(e, table_name, k, 1));
        });
      } else if (k == "read_work") {
        s.read_work = sweepable<std::uint32_t>(node, table_name, k, s, [&](const auto& e) {
          return static_cast<std::uint32_t>(integer(e, table_name, k, 0));
        });
      } else if (k == "updater_delay_us") {
        s.updater_delay_us = sweepable<double>(node, table_name, k, s, [&](const auto& e) {
          return non_negative_number(e, table_name, k);
        });
      } else if (k == "stall_us") {
        s.stall_us = sweepable<double>(node, table_name, k, s, [&](const auto& e) {
          return non_negative_number(e, table_name, k);
        });
        s.stall_us_at = node.source();
      } else if (k == "stall_every_us") {
        s.params.stall_every_us = positive_number(node, table_name, k);
      } else if (k == "pin") {
        s.params.pin = boolean(node, table_name, k);
      } else if (k == "qs_every") {
        s.params.qs_every = static_cast<std::uint32_t>(integer(node, table_name, k, 1));
      } else if (k == "verify") {
        s.params.verify = boolean(node, table_name, k);
      } else if (k == "sample_every") {
        s.params.sample_every = static_cast<std::uint32_t>(integer(node, table_name, k, 1));
      } else if (k == "measure") {
        std::string m = string(node, table_name, k);
        if (m == "updates") {
          s.params.measure = Measure::kUpdates;
        } else if (m == "grace-periods") {
          s.params.measure = Measure::kGracePeriods;
        } else {
          fail(node.source(), fmt::format("[{}] measure: '{}' is not one of \"updates\", "
                                          "\"grace-periods\"",
                                          table_name, m));
        }
      } else if (k == "description" && is_scenario) {
        s.description = string(node, table_name, k);
      } else {
        fail(at, fmt::format("unknown key '{}' in [{}]", k, table_name));
      }
    }
  }

  const PrimitiveInfo* find(const std::string& name) const {
    auto it = std::find_if(registry_.begin(), registry_.end(),
                           [&](const PrimitiveInfo& p) { return p.name == name; });
    return it == registry_.end() ? nullptr : &*it;
  }

 private:
  std::int64_t integer(const toml::node& node, const std::string& t, const std::string& k,
                       std::int64_t min) const {
    auto v = node.value_exact<std::int64_t>();
    if (!v) fail(node.source(), fmt::format("[{}] {}: expected an integer", t, k));
    if (*v < min) {
      fail(node.source(), fmt::format("[{}] {}: {} is {}; must be at least {}", t, k, *v,
                                      *v < 0 ? "negative" : "too small", min));
    }
    return *v;
  }
  double number(const toml::node& node, const std::string& t, const std::string& k) const {
    auto v = node.value<double>();  // Integers are accepted as numbers.
    if (!v || !(node.is_floating_point() || node.is_integer())) {
      fail(node.source(), fmt::format("[{}] {}: expected a number", t, k));
    }
    return *v;
  }
  double positive_number(const toml::node& node, const std::string& t, const std::string& k) const {
    double v = number(node, t, k);
    if (!(v > 0)) fail(node.source(), fmt::format("[{}] {}: {} must be greater than 0", t, k, v));
    return v;
  }
  double non_negative_number(const toml::node& node, const std::string& t,
                             const std::string& k) const {
    double v = number(node, t, k);
    if (!(v >= 0)) fail(node.source(), fmt::format("[{}] {}: {} is negative", t, k, v));
    return v;
  }
  bool boolean(const toml::node& node, const std::string& t, const std::string& k) const {
    auto v = node.value_exact<bool>();
    if (!v) fail(node.source(), fmt::format("[{}] {}: expected true or false", t, k));
    return *v;
  }
  std::string string(const toml::node& node, const std::string& t, const std::string& k) const {
    auto v = node.value_exact<std::string>();
    if (!v) fail(node.source(), fmt::format("[{}] {}: expected a string", t, k));
    return *v;
  }
  // A value or a non-empty list of values, each element read by one(element, out); the
  // values once each, in ascending order (a sweep point runs once: "1..cpus" and "cpus"
  // may name the same count, a list may repeat a value).
  template <class T, class One>
  std::vector<T> one_or_list(const toml::node& node, const std::string& t, const std::string& k,
                             One one) const {
    std::vector<T> out;
    if (const auto* array = node.as_array()) {
      if (array->empty()) fail(node.source(), fmt::format("[{}] {}: empty list", t, k));
      for (const auto& element : *array) one(element, out);
    } else {
      one(node, out);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  // Thread counts: an integer (at least `min`), a count expression of the CPUs
  // ("cpus-1", "1..cpus"; resolve_thread_counts), or a non-empty list of those.
  std::vector<int> thread_counts(const toml::node& node, const std::string& t, const std::string& k,
                                 std::int64_t min) const {
    return one_or_list<int>(node, t, k, [&](const toml::node& element, std::vector<int>& out) {
      if (auto text = element.value_exact<std::string>()) {
        try {
          for (int n : resolve_thread_counts(*text, cpus_, static_cast<int>(min))) out.push_back(n);
        } catch (const ConfigError& e) {
          fail(element.source(), fmt::format("[{}] {}: {}", t, k, e.what()));
        }
      } else {
        out.push_back(static_cast<int>(integer(element, t, k, min)));
      }
    });
  }
  // A sweepable parameter: a value, or a non-empty list of values that `value` each
  // checks as the scalar key; more than one distinct value makes it swept in `s`.
  template <class T, class Value>
  std::vector<T> sweepable(const toml::node& node, const std::string& t, const std::string& k,
                           Settings& s, Value value) const {
    auto values = one_or_list<T>(node, t, k, [&](const toml::node& element, std::vector<T>& out) {
      out.push_back(value(element));
    });
    if (values.size() > 1) {
      s.swept[k] = node.source();
    } else {
      s.swept.erase(k);
    }
    return values;
  }
  std::vector<std::string> string_list(const toml::node& node, const std::string& t,
                                       const std::string& k) const {
    const auto* array = node.as_array();
    if (!array) fail(node.source(), fmt::format("[{}] {}: expected a list of strings", t, k));
    if (array->empty()) fail(node.source(), fmt::format("[{}] {}: empty list", t, k));
    std::vector<std::string> out;
    for (const auto& element : *array) {
      auto v = element.value_exact<std::string>();
      if (!v) fail(element.source(), fmt::format("[{}] {}: expected a list of strings", t, k));
      if (*v != "all" && !find(*v)) {
        fail(element.source(), fmt::format("[{}] {}: unknown primitive '{}' (rcubench --list "
                                           "shows them)",
                                           t, k, *v));
      }
      out.push_back(*v);
    }
    return out;
  }

  std::string path_;
  std::span<const PrimitiveInfo> registry_;
  int cpus_;
};

// One count expression: a whole number, or "cpus" optionally followed by one of + - * /
// and a whole number (integer arithmetic, rounded down).
int count_expression(std::string_view text, int cpus) {
  auto whole = [&](std::string_view digits) {
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos)
      throw ConfigError(
          fmt::format("'{}' is not a count: a whole number, \"cpus\" or "
                      "\"cpus\" with + - * / and a whole number",
                      text));
    return std::stoi(std::string(digits));
  };
  if (!text.starts_with("cpus")) return whole(text);
  std::string_view rest = text.substr(4);
  if (rest.empty()) return cpus;
  const int n = whole(rest.substr(1));
  switch (rest[0]) {
    case '+':
      return cpus + n;
    case '-':
      return cpus - n;
    case '*':
      return cpus * n;
    case '/':
      if (n == 0) throw ConfigError(fmt::format("'{}' divides by zero", text));
      return cpus / n;
  }
  return whole(rest);  // Not an operator: reports the whole text.
}

bool is_update_floor(std::string_view name, std::span<const PrimitiveInfo> registry) {
  return std::any_of(registry.begin(), registry.end(), [&](const PrimitiveInfo& info) {
    return info.name == name && info.update_floor;
  });
}

}  // namespace

std::vector<int> resolve_thread_counts(std::string_view expression, int cpus, int min) {
  std::string text;
  for (char c : expression)
    if (c != ' ') text.push_back(c);
  // A count from the CPUs never goes below the key's minimum (cpus-1 on one CPU is 1
  // reader); a plain number below it is an error, as a literal integer is.
  auto count = [&](std::string_view part) {
    const int n = count_expression(part, cpus);
    const bool literal = part.find("cpus") == std::string_view::npos;
    if (literal && n < min)
      throw ConfigError(fmt::format("{} is too small; must be at least {}", n, min));
    return std::max(n, min);
  };
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) return {count(text)};
  const std::string_view high_text = std::string_view(text).substr(dots + 2);
  const int low = count(std::string_view(text).substr(0, dots));
  int high = count(high_text);
  // An upper end from the CPUs never falls below the lower end either: "1..cpus-1"
  // updaters on one CPU is 1, not an error on a small machine.
  if (high_text.find("cpus") != std::string_view::npos) high = std::max(high, low);
  if (low > high)
    throw ConfigError(fmt::format("'{}' is an empty range ({} > {})", expression, low, high));
  // Doubling steps from the low end, and always the high end.
  std::vector<int> counts;
  for (int n = low; n < high; n = std::max(1, n * 2)) counts.push_back(n);
  counts.push_back(high);
  return counts;
}

std::string sweep_value(const WorkloadParams& params, std::string_view param) {
  if (param == "updater_delay_us") return contract::format_number(params.updater_delay_us);
  if (param == "read_work") return fmt::format("{}", params.read_work);
  if (param == "payload_bytes") return fmt::format("{}", params.payload_bytes);
  if (param == "stall_us") return contract::format_number(params.stall_us);
  throw std::invalid_argument(fmt::format("'{}' is not a sweepable parameter", param));
}

std::string params_key(const WorkloadParams& p) {
  const std::string common = fmt::format(
      "duration_s={};read_work={};updater_delay_us={};payload_bytes={};pin={};qs_every={};"
      "verify={};sample_every={};measure={}",
      p.duration_s, p.read_work, p.updater_delay_us, p.payload_bytes, p.pin, p.qs_every, p.verify,
      p.sample_every, p.measure == Measure::kGracePeriods ? "grace-periods" : "updates");
  // Only a stalls run has these: the keys of the runs without stalls stay as they were.
  const std::string canonical =
      p.stall_every_us > 0
          ? fmt::format("{};stall_us={};stall_every_us={}", common, p.stall_us, p.stall_every_us)
          : common;
  std::uint32_t hash = 2166136261u;  // FNV-1a, 32 bits
  for (unsigned char c : canonical) {
    hash ^= c;
    hash *= 16777619u;
  }
  return fmt::format("{:08x}", hash);
}

void validate_primitives(std::span<const std::string> names,
                         std::span<const PrimitiveInfo> registry) {
  for (const auto& name : names) {
    bool known =
        name == "all" || std::any_of(registry.begin(), registry.end(),
                                     [&](const PrimitiveInfo& p) { return p.name == name; });
    if (!known) {
      throw ConfigError(
          fmt::format("--primitives: unknown primitive '{}' (rcubench --list shows them)", name));
    }
  }
}

std::vector<std::string> split_list(const std::string& list, const std::string& what) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = list.find(',', start);
    std::string item =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw ConfigError(fmt::format("{}: empty name in list '{}'", what, list));
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<PlannedRun> load_config(const std::string& path,
                                    const std::optional<std::vector<std::string>>& only_primitives,
                                    std::span<const PrimitiveInfo> registry,
                                    std::optional<int> cpus) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    if (e.source().begin.line == 0) {
      throw ConfigError(fmt::format("{}: cannot read: {}", path, e.description()));
    }
    throw ConfigError(fmt::format("{}: {}", where(path, e.source()), e.description()));
  }
  Reader reader(path, registry, cpus ? *cpus : static_cast<int>(allowed_cpus().size()));

  if (only_primitives) validate_primitives(*only_primitives, registry);

  Settings global;
  global.primitives = {"all"};
  const toml::table* scenarios = nullptr;
  for (const auto& [key, node] : root) {
    std::string k(key.str());
    if (k == "global") {
      const auto* table = node.as_table();
      if (!table) reader.fail(node.source(), "[global] must be a table");
      reader.apply(*table, "global", false, global);
    } else if (k == "scenario") {
      scenarios = node.as_table();
      if (!scenarios) reader.fail(node.source(), "'scenario' must hold tables: [scenario.<name>]");
    } else {
      reader.fail(key.source(), fmt::format("unknown top-level key '{}' (expected [global] and "
                                            "[scenario.<name>] tables)",
                                            k));
    }
  }
  if (!scenarios || scenarios->empty()) {
    throw ConfigError(fmt::format("{}: no scenarios (add a [scenario.<name>] table)", path));
  }

  // Scenarios run in the order the file lists them (the table itself is sorted by name).
  std::vector<std::pair<std::string, const toml::node*>> ordered;
  for (const auto& [key, node] : *scenarios) ordered.emplace_back(std::string(key.str()), &node);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second->source().begin < b.second->source().begin;
  });

  std::vector<PlannedRun> runs;
  std::map<std::string, std::string> left_out;  // primitive -> why (its last unfit scenario)
  for (const auto& [name, node_ptr] : ordered) {
    const toml::node& node = *node_ptr;
    const auto* table = node.as_table();
    if (!table) reader.fail(node.source(), fmt::format("scenario.{} must be a table", name));
    Settings s = global;
    reader.apply(*table, "scenario." + name, true, s);
    std::string swept;
    if (!s.swept.empty()) swept = s.swept.begin()->first;
    if (s.swept.size() > 1) {
      // Named at the later of the first two in the file (the one that made two).
      auto first = s.swept.begin(), second = std::next(first);
      if (second->second.begin < first->second.begin) std::swap(first, second);
      reader.fail(second->second,
                  fmt::format("[scenario.{}]: {} and {} are both swept; a scenario sweeps at "
                              "most one of updater_delay_us, read_work, payload_bytes, "
                              "stall_us",
                              name, first->first, second->first));
    }
    if (s.stall_us_at && !(s.params.stall_every_us > 0)) {
      reader.fail(*s.stall_us_at,
                  fmt::format("[scenario.{}] stall_us: needs stall_every_us, how often reader 0 "
                              "stalls",
                              name));
    }
    const bool grace_periods = s.params.measure == Measure::kGracePeriods;
    const std::vector<std::string>& wanted = only_primitives ? *only_primitives : s.primitives;
    const bool all = std::find(wanted.begin(), wanted.end(), "all") != wanted.end();
    const int max_updaters = *std::max_element(s.updaters.begin(), s.updaters.end());
    const bool one_updater = std::find(s.updaters.begin(), s.updaters.end(), 1) != s.updaters.end();
    std::vector<std::string> chosen;
    for (const PrimitiveInfo& info : registry) {
      std::string p(info.name);
      if (!all && std::find(wanted.begin(), wanted.end(), p) == wanted.end()) continue;
      // Under "all" or --primitives, primitives that cannot run this scenario are left
      // out; named in the file, they are an error.
      std::string unfit;
      if (info.policy == UpdatePolicy::kReadOnly && max_updaters > 0) {
        unfit = "is read-only and the scenario has updaters";
      } else if (info.update_floor && !one_updater) {
        // A second updater would wait for the first's whole run (bare_update.h): only one
        // updater's updates/s mean anything, so it runs at the points with one (below).
        unfit = "is the update-side floor and runs with exactly one updater";
      } else if (grace_periods && !info.has_grace_period) {
        unfit = "has no grace period to measure";
      } else if (!accepts_payload<Payload>(info.name)) {
        unfit = fmt::format("needs a payload that is {}; the workloads' is not",
                            info.payload_requirement);
      }
      if (!unfit.empty()) {
        if (all || only_primitives) {
          left_out[p] = unfit;
          continue;
        }
        throw ConfigError(fmt::format("{}: [scenario.{}]: primitive '{}' {}",
                                      where(path, table->source()), name, p, unfit));
      }
      chosen.push_back(p);
    }
    // Thread counts outside, then the swept parameter, primitives inside: results of one
    // sweep point stay together.
    for (int r : s.readers) {
      for (int u : s.updaters) {
        if (grace_periods && u == 0) {
          throw ConfigError(
              fmt::format("{}: [scenario.{}]: measure = \"grace-periods\" needs "
                          "updaters >= 1",
                          where(path, table->source()), name));
        }
        // At most one of these has more than one value.
        for (double delay : s.updater_delay_us) {
          for (std::uint32_t work : s.read_work) {
            for (std::size_t bytes : s.payload_bytes) {
              for (double stall : s.stall_us) {
                for (const std::string& p : chosen) {
                  if (u != 1 && is_update_floor(p, registry)) continue;
                  PlannedRun run{name, s.description, p, s.params, swept};
                  run.params.readers = r;
                  run.params.updaters = u;
                  run.params.updater_delay_us = delay;
                  run.params.read_work = work;
                  run.params.payload_bytes = bytes;
                  run.params.stall_us = stall;
                  runs.push_back(std::move(run));
                }
              }
            }
          }
        }
      }
    }
  }
  if (runs.empty()) {
    std::string why;
    for (const auto& [p, unfit] : left_out) {
      why += fmt::format("{}{} {}", why.empty() ? "" : "; ", p, unfit);
    }
    throw ConfigError(fmt::format("{}: no primitive fits any scenario{}", path,
                                  why.empty() ? "" : " (" + why + ")"));
  }
  return runs;
}

}  // namespace rcubench
