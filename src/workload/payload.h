// The object the workloads share: `bytes` of data (at least one 64-bit word) plus a
// generation and a checksum over both. An update bumps the generation, changes the first
// word and redoes the checksum: a copy-update does it on a full copy (the copy costs what
// it costs), an in-place update on the object itself (update_payload below). Up to
// kInlineWords words live inside the object, more in an array of their own: a small
// object is one allocation, and a reader reaches its data in the object's own cache line,
// as a reader of liburcu's test_urcu_gc does. Live objects are counted, so the engine can
// measure the reclamation backlog of deferred frees: per thread, each count on a cache
// line of its own, because the updater makes objects and another thread (liburcu's
// call_rcu worker) often destroys them, and one shared counter would move between their
// CPUs on every update.
#pragma once

#include <cstddef>
#include <cstdint>

#include "baselines/primitive.h"

namespace rcubench {

class Payload {
 public:
  Payload(std::size_t bytes, std::uint64_t generation);
  Payload(const Payload& other);
  // Takes the other's words where they are a separate array (no copy); inline words are
  // copied. The other is left empty, fit only to be destroyed or assigned to. The
  // primitives build a copy-update's next object in its node, with no move.
  Payload(Payload&& other) noexcept;
  Payload& operator=(const Payload& other);
  ~Payload();

  // Words kept inside the object (64 bytes, the default payload).
  static constexpr std::size_t kInlineWords = 8;

  // The next version, in place: the generation bumped, the first word changed, the
  // checksum redone. No allocation, no copy.
  void advance();
  // The next version as a full copy: what advance() makes, on a copy.
  Payload next() const;

  // Same words, generation and checksum.
  bool operator==(const Payload& other) const;

  std::uint64_t generation() const { return generation_; }
  std::size_t bytes() const { return size_ * sizeof(std::uint64_t); }
  bool intact() const { return checksum_ == checksum_of(words_, size_, generation_); }

  // What a reader does inside its critical section: `work` dependent steps over the
  // data (0 = one word read). The result is consumed by the caller so none of it can be
  // optimised away.
  std::uint64_t consume(std::uint32_t work) const {
    std::uint64_t r = words_[0];
    const std::size_t n = size_;
    for (std::uint32_t k = 0; k < work; ++k) r = r * 31 + words_[k % n];
    return r;
  }

  // Objects alive now, across all threads: a snapshot, as exact as the counts of other
  // threads that have reached this one (exact once they are joined or quiet). It reads one
  // cache line per thread that ever made or destroyed a Payload, so it is for samples,
  // not for every update.
  static long live_objects();

 private:
  static std::uint64_t checksum_of(const std::uint64_t* words, std::size_t size,
                                   std::uint64_t gen);
  bool is_inline() const { return words_ == inline_words_; }
  // Points words_ at inline_words_ or a new array for `size` words (contents unset).
  void allocate(std::size_t size);
  void release();

  std::uint64_t* words_;  // inline_words_, or an array of size_ words
  std::size_t size_;
  std::uint64_t inline_words_[kInlineWords];  // Right after the pointer: word 0 is near it.
  std::uint64_t generation_;
  std::uint64_t checksum_;
};

// The workloads' update of a primitive's Payload, the one the engine and the instruction
// count run: the next version in place where the primitive updates in place, as a copy
// everywhere else (apply_update). Returns the update's retries.
template <class P>
unsigned update_payload(P& primitive, typename P::ThreadScope& scope) {
  return apply_update(
      primitive, scope, [](const Payload& current) { return current.next(); },
      [](Payload& current) { current.advance(); });
}

}  // namespace rcubench
