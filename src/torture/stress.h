// The faults the checker injects: reader stalls inside critical sections, stutter (phases
// of full load and of pause), CPU-affinity churn, and the random numbers behind them.
#pragma once

#include <sched.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rcubench::torture {

// xoshiro256** seeded through splitmix64: fast, and reproducible from (seed, stream).
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream);
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }  // bound > 0
  bool one_in(std::uint64_t n) { return below(n) == 0; }

 private:
  std::uint64_t s_[4];
};

// Inside a critical section: usually nothing, sometimes a spin, a sched_yield or a short
// sleep (a reader preempted or stalled with the object in hand). Returns what it did, for
// the counts.
enum class Stall { kNone, kSpin, kYield, kSleep };
Stall stall_inside_critical_section(Rng& rng);

// Stutter: every thread runs for `run`, then all pause for `pause`, and again.
class Stutter {
 public:
  using Clock = std::chrono::steady_clock;
  Stutter(Clock::time_point start, std::chrono::milliseconds run, std::chrono::milliseconds pause)
      : start_(start), run_(run), period_(run + pause) {}
  bool paused(Clock::time_point now = Clock::now()) const {
    return (now - start_) % period_ >= run_;
  }
  std::chrono::milliseconds run() const { return run_; }
  std::chrono::milliseconds pause() const { return period_ - run_; }

 private:
  Clock::time_point start_;
  std::chrono::milliseconds run_;
  std::chrono::milliseconds period_;
};

// CPU-affinity churn: moves the calling thread to a random allowed CPU. Probed once: where
// sched_setaffinity fails (some containers, some emulators) or one CPU is allowed, it is
// unavailable and says why.
class AffinityChurn {
 public:
  static AffinityChurn probe();
  bool available() const { return !cpus_.empty(); }
  // "on (2 CPUs)" or "skipped: <reason>"
  const std::string& status() const { return status_; }
  // Pins the calling thread to one allowed CPU; returns whether it moved.
  bool move(Rng& rng) const;
  // Lets the calling thread run anywhere allowed again.
  void release() const;

 private:
  std::vector<int> cpus_;
  cpu_set_t allowed_{};
  std::string status_;
};

}  // namespace rcubench::torture
