// Quarantine: where freed torture objects go instead of back to malloc.
//
// retire() overwrites a block with poison, sets its stage word to kStageFreed and queues
// it; every later retire() advances the stage of the blocks before it (up to
// kPipeLength), so a block's stage counts the frees since its own, as rcutorture's
// pipe_count counts grace periods. allocate() recycles the oldest queued block, first in
// first out, but only while more than `min_depth` blocks wait and once that block has
// waited `min_age`, and never while a reader that was inside its critical section when the
// block was freed is still inside (ReaderPin below); otherwise it allocates a fresh one.
// Freed memory therefore stays mapped and recognisable: a reader that touches it after its
// free sees poison and a stage of 2 or more instead of crashing or reading a new object.
//
// Blocks are `words` 64-bit words, aligned to 64 bytes; word 0 is the stage. Thread-safe.
//
// Every free of a torture object goes to a quarantine: the object's own (TortureObject's
// operator delete) or, for objects inside a primitive's node (a counted node, a
// shared_ptr control block), the quarantine for the node's size, through
// QuarantineAllocator (the checker's NodeAllocator, baselines/node_allocator.h). There the
// stage word is the node's first word, not the object's; the object's words all read as
// poison, which the reader's checks report as a use after free.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <new>

namespace rcubench::torture {

class Quarantine {
 public:
  struct Limits {
    std::size_t words;                 // block size in 64-bit words (at least 2)
    std::size_t min_depth;             // recycle only while more blocks than this wait
    std::chrono::nanoseconds min_age;  // and only blocks retired at least this long ago
    std::size_t max_depth;             // beyond this many, recycle regardless of age
                                       // (never under a ReaderPin, though)
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

  // The quarantine for blocks of `words` words (2 to kMaxWords), created on first use with
  // the same limits for every size, and never destroyed: deferred frees may run until the
  // very end of the process.
  static constexpr std::size_t kMaxWords = 64;
  static Quarantine& for_words(std::size_t words);
  // The sums over every quarantine created so far.
  static Stats totals();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::uint64_t* block;
    Clock::time_point retired_at;
    std::uint64_t free_number;  // of all frees into every quarantine (see ReaderPin)
  };

  std::uint64_t* fresh_block();

  const Limits limits_;
  mutable std::mutex mutex_;
  std::deque<Entry> queue_;  // oldest first
  Stats stats_;
};

// A reader inside its critical section, as the quarantine sees it: while a pin is open, no
// quarantine recycles a block freed after it opened. Without it, a reader stalled (preempted)
// with a pointer to an object that is freed under it could find, once the quarantine's
// window had passed, a new object built in the same memory: live, current (stage 0), and
// passing every check. With it, that reader finds poison and a stage of 2 or more however
// long it stalls. Blocks freed before the pin opened are recycled as before: a long reader
// holds back only what was freed while it was inside. Open it before the primitive hands
// the reader its pointer and close it after the reader's last look. Nested pins on one
// thread count as one.
class ReaderPin {
 public:
  ReaderPin() noexcept;
  ~ReaderPin();
  ReaderPin(const ReaderPin&) = delete;
  ReaderPin& operator=(const ReaderPin&) = delete;
};

// A stateless allocator of single objects from the quarantine for their size.
template <class U>
class QuarantineAllocator {
 public:
  using value_type = U;
  static_assert(alignof(U) <= 64, "quarantine blocks are aligned to 64 bytes");
  static constexpr std::size_t kWords =
      sizeof(U) < 16 ? 2 : (sizeof(U) + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);
  static_assert(kWords <= Quarantine::kMaxWords);

  QuarantineAllocator() noexcept = default;
  template <class V>
  QuarantineAllocator(const QuarantineAllocator<V>&) noexcept {}

  U* allocate(std::size_t n) {
    if (n != 1) throw std::bad_array_new_length();
    return reinterpret_cast<U*>(Quarantine::for_words(kWords).allocate());
  }
  void deallocate(U* object, std::size_t) noexcept {
    Quarantine::for_words(kWords).retire(reinterpret_cast<std::uint64_t*>(object));
  }

  template <class V>
  bool operator==(const QuarantineAllocator<V>&) const noexcept {
    return true;
  }
};

}  // namespace rcubench::torture
