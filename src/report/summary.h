// The terminal summary of one run: throughput per primitive against rwlock-pthread.
#pragma once

#include <string>
#include <vector>

#include "report/csv.h"

namespace rcubench::report {

// The primitive every ratio is relative to.
inline constexpr const char* kReferencePrimitive = "rwlock-pthread";

// Per arch and workload, a table of each primitive's median reads/s and updates/s over
// its repetitions (iteration rows; a median aggregate row where there are none) and the
// ratio to kReferencePrimitive at the same thread counts. Emulated arches are marked.
std::string format_summary(const std::vector<Row>& rows);

// 1234567 -> "1.23M": `digits` significant digits and an SI prefix.
std::string si_number(double v, int digits = 3);

// Position of `value` in `order`, appended if new: keeps first-seen order.
std::size_t index_of(std::vector<std::string>& order, const std::string& value);

// The project's arch order (x86_64, aarch64, riscv64), whatever order the files were read
// in; others after, in the order they had.
void sort_arches(std::vector<std::string>& arches);

// A ratio with two or three significant digits: "0.015x", "3.50x", "12.9x".
std::string ratio_text(double ratio);

}  // namespace rcubench::report
