// The guest side of the instruction-counting plugin (protocol.h, qemu_insn_count.c):
// counts the instructions the calling thread executes between start() and stop(), exactly,
// when the program runs under `qemu-<arch> -plugin libinsn_count.so`.
#pragma once

#include <cstdint>
#include <stdexcept>

namespace rcubench {

class InsnCountUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InsnCounter {
 public:
  // Asks the plugin whether it is there; throws InsnCountUnavailable if not (a native run,
  // or QEMU without the plugin).
  InsnCounter();
  ~InsnCounter();
  InsnCounter(const InsnCounter&) = delete;
  InsnCounter& operator=(const InsnCounter&) = delete;

  // The calling thread's count restarts at zero.
  void start();
  // The calling thread's instructions since its start(), both markers' own system-call
  // blocks included (a constant that a difference of two regions cancels).
  std::uint64_t stop();

 private:
  std::uint64_t answer(const char* what);
  int read_fd_ = -1, write_fd_ = -1;
};

}  // namespace rcubench
