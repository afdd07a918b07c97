// Measures the history's size and load time (docs/regression-gate.md, "The history's
// files"); a tool, not a test: timings belong in the docs, not in a pass/fail check.
//   history_load_bench widen RUN.csv OUT.csv   one native x86_64 process -> the CI shape:
//       10 native processes, 2 emulated ones each of aarch64 and riscv64 (values varied)
//   history_load_bench fill RUN N DIR          records N runs made from RUN into DIR,
//       each a day apart with its values varied by up to +-10 %
//   history_load_bench load DIR                reads every run of DIR whole; prints the time
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <random>
#include <string>

#include "report/csv.h"
#include "report/error.h"
#include "report/file_io.h"
#include "report/history.h"
#include "report/run_input.h"

using namespace rcubench::report;

namespace {

int widen(const std::string& in, const std::string& out) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  std::vector<Row> rows;
  for (const Row& r : read_csv(in)) {
    if (r.exec != "native") {
      rows.push_back(r);
      continue;
    }
    for (auto [arch, exec, processes] : {std::tuple{"x86_64", "native", 10},
                                         std::tuple{"aarch64", "qemu", 2},
                                         std::tuple{"riscv64", "qemu", 2}})
      for (long p = 0; p < processes; ++p) {
        Row w = r;
        w.arch = arch, w.exec = exec, w.process = p;
        w.value = r.value * noise(rng);
        rows.push_back(std::move(w));
      }
  }
  write_file_atomic(out, to_csv(rows));
  return 0;
}

int fill(const std::string& run, int n, const std::string& dir) {
  const std::vector<Row> base = load_run(run);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  for (int k = 0; k < n; ++k) {
    std::vector<Row> rows = base;
    const std::string id = fmt::format("hist{:05d}", k);
    const std::string date =
        fmt::format("2026-{:02d}-{:02d}T04:00:00+00:00", 1 + k / 28 % 12, 1 + k % 28);
    for (Row& r : rows) {
      r.run_id = id;
      r.date = fmt::format("{:04d}{}", 2000 + k / 336, date.substr(4));
      if (r.unit != "instructions") r.value *= noise(rng);
    }
    record_runs(dir, rows);
  }
  return 0;
}

int load(const std::string& dir) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t series = 0;
  const std::vector<HistoryRun> runs = load_history_runs(dir);
  for (const HistoryRun& r : runs) series += r.series.size();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{} runs, {} series read whole in {:.2f} s\n", runs.size(), series, s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 3 && a[0] == "widen") return widen(a[1], a[2]);
    if (a.size() == 4 && a[0] == "fill") return fill(a[1], std::stoi(a[2]), a[3]);
    if (a.size() == 2 && a[0] == "load") return load(a[1]);
    std::fputs("usage: history_load_bench widen RUN.csv OUT.csv | fill RUN N DIR | load DIR\n",
               stderr);
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "history_load_bench: {}\n", e.what());
    return 2;
  }
}
