// Two processes of a paired A/B run that take turns, benchmark by benchmark, so that both
// sides of a pair measure each benchmark within a fraction of a second of each other.
//
// On this kind of machine the speed of a process drifts between states that last a few
// hundred milliseconds (the host's neighbours, the vCPUs' placement): two processes run one
// after the other see different states, and the paired test pays for it in power. In
// lockstep both processes live at once, but only the one holding the turn runs a benchmark;
// the other waits, blocked on a read. The turn goes A1 B1 B2 A2 A3 B3 ... (ABBA per
// benchmark): each process runs two benchmarks per turn, the first process one on its
// first turn, so neither side always goes first.
//
// The turn is one byte through a FIFO each way. A process that ends (or dies) closes its
// end: the other reads end-of-file and runs the rest of its benchmarks alone.
#pragma once

#include <chrono>
#include <string>

namespace rcubench {

class Lockstep {
 public:
  // Connects to the other process through two FIFOs: `in` brings the turn here, `out`
  // hands it on. Waits up to `timeout` for the other process to connect; throws
  // std::runtime_error naming the FIFO if it does not, or if a path cannot be opened.
  static Lockstep connect(const std::string& in, const std::string& out, bool first,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // The same over descriptors already connected (pipes, in tests); takes them over.
  Lockstep(int in_fd, int out_fd, bool first) noexcept;
  Lockstep(Lockstep&& other) noexcept;
  Lockstep& operator=(Lockstep&&) = delete;
  ~Lockstep();  // Hands the turn on for good.

  // Before a timed run (or the warm-up): returns when this process holds the turn.
  void begin_run();
  // After a timed run: hands the turn on when this turn's runs are done.
  void end_run();
  // Whether the other process has ended: from now on this one runs alone.
  bool alone() const noexcept { return alone_; }

 private:
  void hand_on();
  int in_ = -1, out_ = -1;
  bool holding_;
  bool alone_ = false;
  int runs_left_;  // in this turn
};

}  // namespace rcubench
