// rcutorture's entry points: which primitives it knows (every registered one, plus the
// negative controls), running one by name, and its reports.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "torture/checker.h"

namespace rcubench::torture {

struct TortureTarget {
  std::string_view name;
  std::string_view description;
  std::string_view policy;
  bool negative_control;
};

// Every registered primitive in registration order, then the negative controls.
std::vector<TortureTarget> torture_targets();
bool is_torture_target(std::string_view name);
// The registered primitives only (what "all" means).
std::vector<std::string> registered_targets();

// Runs the checker on the primitive or negative control called `name` (which must be a
// torture target).
Result run_torture(std::string_view name, const Config& config);

// The line before a run: what runs, where, for how long, with which faults.
void print_header(std::FILE* out, std::string_view name, const Config& config);
// The human report (histogram, counts, one "!!! FAILURE" line per kind of error, the
// verdict), then the JSON summary line.
void print_report(std::FILE* out, const Result& result, const Config& config);
// One line of JSON.
std::string json_summary(const Result& result, const Config& config);

std::string_view to_string(Mode mode);

}  // namespace rcubench::torture
