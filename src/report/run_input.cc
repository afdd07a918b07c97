#include "report/run_input.h"

#include <algorithm>
#include <fmt/format.h>

#include "report/bench_json.h"
#include "report/error.h"
#include "report/history.h"

namespace rcubench::report {
namespace fs = std::filesystem;

std::vector<fs::path> files_with_extension(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == extension && !p.filename().string().starts_with(".") &&
        it->is_regular_file())
      files.push_back(p);
  }
  if (ec) throw InputError(fmt::format("{}: cannot list: {}", dir.string(), ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Row> load_run(const fs::path& path, std::vector<std::string>* warnings) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status))
    throw InputError(fmt::format("{}: no such file or directory", path.string()));
  if (fs::is_directory(status)) {
    if (fs::exists(path / "results.csv")) return read_csv(path / "results.csv");
    std::vector<fs::path> json_files = files_with_extension(path, ".json");
    if (json_files.empty())
      throw InputError(fmt::format("{}: neither results.csv nor *.json in this directory",
                                   path.string()));
    std::vector<Row> rows;
    for (const fs::path& f : json_files) {
      std::vector<Row> more = read_benchmark_json(f, warnings);
      rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
    }
    return rows;
  }
  if (path.extension() == ".json") return read_benchmark_json(path, warnings);
  if (path.extension() == ".csv") return read_csv(path);
  throw InputError(fmt::format("{}: want a .csv or .json file or a run directory", path.string()));
}

bool is_history_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && !fs::exists(path / "results.csv", ec) &&
         files_with_extension(path, ".json").empty();
}

std::vector<HistoryRun> load_history_runs(const fs::path& dir, bool metadata_only) {
  std::vector<HistoryRun> runs;
  for (const fs::path& f : files_with_extension(dir, ".csv"))
    for (HistoryRun& run : read_history_file(f, metadata_only)) runs.push_back(std::move(run));
  return runs;
}

std::vector<Row> load_history(const fs::path& dir) {
  std::vector<Row> rows;
  for (const HistoryRun& run : load_history_runs(dir)) {
    std::vector<Row> more = rows_of_run(run);
    rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }
  return rows;
}

std::vector<std::string> accepted_runs(const fs::path& dir) {
  std::vector<std::string> ids;
  for (const fs::path& f : files_with_extension(dir, std::string(kAcceptedExtension)))
    ids.push_back(f.stem().string());
  return ids;
}

}  // namespace rcubench::report
