#include "insn_count/insn_counter.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>


namespace rcubench {

InsnCounter::InsnCounter() {
  int fds[2];
  // Non-blocking: without the plugin nothing is ever written, and read() must say so
  // instead of waiting forever.
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
    throw InsnCountUnavailable(std::string("pipe2 failed: ") + std::strerror(errno));
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_PROBE, write_fd_);
  const std::uint64_t magic = answer("probe");
  if (magic >> 8 == RCUBENCH_INSN_MAGIC >> 8 && magic != RCUBENCH_INSN_MAGIC)
    throw InsnCountUnavailable(
        "the instruction-counting plugin speaks protocol version " + std::to_string(magic & 0xFF) +
        ", this rcubench version " + std::to_string(RCUBENCH_INSN_PROTOCOL) +
        ": it was built from another source tree (scripts/setup builds this tree's)");
  if (magic != RCUBENCH_INSN_MAGIC)
    throw InsnCountUnavailable("the instruction-counting plugin answered the probe wrongly");
}

InsnCounter::~InsnCounter() {
  close(read_fd_);
  close(write_fd_);
}

void InsnCounter::start(std::uint64_t session) {
  syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_START, session);
}

InsnCounter::Profile InsnCounter::stop() {
  syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_STOP, write_fd_);
  Profile profile;
  for (std::uint64_t& value : profile) value = answer("stop");
  if (profile[RCUBENCH_FIELD_INSNS] == UINT64_MAX)
    throw InsnCountUnavailable("the plugin does not count this thread (too many threads)");
  return profile;
}

std::uint64_t InsnCounter::shared_writes(std::uint64_t session) {
  syscall(RCUBENCH_INSN_SYSCALL, RCUBENCH_INSN_SHARED, write_fd_, session);
  std::uint64_t writes = answer("shared-lines query");
  if (writes == UINT64_MAX)
    throw InsnCountUnavailable(
        "the plugin could not tell the shared-line writes (a thread's line table overflowed, "
        "or a thread of the session had not stopped)");
  return writes;
}

std::uint64_t InsnCounter::answer(const char* what) {
  std::uint64_t value = 0;
  ssize_t n;
  do {
    n = read(read_fd_, &value, sizeof value);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof value)) {
    throw InsnCountUnavailable(
        std::string("no answer from the instruction-counting plugin to the ") + what +
        ": run under qemu-<arch> -plugin <path>/libinsn_count.so (scripts/setup builds it, "
        "scripts/bench passes it)");
  }
  return value;
}

}  // namespace rcubench
