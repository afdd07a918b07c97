// What the checker can find wrong, and a thread-safe count of each.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rcubench::torture {

enum class ErrorKind : std::size_t {
  kTooShortGracePeriod,  // a reader saw its object at stage >= 2: freed under it
  kUseAfterFree,         // a reader saw poison: the object's memory had been freed
  kUninitialised,        // a reader saw an object without its magic: published before init
  kTorn,                 // live magic, but payload or checksum disagree: torn or half-built
  kChangedUnderReader,   // the object changed between two looks in one critical section
  kGenerationBackwards,  // a reader saw an older generation after a newer one
  kLostUpdates,          // the final generation is not the number of updates
  kLeakOrDoubleFree,     // objects left alive after the primitive was destroyed, or
                         // destroyed twice
  kCorruptCurrent,       // make_next was handed an object that was not live and whole
  kCount,
};
inline constexpr std::size_t kErrorKinds = static_cast<std::size_t>(ErrorKind::kCount);

// Human name, and the key in the JSON summary.
std::string_view describe(ErrorKind kind);
std::string_view json_key(ErrorKind kind);

class ErrorCounts {
 public:
  void add(ErrorKind kind, std::uint64_t count = 1) {
    // Relaxed: a count, read for progress lines (approximate) and after the joins.
    counts_[static_cast<std::size_t>(kind)].fetch_add(count, std::memory_order_relaxed);
  }
  std::uint64_t get(ErrorKind kind) const {
    // Relaxed: paired with nothing; see add().
    return counts_[static_cast<std::size_t>(kind)].load(std::memory_order_relaxed);
  }
  std::uint64_t total() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kErrorKinds; ++i) sum += get(static_cast<ErrorKind>(i));
    return sum;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kErrorKinds> counts_{};
};

}  // namespace rcubench::torture
