// The memory the checker reads and writes: blocks of 64-bit words, accessed only through
// relaxed atomic operations, and the constants that give words their meaning.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace rcubench::torture {

// Pipeline stages of an object (after rcutorture's pipe_count): 0 while it is current, 1
// once replaced, 2 when the primitive frees it (its grace period is over), then one more
// for every later free while its memory waits in the quarantine. kPipeLength and beyond
// share the last histogram bin. A reader inside its critical section must never see 2 or
// more: the primitive would have ended a grace period the reader was still in.
inline constexpr std::uint64_t kStageCurrent = 0;
inline constexpr std::uint64_t kStageReplaced = 1;
inline constexpr std::uint64_t kStageFreed = 2;
inline constexpr std::uint64_t kPipeLength = 10;

// What freed memory holds: Linux's POISON_FREE byte in every byte.
inline constexpr std::uint64_t kPoisonWord = 0x6b6b6b6b6b6b6b6bULL;

// Relaxed, paired with nothing, on purpose. The checker must not add ordering of its own:
// what orders a reader's accesses after the object's initialisation and before its free is
// the primitive under test (its publication and its grace periods or locks), and relaxed
// atomics compile to the plain loads and stores the primitive's users would emit, so they
// hide none of its mistakes. Being atomic, they keep a broken primitive's races defined:
// the checker reads what is there (poison, a half-initialised object) instead of invoking
// undefined behaviour, and every re-check is a real load the compiler cannot merge.
inline std::uint64_t load_word(const std::uint64_t& word) noexcept {
  return std::atomic_ref<std::uint64_t>(const_cast<std::uint64_t&>(word))
      .load(std::memory_order_relaxed);  // See above: the primitive orders it.
}
inline void store_word(std::uint64_t& word, std::uint64_t value) noexcept {
  std::atomic_ref<std::uint64_t>(word).store(value,
                                             std::memory_order_relaxed);  // See load_word.
}

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);
inline constexpr std::size_t kWordAlignment = std::atomic_ref<std::uint64_t>::required_alignment;

}  // namespace rcubench::torture
