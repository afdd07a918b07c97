#include "workload/lockstep.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

namespace rcubench {
namespace {

constexpr char kHello = 'h';
constexpr char kTurn = 't';

[[noreturn]] void fail(const std::string& what, const std::string& path, int error = 0) {
  std::string message = "lockstep: " + what + " '" + path + "'";
  if (error != 0) message += std::string(": ") + std::strerror(error);
  throw std::runtime_error(message);
}

void set_blocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); }

// One byte; false at end-of-file (the other process closed its end) or on an error.
bool read_byte(int fd, char& byte) {
  for (;;) {
    ssize_t n = read(fd, &byte, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// False when the other process is gone (EPIPE: SIGPIPE is ignored while in lockstep).
bool write_byte(int fd, char byte) {
  for (;;) {
    ssize_t n = write(fd, &byte, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

}  // namespace

Lockstep Lockstep::connect(const std::string& in, const std::string& out, bool first,
                           std::chrono::milliseconds timeout) {
  signal(SIGPIPE, SIG_IGN);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Neither open may block: a blocking open of a FIFO waits for the other end, and if the
  // other process died before opening it, forever. `self` owns the descriptors from here
  // on, so every failure below closes them.
  Lockstep self(open(in.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC), -1, first);
  if (self.in_ < 0) fail("cannot open FIFO", in, errno);
  struct stat st {};
  if (fstat(self.in_, &st) != 0 || !S_ISFIFO(st.st_mode)) fail("not a FIFO:", in);
  // The write end opens once the other process has opened its read end (ENXIO before).
  while ((self.out_ = open(out.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
    if (errno != ENXIO) fail("cannot open FIFO", out, errno);
    if (std::chrono::steady_clock::now() >= deadline) fail("no other process opened FIFO", out);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  set_blocking(self.out_);
  // Hello both ways: after it, both ends of both FIFOs are connected, so end-of-file means
  // the other process has ended, not that it has not started.
  if (!write_byte(self.out_, kHello)) fail("the other process left FIFO", out);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{self.in_, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
    if (ready < 0 && errno == EINTR) continue;
    char byte = 0;
    if (ready > 0 && read_byte(self.in_, byte) && byte == kHello) break;
    fail(ready == 0 ? "no hello from the other process on FIFO" : "no hello on FIFO", in);
  }
  set_blocking(self.in_);
  return self;
}

Lockstep::Lockstep(int in_fd, int out_fd, bool first) noexcept
    : in_(in_fd), out_(out_fd), holding_(first), runs_left_(first ? 1 : 2) {}

Lockstep::Lockstep(Lockstep&& other) noexcept
    : in_(std::exchange(other.in_, -1)),
      out_(std::exchange(other.out_, -1)),
      holding_(other.holding_),
      alone_(other.alone_),
      runs_left_(other.runs_left_) {}

Lockstep::~Lockstep() {
  if (out_ >= 0) close(out_);  // The other process reads end-of-file: it runs alone.
  if (in_ >= 0) close(in_);
}

void Lockstep::begin_run() {
  if (holding_ || alone_) return;
  char byte = 0;
  if (read_byte(in_, byte)) {
    holding_ = true;
    runs_left_ = 2;
  } else {
    alone_ = true;
  }
}

void Lockstep::end_run() {
  if (alone_ || !holding_) return;
  if (--runs_left_ == 0) hand_on();
}

void Lockstep::hand_on() {
  holding_ = false;
  if (!write_byte(out_, kTurn)) alone_ = true;
}

}  // namespace rcubench
