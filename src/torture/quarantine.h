// Quarantine: where freed torture objects go instead of back to malloc.
//
// retire() overwrites a block with poison, sets its stage word to kStageFreed and queues
// it; every later retire() advances the stage of the blocks before it (up to
// kPipeLength), so a block's stage counts the frees since its own, as rcutorture's
// pipe_count counts grace periods. allocate() recycles the oldest queued block, first in
// first out, but only while more than `min_depth` blocks wait and once that block has
// waited `min_age`; otherwise it allocates a fresh one. Freed memory therefore
// stays mapped and recognisable for a while: a reader that touches it after its free sees
// poison and a stage of 2 or more instead of crashing or reading a new object.
//
// Blocks are `words` 64-bit words, aligned to 64 bytes; word 0 is the stage. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace rcubench::torture {

class Quarantine {
 public:
  struct Limits {
    std::size_t words;                 // block size in 64-bit words (at least 2)
    std::size_t min_depth;             // recycle only while more blocks than this wait
    std::chrono::nanoseconds min_age;  // and only blocks retired at least this long ago
    std::size_t max_depth;             // beyond this many, recycle regardless of age
  };
  struct Stats {
    std::uint64_t fresh = 0;     // blocks allocated from the system
    std::uint64_t recycled = 0;  // blocks handed out again from the queue
    std::uint64_t retired = 0;   // blocks freed into the queue
    std::uint64_t depth = 0;     // blocks waiting now
  };

  explicit Quarantine(Limits limits);
  // Releases the queued blocks. Blocks still allocated belong to their owners.
  ~Quarantine();
  Quarantine(const Quarantine&) = delete;
  Quarantine& operator=(const Quarantine&) = delete;

  std::uint64_t* allocate();
  void retire(std::uint64_t* block) noexcept;

  Stats stats() const;
  const Limits& limits() const { return limits_; }

  // Whether every word of a block but the stage holds the poison pattern.
  static bool poisoned(const std::uint64_t* block, std::size_t words) noexcept;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::uint64_t* block;
    Clock::time_point retired_at;
  };

  std::uint64_t* fresh_block();

  const Limits limits_;
  mutable std::mutex mutex_;
  std::deque<Entry> queue_;  // oldest first
  Stats stats_;
};

}  // namespace rcubench::torture
