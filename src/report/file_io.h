// Whole-file reads and writes that never leave a partial file behind.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rcubench::report {

// `s` as part of a file name: letters, digits, '.', '_' and '-' kept, anything else '_'.
std::string file_name_part(std::string_view s);

// The file's contents; InputError naming the file if it cannot be read.
std::string read_file(const std::filesystem::path& file);

// Writes `content` to a temporary file in the same directory and renames it over `file`,
// so readers see the old file or the complete new one, never a partial one.
void write_file_atomic(const std::filesystem::path& file, std::string_view content);

// Like write_file_atomic, but never replaces an existing file: returns false (writing
// nothing) if `file` exists, checked atomically by link(2).
bool write_file_new(const std::filesystem::path& file, std::string_view content);

}  // namespace rcubench::report
