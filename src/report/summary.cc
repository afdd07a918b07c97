#include "report/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "report/mann_whitney.h"
#include "report/text_table.h"

namespace rcubench::report {

std::string si_number(double v, int digits) {
  if (!std::isfinite(v)) return "-";
  static constexpr std::pair<double, const char*> kPrefixes[] = {
      {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (auto [scale, prefix] : kPrefixes)
    // From where `digits` digits round up to 1000 of the next smaller unit.
    if (std::abs(v) >= scale * (1 - 0.5 * std::pow(10.0, -digits)))
      return fmt::format("{:.{}g}{}", v / scale, digits, prefix);
  return fmt::format("{:.{}g}", v, digits);
}

std::string ratio_text(double r) {
  if (!std::isfinite(r)) return "-";
  if (r >= 10) return fmt::format("{:.1f}x", r);
  if (r >= 0.1) return fmt::format("{:.2f}x", r);
  return fmt::format("{:.2g}x", r);
}

std::size_t index_of(std::vector<std::string>& order, const std::string& value) {
  auto it = std::find(order.begin(), order.end(), value);
  if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
  order.push_back(value);
  return order.size() - 1;
}

void sort_arches(std::vector<std::string>& arches) {
  auto rank = [](const std::string& a) {
    static const std::vector<std::string> kOrder = {"x86_64", "aarch64", "riscv64"};
    return std::find(kOrder.begin(), kOrder.end(), a) - kOrder.begin();
  };
  std::stable_sort(arches.begin(), arches.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
}

namespace {

struct Cell {
  std::vector<double> iterations, medians;  // iteration values, median aggregate values
  std::optional<double> value() const {
    if (!iterations.empty()) return median(iterations);
    if (!medians.empty()) return median(medians);
    return std::nullopt;
  }
};

// (readers, updaters, primitive) -> metric -> values; primitives in name order so that
// the tables do not depend on the order the files were read in.
using Table = std::map<std::tuple<long, long, std::string>, std::map<std::string, Cell>>;

// Instruction counts (read_insns, update_insns): one table per arch with every primitive's
// instructions per read and per update, and one of each Rcu<P> flavor against raw liburcu
// of the same flavor (rcu-<f> / urcu-<f>; the deferred variants have no raw counterpart).
std::string format_insn_summary(const std::vector<Row>& rows) {
  static constexpr const char* kMetrics[] = {"read_insns", "update_insns"};
  std::vector<std::string> arches;
  // arch -> primitive -> metric -> values
  std::map<std::string, std::map<std::string, std::map<std::string, Cell>>> counts;
  for (const Row& r : rows) {
    if (r.metric != kMetrics[0] && r.metric != kMetrics[1]) continue;
    if (!r.is_iteration() && r.aggregate != "median") continue;
    index_of(arches, r.arch);
    Cell& cell = counts[r.arch][r.primitive][r.metric];
    (r.is_iteration() ? cell.iterations : cell.medians).push_back(r.value);
  }
  sort_arches(arches);
  auto count = [](const std::map<std::string, Cell>& metrics, const char* metric) {
    auto it = metrics.find(metric);
    return it == metrics.end() ? std::nullopt : it->second.value();
  };
  auto text = [](std::optional<double> v) { return v ? fmt::format("{:.2f}", *v) : "-"; };
  std::string out;
  for (const std::string& arch : arches) {
    std::vector<std::vector<std::string>> lines, ratios;
    for (const auto& [primitive, metrics] : counts[arch]) {
      lines.push_back(
          {primitive, text(count(metrics, kMetrics[0])), text(count(metrics, kMetrics[1]))});
      if (!primitive.starts_with("rcu-")) continue;
      auto raw = counts[arch].find("u" + primitive);  // rcu-memb -> urcu-memb
      if (raw == counts[arch].end()) continue;
      std::vector<std::string> line = {fmt::format("{} / {}", primitive, raw->first)};
      for (const char* metric : kMetrics) {
        auto ours = count(metrics, metric), theirs = count(raw->second, metric);
        line.push_back(ours && theirs && *theirs > 0 ? fmt::format("{:.3f}", *ours / *theirs)
                                                     : "-");
      }
      ratios.push_back(std::move(line));
    }
    out += fmt::format(
        "{} instruction counts (exact, under the QEMU plugin; not timings): "
        "instructions per operation\n",
        arch);
    out += format_text_table({"primitive", "read", "update"}, lines, {1, 2});
    if (!ratios.empty()) {
      out += fmt::format("{} Rcu<P> against raw liburcu, same flavor (read target 1.00 +-0.02)\n",
                         arch);
      out += format_text_table({"ratio", "read", "update"}, ratios, {1, 2});
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string format_summary(const std::vector<Row>& rows) {
  static constexpr const char* kMetrics[] = {"reads_per_s", "updates_per_s"};
  std::vector<std::string> arches;
  std::map<std::string, std::string> exec_of;
  std::map<std::string, std::vector<std::string>> workloads;  // per arch, first-seen order
  std::map<std::pair<std::string, std::string>, Table> tables;
  // (arch, workload, readers, updaters) that ran more threads than CPUs.
  std::set<std::tuple<std::string, std::string, long, long>> oversubscribed;
  for (const Row& r : rows) {
    if (r.metric == "oversubscribed" && r.value > 0)
      oversubscribed.emplace(r.arch, r.workload, r.readers, r.updaters);
    if (r.metric != kMetrics[0] && r.metric != kMetrics[1]) continue;
    if (!r.is_iteration() && r.aggregate != "median") continue;
    index_of(arches, r.arch);
    index_of(workloads[r.arch], r.workload);
    exec_of[r.arch] = r.exec;
    Cell& cell = tables[{r.arch, r.workload}][{r.readers, r.updaters, r.primitive}][r.metric];
    (r.is_iteration() ? cell.iterations : cell.medians).push_back(r.value);
  }
  std::string insns = format_insn_summary(rows);
  if (arches.empty()) {
    return insns.empty() ? "no reads_per_s, updates_per_s or instruction-count results to "
                           "summarise\n"
                         : insns;
  }
  sort_arches(arches);

  auto value_of = [](const Table& table, const Table::key_type& key,
                     const char* metric) -> std::optional<double> {
    auto row = table.find(key);
    if (row == table.end()) return std::nullopt;
    auto cell = row->second.find(metric);
    return cell == row->second.end() ? std::nullopt : cell->second.value();
  };

  std::string out;
  for (const std::string& arch : arches) {
    const std::string& exec = exec_of[arch];
    const bool emulated = exec == "qemu";
    for (const std::string& workload : workloads[arch]) {
      const Table& table = tables[{arch, workload}];
      std::vector<std::vector<std::string>> lines;
      bool has[2] = {false, false};
      for (const auto& [key, metrics] : table) {
        const auto& [readers, updaters, primitive] = key;
        // A run with more threads than CPUs measures the scheduler too: say so.
        const bool over = oversubscribed.contains({arch, workload, readers, updaters});
        std::vector<std::string> line = {
            primitive, std::to_string(readers),
            std::to_string(updaters) + (over ? " (oversubscribed)" : "")};
        for (int m = 0; m < 2; ++m) {
          std::optional<double> v = value_of(table, key, kMetrics[m]);
          std::optional<double> ref =
              value_of(table, {readers, updaters, kReferencePrimitive}, kMetrics[m]);
          has[m] |= v.has_value();
          line.push_back(v ? si_number(*v) : "-");
          line.push_back(v && ref && *ref > 0 ? ratio_text(*v / *ref) : "-");
        }
        lines.push_back(std::move(line));
      }
      const std::string versus = fmt::format("vs {}", kReferencePrimitive);
      std::vector<std::string> header = {"primitive", "readers",   "updaters", "reads/s",
                                         versus,      "updates/s", versus};
      // A metric this workload does not measure gets no columns.
      for (int m = 1; m >= 0; --m) {
        if (has[m]) continue;
        const auto at = static_cast<long>(3 + 2 * m);
        header.erase(header.begin() + at, header.begin() + at + 2);
        for (auto& line : lines) line.erase(line.begin() + at, line.begin() + at + 2);
      }
      std::set<std::size_t> numeric;
      for (std::size_t c = 1; c < header.size(); ++c) numeric.insert(c);
      out += fmt::format("{} ({}), workload {}{}\n", arch, emulated ? "emulated" : exec, workload,
                         emulated ? ": timings are not hardware performance" : "");
      out += format_text_table(header, lines, numeric);
      out += "\n";
    }
  }
  return out + insns;
}

}  // namespace rcubench::report
