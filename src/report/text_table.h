// Plain-text tables for the terminal.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace rcubench::report {

// Columns padded to their widest cell, two spaces apart, a dashed rule under the header;
// the columns in `right_aligned` (numbers) are aligned right.
std::string format_text_table(const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows,
                              const std::set<std::size_t>& right_aligned = {});

}  // namespace rcubench::report
