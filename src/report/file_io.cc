#include "report/file_io.h"

#include <cctype>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "report/error.h"

namespace rcubench::report {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// A complete temporary copy of `content` next to `file`; returns its path.
std::string write_temp(const std::filesystem::path& file, std::string_view content) {
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / fmt::format(".{}.XXXXXX", file.filename().string())).string();
  int fd = mkstemp(tmp.data());
  if (fd < 0)
    throw InputError(fmt::format("{}: cannot create a file in {}: {}", file.string(),
                                 dir.string(), errno_text(errno)));
  // mkstemp creates the file 0600; give it the mode an ordinary create would.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      throw InputError(fmt::format("{}: write failed: {}", file.string(), errno_text(err)));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    throw InputError(fmt::format("{}: write failed: {}", file.string(), errno_text(err)));
  }
  return tmp;
}

}  // namespace

std::string read_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw InputError(fmt::format("{}: is a directory, want a file", file.string()));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read: {}", file.string(), errno_text(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: read failed", file.string()));
  return std::move(text).str();
}

void write_file_atomic(const std::filesystem::path& file, std::string_view content) {
  std::string tmp = write_temp(file, content);
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    throw InputError(fmt::format("{}: cannot write: {}", file.string(), errno_text(err)));
  }
}

bool write_file_new(const std::filesystem::path& file, std::string_view content) {
  std::string tmp = write_temp(file, content);
  int rc = link(tmp.c_str(), file.c_str());
  int err = errno;
  unlink(tmp.c_str());
  if (rc == 0) return true;
  if (err == EEXIST) return false;
  throw InputError(fmt::format("{}: cannot write: {}", file.string(), errno_text(err)));
}

std::string file_name_part(std::string_view s) {
  std::string out;
  for (char c : s)
    out +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  return out;
}

}  // namespace rcubench::report
