// The guest side of the counting plugin (protocol.h, qemu_insn_count.c): profiles what
// the calling thread executes between start() and stop() (instructions, loads, stores,
// RMWs, fences, acquires, releases), exactly, when the program runs under
// `qemu-<arch> -plugin libinsn_count.so`.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>

#include "insn_count/protocol.h"

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

  // What stop() answers: one value per rcubench_insn_field.
  using Profile = std::array<std::uint64_t, RCUBENCH_INSN_FIELDS>;

  // The calling thread's counts restart at zero. A session other than 0 also records the
  // 64-byte lines the thread touches, for shared_writes().
  void start(std::uint64_t session = 0);
  // The calling thread's profile since its start(), both markers' own system-call blocks
  // included (a constant that a difference of two regions cancels).
  Profile stop();
  // After every thread of `session` has stopped: the stores and RMWs of the calling
  // thread's region to lines that another thread of the session touched in its region.
  std::uint64_t shared_writes(std::uint64_t session);

  // One counter serves one thread at a time: the plugin answers through the counter's
  // pipe, and two threads reading it at once could take each other's answers.

 private:
  std::uint64_t answer(const char* what);
  int read_fd_ = -1, write_fd_ = -1;
};

}  // namespace rcubench
