// Where results come from: a results CSV, Google Benchmark JSON, a run directory or a
// history directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/csv.h"
#include "report/history_file.h"

namespace rcubench::report {

// Regular files in `dir` ending in `extension` (".json"), not hidden, sorted by name;
// InputError naming `dir` if it cannot be listed.
std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir,
                                                        const std::string& extension);

// Rows of `path`: a .csv file, a .json file, or a run directory (its results.csv if
// present, else every *.json in it, converted in name order). Warnings from the JSON
// conversion go to `warnings`.
std::vector<Row> load_run(const std::filesystem::path& path,
                          std::vector<std::string>* warnings = nullptr);

// A history directory is a directory with neither results.csv nor *.json: one CSV per
// recorded run (possibly none yet).
bool is_history_dir(const std::filesystem::path& path);

// The runs of every *.csv in a history directory (hidden files, which are writes in
// progress, skipped), compact or whole results CSVs (report/history_file.h); with
// metadata_only, the compact ones without their series (load_series reads them).
std::vector<HistoryRun> load_history_runs(const std::filesystem::path& dir,
                                          bool metadata_only = false);

// The rows of every run of a history directory as the gate sees them (rows_of_run).
std::vector<Row> load_history(const std::filesystem::path& dir);

// The run_ids accepted in a history directory (its <run_id>.accepted markers).
std::vector<std::string> accepted_runs(const std::filesystem::path& dir);

}  // namespace rcubench::report
